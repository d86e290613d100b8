package org.dbreplication;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;

/**
 * The one PostgreSQL server of the test run: TEST_DATABASE_URL when set (a superuser URL), otherwise an embedded
 * PostgreSQL 15 started once for the whole run. Test classes create and drop their own databases on it.
 */
public final class TestPostgres {

    private static DatabaseUrl admin;

    private TestPostgres() {
    }

    public static synchronized DatabaseUrl admin() {
        if (admin == null) {
            String configured = System.getenv("TEST_DATABASE_URL");
            if (configured != null && !configured.isBlank()) {
                admin = DatabaseUrl.parse("TEST_DATABASE_URL", configured);
            } else {
                try {
                    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            embedded.close();
                        } catch (IOException ignored) {
                            // the JVM is exiting
                        }
                    }));
                    admin = DatabaseUrl.parse("TEST_DATABASE_URL",
                            "postgres://postgres@127.0.0.1:" + embedded.getPort() + "/postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
                }
            }
        }
        return admin;
    }

    /** A new empty database owned by {@code owner} (null: the admin user); its name starts with {@code prefix}. */
    public static DatabaseUrl createDatabase(String prefix, String owner) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        execute("CREATE DATABASE " + Sql.ident(name) + (owner == null ? "" : " OWNER " + Sql.ident(owner)));
        return admin().withDatabase(name);
    }

    public static void dropDatabase(DatabaseUrl url) {
        execute("DROP DATABASE IF EXISTS " + Sql.ident(url.database()) + " WITH (FORCE)");
    }

    /** A login role (not a superuser) with a password; recreated when it exists. */
    public static void createRole(String name, String password) {
        execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + Sql.literal(name) + ") THEN "
                + "CREATE ROLE " + Sql.ident(name) + " LOGIN PASSWORD " + Sql.literal(password) + "; END IF; END $$");
    }

    public static void execute(String sql) {
        try (Connection c = Connections.open(admin(), "tests"); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
        }
    }
}
