package org.dbreplication.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    private final String configuredUrl;
    private final EmbeddedPostgres embedded;

    private DemoServer(DatabaseUrl admin, String configuredUrl, EmbeddedPostgres embedded) {
        this.admin = admin;
        this.configuredUrl = configuredUrl;
        this.embedded = embedded;
    }

    static DemoServer start(String configuredUrl, java.io.PrintWriter out) throws IOException {
        if (configuredUrl != null && !configuredUrl.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse("DEMO_DATABASE_URL", configuredUrl);
            out.println("demo server: " + url + " (DEMO_DATABASE_URL)");
            return new DemoServer(url, configuredUrl.strip(), null);
        }
        DatabaseUrl local = DatabaseUrl.parse("DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?connect_timeout=3");
        try (Connection ignored = Connections.open(local, "db-replication:demo")) {
            out.println("demo server: the local PostgreSQL at 127.0.0.1:5432");
            return new DemoServer(local, null, null);
        } catch (SQLException | RuntimeException unreachable) {
            out.println("demo server: no local PostgreSQL at 127.0.0.1:5432, starting an embedded PostgreSQL 15");
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            DatabaseUrl url = DatabaseUrl.parse("DEMO_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:" + embedded.getPort() + "/postgres");
            return new DemoServer(url, null, embedded);
        }
    }

    DatabaseUrl admin() {
        return admin;
    }

    /** False for the embedded server: its databases are gone when the demo ends. */
    boolean persistent() {
        return embedded == null;
    }

    /**
     * The URL of one database of this server for the chain's variables. A DatabaseUrl prints without its password,
     * so with DEMO_DATABASE_URL the configured URL is kept as written (password, parameters) and only its database
     * changes; never printed. The local and embedded servers have no password (trust).
     */
    String urlWithPassword(String database) {
        if (configuredUrl == null) {
            return admin.withDatabase(database).toString();
        }
        URI uri = URI.create(configuredUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
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
