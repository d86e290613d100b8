package org.dbreplication.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background process shows itself to Camel's CLI: the status file that {@code camel get} reads
 * (~/.camel/PID-status.json) names its routes and health, and is removed when the process stops.
 */
class CamelCliTest {

    @TempDir
    Path logs;

    @Test
    void theBackgroundProcessKeepsTheStatusThatCamelGetReads() throws Exception {
        DatabaseUrl target = TestPostgres.createDatabase("camel_cli", null);
        Process schedule = SeparateProcess.start(logs.resolve("schedule.log"),
                Map.of("DATABASE_URL", target.toString(), "SCHEDULE", "0 0 3 1 1 ?"), "schedule");
        Path status = Path.of(System.getProperty("user.home"), ".camel", schedule.pid() + "-status.json");
        try {
            WaitFor.until("the status file names the routes", Duration.ofSeconds(120), () -> {
                assertThat(schedule.isAlive()).as(SeparateProcess.output(logs.resolve("schedule.log"))).isTrue();
                try {
                    String json = Files.exists(status) ? Files.readString(status) : "";
                    return json.contains("\"nightly-run\"") && json.contains("\"replay-requests\"") && json.contains("health");
                } catch (java.io.IOException beingWritten) {
                    return false;
                }
            });
        } finally {
            schedule.destroy();
            assertThat(schedule.waitFor(60, TimeUnit.SECONDS)).isTrue();
            TestPostgres.dropDatabase(target);
        }
        assertThat(status).doesNotExist();
    }

    @Test
    void theFilesOfProcessesThatNoLongerExistAreRemoved(@TempDir Path camelHome) throws Exception {
        long alive = ProcessHandle.current().pid();
        long dead = Integer.MAX_VALUE; // above any Linux pid_max
        for (String name : new String[] {alive + "", alive + "-status.json", dead + "", dead + "-status.json",
                dead + "-trace.json", "settings.properties"}) {
            Files.writeString(camelHome.resolve(name), "{}");
        }

        CamelCli.removeFilesOfDeadProcesses(camelHome);

        try (java.util.stream.Stream<Path> left = Files.list(camelHome)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(alive + "", alive + "-status.json", "settings.properties");
        }
    }
}
