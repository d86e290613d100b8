package org.dbreplication.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the process works and finds its tools and routes.
 *
 * @param workDir               WORK_DIR: temporary files (removed after each step)
 * @param pgBinDir              PG_BIN_DIR: where pg_dump, pg_restore and psql are
 * @param pgToolTimeoutMinutes  PG_TOOL_TIMEOUT_MINUTES: a PostgreSQL tool running longer is stopped
 * @param replicationEnv        REPLICATION_ENV: routes/&lt;env&gt;/ is added to the default routes
 * @param routesDir             ROUTES_DIR: a directory of extra or replacing route files
 */
public record RuntimeSettings(Path workDir, Optional<Path> pgBinDir, int pgToolTimeoutMinutes,
        Optional<String> replicationEnv, Optional<Path> routesDir) {

    static final Variable<Path> WORK_DIR = Variable.optional("WORK_DIR", Check.path(),
            "temporary files, removed after each step (default: $TMPDIR/db-replication)");
    static final Variable<Path> PG_BIN_DIR = Variable.optional("PG_BIN_DIR", Check.path(),
            "where pg_dump, pg_restore and psql are (default: the newest /usr/lib/postgresql/N/bin, else PATH)");
    static final Variable<Integer> PG_TOOL_TIMEOUT_MINUTES = Variable.of("PG_TOOL_TIMEOUT_MINUTES", "720",
            Check.integer(1, 10_080), "a pg_dump, pg_restore or psql running longer is stopped");
    static final Variable<String> REPLICATION_ENV = Variable.optional("REPLICATION_ENV",
            Check.matching("[A-Za-z0-9_-]+", "must be a simple name such as production"),
            "routes/<env>/ overrides the default routes");
    static final Variable<Path> ROUTES_DIR = Variable.optional("ROUTES_DIR", Check.path(),
            "a directory of extra or replacing route files, read at start");

    static final List<Variable<?>> VARIABLES = List.of(WORK_DIR, PG_BIN_DIR, PG_TOOL_TIMEOUT_MINUTES, REPLICATION_ENV,
            ROUTES_DIR);

    static RuntimeSettings read(Env env) {
        return new RuntimeSettings(
                WORK_DIR.find(env).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), DatabaseSettings.APP_NAME)),
                PG_BIN_DIR.find(env), PG_TOOL_TIMEOUT_MINUTES.read(env), REPLICATION_ENV.find(env), ROUTES_DIR.find(env));
    }

    /** PG_TOOL_TIMEOUT_MINUTES in milliseconds. */
    public long pgToolTimeoutMillis() {
        return pgToolTimeoutMinutes * 60_000L;
    }
}
