package org.dbreplication.learningcontent;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;
import org.slf4j.MDC;

/**
 * Builds a staging table's primary key and indexes and gathers its statistics (ANALYZE) on connections of its own, as
 * soon as the table's rows are committed: the main connection meanwhile reads and copies the rest of the document.
 * Why: reading the document keeps one core busy in the JVM, these statements keep the server busy — one after the
 * other they were a quarter of the step (0.7 s of 2.5 s on the bench's 94 MB document).
 *
 * <p>{@link #close()} cancels what still runs (after a failure elsewhere) and waits for it, so that the staging
 * schema can be dropped at once.
 */
final class StagingFinisher implements AutoCloseable {

    private static final int CONNECTIONS = 2;
    private final DatabaseUrl url;
    private final String applicationName;
    private final String staging;
    private final ExecutorService workers;
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final Set<Connection> opened = ConcurrentHashMap.newKeySet();
    private final Set<Statement> running = ConcurrentHashMap.newKeySet();
    private final List<Future<?>> pending = new ArrayList<>();

    /** @param staging the staging schema's quoted name */
    StagingFinisher(DatabaseUrl url, String applicationName, String staging) {
        this.url = url;
        this.applicationName = applicationName;
        this.staging = staging;
        this.workers = Executors.newFixedThreadPool(CONNECTIONS, r -> {
            Thread thread = new Thread(r, "learning-content-indexes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues the table's key, indexes and ANALYZE; its rows must be committed. */
    void finish(Mapping.Table table) {
        String step = MDC.get("step");
        pending.add(workers.submit(() -> {
            if (step != null) {
                MDC.put("step", step);
            }
            String qualified = staging + "." + Sql.ident(table.name());
            try (Statement st = connection().createStatement()) {
                running.add(st);
                try {
                    st.execute("ALTER TABLE " + qualified + " ADD CONSTRAINT " + Sql.ident(table.name() + "_pkey")
                            + " PRIMARY KEY (id)");
                    for (String column : table.indexes()) {
                        st.execute("CREATE INDEX " + Sql.ident(table.name() + "_" + column + "_idx") + " ON "
                                + qualified + " (" + Sql.ident(column) + ")");
                    }
                    st.execute("ANALYZE " + qualified);
                } finally {
                    running.remove(st);
                }
            } catch (SQLException e) {
                throw new SQLException("table " + table.name() + ": " + e.getMessage(), e.getSQLState(), e);
            }
            return null;
        }));
    }

    /** Waits for every queued table; throws the first failure (table named). */
    void awaitAll() throws SQLException, InterruptedException {
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
    }

    private Connection connection() throws SQLException {
        Connection current = connection.get();
        if (current == null) {
            current = Connections.open(url, applicationName);
            opened.add(current);
            connection.set(current);
            try (Statement st = current.createStatement()) {
                st.execute("SET synchronous_commit = off");
            }
        }
        return current;
    }

    @Override
    public void close() {
        for (Statement st : running) {
            try {
                st.cancel();
            } catch (SQLException ignored) {
                // it ended meanwhile, or its connection is gone: nothing to stop
            }
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : opened) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do
            }
        }
    }
}
