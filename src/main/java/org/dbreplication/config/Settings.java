package org.dbreplication.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dbreplication.pg.DatabaseUrl;

/**
 * Every setting of the tool, read from environment variables (and a {@code .env} file, where the environment wins),
 * validated before anything runs. sample.env documents each of them.
 */
public final class Settings {

    public static final String APP_NAME = "db-replication";

    private final Optional<DatabaseUrl> sourceUrl;
    private final Optional<DatabaseUrl> targetUrl;
    private final Optional<DatabaseUrl> incrementalTargetUrl;
    private final BackupModes backupModes;
    private final FkMode fkMode;
    private final int restoreJobs;
    private final int maxRetryCount;
    private final int retryDelayMillis;
    private final String app;
    private final Path workDir;
    private final Optional<Path> pgBinDir;
    private final int pgToolTimeoutMinutes;
    private final String maintenanceWorkMem;
    private final int parallelMaintenanceWorkers;
    private final int copySplitMegabytes;
    private final Optional<Path> enrichmentDir;
    private final String replicationSchema;
    private final int targetLockTimeoutSeconds;
    private final int incrementalChunkRows;
    private final int incrementalJobs;
    private final int incrementalLookbackRows;
    private final boolean incrementalBootstrap;
    private final int incrementalProgressSeconds;
    private final String incrementalUpsertLookback;
    private final Optional<String> lcmsApiUrl;
    private final Optional<String> lcmsApiKey;
    private final int lcmsTimeoutSeconds;
    private final String lcmsLocale;

    private Settings(Env env) {
        sourceUrl = env.optional("SOURCE_DATABASE_URL").map(v -> DatabaseUrl.parse("SOURCE_DATABASE_URL", v));
        targetUrl = env.optional("DATABASE_URL").map(v -> DatabaseUrl.parse("DATABASE_URL", v));
        incrementalTargetUrl = env.optional("TARGET_DATABASE_URL")
                .map(v -> DatabaseUrl.parse("TARGET_DATABASE_URL", v)).or(() -> targetUrl);
        backupModes = BackupModes.parse(env.string(BackupModes.VARIABLE, "{}"));
        fkMode = FkMode.parse("RESTORE_FK_CONSTRAINTS", env.string("RESTORE_FK_CONSTRAINTS", FkMode.NOT_VALID.setting()));
        restoreJobs = env.integer("PG_RESTORE_JOBS", 4, 1, 64);
        maxRetryCount = env.integer("MAX_RETRY_COUNT", 10, 1, 1000);
        retryDelayMillis = env.integer("EXPONENTIAL_RETRY_DELAY", 1000, 0, 3_600_000);
        app = env.string("APP", APP_NAME);
        workDir = Path.of(env.string("WORK_DIR", Path.of(System.getProperty("java.io.tmpdir"), APP_NAME).toString()));
        pgBinDir = env.optional("PG_BIN_DIR").map(Path::of);
        pgToolTimeoutMinutes = env.integer("PG_TOOL_TIMEOUT_MINUTES", 720, 1, 10_080);
        maintenanceWorkMem = env.memorySize("RESTORE_MAINTENANCE_WORK_MEM", "512MB");
        parallelMaintenanceWorkers = env.integer("RESTORE_PARALLEL_MAINTENANCE_WORKERS", 0, 0, 64);
        copySplitMegabytes = env.integer("FULL_COPY_SPLIT_MB", 256, 1, 1_000_000);
        enrichmentDir = env.optional("ENRICHMENT_DIR").map(Path::of);
        replicationSchema = env.string("REPLICATION_SCHEMA", "replication");
        targetLockTimeoutSeconds = env.integer("TARGET_LOCK_TIMEOUT", 600, 1, 86_400);
        incrementalChunkRows = env.integer("INCREMENTAL_CHUNK_ROWS", 100_000, 1, 100_000_000);
        incrementalJobs = env.integer("INCREMENTAL_JOBS", 2, 1, 64);
        incrementalLookbackRows = env.integer("INCREMENTAL_LOOKBACK_ROWS", 100_000, 0, 1_000_000_000);
        incrementalBootstrap = env.bool("INCREMENTAL_BOOTSTRAP", false);
        incrementalProgressSeconds = env.integer("INCREMENTAL_PROGRESS_SECONDS", 10, 1, 3600);
        incrementalUpsertLookback = env.interval("INCREMENTAL_UPSERT_LOOKBACK", "5 minutes");
        lcmsApiUrl = env.optional("LCMS_API_URL").map(url -> env.httpUrl("LCMS_API_URL", url));
        lcmsApiKey = env.optional("LCMS_API_KEY");
        lcmsTimeoutSeconds = env.integer("LCMS_TIMEOUT_SECONDS", 180, 1, 86_400);
        lcmsLocale = env.string("LCMS_LOCALE", "fr");
    }

