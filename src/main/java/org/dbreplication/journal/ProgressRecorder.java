package org.dbreplication.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the running step has done so far into the journal's {@code progress_items} (read by the view
 * {@code progress}, the status page and the metrics): once a second it samples the step's own counters — no write
 * on the data path — and once more when the step ends. A journal that cannot be written is logged once and never
 * fails the step.
 */
public class ProgressRecorder {

    /** One line of progress: {@code done} of {@code total} (null: unknown) {@code unit}s. */
    public record Item(String item, String unit, String state, long done, Long total) {
        public static Item running(String item, String unit, long done, Long total) {
            return new Item(item, unit, "running", done, total);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProgressRecorder.class);
    private static final long PERIOD_MS = 1000;
    private final String schema;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "progress");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> task;
    private volatile java.sql.Timestamp started = new java.sql.Timestamp(System.currentTimeMillis());
    private boolean warned;

    private final JournalConnections connections;

    public ProgressRecorder(Settings settings, JournalConnections connections) {
        this.schema = Sql.ident(settings.databases().replicationSchema());
        this.connections = connections;
    }

    /** Starts sampling {@code items} of {@code step} of run {@code runId} (0: no journal, nothing recorded). */
    public synchronized void begin(long runId, String step, Supplier<List<Item>> items) {
        stopSampling();
        if (runId == 0) {
            return;
        }
        // every item's rate is counted from the step's start (an item first seen later has done part of its work)
        started = new java.sql.Timestamp(System.currentTimeMillis());
        // a new attempt of the step starts over: what an earlier attempt of this run left (failed) is replaced
        forget(runId, step);
        task = timer.scheduleAtFixedRate(() -> sample(runId, step, items), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The step ended: one last sample, every item still running marked done ({@code succeeded}) or failed. */
    public synchronized void end(long runId, String step, Supplier<List<Item>> items, boolean succeeded) {
        stopSampling();
        if (runId == 0) {
            return;
        }
        // an item done has done its total, whatever the estimate said
        List<Item> last = items.get().stream().map(i -> !i.state().equals("running") ? i : succeeded
                ? new Item(i.item(), i.unit(), "done", i.done(), i.done())
                : new Item(i.item(), i.unit(), org.dbreplication.runtime.Shutdown.requested() ? "interrupted" : "failed",
                        i.done(), i.total())).toList();
        write(runId, step, last, true);
    }

    private void forget(long runId, String step) {
        try (Connection c = connections.get();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema + ".progress_items WHERE run_id = ? AND step = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, step);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("progress of an earlier attempt of step {} not removed: {}", step, e.toString());
        }
    }

    private void sample(long runId, String step, Supplier<List<Item>> items) {
        try {
            write(runId, step, items.get(), false);
        } catch (RuntimeException e) {
            // never let the sampling stop (a scheduled task that throws is not run again)
            LOG.debug("progress of step {} not sampled: {}", step, e.toString());
        }
    }

    private void stopSampling() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void write(long runId, String step, List<Item> items, boolean last) {
        if (items.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO " + schema + ".progress_items AS p (run_id, step, item, unit, state, done, total,"
                + " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step, item) DO UPDATE SET unit = EXCLUDED.unit,"
                + " state = EXCLUDED.state, done = EXCLUDED.done, total = EXCLUDED.total, updated_at = now()"
                + " WHERE p.state = 'running'";
        try (Connection c = connections.get();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (Item item : items) {
                ps.setLong(1, runId);
                ps.setString(2, step);
                ps.setString(3, item.item());
                ps.setString(4, item.unit());
                ps.setString(5, item.state());
                ps.setLong(6, item.done());
                ps.setObject(7, item.total(), java.sql.Types.BIGINT);
                ps.setTimestamp(8, started);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException | RuntimeException e) {
            if (!warned || last) {
                warned = true;
                LOG.warn("cannot record the progress of step {} in the journal: {}", step,
                        Connections.firstLineOf(String.valueOf(e.getMessage())));
            }
        }
    }

    /** Stops the sampling thread (the process, or the test's runtime, is done). */
    public synchronized void close() {
        stopSampling();
        timer.shutdownNow();
    }
}
