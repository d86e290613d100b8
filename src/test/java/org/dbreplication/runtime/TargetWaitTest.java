package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background process started while its target database does not exist yet (or is down): it says it waits,
 * tries again, and starts once the database is there — instead of exiting and being restarted in a loop.
 */
class TargetWaitTest {

    @TempDir
    Path logs;

    @Test
    void theSchedulingProcessWaitsForItsDatabaseAndStartsOnceItIsThere() throws Exception {
        DatabaseUrl target = TestPostgres.admin().withDatabase("not_yet_" + ProcessHandle.current().pid());
        Path log = logs.resolve("schedule.log");
        Process process = SeparateProcess.start(log, Map.of("DATABASE_URL", target.toString(),
                "SCHEDULE", "0 0 3 1 1 ?"), "schedule");
        try {
            WaitFor.until("the process said it waits, twice", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).as("the process waits instead of exiting").isTrue();
                return SeparateProcess.output(log).split("waiting for DATABASE_URL", -1).length > 2;
            });
            assertThat(SeparateProcess.output(log)).contains("does not exist").contains("trying again in");

            TestPostgres.execute("CREATE DATABASE " + Sql.ident(target.database()));

            WaitFor.until("the scheduler started", Duration.ofSeconds(120), () -> {
                assertThat(process.isAlive()).isTrue();
                return SeparateProcess.output(log).contains("scheduler started");
            });
            assertThat(SeparateProcess.output(log)).contains("DATABASE_URL answers after");
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            TestPostgres.dropDatabase(target);
        }
    }
}