    /** Settings from the given variables. */
    public static Settings from(Map<String, String> variables) {
        return new Settings(new Env(variables));
    }

    /** The process environment over the {@code .env} file of the working directory, when there is one. */
    public static Map<String, String> processVariables(Path workingDirectory) {
        Map<String, String> variables = new HashMap<>(DotEnv.read(workingDirectory.resolve(".env")));
        variables.putAll(System.getenv());
        return variables;
    }

    public DatabaseUrl sourceUrl() {
        return sourceUrl.orElseThrow(() -> new ConfigException("SOURCE_DATABASE_URL",
                "is not set; the full step reads the production database from it"));
    }

    public DatabaseUrl targetUrl() {
        return targetUrl.orElseThrow(() -> new ConfigException("DATABASE_URL",
                "is not set; the full step writes the analytics database named by it"));
    }

    public DatabaseUrl incrementalTargetUrl() {
        return incrementalTargetUrl.orElseThrow(() -> new ConfigException("TARGET_DATABASE_URL",
                "is not set (nor DATABASE_URL); the incremental step writes the database named by it"));
    }

    public BackupModes backupModes() {
        return backupModes;
    }

    public FkMode fkMode() {
        return fkMode;
    }

    public int restoreJobs() {
        return restoreJobs;
    }

    public int maxRetryCount() {
        return maxRetryCount;
    }

    public int retryDelayMillis() {
        return retryDelayMillis;
    }

    public String app() {
        return app;
    }

    public Path workDir() {
        return workDir;
    }

    public Optional<Path> pgBinDir() {
        return pgBinDir;
    }

    public long pgToolTimeoutMillis() {
        return pgToolTimeoutMinutes * 60_000L;
    }

    public String maintenanceWorkMem() {
        return maintenanceWorkMem;
    }

    public int parallelMaintenanceWorkers() {
        return parallelMaintenanceWorkers;
    }

    public long copySplitBytes() {
        return copySplitMegabytes * 1024L * 1024L;
    }

    public Optional<Path> enrichmentDir() {
        return enrichmentDir;
    }

    /** Seconds the full step waits for analysts' queries to release the tables it drops. */
    public int targetLockTimeoutSeconds() {
        return targetLockTimeoutSeconds;
    }

    /** Key-range width of one incremental chunk (at most this many rows; one commit with its checkpoint). */
    public int incrementalChunkRows() {
        return incrementalChunkRows;
    }

    public int incrementalJobs() {
        return incrementalJobs;
    }

    /** Keys below the watermark re-checked for rows committed late. */
    public int incrementalLookbackRows() {
        return incrementalLookbackRows;
    }

    public boolean incrementalBootstrap() {
        return incrementalBootstrap;
    }

    public int incrementalProgressSeconds() {
        return incrementalProgressSeconds;
    }

    /** Upsert mode: how far below the last cursor value rows are read again (a PostgreSQL interval). */
    public String incrementalUpsertLookback() {
        return incrementalUpsertLookback;
    }

    /** Base URL of the content API; empty: the learning-content step has nothing to do. */
    public Optional<String> lcmsApiUrl() {
        return lcmsApiUrl;
    }

    public Optional<String> lcmsApiKey() {
        return lcmsApiKey;
    }

    /** Time allowed for the whole download of the learning content. */
    public int lcmsTimeoutSeconds() {
        return lcmsTimeoutSeconds;
    }

    public String lcmsLocale() {
        return lcmsLocale;
    }

    public String replicationSchema() {
        return replicationSchema;
    }
}
