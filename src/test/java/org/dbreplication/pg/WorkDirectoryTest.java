package org.dbreplication.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a dead process left in WORK_DIR is removed at start; what a live one works in stays. */
class WorkDirectoryTest {

    @TempDir
    Path workDir;

    @Test
    void theDirectoriesOfDeadProcessesAreRemovedThoseOfLiveOnesStay() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String deadOwner = ended.pid() + " " + ended.info().startInstant().map(Object::toString).orElse("?");
        Path stale = Files.createDirectory(workDir.resolve("full-123"));
        Files.writeString(stale.resolve(WorkDirectory.OWNER), deadOwner);
        Files.writeString(stale.resolve("backup.pgsql"), "an interrupted run's archive");
        // the same pid, started at another time: a reused pid is not the owner
        Path reused = Files.createDirectory(workDir.resolve("full-456"));
        Files.writeString(reused.resolve(WorkDirectory.OWNER), ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z");
        Path notOurs = Files.createDirectory(workDir.resolve("someone-else"));

        try (WorkDirectory live = WorkDirectory.create(workDir, "full-")) {
            assertThat(WorkDirectory.removeStale(workDir)).containsExactlyInAnyOrder(stale, reused);

            assertThat(stale).doesNotExist();
            assertThat(reused).doesNotExist();
            assertThat(live.path()).isDirectory();
            assertThat(notOurs).isDirectory();
        }
    }
}
