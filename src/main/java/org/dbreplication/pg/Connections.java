package org.dbreplication.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.dbreplication.runtime.Shutdown;

/** Opens JDBC connections; a failure names the variable and the server, never the password. */
public final class Connections {

    private Connections() {
    }

    public static Connection open(DatabaseUrl url, String applicationName) {
        return open(url, applicationName, null);
    }

    /**
     * With server options ({@code -c name=value …}), e.g. the source's read-only session settings. Refused once the
     * process is stopping ({@link Shutdown}); the connection is aborted when the stop is asked.
     */
    public static Connection open(DatabaseUrl url, String applicationName, String serverOptions) {
        Shutdown.refuseIfRequested("a connection to " + url.variable());
        return Shutdown.track(connect(url, applicationName, serverOptions));
    }

    /**
     * A connection for the run journal's bookkeeping: still opened while the process is stopping (to record the run
     * as interrupted), and never aborted by the stop.
     */
    public static Connection openForJournal(DatabaseUrl url, String applicationName) {
        return connect(url, applicationName, null);
    }

    private static Connection connect(DatabaseUrl url, String applicationName, String serverOptions) {
        try {
            java.util.Properties properties = url.jdbcProperties(applicationName);
            if (serverOptions != null) {
                properties.setProperty("options", serverOptions);
            }
            return DriverManager.getConnection(url.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to " + url.variable() + " (" + url + "): "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** A DataSource for libraries that open their own connections (migrations). */
    public static javax.sql.DataSource dataSource(DatabaseUrl url, String applicationName) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(url.jdbcUrl());
        try {
            for (var property : url.jdbcProperties(applicationName).entrySet()) {
                dataSource.setProperty(property.getKey().toString(), property.getValue().toString());
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("invalid connection property: " + e.getMessage(), e);
        }
        return dataSource;
    }

    /**
     * A connection for a short chore that must not hold a run up: it gives up connecting after {@code seconds}
     * (or the URL's shorter connect_timeout).
     */
    public static Connection openBriefly(DatabaseUrl url, String applicationName, int seconds) throws SQLException {
        java.util.Properties properties = url.jdbcProperties(applicationName);
        int given = Integer.parseInt(properties.getProperty("connectTimeout"));
        String bound = Integer.toString(given > 0 ? Math.min(given, seconds) : seconds);
        properties.setProperty("connectTimeout", bound);
        properties.setProperty("loginTimeout", bound);
        return Shutdown.track(DriverManager.getConnection(url.jdbcUrl(), properties));
    }

    /**
     * A connection on the source (SOURCE_DATABASE_URL): read-only whatever the SQL does, bounded lock and statement
     * waits, named {@code APP:step@tag} in pg_stat_activity ({@link org.dbreplication.config.DatabaseSettings#sourceApp}).
     */
    public static Connection openSource(org.dbreplication.config.Settings settings, String step) {
        return open(settings.databases().sourceUrl(), settings.databases().sourceApp(step), settings.databases().sourceServerOptions());
    }

    /** The first line of a driver's message (PostgreSQL's carry a DETAIL or a position on the next ones). */
    public static String firstLineOf(String message) {
        return firstLine(message);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The server behind a database URL cannot be reached or refuses the connection. */
    public static class DatabaseUnavailableException extends RuntimeException {
        public DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
