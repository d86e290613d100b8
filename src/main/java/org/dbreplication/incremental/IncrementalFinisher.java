package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the chunks of a table: counts the rows of its copied key range on both sides (rows the source gained
 * meanwhile below its maximum are copied first), moves the table's watermark, and logs the table's report with the
 * original's fields. At the end of the step, fails it naming every failed table.
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
        this.checkpoints = new Checkpoints(settings.replicationSchema());
    }

    /** After the chunks of one table: verify its range, move its watermark, log its report. */
    public void finishTable(@ExchangeProperty(TableRun.PROPERTY) TableRun table, @ExchangeProperty(Runs.RUN_ID) Long runId) {
        if (table.failed()) {
            return;
        }
        try {
            long start = System.nanoTime();
            if (!table.upsert()) {
                verifyAndAdvance(table);
            }
            table.verificationMillis = (System.nanoTime() - start) / 1_000_000;
            report(table);
            if (runId != null) {
                journal.incrementalResult(runId, table.table().toString(), table.rowsCopied.get(),
                        table.upsert() ? table.cursorBefore : Long.toString(table.before),
                        table.upsert() ? table.cursorUpTo : Long.toString(table.upTo), table.elapsed().toMillis());
            }
        } catch (SQLException | RuntimeException e) {
            table.fail(table.table() + ": " + e.getMessage());
        }
    }

    /** Fails the step, naming every failed table, when one could not be copied. */
    public void checkAll(@ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun run) {
        if (!run.tables.isEmpty()) {
            long[] window = run.copyWindowAndOverhead();
            LOG.info("incremental copy verified: row counts compared and watermarks moved in {} ms (over all tables);"
                            + " chunks ran for {} ms, planning and checks outside them took {} ms",
                    v("duration_ms", run.tables.stream().mapToLong(t -> t.verificationMillis).sum()),
                    v("copy_window_ms", window[0]), v("outside_copy_ms", window[1]));
        }
        List<String> failures = run.tables.stream().filter(TableRun::failed).map(TableRun::failure).toList();
        if (!failures.isEmpty()) {
            throw new IncrementalException("incremental copy failed for " + failures.size() + " table(s): "
                    + String.join(" | ", failures));
        }
    }

    private void verifyAndAdvance(TableRun table) throws SQLException {
        if (table.upTo > table.before) {
            long[] counts = counts(table);
            if (counts[0] > counts[1]) {
                // rows that committed in the source after their chunk was read: copy them now
                long added = copier.copy(new Chunk(table, Chunk.Kind.REPAIR, table.before, table.upTo), null).rows();
                table.rowsCopied.addAndGet(added);
                counts = counts(table);
            }
            if (counts[0] != counts[1]) {
                throw new IncrementalException(table.table() + ": after the copy, keys (" + table.before + ", " + table.upTo
                        + "] hold " + counts[0] + " rows in the source but " + counts[1] + " in the target");
            }
        }
        try (Connection target = Connections.open(settings.incrementalTargetUrl(), settings.app() + ":incremental")) {
            target.setAutoCommit(false);
            checkpoints.advance(target, table, table.upTo, null);
            target.commit();
        }
    }

    /** Rows of the copied range in the source and in the target, counted side by side. */
    private long[] counts(TableRun table) throws SQLException {
        String key = Sql.ident(table.key);
        String sql = "SELECT count(*) FROM ONLY " + table.table().quoted() + " WHERE " + key + " > " + table.before
                + " AND " + key + " <= " + table.upTo;
        CompletableFuture<Long> source = CompletableFuture.supplyAsync(() -> count(true, sql));
        long target = count(false, sql);
        try {
            return new long[] {source.join(), target};
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private long count(boolean onSource, String sql) {
        try (Connection connection = onSource ? Connections.openSource(settings, "incremental")
                : Connections.open(settings.incrementalTargetUrl(), settings.app() + ":incremental")) {
            return IncrementalPlanner.scalarLong(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows on " + (onSource ? "the source" : "the target") + ": "
                    + e.getMessage(), e);
        }
    }

    private static void report(TableRun table) {
        long millis = Math.max(1, table.elapsed().toMillis());
        long rows = table.rowsCopied.get();
        if (table.upsert()) {
            LOG.info("{}: {} rows upserted in {} ms", v("table_name", table.table().toString()),
                    v("total_records_replicated", rows), v("duration_ms", millis), kv("cursor_before", table.cursorBefore),
                    kv("cursor_after", table.cursorUpTo));
            return;
        }
        LOG.info("{}: {} rows copied, key {} -> {}, in {} ms ({} rows/s, {} rows committed late)",
                v("table_name", table.table().toString()), v("total_records_replicated", rows),
                v("last_record_index_before_replication", table.before),
                v("last_record_index_after_replication", table.upTo), v("duration_ms", millis),
                v("rows_per_s", rows * 1000 / millis), v("late_rows", table.rowsRepaired.get()));
    }

    /** The step's failure, naming each failed table. */
    public static class IncrementalException extends RuntimeException {
        IncrementalException(String message) {
            super(message);
        }
    }
}
