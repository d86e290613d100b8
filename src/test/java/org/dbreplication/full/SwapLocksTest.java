package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dbreplication.Readers;
import org.dbreplication.WaitFor;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FULL_REFRESH=swap when something holds it up: an analyst's transaction holding a replicated table at switch time
 * (the switch tries again without keeping other readers waiting, and gives up after TARGET_LOCK_TIMEOUT leaving the
 * live copy as it was); a process killed with SIGKILL while rows are being copied (the live copy untouched, the next
 * run removes what was left); a connection lost while rows are being copied (the step fails, its new copy removed).
 * The copy is held mid-way by a CHECK of the source table public.gated that waits for an advisory lock the test holds
 * on the target: a state to wait for, not a race with the copy's speed.
 */
class SwapLocksTest {

    /**
     * A reader of public.t while an analyst holds public.u: the switch moves t first (objects in name order), so each
     * of its tries holds t while it waits for u — the reader waits behind it, for one try at most.
     */
    static final String OTHER_TABLE_QUERY = SwapTest.TABLE_QUERY;
    /** The application name of the full step's connections (APP:full). */
    static final String FULL_STEP = "db-replication:full";

    DatabaseUrl source;
    ReplicaTarget replica;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("swap_locks_source", null);
        Db.execute(source, SwapTest.SOURCE);
        replica = ReplicaTarget.create("swap_locks_target");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        replica.close();
    }

    Map<String, String> variables() {
        return SwapTest.swap(replica.variables(source.toString()));
    }

    @Test
    void anAnalystsLockMakesTheSwitchTryAgainWithoutHoldingOtherReadersUpAndItSucceedsOnceReleased() throws Exception {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        String previous = SwapTest.answer(replica.url, OTHER_TABLE_QUERY);
        String lockedTable = Db.scalar(replica.url, "SELECT 'public.u'::regclass::oid");
        Db.execute(source, SwapTest.SOURCE_CHANGES);
        String next = SwapTest.answer(source, OTHER_TABLE_QUERY);
        CliRunner.Result result;
        List<String> logged;
        Readers readers;
        long retrying;

        try (Connection analyst = Connections.open(replica.url, "analyst-long-transaction");
             Statement st = analyst.createStatement();
             LogCapture log = new LogCapture(CopySwitch.class)) {
            analyst.setAutoCommit(false);
            st.execute("LOCK TABLE public.u IN ACCESS SHARE MODE");
            readers = new Readers(replica.url, List.of(OTHER_TABLE_QUERY));
            try (readers) {
                CompletableFuture<CliRunner.Result> step = CompletableFuture.supplyAsync(() -> ReplicaTarget.runFull(variables()));
                Set<String> tries = new HashSet<>();
                WaitFor.until("the switch waits for the analyst's lock on public.u in two transactions (a second try)",
                        Duration.ofSeconds(120), () -> {
                            assertThat(step).as("the step ended before its switch met the lock").isNotDone();
                            tries.addAll(switchWaitingFor(lockedTable));
                            return tries.size() >= 2;
                        });
                retrying = System.nanoTime();
                WaitFor.until("the other reader answered while the switch tries again", Duration.ofSeconds(30),
                        () -> readers.answers().stream().anyMatch(a -> a.finishedAtNanos() > retrying));
                assertThat(step).isNotDone();
                analyst.rollback();
                result = step.get(120, TimeUnit.SECONDS);
                logged = log.messages();
            }
        }

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<Readers.Answer> answers = readers.answers();
        assertThat(answers).filteredOn(a -> a.error() != null).extracting(Readers.Answer::error).isEmpty();
        assertThat(answers).filteredOn(a -> a.finishedAtNanos() <= retrying).isNotEmpty()
                .extracting(Readers.Answer::answer).containsOnly(previous);
        // it did wait behind a try holding public.t (the case this test is about), but never long
        assertThat(answers.stream().map(Readers.Answer::took).max(Duration::compareTo).orElseThrow())
                .as("the longest wait of the other reader (each try waits %d ms at most)", LockRetry.WAIT_PER_TRY.toMillis())
                .isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
        assertThat(SwapTest.answer(replica.url, OTHER_TABLE_QUERY)).isEqualTo(next);
        assertThat(Db.column(replica.url, "SELECT DISTINCT note FROM public.t WHERE id > 20000")).containsExactly("added");
        assertThat(logged).filteredOn(m -> m.startsWith("new copy switched in: ")).singleElement().asString()
                .matches(".* \\(([2-9]|\\d\\d+) tries\\)");
        assertThat(SwapTest.swapSchemas(replica.url)).isEmpty();
    }

    /** The transactions of the full step waiting for a lock on the relation {@code oid} now (pg_locks). */
    private List<String> switchWaitingFor(String oid) {
        return Db.column(replica.admin, """
                SELECT l.virtualtransaction FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE NOT l.granted AND l.relation = %s AND a.application_name = '%s'""".formatted(oid, FULL_STEP));
    }

    @Test
    void aLockHeldPastTargetLockTimeoutFailsTheStepNamingTheWaitAndLeavesTheLiveCopyAsItWas() throws Exception {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(replica.url);
        Db.execute(source, SwapTest.SOURCE_CHANGES);
        Map<String, String> variables = variables();
        variables.put("TARGET_LOCK_TIMEOUT", "3");

        try (Connection analyst = Connections.open(replica.url, "analyst-long-transaction");
             Statement st = analyst.createStatement()) {
            analyst.setAutoCommit(false);
            st.execute("LOCK TABLE public.t IN ACCESS SHARE MODE");

            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).isEqualTo(1);
            String cause = "the new copy was not switched in (the live copy is as it was): switching the new copy in:"
                    + " the locks could not be had within 3 s (TARGET_LOCK_TIMEOUT, ";
            assertThat(result.err()).contains(cause).containsPattern("\\(TARGET_LOCK_TIMEOUT, ([2-9]|\\d\\d+) tries\\)")
                    .contains("ERROR:  canceling statement due to lock timeout");
            assertThat(Db.scalar(replica.url, "SELECT error FROM replication.step_attempts WHERE run_id = 2")).contains(cause);
            assertThat(Db.state(replica.url)).isEqualTo(before);
            assertThat(SwapTest.swapSchemas(replica.url)).isEmpty();
            analyst.rollback();
        }
    }

    static final String GATED_TABLE = org.dbreplication.CopyGate.SOURCE_TABLE;

    @Test
    void aProcessKilledWhileRowsAreCopiedLeavesTheLiveCopyAsItWasAndTheNextRunRemovesItsNewCopy() throws Exception {
        Db.execute(source, GATED_TABLE);
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(replica.url);
        Db.execute(source, SwapTest.SOURCE_CHANGES);

        try (Connection gate = Connections.open(replica.admin, "tests-copy-gate"); Statement st = gate.createStatement()) {
            st.execute("SELECT pg_advisory_lock(4242)");
            Process process = SeparateProcess.start(ReplicaTarget.prepared(variables()), "run", "--only", "full");
            try {
                WaitFor.until("a new copy's table holds rows and the copy of public.gated waits", Duration.ofSeconds(120),
                        () -> {
                            assertThat(process.isAlive()).as("the step is still running").isTrue();
                            return newCopyRows("t") > 0 && !gateWaiters().isEmpty();
                        });
            } finally {
                process.destroyForcibly();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            st.execute("SELECT pg_advisory_unlock(4242)");
        }
        // the backend that was copying sees its client gone once it has the lock, and ends
        WaitFor.until("no connection of the killed step left", Duration.ofSeconds(60), () -> Db.count(replica.admin,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '"
                        + FULL_STEP + "'") == 0);
        assertThat(Db.state(replica.url)).as("the live copy").isEqualTo(before);
        assertThat(SwapTest.swapSchemas(replica.url)).as("the killed run's new copy").containsExactly("replication_new_2_1");

        CliRunner.Result next = ReplicaTarget.runFull(variables());

        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(SwapTest.swapSchemas(replica.url)).isEmpty();
        assertThat(Db.column(replica.url, "SELECT status FROM replication.runs ORDER BY id"))
                .containsExactly("succeeded", "interrupted", "succeeded");
        assertThat(SwapTest.answer(replica.url, SwapTest.JOIN_QUERY)).isEqualTo(SwapTest.answer(source, SwapTest.JOIN_QUERY));
        assertThat(Db.count(replica.url, "SELECT count(*) FROM public.gated")).isEqualTo(1000);
    }

    /** Rows of {@code table} in the new copy's schema, once both exist (0 before). */
    private long newCopyRows(String table) {
        String schema = Db.scalar(replica.admin, "SELECT max(nspname) FROM pg_namespace WHERE nspname LIKE 'replication\\_new\\_%'");
        if (schema == null) {
            return 0;
        }
        String name = Sql.ident(schema) + "." + Sql.ident(table);
        if (Db.scalar(replica.admin, "SELECT to_regclass(" + Sql.literal(name) + ")") == null) {
            return 0;
        }
        return Db.count(replica.admin, "SELECT count(*) FROM " + name);
    }

    /** The full step's connections waiting at the gate of public.gated (their pids). */
    private List<String> gateWaiters() {
        return Db.column(replica.admin, """
                SELECT a.pid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = '%s'""".formatted(FULL_STEP));
    }

    @Test
    void aConnectionLostWhileRowsAreCopiedFailsTheStepAndRemovesTheNewCopyTheLiveOneAsItWas() throws Exception {
        Db.execute(source, GATED_TABLE);
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(replica.url);
        Db.execute(source, SwapTest.SOURCE_CHANGES);
        CliRunner.Result result;

        try (Connection gate = Connections.open(replica.admin, "tests-copy-gate"); Statement st = gate.createStatement()) {
            st.execute("SELECT pg_advisory_lock(4242)");
            CompletableFuture<CliRunner.Result> step = CompletableFuture.supplyAsync(() -> ReplicaTarget.runFull(variables()));
            List<String> copying = new ArrayList<>();
            WaitFor.until("the copy of public.gated waits at the gate", Duration.ofSeconds(120), () -> {
                assertThat(step).as("the step ended before copying public.gated").isNotDone();
                copying.addAll(gateWaiters());
                return !copying.isEmpty();
            });
            // the connection copying into the new copy is lost (an administrator's pg_terminate_backend, a restart…)
            Db.execute(replica.admin, "SELECT pg_terminate_backend(" + Long.parseLong(copying.get(0)) + ")");
            st.execute("SELECT pg_advisory_unlock(4242)");
            result = step.get(120, TimeUnit.SECONDS);
        }

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("copy of gated failed");
        assertThat(Db.scalar(replica.url, "SELECT status FROM replication.runs WHERE id = 2")).isEqualTo("failed");
        assertThat(Db.state(replica.url)).as("the live copy").isEqualTo(before);
        assertThat(SwapTest.swapSchemas(replica.url)).as("the new copy, removed at the end of the step").isEmpty();
    }
}
