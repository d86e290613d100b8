package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard rails: never write to the source, never replace a database that is not a replica. */
class TargetSafetyTest {

    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("safety_source", null);
        target = TestPostgres.createDatabase("safety_target", null);
        Db.execute(source, "CREATE TABLE public.users (id serial PRIMARY KEY, name text, \"createdAt\" timestamptz DEFAULT now()); INSERT INTO public.users (name) VALUES ('a'), ('b')");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables() {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("APP", "safety-test");
        return variables;
    }

    @Test
    void aTargetThatIsTheSourceIsRefusedHoweverTheUrlIsWritten() {
        Map<String, String> variables = variables();
        variables.put("DATABASE_URL", "postgresql://" + source.user() + "@localhost:" + source.port() + "/" + source.database()
                + "?sslmode=disable");

        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("DATABASE_URL: reaches the same database as SOURCE_DATABASE_URL");
        assertThat(Db.scalar(source, "SELECT to_regnamespace('replication')")).isNull();
        assertThat(Db.count(source, "SELECT count(*) FROM public.users")).isEqualTo(2);
    }

    @Test
    void aTargetHoldingTablesIsRefusedThenAdoptedWithTheTakeoverSetting() {
        Db.execute(target, "CREATE TABLE public.precious (id int); INSERT INTO public.precious VALUES (1), (2), (3)");

        CliRunner.Result refused = CliRunner.run(variables(), "run", "--only", "full");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("holds 1 table(s) but is not a replica made by this tool",
                "REPLICATION_TARGET_TAKEOVER=true");
        assertThat(Db.count(target, "SELECT count(*) FROM public.precious")).isEqualTo(3);

        Map<String, String> takeover = variables();
        takeover.put("REPLICATION_TARGET_TAKEOVER", "true");
        CliRunner.Result adopted = CliRunner.run(takeover, "run", "--only", "full");

        assertThat(adopted.exitCode()).as(adopted.err()).isZero();
        assertThat(Db.scalar(target, "SELECT to_regclass('public.precious')")).isNull();
        assertThat(Db.column(target, "SELECT how FROM replication.target_marker")).containsExactly("takeover");
        // marked: later runs need no takeover
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();
    }

    @Test
    void theFirstRunOnAnEmptyTargetMarksIt() {
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();

        assertThat(Db.rows(target, "SELECT how, source FROM replication.target_marker"))
                .containsExactly(List.of("first-run", source.toString()));
    }

    @Test
    void everySourceConnectionIsReadOnlyAndNamed() throws SQLException {
        Settings settings = Settings.from(variables());
        try (Connection connection = Connections.openSource(settings, "incremental")) {
            assertThat(Db.scalar(source, "SELECT string_agg(application_name, ',') FROM pg_stat_activity"
                    + " WHERE application_name LIKE 'safety-test:%'")).isEqualTo(settings.databases().sourceApp("incremental"))
                    .startsWith("safety-test:incremental@");
            assertThatThrownBy(() -> connection.createStatement().execute("INSERT INTO public.users (name) VALUES ('x')"))
                    .hasMessageContaining("cannot execute INSERT in a read-only transaction");
            assertThat(Db.scalar(source, "SELECT setting FROM pg_settings WHERE name = 'lock_timeout'")).isEqualTo("0");
            try (var st = connection.createStatement(); var rs = st.executeQuery("SHOW lock_timeout")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1min");
            }
        }
        assertThat(Db.count(source, "SELECT count(*) FROM public.users")).isEqualTo(2);
    }
}
