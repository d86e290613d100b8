package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Two scheduling processes (two JVMs) against one target: the night fires on one of them only, and when that one is
 * killed with SIGKILL in the middle of the night, the other takes the night over (Quartz's clustered job store
 * recovers the job) and resumes it within 60 s.
 */
class FailoverTest extends org.dbreplication.SourceAndTargetTest {

    @Override
    protected String prefix() {
        return "failover";
    }

    @TempDir
    Path logs;

    @BeforeEach
    void create() {
        Db.execute(source, CopyGate.SOURCE_TABLE);
    }

    @Test
    void theNightFiresOnOneProcessAndTheOtherResumesItWhenThatOneIsKilled() throws Exception {
        Map<String, String> variables = sourceAndTarget();
        variables.put("SCHEDULE", "*/2 * * * * ?");
        variables.put("SCHEDULE_TIMEZONE", "UTC");
        Map<String, Process> processes = new HashMap<>();
        try (CopyGate gate = CopyGate.close(target)) {
            for (String name : List.of("a", "b")) {
                Path log = logs.resolve(name + ".log");
                Process process = SeparateProcess.start(log, variables, "schedule");
                processes.put(Long.toString(process.pid()), process);
                WaitFor.until("scheduler " + name + " started", Duration.ofSeconds(120), () -> {
                    assertThat(process.isAlive()).as("scheduler " + name).isTrue();
                    return SeparateProcess.output(log).contains("scheduler started");
                });
            }
            WaitFor.until("the night's copy waits at the gate", Duration.ofSeconds(120),
                    () -> !gate.waiters("db-replication:full").isEmpty());
            // three more fire times go by while the night runs: none starts another run, on either process
            String firstFire = Db.scalar(target, "SELECT now()");
            WaitFor.until("6 s of schedule went by", Duration.ofSeconds(60), () -> Db.count(target,
                    "SELECT count(*) WHERE now() > timestamptz '" + firstFire + "' + interval '6 seconds'") == 1);
            assertThat(Db.column(target, "SELECT trigger || ':' || status FROM replication.runs")).containsExactly("schedule:running");
            for (String name : List.of("a", "b")) {
                assertThat(SeparateProcess.output(logs.resolve(name + ".log"))).as(name).doesNotContain("refused");
            }

            String activePid = Db.scalar(target, "SELECT split_part(host, '@', 1) FROM replication.runs WHERE id = 1");
            Process active = processes.remove(activePid);
            Process survivor = processes.values().iterator().next();
            long killed = System.nanoTime();
            active.destroyForcibly();
            assertThat(active.waitFor(60, TimeUnit.SECONDS)).isTrue();
            gate.close();

            WaitFor.until("the other process resumed the night", Duration.ofSeconds(90), () -> {
                assertThat(survivor.isAlive()).as("the other scheduler").isTrue();
                return Db.count(target, "SELECT count(*) FROM replication.runs WHERE trigger = 'resume'") > 0;
            });
            long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("failover: the night resumed %d ms after the kill%n", failoverMillis);
            assertThat(failoverMillis).as("failover within 60 s").isLessThan(60_000);
            WaitFor.until("the resumed night succeeded", Duration.ofSeconds(120), () -> Db.count(target,
                    "SELECT count(*) FROM replication.runs WHERE trigger = 'resume' AND status = 'succeeded'") > 0);

            assertThat(Db.rows(target, "SELECT trigger, status, coalesce(resumes_run_id::text, ''),"
                    + " split_part(host, '@', 1) FROM replication.runs ORDER BY id LIMIT 2")).containsExactly(
                    List.of("schedule", "interrupted", "", activePid),
                    List.of("resume", "succeeded", "1", Long.toString(survivor.pid())));
            assertThat(Db.count(target, "SELECT count(*) FROM public.gated")).isEqualTo(1000);
        } finally {
            processes.values().forEach(Process::destroy);
            for (Process process : processes.values()) {
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

}
