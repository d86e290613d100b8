package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs post-data items (indexes, constraints, triggers, policies, materialized view data, foreign keys…) by JDBC,
 * from their SQL as pg_restore renders it ({@link PostDataSql}), redirected to the new copy's names
 * ({@link FullRun#names()}), each timed for the report.
 *
 * <p>A table's own items run as soon as its rows are in ({@link TableDataLoader}): any failure fails the step. The
 * remaining items run in passes ({@link RestorePlan#postDataPass}), PG_RESTORE_JOBS at a time (index attachments
 * one at a time). An item that meets a deadlock, a lock or an object another item has not made ready yet (SQLSTATE
 * classes 40 and 55: two foreign keys locking the same tables in opposite orders, a materialized view read before it
 * is populated) is run again once the others are done, one at a time, in archive order. Then each failure is judged
 * by {@link ObjectPolicy}: a table's part, or any failure with FULL_STRICT=true, fails the step naming every such
 * item; another object is left out with a warning.
 */
public class PostDataItems {

    private static final Logger LOG = LoggerFactory.getLogger(PostDataItems.class);
    private final Settings settings;
    private final PgCommands commands;

    public PostDataItems(Settings settings, PgCommands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    /** A target connection for post-data items: restore settings, then pg_restore's own session settings. */
    Connection open(FullRun run) throws SQLException {
        Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full", commands.restoreServerOptions());
        try (Statement st = target.createStatement()) {
            for (String setting : run.postDataSql().settings()) {
                st.execute(setting);
            }
        } catch (SQLException | RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    /**
     * Runs one item in its own transaction on {@code target}.
     *
     * @throws SQLException naming the item, with the server's ERROR: line
     */
    void restore(Connection target, TocEntry item, FullRun run) throws SQLException {
        RenderedScript.Entry entry = run.postDataSql().of(item);
        Instant start = Instant.now();
        try (Statement st = target.createStatement()) {
            for (String setting : entry.settings()) {
                st.execute(setting);
            }
            if (!entry.sql().isEmpty()) {
                st.execute(run.names().rewrite(entry.sql()));
            }
        } catch (SQLException e) {
            throw new SQLException(item.objectName() + ": " + run.names().explain(ObjectFailures.errorLine(e)), e.getSQLState(), e);
        }
        run.items().add(new RestoreItem(item.desc(), item.qualifiedTag(), start, Instant.now(), -1));
    }

    /** The remaining items of one pass ({@link RestorePlan#postDataPass}), after every table is loaded. */
    public void restorePass(Exchange exchange, String pass) throws Exception {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        List<TocEntry> items = run.plan().postDataPass(pass);
        if (items.isEmpty()) {
            return;
        }
        int jobs = pass.equals(RestorePlan.ATTACH_PASS) ? 1 : Math.min(settings.full().restoreJobs(), items.size());
        Instant start = Instant.now();
        ConcurrentLinkedQueue<TocEntry> queue = new ConcurrentLinkedQueue<>(items);
        ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
        String step = MDC.get("step");
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "post-data-" + number.incrementAndGet()));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                workers.add(pool.submit(() -> {
                    if (step != null) {
                        MDC.put("step", step);
                    }
                    drain(queue, failures, run);
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Failure> retried = retryOneByOne(items, failures, run);
        judge(retried, run);
        LOG.info("post-data items restored: {} {} in {} ms", v("pass", pass), v("items", items.size()),
                v("duration_ms", java.time.Duration.between(start, Instant.now()).toMillis()));
    }

    private record Failure(TocEntry item, SQLException error) {
    }

    private void drain(ConcurrentLinkedQueue<TocEntry> queue, ConcurrentLinkedQueue<Failure> failures, FullRun run)
            throws SQLException {
        try (Connection target = open(run)) {
            TocEntry item;
            while ((item = queue.poll()) != null) {
                try {
                    restore(target, item, run);
                } catch (SQLException e) {
                    failures.add(new Failure(item, e));
                }
            }
        }
    }

    /** Items that met a lock, a deadlock or an object not ready yet, run again one at a time in archive order. */
    private List<Failure> retryOneByOne(List<TocEntry> items, ConcurrentLinkedQueue<Failure> failures, FullRun run)
            throws SQLException {
        List<Failure> result = new ArrayList<>();
        List<Failure> again = new ArrayList<>();
        for (Failure failure : failures) {
            (isTransient(failure.error()) ? again : result).add(failure);
        }
        if (again.isEmpty()) {
            return result;
        }
        again.sort(java.util.Comparator.comparingInt(f -> items.indexOf(f.item())));
        try (Connection target = open(run)) {
            for (Failure failure : again) {
                try {
                    restore(target, failure.item(), run);
                } catch (SQLException e) {
                    result.add(new Failure(failure.item(), e));
                }
            }
        }
        return result;
    }

    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("40") || state.startsWith("55"));
    }

    private void judge(List<Failure> failures, FullRun run) {
        List<String> fatal = new ArrayList<>();
        for (Failure failure : failures) {
            TocEntry item = failure.item();
            if (settings.full().strict() || !ObjectFailures.isObjectLevel(failure.error())
                    || ObjectPolicy.concernsTable(item.desc(), run.onMaterializedView(item.dumpId()))) {
                fatal.add(failure.error().getMessage());
            } else {
                run.warn(item.objectName(), run.names().explain(ObjectFailures.errorLine((SQLException) failure.error().getCause())));
            }
        }
        if (!fatal.isEmpty()) {
            throw new IllegalStateException(String.join("; ", fatal));
        }
    }
}
