package org.dbreplication.full;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SwapLocksTest}'s story from archives (BACKUP_SOURCE=file, a pg_dump -Fc of the source made just before each
 * night): an analyst's lock at the switch, TARGET_LOCK_TIMEOUT, kill -9 and a lost connection while rows are copied.
 */
class SwapLocksFromArchiveTest extends SwapLocksTest {

    @TempDir
    Path archives;

    @Override
    Map<String, String> variables() {
        return SwapTest.swap(replica.archiveVariablesOf(source, archives));
    }
}
