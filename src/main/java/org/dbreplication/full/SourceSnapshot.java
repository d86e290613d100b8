package org.dbreplication.full;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.Sql;

/**
 * One consistent view of the source: a read-only REPEATABLE READ transaction whose snapshot is exported, so that
 * pg_dump (--snapshot) and every parallel COPY reader see exactly the same data. The exporting transaction stays
 * open until the copy is over.
 */
public final class SourceSnapshot implements AutoCloseable {

    private final DatabaseUrl url;
    private final String applicationName;
    private final String serverOptions;
    private final Connection exporter;
    private final String id;
    private final int serverMajorVersion;

    private SourceSnapshot(DatabaseUrl url, String applicationName, String serverOptions, Connection exporter, String id,
                           int serverMajorVersion) {
        this.url = url;
        this.applicationName = applicationName;
        this.serverOptions = serverOptions;
        this.exporter = exporter;
        this.id = id;
        this.serverMajorVersion = serverMajorVersion;
    }

    /** @param serverOptions the source's session settings (read-only, timeouts) */
    public static SourceSnapshot open(DatabaseUrl url, String applicationName, String serverOptions) {
        Connection connection = Connections.open(url, applicationName, serverOptions);
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            int major = PgTools.serverMajorVersion(connection);
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                rs.next();
                return new SourceSnapshot(url, applicationName, serverOptions, connection, rs.getString(1), major);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot take a snapshot of " + url.variable() + " (" + url + "): "
                    + e.getMessage(), e);
        }
    }

    public String id() {
        return id;
    }

    public int serverMajorVersion() {
        return serverMajorVersion;
    }

    /** The exporting connection itself: catalog reads made here see the snapshot. */
    public Connection connection() {
        return exporter;
    }

    public DatabaseUrl url() {
        return url;
    }

    /** A new read-only connection whose transaction sees the exported snapshot. */
    public Connection openReader() throws SQLException {
        Connection reader = Connections.open(url, applicationName, serverOptions);
        try {
            reader.setAutoCommit(false);
            reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            reader.setReadOnly(true);
            try (Statement st = reader.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(id));
            }
            return reader;
        } catch (SQLException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(exporter);
    }

    static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure: the first error is the one to report
        }
    }
}
