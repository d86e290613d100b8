package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SwapTest}'s story from archives: BACKUP_SOURCE=file, a pg_dump -Fc of the source made just before each
 * night. Readers see the whole previous copy or the whole new one, the switch is logged and journaled, kept tables
 * never move. What an archive source adds: an archive cut short in the middle of its rows fails the step and leaves
 * the live copy as it was.
 */
class SwapFromArchiveTest extends SwapTest {

    @TempDir
    Path archives;

    @Override
    Map<String, String> variables() {
        return swap(replica.archiveVariablesOf(source, archives));
    }

    /** Not run here: an archive has no source role to refuse a table; its counterpart is the archive cut short below. */
    @Override
    void aSourceTableTheSourceRoleCannotReadFailsTheStepNamingItAndLeavesTheLiveCopyAsItWas() {
    }

    @Test
    void anArchiveCutShortInItsRowsFailsTheStepAndLeavesTheLiveCopyAsItWas() throws IOException {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(replica.url);
        Db.execute(source, SOURCE_CHANGES);
        Map<String, String> variables = ReplicaTarget.prepared(variables());
        Path archive = Path.of(variables.get("BACKUP_FILE"));
        // the table of contents comes first and stays readable: the rows of a table end too early
        long size = Files.size(archive);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(size * 2 / 3);
        }

        CliRunner.Result result = ReplicaTarget.runFull(variables);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("pg_restore of archive " + archive + " failed (exit code 1): pg_restore: error: could not read from input file: end of file");
        assertThat(Db.scalar(replica.url, "SELECT status FROM replication.runs ORDER BY id DESC LIMIT 1")).isEqualTo("failed");
        assertThat(Db.state(replica.url)).isEqualTo(before);
        assertThat(swapSchemas(replica.url)).isEmpty();
    }
}
