package org.dbreplication.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;

/**
 * The journal's connections to the target: a small pool (HikariCP) for its short statements — a run writes a few
 * dozen rows (attempts, counts, progress every second), each of which opened a connection of its own before (50–80 ms
 * each on a busy machine) — and a dedicated, unpooled session for the run's advisory lock, which must end with the
 * run and never be lent to anyone else.
 *
 * <p>The pool is created at the first statement (a process that never writes the journal opens nothing), keeps no
 * connection idle for more than a minute (a scheduler sleeps all day) and is never cut by the stop: the run is
 * recorded interrupted while the process stops. A connection that cannot be had names the variable and the server,
 * never the password.
 */
public final class JournalConnections implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 4;
    private static final long IDLE_MS = 60_000;
    private static final long WAIT_MS = 10_000;
    private final DatabaseUrl url;
    private final String applicationName;
    private HikariDataSource pool;
    private boolean closed;

    public JournalConnections(DatabaseUrl url, String applicationName) {
        this.url = url;
        this.applicationName = applicationName;
    }

    /** A pooled connection, autocommit on; close it to give it back. Once the pool is closed, a session of its own. */
    public Connection get() {
        synchronized (this) {
            if (closed) {
                return dedicated();
            }
        }
        try {
            return dataSource().getConnection();
        } catch (SQLException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Connections.DatabaseUnavailableException("cannot connect to " + url.variable() + " (" + url + "): "
                    + Connections.firstLineOf(cause.getMessage()), e);
        }
    }

    /** A session of its own, outside the pool (the run's lock holder): closing it ends the session. */
    public Connection dedicated() {
        return Connections.openForJournal(url, applicationName);
    }

    /** The pool as a DataSource, for the routes' few-row statements (camel-sql); created at its first use. */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("journal");
            config.setJdbcUrl(url.jdbcUrl());
            config.setDataSourceProperties(url.jdbcProperties(applicationName));
            config.setMaximumPoolSize(MAX_CONNECTIONS);
            config.setMinimumIdle(0);
            config.setIdleTimeout(IDLE_MS);
            config.setConnectionTimeout(WAIT_MS);
            // the pool starts even when the target is down: each statement then fails with the reason
            config.setInitializationFailTimeout(-1);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.close();
        }
    }
}
