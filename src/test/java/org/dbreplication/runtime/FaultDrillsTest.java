package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.CopyGate;
import org.dbreplication.Db;
import org.dbreplication.Readers;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault drills with real servers: a COPY connection killed by pg_terminate_backend (an administrator, a failover, a
 * network reset) in the middle of a step. The attempt fails with a clear error, the retry succeeds, and the copy ends
 * exact: the full step's live copy is never partial, the incremental step goes on from its committed chunks with no
 * duplicate and no gap. Each step is held at the copy gate, a state the test waits for.
 */
class FaultDrillsTest extends org.dbreplication.SourceAndTargetTest {

    @Override
    protected String prefix() {
        return "drill";
    }


    Map<String, String> variables() {
        Map<String, String> variables = sourceAndTarget();
        variables.put("MAX_RETRY_COUNT", "3");
        variables.put("EXPONENTIAL_RETRY_DELAY", "100");
        return variables;
    }

    /** Runs the step, waits for a connection of {@code app} at the gate, terminates it, opens the gate. */
    CliRunner.Result runAndKillAtTheGate(Map<String, String> variables, String step, String app) throws Exception {
        try (CopyGate gate = CopyGate.close(target)) {
            CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(
                    () -> CliRunner.run(variables, "run", "--only", step));
            List<String> copying = new ArrayList<>();
            WaitFor.until("a COPY of the " + step + " step waits at the gate", Duration.ofSeconds(120), () -> {
                assertThat(run).as("the step ended before its COPY reached the gate").isNotDone();
                copying.addAll(gate.waiters(app));
                return !copying.isEmpty();
            });
            Db.execute(target, "SELECT pg_terminate_backend(" + Long.parseLong(copying.get(0)) + ")");
            gate.close();
            return run.get(180, TimeUnit.SECONDS);
        }
    }

    List<String> attempts(String step) {
        return Db.column(target, "SELECT status FROM replication.step_attempts WHERE step = '" + step + "'"
                + " AND run_id = (SELECT max(id) FROM replication.runs) ORDER BY attempt");
    }

    @Test
    void aFullStepCopyKilledOnTheTargetIsRetriedAndTheLiveCopyIsNeverPartial() throws Exception {
        Db.execute(source, CopyGate.SOURCE_TABLE + "CREATE TABLE public.t AS SELECT g AS id FROM generate_series(1, 5000) g;");
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();
        Db.execute(source, "INSERT INTO public.gated SELECT g, 'v' || g FROM generate_series(1001, 1500) g;"
                + " INSERT INTO public.t SELECT generate_series(5001, 6000)");
        Map<String, String> before = Db.state(target);

        String query = "SELECT count(*) FROM public.gated";
        Readers readers = new Readers(target, List.of(query));
        try (readers) {
            CliRunner.Result result = runAndKillAtTheGate(variables(), "full", "db-replication:full");
            assertThat(result.exitCode()).as(result.err()).isZero();
            long ended = System.nanoTime();
            WaitFor.until("a reader answered after the step", Duration.ofSeconds(30),
                    () -> readers.answers(query).stream().anyMatch(a -> a.finishedAtNanos() > ended));
        }
        assertThat(readers.answers(query)).extracting(Readers.Answer::error).containsOnlyNulls();
        assertThat(readers.answers(query).stream().map(Readers.Answer::answer).distinct())
                .as("the live copy, read during the step and its retry").containsExactly("1000", "1500");
        assertThat(attempts("full")).containsExactly("failed", "succeeded");
        assertThat(Db.scalar(target, "SELECT error FROM replication.step_attempts WHERE step = 'full' AND attempt = 1 AND run_id = 2"))
                .contains("gated");
        assertThat(Db.count(target, "SELECT count(*) FROM public.gated")).isEqualTo(1500);
        assertThat(Db.count(target, "SELECT count(*) FROM public.t")).isEqualTo(6000);
        assertThat(before).isNotEqualTo(Db.state(target));
    }

