package org.dbreplication.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.ContentApi;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.learningcontent.LearningContentTest;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain in production conditions: retries and dead letters, the journal, the lock, replay, the schedule,
 * webhooks and an environment override — with real databases, a real content API and real webhook receivers.
 */
class ChainTest {

    static final String SOURCE = """
            CREATE TABLE public.users (id serial PRIMARY KEY, name text NOT NULL, "createdAt" timestamptz NOT NULL DEFAULT now());
            CREATE TABLE public.answers (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users, value text,
                "challengeId" text);
            INSERT INTO public.users (name) SELECT 'user ' || i FROM generate_series(1, 200) i;
            INSERT INTO public.answers ("userId", value, "challengeId") SELECT 1 + i % 200, 'answer ' || i, 'rec' || (i % 7)
                FROM generate_series(1, 3000) i;
            """;

    DatabaseUrl source;
    DatabaseUrl target;
    ContentApi contentApi;
    ContentApi hookA;
    ContentApi hookB;

    @BeforeEach
    void start() throws Exception {
        source = TestPostgres.createDatabase("chain_source", null);
        target = TestPostgres.createDatabase("chain_target", null);
        Db.execute(source, SOURCE);
        contentApi = new ContentApi();
        contentApi.answer(200, LearningContentTest.DOCUMENT);
        hookA = new ContentApi();
        hookB = new ContentApi();
    }

    @AfterEach
    void stop() {
        contentApi.close();
        hookA.close();
        hookB.close();
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables() {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("LCMS_API_URL", contentApi.baseUrl());
        variables.put("LCMS_API_KEY", "key");
        variables.put("NOTIFICATIONS", "[{\"url\": \"" + hookA.baseUrl() + "/hook\", \"token\": \"hook-Token-A\"}, \""
                + hookB.baseUrl() + "/hook\"]");
        variables.put("MAX_RETRY_COUNT", "3");
        variables.put("EXPONENTIAL_RETRY_DELAY", "10");
        variables.put("PG_RESTORE_JOBS", "2");
        return variables;
    }

    List<List<String>> attempts() {
        return Db.rows(target, "SELECT run_id::text, step, attempt::text, status FROM replication.step_attempts ORDER BY run_id, started_at, attempt");
    }

    @Test
    void aStepFailingTwiceThenSucceedingIsRetriedAndTheChainGoesOn() {
        contentApi.statuses.addAll(List.of(503, 502));

        CliRunner.Result result = CliRunner.run(variables(), "run", "--from", "learning-content");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contentApi.requests).hasSize(3);
        assertThat(attempts()).extracting(r -> r.get(1) + " " + r.get(2) + " " + r.get(3)).containsExactly(
                "learning-content 1 failed", "learning-content 2 failed", "learning-content 3 succeeded", "notification 1 succeeded");
        assertThat(Db.scalar(target, "SELECT status FROM replication.runs")).isEqualTo("succeeded");
        assertThat(Db.count(target, "SELECT count(*) FROM public.challenges")).isEqualTo(2);
    }

