package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.ContentApi;
import org.dbreplication.CopyGate;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.learningcontent.LearningContentTest;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of each step, to a process of its own: it exits within 10 s (the PaaS's grace period is
 * longer), the run and its one attempt are recorded interrupted with the reason (no retry starts), no child of it
 * is left, and the next run is not refused (the lock was released). Each step is held at a state the test waits
 * for: a COPY waiting at a gate, a write waiting for a table's lock, a download half sent.
 */
class StopTest extends org.dbreplication.SourceAndTargetTest {

    @Override
    protected String prefix() {
        return "stop";
    }

    /** The bound of the issue: common PaaS grace periods are 10 to 30 s. */
    static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path logs;
    @TempDir
    Path workDir;

    Map<String, String> variables() {
        Map<String, String> variables = sourceAndTarget();
        variables.put("PG_RESTORE_JOBS", "2");
        // retries would be due at once: none may start once the stop is asked
        variables.put("MAX_RETRY_COUNT", "5");
        variables.put("EXPONENTIAL_RETRY_DELAY", "10");
        variables.put("WORK_DIR", workDir.toString());
        return variables;
    }

    @Test
    void sigtermWhileTheFullStepCopiesRows() throws Exception {
        Db.execute(source, CopyGate.SOURCE_TABLE + "CREATE TABLE public.t AS SELECT g AS id FROM generate_series(1, 1000) g;");
        try (CopyGate gate = CopyGate.close(target)) {
            Process process = SeparateProcess.start(logs.resolve("full.log"), variables(), "run", "--only", "full");
            WaitFor.until("the copy of public.gated waits at the gate", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).as("the step is running").isTrue();
                return !gate.waiters("db-replication:full").isEmpty();
            });
            assertStopsCleanly(process, "full");
        }
        assertTheNextRunIsNotRefused("full");
    }

    @Test
    void sigtermWhileTheIncrementalStepWrites() throws Exception {
        String table = "CREATE TABLE public.answers (id bigserial PRIMARY KEY, value text NOT NULL);";
        Db.execute(source, table + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 5000) g;");
        Db.execute(target, table + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 100) g;");
        Map<String, String> variables = variables();
        variables.put("BACKUP_MODE", "{\"answers\": \"incremental\"}");
        try (Connection analyst = Connections.open(target, "tests-table-lock"); Statement st = analyst.createStatement()) {
            analyst.setAutoCommit(false);
            st.execute("LOCK TABLE public.answers IN ACCESS EXCLUSIVE MODE");
            Process process = SeparateProcess.start(logs.resolve("incremental.log"), variables, "run", "--only", "incremental");
            WaitFor.until("the incremental step waits for public.answers", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).as("the step is running").isTrue();
                return Db.count(target, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE NOT l.granted AND a.application_name = 'db-replication:incremental'") > 0;
            });
            assertStopsCleanly(process, "incremental");
            analyst.rollback();
        }
        CliRunner.Result next = CliRunner.run(variables, "run", "--only", "incremental");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(5000);
    }

    @Test
    void sigtermWhileTheLearningContentIsDownloaded() throws Exception {
        try (ContentApi api = new ContentApi()) {
            api.answer(200, LearningContentTest.DOCUMENT);
            CountDownLatch release = new CountDownLatch(1);
            api.pauseHalfway = release;
            Map<String, String> variables = variables();
            variables.put("LCMS_API_URL", api.baseUrl());
            variables.put("LCMS_API_KEY", "key");
            Process process = SeparateProcess.start(logs.resolve("lc.log"), variables, "run", "--only", "learning-content");
            try {
                assertThat(api.halfSent.await(120, TimeUnit.SECONDS)).as("half of the document sent").isTrue();
                assertStopsCleanly(process, "learning-content");
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void sigtermWhileAWebhookIsCalled() throws Exception {
        try (FaultDrillsTest.SilentServer silent = new FaultDrillsTest.SilentServer()) {
            Map<String, String> variables = variables();
            variables.put("NOTIFICATIONS", "[\"" + silent.url() + "/hook\"]");
            Process process = SeparateProcess.start(logs.resolve("notification.log"), variables, "run", "--only", "notification");
            WaitFor.until("the webhook's request is waiting for an answer", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).as("the step is running").isTrue();
                return !silent.accepted.isEmpty();
            });
            assertStopsCleanly(process, "notification");
        }
    }

    @Test
    void sigtermToTheSchedulingProcessDuringANightStopsItWithoutAnotherRun() throws Exception {
        Db.execute(source, CopyGate.SOURCE_TABLE);
        Map<String, String> variables = variables();
        // every second: a trigger while the night runs is refused; none may start a run once the stop is asked
        variables.put("SCHEDULE", "* * * * * ?");
        variables.put("SCHEDULE_TIMEZONE", "UTC");
        try (CopyGate gate = CopyGate.close(target)) {
            Process process = SeparateProcess.start(logs.resolve("schedule.log"), variables, "schedule");
            WaitFor.until("the night's copy of public.gated waits at the gate", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).as("the scheduler is running").isTrue();
                return !gate.waiters("db-replication:full").isEmpty();
            });
            assertStopsCleanly(process, "full");
        }
        assertThat(Db.column(target, "SELECT trigger || ':' || status FROM replication.runs")).containsExactly("schedule:interrupted");
    }

    @Test
    void sigtermToAnIdleSchedulingProcess() throws Exception {
        Map<String, String> variables = variables();
        variables.put("SCHEDULE", "0 0 3 1 1 ?");
        Path log = logs.resolve("idle.log");
        Process process = SeparateProcess.start(log, variables, "schedule");
        WaitFor.until("the scheduler started", Duration.ofSeconds(120), () -> {
            assertThat(process.isAlive()).as("the scheduler is running").isTrue();
            return SeparateProcess.output(log).contains("scheduler started");
        });
        long asked = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS)).as("exited within %s of SIGTERM", STOP_BOUND).isTrue();
        System.out.printf("idle scheduler stopped %d ms after SIGTERM%n", (System.nanoTime() - asked) / 1_000_000);
        assertThat(SeparateProcess.output(log)).doesNotContain("Forcing shutdown");
    }

    /** SIGTERM now: out within the bound, the run and its one attempt interrupted, no child left. */
    private void assertStopsCleanly(Process process, String step) throws Exception {
        Path log = logs.resolve(step.equals("full") && Files.exists(logs.resolve("schedule.log")) ? "schedule.log"
                : step.equals("learning-content") ? "lc.log" : step + ".log");
        List<ProcessHandle> children = process.descendants().toList();
        long asked = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
        long millis = (System.nanoTime() - asked) / 1_000_000;
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        System.out.printf("%s: stopped %d ms after SIGTERM%n", step, millis);
        assertThat(exited).as("%s: exited within %s of SIGTERM (took %d ms); its log ends with:%n%s", step, STOP_BOUND,
                millis, tail(SeparateProcess.output(log))).isTrue();
        assertThat(process.exitValue()).as("the exit code of a stopped run").isNotZero();
        assertThat(children).as("its children").noneMatch(ProcessHandle::isAlive);
        assertThat(Db.rows(target, "SELECT status, error FROM replication.runs")).singleElement().satisfies(run -> {
            assertThat(run.get(0)).isEqualTo("interrupted");
            assertThat(run.get(1)).contains("SIGTERM");
        });
        assertThat(Db.rows(target, "SELECT step, status FROM replication.step_attempts"))
                .as("one attempt, no retry after the stop").containsExactly(List.of(step, "interrupted"));
        String output = SeparateProcess.output(log);
        // a stop is no fault: nothing of ours at ERROR (Sentry's level), no "error: step … failed" (Quartz's scheduler
        // thread and its ErrorLogger log their own cut trigger scan at ERROR when the stop aborts their connection)
        assertThat(output.lines().filter(l -> l.contains(" ERROR ") && !l.contains("QuartzSchedulerThread") && !l.contains("ErrorLogger")))
                .as("what a stopped process logs at ERROR").isEmpty();
        assertThat(output).doesNotContain("error: step");
        assertThat(output.substring(Math.max(0, output.indexOf("stopping:")))).as("nothing started after the stop")
                .doesNotContain("Start create Backup", "step " + step + " started");
        try (java.util.stream.Stream<Path> left = Files.list(workDir)) {
            assertThat(left.toList()).as("WORK_DIR after the stop (no password file, no archive)").isEmpty();
        }
    }

    private void assertTheNextRunIsNotRefused(String step) {
        CliRunner.Result next = CliRunner.run(variables(), "run", "--only", step);
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id")).containsExactly("interrupted", "succeeded");
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

}
