package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.ProgressRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every INCREMENTAL_PROGRESS_SECONDS, one line per table still copying: rows, percent done, rows/s, ETA; and, for the
 * journal's progress (every second, {@link ProgressRecorder}), each table's rows copied of those expected.
 */
public class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private final Settings settings;
    private final ProgressRecorder recorder;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "incremental-progress");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> task;

    private long runId;
    private IncrementalRun current;

    public Progress(Settings settings, ProgressRecorder recorder) {
        this.settings = settings;
        this.recorder = recorder;
    }

    public synchronized void start(@ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun run,
                                   @ExchangeProperty(Runs.RUN_ID) Long runId) {
        stop();
        this.runId = runId == null ? 0 : runId;
        this.current = run;
        recorder.begin(this.runId, "incremental", () -> items(run));
        int seconds = settings.incremental().progressSeconds();
        task = timer.scheduleAtFixedRate(() -> report(run), seconds, seconds, TimeUnit.SECONDS);
    }

    public synchronized void stop() {
        if (current != null) {
            IncrementalRun run = current;
            current = null;
            recorder.end(runId, "incremental", () -> items(run), true);
        }
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** One item per table: rows copied of those expected; a failed table is marked failed. */
    private static java.util.List<ProgressRecorder.Item> items(IncrementalRun run) {
        return run.tables.stream().map(t -> new ProgressRecorder.Item(t.table().toString(), "rows",
                t.failed() ? "failed" : "running", t.rowsCopied.get(),
                t.expectedRows > 0 ? Math.max(t.expectedRows, t.rowsCopied.get()) : null)).toList();
    }

    private static void report(IncrementalRun run) {
        MDC.put("step", "incremental");
        for (TableRun table : run.tables) {
            long rows = table.rowsCopied.get();
            if (table.failed() || table.expectedRows == 0 || rows >= table.expectedRows) {
                continue;
            }
            double seconds = Math.max(0.001, table.elapsed().toMillis() / 1000.0);
            long rate = (long) (rows / seconds);
            long percent = rows * 100 / table.expectedRows;
            long eta = rate == 0 ? -1 : (table.expectedRows - rows) / Math.max(1, rate);
            LOG.info("progress {}: {} rows, {}% of about {}, {} rows/s, ETA {} s", v("table", table.table().toString()),
                    v("rows", rows), v("percent", percent), v("expected_rows", table.expectedRows), v("rows_per_s", rate),
                    v("eta_s", eta));
        }
    }

    /** Stops the logging thread (the process, or the test's runtime, is done). */
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        timer.shutdownNow();
    }
}