    @Test
    void anIncrementalCopyKilledOnTheTargetIsRetriedFromItsCommittedChunksExactly() throws Exception {
        String table = "CREATE TABLE public.answers (id bigserial PRIMARY KEY, value text NOT NULL);";
        Db.execute(source, table + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 6000) g;");
        // the target's copy waits at the gate for every row it receives (the CHECK is the target's own)
        Db.execute(target, CopyGate.FUNCTION + table + "ALTER TABLE public.answers ADD CHECK (public.copy_gate(id));"
                + " INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 100) g;");
        Map<String, String> variables = variables();
        variables.put("BACKUP_MODE", "{\"answers\": \"incremental\"}");
        variables.put("INCREMENTAL_CHUNK_ROWS", "500");
        variables.put("INCREMENTAL_JOBS", "2");

        CliRunner.Result result = runAndKillAtTheGate(variables, "incremental", "db-replication:incremental");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(attempts("incremental")).containsExactly("failed", "succeeded");
        assertThat(Db.rows(target, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM public.answers"))
                .containsExactly(List.of("6000", "6000", "1", "6000"));
        assertThat(Db.scalar(target, "SELECT md5(string_agg(id || value, ',' ORDER BY id)) FROM public.answers"))
                .isEqualTo(Db.scalar(source, "SELECT md5(string_agg(id || value, ',' ORDER BY id)) FROM public.answers"));
    }

    /** A server that accepts every connection and never answers (a hung proxy, a stuck service). */
    static final class SilentServer implements AutoCloseable {
        final java.net.ServerSocket socket;
        final List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

        SilentServer() throws java.io.IOException {
            socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/api";
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aContentApiThatNeverAnswersFailsTheStepWithinItsTimeoutNamingTheUrl() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Map<String, String> variables = variables();
            variables.put("LCMS_API_URL", silent.url());
            variables.put("LCMS_API_KEY", "key");
            variables.put("LCMS_TIMEOUT_SECONDS", "1");
            variables.put("MAX_RETRY_COUNT", "1");

            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "learning-content");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("the content API did not answer GET " + silent.url() + "/databases/airtable"
                    + " within 1 s (LCMS_TIMEOUT_SECONDS, LCMS_API_URL): Read timed out").doesNotContain("key");
            assertThat(silent.accepted).isNotEmpty();
            assertThat(attempts("learning-content")).containsExactly("failed");
        }
    }

    @Test
    void aPostgresqlServerThatAcceptsAndNeverAnswersFailsWithinConnectTimeoutNamingTheVariable() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            String silentDb = "postgres://replication@127.0.0.1:" + silent.socket.getLocalPort() + "/db?connect_timeout=2";
            Map<String, String> silentTarget = variables();
            silentTarget.put("DATABASE_URL", silentDb);
            CliRunner.Result target = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> CliRunner.run(silentTarget, "run", "--only", "notification"));
            assertThat(target.exitCode()).isNotZero();
            assertThat(target.err()).contains("DATABASE_URL").containsIgnoringCase("timed out");

            Map<String, String> silentSource = variables();
            silentSource.put("SOURCE_DATABASE_URL", silentDb);
            CliRunner.Result source = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> CliRunner.run(silentSource, "run", "--only", "full"));
            assertThat(source.exitCode()).isNotZero();
            assertThat(source.err()).contains("SOURCE_DATABASE_URL").containsIgnoringCase("timed out");
            assertThat(silent.accepted).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aWebhookThatNeverAnswersFailsWithinItsTimeoutAndTheOtherIsNotifiedAnyway() throws Exception {
        try (SilentServer silent = new SilentServer(); org.dbreplication.ContentApi hook = new org.dbreplication.ContentApi()) {
            Map<String, String> variables = variables();
            variables.put("NOTIFICATIONS", "[\"" + silent.url() + "/hook\", \"" + hook.baseUrl() + "/hook\"]");
            variables.put("LCMS_TIMEOUT_SECONDS", "1");
            variables.put("MAX_RETRY_COUNT", "1");

            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "notification");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("127.0.0.1:" + silent.socket.getLocalPort());
            assertThat(hook.requests).hasSize(1);
            assertThat(Db.column(target, "SELECT status FROM replication.webhook_results ORDER BY status"))
                    .containsExactly("delivered", "failed");
        }
    }

    @Test
    void workDirFullWhilePgDumpWritesFailsNamingTheFileAndLeavesTheTargetAndWorkDirClean(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tools, @org.junit.jupiter.api.io.TempDir java.nio.file.Path workDir)
            throws Exception {
        Db.execute(source, "CREATE TABLE public.t (id integer PRIMARY KEY, v text); INSERT INTO public.t SELECT g, 'v' || g"
                + " FROM generate_series(1, 1000) g; COMMENT ON TABLE public.t IS '" + "a long comment ".repeat(200) + "'");
        Map<String, String> variables = variables();
        variables.put("WORK_DIR", workDir.toString());
        variables.put("MAX_RETRY_COUNT", "1");
        assertThat(CliRunner.run(variables, "run", "--only", "full").exitCode()).isZero();
        Map<String, String> before = Db.state(target);
        // the PostgreSQL tools as the step finds them in PG_BIN_DIR, pg_dump limited to files of 1 KB: a full disk
        org.dbreplication.pg.PgTools real = org.dbreplication.pg.PgTools.locate(java.util.Optional.empty());
        java.nio.file.Files.writeString(tools.resolve("pg_dump"), "#!/bin/sh\nulimit -f 1\nexec " + real.pgDump() + " \"$@\"\n");
        tools.resolve("pg_dump").toFile().setExecutable(true);
        java.nio.file.Files.createSymbolicLink(tools.resolve("pg_restore"), java.nio.file.Path.of(real.pgRestore()));
        java.nio.file.Files.createSymbolicLink(tools.resolve("psql"), java.nio.file.Path.of(real.psql()));
        variables.put("PG_BIN_DIR", tools.toString());

        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("pg_dump (output file " + workDir).contains("SIGXFSZ");
        assertThat(Db.state(target)).isEqualTo(before);
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(workDir)) {
            assertThat(left).as("WORK_DIR after the failed step").isEmpty();
        }
    }
}
