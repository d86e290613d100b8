package org.dbreplication.config;

import java.util.List;

/**
 * The incremental step: chunk size, parallelism, look-back and bootstrap of its tables (BACKUP_MODE names them).
 *
 * @param chunkRows       INCREMENTAL_CHUNK_ROWS: key-range width of one chunk (one commit with its checkpoint)
 * @param jobs            INCREMENTAL_JOBS: chunks copied in parallel
 * @param lookbackRows    INCREMENTAL_LOOKBACK_ROWS: keys below the watermark re-checked for rows committed late
 * @param bootstrap       INCREMENTAL_BOOTSTRAP: create a missing table from the source
 * @param progressSeconds INCREMENTAL_PROGRESS_SECONDS: interval of the progress lines
 * @param upsertLookback  INCREMENTAL_UPSERT_LOOKBACK: a PostgreSQL interval read again below the last cursor value
 */
public record IncrementalSettings(int chunkRows, int jobs, int lookbackRows, boolean bootstrap, int progressSeconds,
        String upsertLookback) {

    static final Variable<Integer> CHUNK_ROWS = Variable.of("INCREMENTAL_CHUNK_ROWS", "100000",
            Check.integer(1, 100_000_000), "rows per incremental chunk (one commit with its checkpoint)");
    static final Variable<Integer> JOBS = Variable.of("INCREMENTAL_JOBS", "2", Check.integer(1, 64),
            "incremental chunks copied in parallel, across tables and within one");
    static final Variable<Integer> LOOKBACK_ROWS = Variable.of("INCREMENTAL_LOOKBACK_ROWS", "100000",
            Check.integer(0, 1_000_000_000), "keys below the watermark re-checked for rows committed late");
    static final Variable<Boolean> BOOTSTRAP = Variable.of("INCREMENTAL_BOOTSTRAP", "false", Check.bool(),
            "true: create a missing table from the source and copy an empty one whole");
    static final Variable<Integer> PROGRESS_SECONDS = Variable.of("INCREMENTAL_PROGRESS_SECONDS", "10",
            Check.integer(1, 3600), "interval of the progress lines of long tables");
    static final Variable<String> UPSERT_LOOKBACK = Variable.of("INCREMENTAL_UPSERT_LOOKBACK", "5 minutes",
            Check.interval(), "upsert mode: how far below the last cursor value rows are read again");

    static final List<Variable<?>> VARIABLES = List.of(CHUNK_ROWS, JOBS, LOOKBACK_ROWS, BOOTSTRAP, PROGRESS_SECONDS,
            UPSERT_LOOKBACK);

    static IncrementalSettings read(Env env) {
        return new IncrementalSettings(CHUNK_ROWS.read(env), JOBS.read(env), LOOKBACK_ROWS.read(env),
                BOOTSTRAP.read(env), PROGRESS_SECONDS.read(env), UPSERT_LOOKBACK.read(env));
    }
}
