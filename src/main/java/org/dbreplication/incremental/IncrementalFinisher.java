package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.SQLException;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the chunks of a table: checks that the rows of its copied key range agree on both sides (summing the counts
 * each chunk made, counting the ranges an interrupted run left), moves the table's watermark, and logs the table's
 * report with the original's fields. At the end of the step, fails it naming every failed table.
 */
public class IncrementalFinisher {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalFinisher.class);
    private final Settings settings;
    private final ChunkCopier copier;
    private final Checkpoints checkpoints;

    private final RunJournal journal;

    public IncrementalFinisher(Settings settings, ChunkCopier copier, RunJournal journal) {
        this.settings = settings;
        this.copier = copier;
        this.journal = journal;
        this.checkpoints = new Checkpoints(settings.databases().replicationSchema());
    }

    /** After the chunks of one table: verify its range, move its watermark, log its report. */
    public void finishTable(@ExchangeProperty(TableRun.PROPERTY) TableRun table,
                            @ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun step,
                            @ExchangeProperty(Runs.RUN_ID) Long runId) {
        if (table.failed()) {
            return;
        }
        try {
            if (!table.upsert()) {
                verifyAndAdvance(table, step);
            }
            report(table);
            if (runId != null) {
                journal.incrementalResult(runId, table.table().toString(), table.rowsCopied.get(),
                        table.upsert() ? table.cursorRange().before() : Long.toString(table.keyRange().before()),
                        table.upsert() ? table.cursorRange().upTo() : Long.toString(table.keyRange().upTo()),
                        table.elapsed().toMillis());
            }
        } catch (IncrementalException e) {
            table.fail(e.getMessage());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            table.fail(table.table() + ": " + e.getMessage());
        }
    }

    /** When the step ends, however it ends: the connections its chunks shared. */
    public void closeConnections(@ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun step) {
        if (step != null) {
            step.connections.close();
        }
    }

    /** Fails the step, naming every failed table, when one could not be copied. */
    public void checkAll(@ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun run) {
        List<String> failures = run.tables.stream().filter(TableRun::failed).map(TableRun::failure).toList();
        if (!run.tables.isEmpty()) {
            IncrementalRun.Timings time = run.timings();
            // "verified" only when it was: not for a step with a failed table, nor one cut by SIGTERM
            String outcome = failures.isEmpty() && !org.dbreplication.runtime.Shutdown.requested()
                    ? "incremental copy verified" : "incremental copy not verified (a table failed or the process is stopping)";
            LOG.info("{}: planning took {} ms before the first chunk, chunks ran for {} ms, the last"
                            + " table's final checks and watermark {} ms after them; schema comparisons, checkpoints and row"
                            + " counts took {} ms summed over the {} jobs",
                    outcome, v("planning_ms", time.planningMillis()), v("copy_window_ms", time.copyWindowMillis()),
                    v("finishing_ms", time.finishingMillis()), v("checks_ms", time.checksMillis()),
                    v("jobs", settings.incremental().jobs()));
        }
        if (!failures.isEmpty()) {
            throw new IncrementalException("incremental copy failed for " + failures.size() + " table(s): "
                    + String.join(" | ", failures));
        }
    }

    /**
     * Every chunk of this run counted its range before committing; the ranges an interrupted run committed are counted
     * now (rows the source gained meanwhile copied first). The sums over the table's range must agree.
     */
    private void verifyAndAdvance(TableRun table, IncrementalRun step) throws Exception {
        for (Checkpoints.CommittedRange resumed : table.resumedRanges) {
            long from = resumed.start();
            long to = Math.min(resumed.end(), table.keyRange().upTo());
            RangeCounts counts = counts(table, step, from, to);
            if (counts.sourceHasMore()) {
                long added = copier.copy(new Chunk(table, Chunk.Kind.REPAIR, from, to), step).rows();
                table.rowsCopied.addAndGet(added);
                counts = counts(table, step, from, to);
            }
            table.counted(counts);
        }
        new RangeCounts(table.rowsCountedInSource.get(), table.rowsCountedOnTarget.get())
                .requireEqual(table, table.keyRange().before(), table.keyRange().upTo());
        step.connections.withTarget(target -> {
            checkpoints.advance(target, table, table.keyRange().upTo(), null);
            target.commit();
            return null;
        });
    }

    private RangeCounts counts(TableRun table, IncrementalRun step, long from, long to) throws Exception {
        return step.connections.withSourceAndTarget((source, target) -> RangeCounts.count(table, source, target, from, to));
    }

    private static void report(TableRun table) {
        long millis = Math.max(1, table.elapsed().toMillis());
        long rows = table.rowsCopied.get();
        if (table.upsert()) {
            LOG.info("{}: {} rows upserted in {} ms", v("table_name", table.table().toString()),
                    v("total_records_replicated", rows), v("duration_ms", millis), kv("cursor_before", table.cursorRange().before()),
                    kv("cursor_after", table.cursorRange().upTo()));
            return;
        }
        LOG.info("{}: {} rows copied, key {} -> {}, in {} ms ({} rows/s, {} rows committed late; the range holds {} rows"
                        + " on both sides)", v("table_name", table.table().toString()), v("total_records_replicated", rows),
                v("last_record_index_before_replication", table.keyRange().before()),
                v("last_record_index_after_replication", table.keyRange().upTo()), v("duration_ms", millis),
                v("rows_per_s", rows * 1000 / millis), v("late_rows", table.rowsRepaired.get()),
                v("rows_in_range", table.rowsCountedOnTarget.get()));
    }

    /** The step's failure, naming each failed table. */
    public static class IncrementalException extends RuntimeException {
        IncrementalException(String message) {
            super(message);
        }
    }
}
