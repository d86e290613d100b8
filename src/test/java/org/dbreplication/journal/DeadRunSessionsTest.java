package org.dbreplication.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.OrphanSessions;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session a killed run left on the target (its backend still in the middle of a statement, holding a table's
 * lock) is ended by the next run before it starts, instead of making it wait for TARGET_LOCK_TIMEOUT; so is one it
 * left on the source; a session of another application, or of another target's run on the source, is never ended.
 */
class DeadRunSessionsTest {

    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("dead_sessions_source", null);
        target = TestPostgres.createDatabase("dead_sessions_target", null);
        Db.execute(source, "CREATE TABLE public.t (id integer PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100)");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    @Test
    void theSessionsOfADeadRunAreEndedByTheNextRunOthersAreNot() throws Exception {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("MAX_RETRY_COUNT", "1");
        variables.put("TARGET_LOCK_TIMEOUT", "3");
        assertThat(CliRunner.run(variables, "run", "--only", "full").exitCode()).isZero();
        Db.execute(source, "INSERT INTO public.t SELECT generate_series(101, 150)");

        String deadOnSource = OrphanSessions.sourceApplicationName("db-replication", "incremental", target);
        String otherTargetsRun = OrphanSessions.sourceApplicationName("db-replication", "incremental",
                target.withDatabase("another_target"));
        try (Connection deadRun = Connections.open(target, "db-replication:full");
             Connection analyst = Connections.open(target, "metabase");
             Connection deadRunOnSource = Connections.open(source, deadOnSource);
             Connection otherRunOnSource = Connections.open(source, otherTargetsRun);
             Statement dead = deadRun.createStatement(); Statement reader = analyst.createStatement();
             Statement deadSourceReader = deadRunOnSource.createStatement();
             Statement otherSourceReader = otherRunOnSource.createStatement()) {
            deadRun.setAutoCommit(false);
            dead.execute("LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE");
            analyst.setAutoCommit(false);
            reader.execute("SELECT count(*) FROM replication.runs");
            deadRunOnSource.setAutoCommit(false);
            deadSourceReader.execute("SELECT count(*) FROM public.t");
            otherRunOnSource.setAutoCommit(false);
            otherSourceReader.execute("SELECT count(*) FROM public.t");

            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Db.count(target, "SELECT count(*) FROM public.t")).isEqualTo(150);
            assertThatThrownBy(() -> dead.execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(reader.executeQuery("SELECT 1").next()).as("the analyst's session, untouched").isTrue();
            assertThatThrownBy(() -> deadSourceReader.execute("SELECT 1")).as("this target's dead run on the source")
                    .isInstanceOf(SQLException.class);
            assertThat(otherSourceReader.executeQuery("SELECT 1").next()).as("another target's run on the source, untouched")
                    .isTrue();
        }
    }
}
