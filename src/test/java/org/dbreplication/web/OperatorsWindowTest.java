package org.dbreplication.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.CopyGate;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' window with real processes: the progress of a full step read while it copies (done &lt; total, then
 * done = total), the tool's metrics after a run, and replay requests made on the web process (page and Jolokia)
 * carried out by a separate scheduling process.
 */
class OperatorsWindowTest extends org.dbreplication.SourceAndTargetTest {

    @Override
    protected String prefix() {
        return "window";
    }

    @TempDir
    Path logs;

    Map<String, String> variables() {
        Map<String, String> variables = sourceAndTarget();
        variables.put("MAX_RETRY_COUNT", "1");
        variables.put("PG_RESTORE_JOBS", "2");
        return variables;
    }

    @Test
    void theProgressOfAFullStepIsReadWhileItCopies() throws Exception {
        Db.execute(source, CopyGate.SOURCE_TABLE + """
                CREATE TABLE public.t AS SELECT g AS id FROM generate_series(1, 5000) g;
                CREATE TABLE public.u AS SELECT g AS id FROM generate_series(1, 3000) g;
                ANALYZE;""");
        try (CopyGate gate = CopyGate.close(target); WebClient web = WebClient.start(variables())) {
            Process process = SeparateProcess.start(logs.resolve("full.log"), variables(), "run", "--only", "full");
            try {
                WaitFor.until("the progress shows table copies not all done", Duration.ofSeconds(120), () -> {
                    assertThat(process.isAlive()).as("the step is running").isTrue();
                    return !Db.rows(target, "SELECT done, total FROM replication.progress WHERE step = 'full'"
                            + " AND item = 'table copies' AND state = 'running' AND done < total").isEmpty()
                            && !gate.waiters("db-replication:full").isEmpty();
                });
                // the source's statistics (ANALYZE samples): about 9,000
                assertThat(Long.parseLong(Db.scalar(target, "SELECT total FROM replication.progress WHERE item = 'rows'")))
                        .isBetween(8_500L, 9_500L);
                HttpResponse<String> progress = web.get("/api/progress");
                com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(progress.body());
                assertThat(json.get("running").get("id").asLong()).isEqualTo(1);
                assertThat(json.get("items").findValuesAsText("item")).contains("table copies", "rows", "bytes", "index builds");
            } finally {
                gate.close();
            }
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(SeparateProcess.output(logs.resolve("full.log"))).isZero();
        }
        assertThat(Db.rows(target, "SELECT item, state, done = total FROM replication.progress WHERE step = 'full' ORDER BY item"))
                .containsExactly(List.of("bytes", "done", "t"), List.of("index builds", "done", "t"),
                        List.of("rows", "done", "t"), List.of("table copies", "done", "t"));
        assertThat(Db.scalar(target, "SELECT done FROM replication.progress WHERE item = 'rows'")).isEqualTo("9000");
    }

    @Test
    void theMetricsTellTheLastRunAndRequestsMadeOnTheWebAreRunByTheSchedulingProcess() throws Exception {
        Db.execute(source, "CREATE TABLE public.events (id bigint PRIMARY KEY, v text);"
                + " INSERT INTO public.events SELECT g, 'v' || g FROM generate_series(1, 100) g;");
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();
        Map<String, String> variables = variables();
        variables.put("BACKUP_MODE", "{\"events\": \"incremental\"}");
        Db.execute(source, "INSERT INTO public.events SELECT g, 'v' || g FROM generate_series(101, 250) g");
        CliRunner.Result incremental = CliRunner.run(variables, "run", "--only", "incremental");
        assertThat(incremental.exitCode()).as(incremental.err()).isZero();
        Db.execute(source, "INSERT INTO public.events SELECT g, 'v' || g FROM generate_series(251, 260) g");

        try (WebClient web = WebClient.start(variables)) {
            WaitFor.until("the tool's metrics are read from the journal", Duration.ofSeconds(60), () -> {
                try {
                    return web.get("/observe/metrics").body().contains("replication_incremental_lag{");
                } catch (Exception e) {
                    return false;
                }
            });
            String metrics = web.get("/observe/metrics").body();
            assertThat(metrics).contains("replication_step_duration_seconds{step=\"incremental\"}",
                    "replication_step_status{status=\"succeeded\",step=\"incremental\"} 1.0",
                    "replication_incremental_rows{table=\"events\"} 150.0",
                    "replication_incremental_lag{table=\"events\"} 10.0",
                    "replication_last_success_age_seconds ", "replication_full_copied_bytes ",
                    "camel_exchanges_total");
            assertThat(metrics).doesNotContain("replication_full_copied_bytes 0.0", "replication_full_copied_bytes NaN");
            assertThat(metrics).doesNotContain(WebClient.PASSWORD);

            Map<String, String> scheduler = new HashMap<>(variables);
            scheduler.put("SCHEDULE", "0 0 3 1 1 ?");
            Process schedule = SeparateProcess.start(logs.resolve("schedule.log"), scheduler, "schedule");
            try {
                HttpResponse<String> page = web.post("/api/replay", "{\"plan\": \"only\", \"step\": \"incremental\"}");
                assertThat(page.statusCode()).as(page.body()).isEqualTo(202);
                waitForRequest(schedule, 1, "succeeded");
                assertThat(Db.count(target, "SELECT count(*) FROM public.events")).isEqualTo(260);

                HttpResponse<String> jolokia = web.post("/observe/jolokia", """
                        {"type": "exec", "mbean": "org.dbreplication:type=ReplicationControl", "operation": "runOnly",
                         "arguments": ["notification"]}""");
                assertThat(jolokia.body()).contains("\"status\":200");
                waitForRequest(schedule, 2, "succeeded");
            } finally {
                schedule.destroy();
                assertThat(schedule.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(Db.rows(target, "SELECT r.trigger, r.plan, r.status, q.origin, q.state FROM replication.runs r"
                    + " JOIN replication.replay_requests q ON q.run_id = r.id WHERE q.origin <> 'run' ORDER BY r.id")).containsExactly(
                    List.of("page", "incremental", "succeeded", "page", "succeeded"),
                    List.of("jolokia", "notification", "succeeded", "jolokia", "succeeded"));
            assertThat(web.get("/api/requests").body()).contains("\"state\":\"succeeded\"");
        }
    }

    void waitForRequest(Process schedule, int nth, String state) throws InterruptedException {
        try {
            WaitFor.until("replay request " + nth + " " + state, Duration.ofSeconds(120), () -> {
                assertThat(schedule.isAlive()).as(SeparateProcess.output(logs.resolve("schedule.log"))).isTrue();
                return Db.count(target, "SELECT count(*) FROM (SELECT state FROM replication.replay_requests WHERE origin <> 'run'"
                        + " ORDER BY id OFFSET " + (nth - 1) + " LIMIT 1) q WHERE state = '" + state + "'") == 1;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; requests: " + Db.rows(target, "SELECT * FROM replication.replay_requests")
                    + "; runs: " + Db.rows(target, "SELECT id, trigger, status, error FROM replication.runs")
                    + "; the scheduling process's log:\n" + SeparateProcess.output(logs.resolve("schedule.log")), e);
        }
    }
}
