package org.dbreplication.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens JDBC connections; a failure names the variable and the server, never the password. */
public final class Connections {

    private Connections() {
    }

    public static Connection open(DatabaseUrl url, String applicationName) {
        try {
            return DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties(applicationName));
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