    @Test
    void exhaustedRetriesStopTheChainAndAReplayFromThatStepCompletesIt() throws Exception {
        contentApi.status = 500;
        Map<String, String> variables = variables();
        variables.put("MAX_RETRY_COUNT", "2");

        CliRunner.Result failed = CliRunner.run(variables, "run", "--from", "learning-content");

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains("step learning-content failed", "HTTP 500", "run --from learning-content");
        assertThat(Db.rows(target, "SELECT status, error FROM replication.runs")).singleElement()
                .satisfies(row -> assertThat(row.get(0) + " " + row.get(1)).startsWith("failed learning-content: ").contains("HTTP 500"));
        assertThat(attempts()).extracting(r -> r.get(1) + " " + r.get(3))
                .containsExactly("learning-content failed", "learning-content failed");
        assertThat(hookA.requests).isEmpty();
        try (org.dbreplication.web.WebClient web = org.dbreplication.web.WebClient.start(variables)) {
            java.net.http.HttpResponse<String> ready = web.get("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("run #1 failed").contains("HTTP 500");
            // the error as written (Camel's message is escaped twice)
            com.fasterxml.jackson.databind.JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(web.get("/observe/health/ready?data=true").body());
            assertThat(data.findValuesAsText("last_run_error")).singleElement().asString()
                    .contains("HTTP 500 to GET " + contentApi.baseUrl() + "/databases/airtable");
        }

        contentApi.status = 200;
        CliRunner.Result replay = CliRunner.run(variables, "run", "--from", "learning-content");

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id")).containsExactly("failed", "succeeded");
        assertThat(hookA.requests).hasSize(1);
        assertThat(hookB.requests).hasSize(1);
    }

    @Test
    void webhooksGetTheRunSummaryWithTheirTokenAndOneFailingFailsTheStepAfterTheOthers() throws Exception {
        try (ContentApi failing = new ContentApi()) {
            failing.status = 500;
            Map<String, String> variables = variables();
            variables.put("NOTIFICATION_URLS", variables.remove("NOTIFICATIONS").replace("]",
                    ", {\"url\": \"" + failing.baseUrl() + "/broken?secret=query\"}]"));
            variables.put("MAX_RETRY_COUNT", "2");

            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "notification");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("1 webhook(s) could not be notified", "/api/broken (HTTP 500)")
                    .doesNotContain("secret=query").doesNotContain("hook-Token-A");
            assertThat(failing.requests).hasSize(2);
        }
        assertThat(hookA.requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.headers().get("Authorization")).containsExactly("hook-Token-A");
            assertThat(request.body()).contains("\"run_id\":").contains("\"steps\":[");
        });
        assertThat(hookB.requests).singleElement().satisfies(request -> {
            assertThat(request.headers()).doesNotContainKey("Authorization");
            assertThat(request.headers().get("Content-type")).containsExactly("application/json");
        });
        assertThat(Db.rows(target, "SELECT url, status, attempts::text FROM replication.webhook_results ORDER BY url"))
                .extracting(r -> r.get(1) + " " + r.get(2)).containsExactlyInAnyOrder("delivered 1", "delivered 1", "failed 2");
    }

    @Test
    void aSecondTriggerWhileARunIsActiveIsRefusedNamingTheActiveRun() throws Exception {
        contentApi.pauseHalfway = new CountDownLatch(1);
        CompletableFuture<CliRunner.Result> first = CompletableFuture.supplyAsync(
                () -> CliRunner.run(variables(), "run", "--from", "learning-content"));
        assertThat(contentApi.halfSent.await(60, TimeUnit.SECONDS)).isTrue();

        CliRunner.Result second = CliRunner.run(variables(), "run", "--only", "notification");

        contentApi.pauseHalfway.countDown();
        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(second.err()).contains("refused: run #1 (cli, learning-content → notification, started");
        assertThat(first.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM replication.runs")).isEqualTo(1);
    }

    @Test
    void aProcessKilledDuringFullLeavesAnInterruptedRunAndTheNextRunSucceeds() throws Exception {
        Db.execute(source, "CREATE TABLE public.big AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 300000) i");
        Process process = SeparateProcess.start(variables(), "run", "--only", "full");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (process.isAlive() && Instant.now().isBefore(deadline) && !fullAttemptRunning()) {
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
        assertThat(Db.scalar(target, "SELECT status FROM replication.runs")).isEqualTo("running");

        CliRunner.Result next = CliRunner.run(variables(), "run", "--only", "full");

        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id")).containsExactly("interrupted", "succeeded");
        assertThat(Db.count(target, "SELECT count(*) FROM public.big")).isEqualTo(300000);
    }

    boolean fullAttemptRunning() {
        try {
            return Db.count(target, "SELECT count(*) FROM replication.step_attempts WHERE step = 'full' AND status = 'running'") > 0;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    @Test
    void theScheduleFiresTheWholeChainAndSigtermStopsTheProcess() throws Exception {
        Map<String, String> variables = variables();
        // every 2 seconds from whenever the process is up: how fast the JVM starts does not matter; a trigger that
        // comes while a run is active is refused, one after it starts another run (each notifies once)
        variables.put("SCHEDULE", "*/2 * * * * ?");
        variables.put("SCHEDULE_TIMEZONE", "UTC");
        Process scheduler = SeparateProcess.start(variables, "schedule");
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (Instant.now().isBefore(deadline) && !runSucceeded()) {
                assertThat(scheduler.isAlive()).isTrue();
                Thread.sleep(200);
            }
        } finally {
            scheduler.destroy();
            assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        List<List<String>> first = Db.rows(target, "SELECT id::text, trigger, status, plan FROM replication.runs ORDER BY id LIMIT 1");
        assertThat(first).containsExactly(List.of(first.get(0).get(0), "schedule", "succeeded",
                "full → incremental → learning-content → notification"));
        // one webhook call per run: the first one's, and one for any run that reached its notification
        java.util.regex.Pattern runId = java.util.regex.Pattern.compile("\"run_id\":(\\d+)");
        List<String> notifiedRuns = hookA.requests.stream().map(r -> runId.matcher(r.body()))
                .map(m -> m.find() ? m.group(1) : "none").toList();
        assertThat(notifiedRuns).doesNotHaveDuplicates().contains(first.get(0).get(0));
    }

    boolean runSucceeded() {
        try {
            return Db.count(target, "SELECT count(*) FROM replication.runs WHERE status <> 'running'") > 0;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    @Test
    void theJmxOperationsOfTheBackgroundProcessReplayAStepAndReportTheStatus() throws Exception {
        Map<String, String> variables = variables();
        variables.put("SCHEDULE", "0 3 1 1 *");
        org.dbreplication.config.Settings settings = org.dbreplication.config.Settings.from(variables);
        try (org.dbreplication.runtime.ReplicationRuntime runtime = org.dbreplication.runtime.ReplicationRuntime.start(
                settings, org.dbreplication.runtime.ReplicationRuntime.Mode.SCHEDULER)) {
            org.dbreplication.runtime.ReplicationControl control =
                    new org.dbreplication.runtime.ReplicationControl(runtime::availableSteps, runtime.requests(),
                            runtime.journal(), "jmx");
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(org.dbreplication.runtime.ReplicationControl.NAME);
            control.register();
            // what hawtio and JConsole show of the operations
            javax.management.MBeanOperationInfo replayFrom = java.util.Arrays.stream(server.getMBeanInfo(name).getOperations())
                    .filter(o -> o.getName().equals("replayFrom")).findFirst().orElseThrow();
            assertThat(replayFrom.getSignature()[0].getName()).isEqualTo("step");
            assertThat(replayFrom.getDescription()).contains("this step and the ones after it");
            // Camel's own connector (on by default with camel-cli-connector) raced with the creation of the routes
            assertThat(runtime.context().hasService(org.apache.camel.spi.CliConnector.class)).isNull();
            try {
                assertThatThrownBy(() -> server.invoke(name, "replayFrom", new Object[] {"everything"}, new String[] {"java.lang.String"}))
                        .hasRootCauseInstanceOf(IllegalArgumentException.class).rootCause().hasMessageStartingWith("unknown step 'everything'");
                assertThat(server.invoke(name, "replayFrom", new Object[] {"learning-content"}, new String[] {"java.lang.String"}))
                        .asString().startsWith("replay request #1 recorded: learning-content → notification");
                Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
                while (!runSucceeded() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                assertThat(Db.rows(target, "SELECT trigger, status FROM replication.runs")).containsExactly(List.of("jmx", "succeeded"));
                assertThat(server.getAttribute(name, "Status")).asString().startsWith("run #1 succeeded (jmx, learning-content → notification");
                assertThat(server.queryNames(new javax.management.ObjectName("org.apache.camel:type=routes,*"), null)).isNotEmpty();
            } finally {
                server.unregisterMBean(name);
            }
        }
        assertThat(hookA.requests).hasSize(1);
    }

    @Test
    void anEnvironmentOverrideChangesTheChainWithoutJava() {
        Map<String, String> variables = variables();
        variables.put("REPLICATION_ENV", "test-override");

        CliRunner.Result result = CliRunner.run(variables, "run", "--from", "learning-content");

        assertThat(result.exitCode()).as(result.err()).isZero();
        // the test-override chain skips the learning content and notifies only
        assertThat(contentApi.requests).isEmpty();
        assertThat(attempts()).extracting(r -> r.get(1)).containsExactly("notification");
        assertThat(hookA.requests).hasSize(1);
    }
}
