package org.dbreplication.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;

/**
 * The PostgreSQL server of the demo: DEMO_DATABASE_URL when set, else the local server at 127.0.0.1:5432 (user
 * postgres) when it answers, else an embedded PostgreSQL 15 started for the demo and stopped after it.
 */
final class DemoServer implements AutoCloseable {

    private final DatabaseUrl admin;
    private final EmbeddedPostgres embedded;

    private DemoServer(DatabaseUrl admin, EmbeddedPostgres embedded) {
        this.admin = admin;
        this.embedded = embedded;
    }

    static DemoServer start(String configuredUrl, java.io.PrintWriter out) throws IOException {
        if (configuredUrl != null && !configuredUrl.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse("DEMO_DATABASE_URL", configuredUrl);
            out.println("demo server: " + url + " (DEMO_DATABASE_URL)");
            return new DemoServer(url, null);
        }
        DatabaseUrl local = DatabaseUrl.parse("DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?connect_timeout=3");
        try (Connection ignored = Connections.open(local, "db-replication:demo")) {
            out.println("demo server: the local PostgreSQL at 127.0.0.1:5432");
            return new DemoServer(local, null);
        } catch (SQLException | RuntimeException unreachable) {
            out.println("demo server: no local PostgreSQL at 127.0.0.1:5432, starting an embedded PostgreSQL 15");
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            DatabaseUrl url = DatabaseUrl.parse("DEMO_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:" + embedded.getPort() + "/postgres");
            return new DemoServer(url, embedded);
        }
    }

    DatabaseUrl admin() {
        return admin;
    }

    /** Drops and creates a database; returns its URL. */
    DatabaseUrl recreate(String database) throws SQLException {
        try (Connection c = Connections.open(admin, "db-replication:demo"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + Sql.ident(database) + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + Sql.ident(database));
        }
        return admin.withDatabase(database);
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
