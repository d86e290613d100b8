package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.ContentApi;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night cut by a kill -9 in its incremental step is resumed by the next scheduling process as soon as it starts:
 * from the incremental step (the full step, done, is not redone), recorded as a resumption of the same night, the
 * copy exact, the webhook told the whole night. A one-off command resumes nothing.
 */
class ResumeTest extends org.dbreplication.SourceAndTargetTest {

    @Override
    protected String prefix() {
        return "resume";
    }

    static final String ANSWERS = "CREATE TABLE public.answers (id bigserial PRIMARY KEY, value text NOT NULL);";

    @TempDir
    Path logs;

    @BeforeEach
    void create() {
        Db.execute(source, ANSWERS + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 5000) g;"
                + " CREATE TABLE public.items (id integer PRIMARY KEY); INSERT INTO public.items SELECT generate_series(1, 300);");
        Db.execute(target, ANSWERS + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 100) g;");
    }

    @Test
    void aNightKilledInItsIncrementalStepIsResumedFromThereByTheNextSchedulingProcess() throws Exception {
        try (ContentApi hook = new ContentApi()) {
            Map<String, String> variables = new HashMap<>();
            variables.put("SOURCE_DATABASE_URL", source.toString());
            variables.put("DATABASE_URL", target.toString());
            variables.put("BACKUP_MODE", "{\"answers\": \"incremental\"}");
            variables.put("REPLICATION_TARGET_TAKEOVER", "true");
            variables.put("NOTIFICATIONS", "[\"" + hook.baseUrl() + "/hook\"]");
            variables.put("SCHEDULE_TIMEZONE", "UTC");
            Map<String, String> everySecond = new HashMap<>(variables);
            everySecond.put("SCHEDULE", "* * * * * ?");

            try (Connection analyst = Connections.open(target, "tests-table-lock"); Statement st = analyst.createStatement()) {
                analyst.setAutoCommit(false);
                st.execute("LOCK TABLE public.answers IN ACCESS EXCLUSIVE MODE");
                Process night = SeparateProcess.start(logs.resolve("night.log"), everySecond, "schedule");
                try {
                    WaitFor.until("the night's incremental step waits for public.answers", Duration.ofSeconds(120), () -> {
                        assertThat(night.isAlive()).as("the scheduler is running").isTrue();
                        return Db.count(target, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                                + " WHERE NOT l.granted AND a.application_name = 'db-replication:incremental'") > 0;
                    });
                } finally {
                    night.destroyForcibly();
                    assertThat(night.waitFor(60, TimeUnit.SECONDS)).isTrue();
                }
                analyst.rollback();
            }
            // a one-off command resumes nothing
            assertThat(CliRunner.run(variables, "report").exitCode()).isZero();
            assertThat(Db.column(target, "SELECT trigger || ':' || status FROM replication.runs")).containsExactly("schedule:running");

            Map<String, String> notTonight = new HashMap<>(variables);
            notTonight.put("SCHEDULE", "0 0 3 1 1 ?");
            Process next = SeparateProcess.start(logs.resolve("next.log"), notTonight, "schedule");
            try {
                WaitFor.until("the resumption ended", Duration.ofSeconds(120), () -> {
                    assertThat(next.isAlive()).as("the scheduler is running").isTrue();
                    return Db.count(target, "SELECT count(*) FROM replication.runs WHERE trigger = 'resume' AND status <> 'running'") > 0;
                });
            } finally {
                next.destroy();
                assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(Db.rows(target, "SELECT id::text, trigger, status, coalesce(resumes_run_id::text, '') FROM replication.runs ORDER BY id"))
                    .containsExactly(List.of("1", "schedule", "interrupted", ""), List.of("2", "resume", "succeeded", "1"));
            assertThat(Db.column(target, "SELECT step || ':' || status FROM replication.step_attempts WHERE run_id = 2 ORDER BY started_at"))
                    .as("the full step, done before the kill, is not redone").containsExactly("incremental:succeeded",
                            "learning-content:succeeded", "notification:succeeded");
            assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(5000);
            assertThat(Db.count(target, "SELECT count(DISTINCT id) FROM public.answers")).isEqualTo(5000);
            assertThat(Db.count(target, "SELECT count(*) FROM public.items")).isEqualTo(300);
            assertThat(hook.requests).singleElement().satisfies(request -> assertThat(request.body())
                    .contains("\"night_runs\":[{\"run_id\":1,\"trigger\":\"schedule\",\"status\":\"interrupted\"},"
                            + "{\"run_id\":2,\"trigger\":\"resume\",\"status\":\"running\"}]")
                    .contains("{\"run_id\":1,\"step\":\"full\",\"attempt\":1,\"status\":\"succeeded\"")
                    .contains("{\"run_id\":2,\"step\":\"incremental\",\"attempt\":1,\"status\":\"succeeded\""));
            assertThat(CliRunner.run(variables, "report", "2").out()).contains("Night (2 runs", "run #1", "run #2");
        }
    }
}
