package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
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
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's PostgreSQL server restarted (fast shutdown, as a managed database's maintenance does) while the full
 * step copies rows: the attempt fails, the retry after its backoff succeeds once the server is back, the run takes
 * its lock again, the journal leaves no attempt "running", and the live copy is the previous one or the new one.
 * The same for the source restarted while the incremental step copies: the retry goes on from the committed chunks,
 * exactly. The restarted server is one of the test's own (its data directory kept across the restart).
 */
class ServerRestartTest {

    @TempDir
    Path data;
    EmbeddedPostgres server;
    int port;
    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = startServer();
        DatabaseUrl admin = DatabaseUrl.parse("DATABASE_URL", "postgres://postgres@127.0.0.1:" + port + "/postgres");
        Db.execute(admin, "CREATE DATABASE restart_target");
        target = admin.withDatabase("restart_target");
        source = TestPostgres.createDatabase("restart_source", null);
        Db.execute(source, CopyGate.SOURCE_TABLE + "CREATE TABLE public.t AS SELECT g AS id FROM generate_series(1, 5000) g;");
    }

    EmbeddedPostgres startServer() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        TestPostgres.dropDatabase(source);
    }

    @Test
    void theTargetRestartedWhileTheFullStepCopiesRowsTheRetrySucceedsOnceItIsBack() throws Exception {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("MAX_RETRY_COUNT", "6");
        variables.put("EXPONENTIAL_RETRY_DELAY", "2000");
        assertThat(CliRunner.run(variables, "run", "--only", "full").exitCode()).isZero();
        Db.execute(source, "INSERT INTO public.gated SELECT g, 'v' || g FROM generate_series(1001, 1500) g");

        CompletableFuture<CliRunner.Result> run;
        try (CopyGate gate = CopyGate.close(target)) {
            run = CompletableFuture.supplyAsync(() -> CliRunner.run(variables, "run", "--only", "full"));
            List<String> copying = new ArrayList<>();
            WaitFor.until("the copy waits at the gate", Duration.ofSeconds(120), () -> {
                assertThat(run).as("the step ended before its copy reached the gate").isNotDone();
                copying.addAll(gate.waiters("db-replication:full"));
                return !copying.isEmpty();
            });
            // fast shutdown: every session ends, the gate's with them; then the same server comes back
            server.close();
        }
        server = startServer();
        CliRunner.Result result = run.get(240, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.column(target, "SELECT status FROM replication.step_attempts WHERE run_id = 2 ORDER BY attempt"))
                .as("attempts of the night (none left running)").endsWith("succeeded").doesNotContain("running")
                .contains("failed");
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id")).containsExactly("succeeded", "succeeded");
        assertThat(Db.count(target, "SELECT count(*) FROM public.gated")).isEqualTo(1500);
        assertThat(Db.count(target, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'replication\\_new\\_%'")).isZero();
    }

    @Test
    void theSourceRestartedWhileTheIncrementalStepCopiesTheRetryGoesOnFromItsCommittedChunksExactly() throws Exception {
        // here the restarted server is the source; the target is the test server's, its copy held at the gate
        DatabaseUrl ownSource = target;
        DatabaseUrl sharedTarget = TestPostgres.createDatabase("restart_inc_target", null);
        try {
            String table = "CREATE TABLE public.answers (id bigserial PRIMARY KEY, value text NOT NULL);";
            Db.execute(ownSource, table + "INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 20000) g;");
            Db.execute(sharedTarget, CopyGate.FUNCTION + table + "ALTER TABLE public.answers ADD CHECK (public.copy_gate(id));"
                    + " INSERT INTO public.answers (value) SELECT 'a' || g FROM generate_series(1, 100) g;");
            Map<String, String> variables = new HashMap<>();
            variables.put("SOURCE_DATABASE_URL", ownSource.toString());
            variables.put("DATABASE_URL", sharedTarget.toString());
            variables.put("BACKUP_MODE", "{\"answers\": \"incremental\"}");
            variables.put("INCREMENTAL_CHUNK_ROWS", "1000");
            variables.put("MAX_RETRY_COUNT", "6");
            variables.put("EXPONENTIAL_RETRY_DELAY", "2000");

            CompletableFuture<CliRunner.Result> run;
            try (CopyGate gate = CopyGate.close(sharedTarget)) {
                run = CompletableFuture.supplyAsync(() -> CliRunner.run(variables, "run", "--only", "incremental"));
                WaitFor.until("a chunk waits at the gate", Duration.ofSeconds(120), () -> {
                    assertThat(run).as("the step ended before its copy reached the gate").isNotDone();
                    return !gate.waiters("db-replication:incremental").isEmpty();
                });
                server.close();
                server = startServer();
            }
            CliRunner.Result result = run.get(240, TimeUnit.SECONDS);

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Db.column(sharedTarget, "SELECT status FROM replication.step_attempts ORDER BY attempt"))
                    .endsWith("succeeded").contains("failed").doesNotContain("running");
            assertThat(Db.rows(sharedTarget, "SELECT count(*), count(DISTINCT id), max(id) FROM public.answers"))
                    .containsExactly(List.of("20000", "20000", "20000"));
            assertThat(Db.scalar(sharedTarget, "SELECT md5(string_agg(id || value, ',' ORDER BY id)) FROM public.answers"))
                    .isEqualTo(Db.scalar(ownSource, "SELECT md5(string_agg(id || value, ',' ORDER BY id)) FROM public.answers"));
        } finally {
            TestPostgres.dropDatabase(sharedTarget);
        }
    }
}
