package org.dbreplication.full;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AnalystObjectsFullRefreshTest}'s story with FULL_REFRESH=swap from archives (BACKUP_SOURCE=file, a
 * pg_dump -Fc of the source made just before each night): the analysts' objects survive, a broken view is reported.
 */
class AnalystObjectsFromArchiveTest extends AnalystObjectsFullRefreshTest {

    @TempDir
    Path archives;

    @Override
    Map<String, String> variables() {
        return SwapTest.swap(replica.archiveVariablesOf(source, archives));
    }
}
