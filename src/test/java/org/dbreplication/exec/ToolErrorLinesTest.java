package org.dbreplication.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which lines of a failed tool's stderr make the error message (a pure unit: no process is run). */
class ToolErrorLinesTest {

    static List<String> stamped(String... lines) {
        return java.util.Arrays.stream(lines).map(l -> "1700000000000 " + l).toList();
    }

    @Test
    void theLastLinesHoldingTheErrorAreShown() {
        assertThat(ProcessCommandExecutor.lastLines(stamped("pg_dump: processing x",
                "pg_dump: error: query failed: ERROR:  permission denied for sequence s", "pg_dump: detail: Query was: SELECT 1")))
                .isEqualTo("pg_dump: error: query failed: ERROR:  permission denied for sequence s | pg_dump: detail: Query was: SELECT 1");
    }

    @Test
    void aParallelPgRestoreWhoseLastLinesOnlySayAWorkerDiedStillShowsItsFirstErrorLine() {
        assertThat(ProcessCommandExecutor.lastLines(stamped(
                "pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter \"app.region\"",
                "Command was: REFRESH MATERIALIZED VIEW public.region_users;", "", "",
                "pg_restore: error: a worker process died unexpectedly")))
                .startsWith("pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter \"app.region\" | ")
                .endsWith("pg_restore: error: a worker process died unexpectedly");
    }
}
