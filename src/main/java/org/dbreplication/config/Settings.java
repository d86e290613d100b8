package org.dbreplication.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
    private final int resumeWindowHours;
    private final boolean fullStrict;
    private final FullRefresh fullRefresh;
    private final int incrementalChunkRows;
    private final int incrementalJobs;
    private final int incrementalLookbackRows;
    private final boolean incrementalBootstrap;
    private final int incrementalProgressSeconds;
    private final String incrementalUpsertLookback;
    private final Optional<String> lcmsApiUrl;
    private final Optional<String> lcmsApiKey;
    private final WebSettings web;
    private final int lcmsTimeoutSeconds;
    private final String lcmsLocale;
    private final Schedule schedule;
    private final int maxRetryDelayMillis;
    private final List<Webhook> webhooks;
    private final Optional<String> replicationEnv;
    private final Optional<Path> routesDir;
    private final boolean schemaExportEnabled;
    private final Optional<DatabaseUrl> schemaExportTarget;
    private final Schedule schemaExportSchedule;
    private final boolean sentryEnabled;
    private final Optional<String> sentryDsn;
    private final String sentryEnvironment;
    private final int sentryMaxBreadcrumbs;
    private final boolean sentryDebug;
    private final int port;
    private final int sourceMaxJobs;
    private final int sourceStatementTimeoutSeconds;
    private final int sourceLockTimeoutSeconds;
    private final boolean targetTakeover;
    private final BackupSource backupSource;
    private final Optional<Path> backupFile;
    private final Optional<String> backupUrl;
    private final Optional<String> backupUrlAuthorization;
    private final Optional<String> scalingoApp;
    private final Optional<String> scalingoApiToken;
    private final String scalingoRegion;
    private final String scalingoAuthUrl;
    private final String scalingoApiUrl;
    private final String scalingoDbApiUrl;

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
        resumeWindowHours = env.integer("RESUME_WINDOW", 12, 0, 168);
        fullStrict = env.bool("FULL_STRICT", false);
        fullRefresh = FullRefresh.parse("FULL_REFRESH", env.string("FULL_REFRESH", FullRefresh.SWAP.setting()));
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
        java.time.ZoneId zone = env.zone("SCHEDULE_TIMEZONE", "Europe/Paris");
        schedule = Schedule.parse("SCHEDULE", env.string("SCHEDULE", "10 5 * * *"), zone);
        maxRetryDelayMillis = env.integer("MAX_RETRY_DELAY", 300_000, 0, 86_400_000);
        String notificationsVariable = env.optional("NOTIFICATIONS").isPresent() ? "NOTIFICATIONS" : "NOTIFICATION_URLS";
        webhooks = Notifications.parse(notificationsVariable, env.string(notificationsVariable, "[]"));
        replicationEnv = env.optional("REPLICATION_ENV");
        replicationEnv.ifPresent(name -> {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigException("REPLICATION_ENV", "must be a simple name such as production, got '" + name + "'");
            }
        });
        routesDir = env.optional("ROUTES_DIR").map(Path::of);
        schemaExportEnabled = env.bool("DB_SCHEMA_EXPORTER_ENABLED", false);
        schemaExportTarget = env.optional("DB_SCHEMA_EXPORTER_DATABASE_TARGET")
                .map(v -> DatabaseUrl.parse("DB_SCHEMA_EXPORTER_DATABASE_TARGET", v));
        if (schemaExportEnabled && schemaExportTarget.isEmpty()) {
            throw new ConfigException("DB_SCHEMA_EXPORTER_DATABASE_TARGET", "is not set while DB_SCHEMA_EXPORTER_ENABLED=true");
        }
        schemaExportSchedule = Schedule.parse("DB_SCHEMA_EXPORTER_SCHEDULE", env.string("DB_SCHEMA_EXPORTER_SCHEDULE", "0 12 * * *"), zone);
        sentryEnabled = env.bool("SENTRY_ENABLED", false);
        sentryDsn = env.optional("SENTRY_DSN");
        sentryDsn.ifPresent(org.dbreplication.logging.Secrets::register);
        if (sentryEnabled && sentryDsn.isEmpty()) {
            throw new ConfigException("SENTRY_DSN", "is not set while SENTRY_ENABLED=true");
        }
        sentryEnvironment = env.string("SENTRY_ENVIRONMENT", "production");
        sentryMaxBreadcrumbs = env.integer("SENTRY_MAX_BREADCRUMBS", 100, 0, 1000);
        sentryDebug = env.bool("SENTRY_DEBUG", false);
        port = env.integer("PORT", 8080, 1, 65_535);
        web = WebSettings.from(env);
        sourceMaxJobs = env.integer("SOURCE_MAX_JOBS", 4, 1, 64);
        sourceStatementTimeoutSeconds = env.integer("SOURCE_STATEMENT_TIMEOUT", 0, 0, 604_800);
        sourceLockTimeoutSeconds = env.integer("SOURCE_LOCK_TIMEOUT", 60, 0, 86_400);
        targetTakeover = env.bool("REPLICATION_TARGET_TAKEOVER", false);
        backupSource = BackupSource.parse(env.string("BACKUP_SOURCE", "dump"));
        backupFile = env.optional("BACKUP_FILE").map(Path::of);
        backupUrl = env.optional("BACKUP_URL").map(url -> env.httpUrl("BACKUP_URL", url));
        backupUrlAuthorization = env.optional("BACKUP_URL_AUTHORIZATION");
        backupUrlAuthorization.ifPresent(org.dbreplication.logging.Secrets::register);
        scalingoApp = env.optional("SCALINGO_APP");
        scalingoApiToken = env.optional("SCALINGO_API_TOKEN");
        scalingoApiToken.ifPresent(org.dbreplication.logging.Secrets::register);
        scalingoRegion = env.string("SCALINGO_REGION", "osc-fr1");
        if (!scalingoRegion.matches("[a-z0-9-]+")) {
            throw new ConfigException("SCALINGO_REGION", "must be a region name such as osc-fr1 or osc-secnum-fr1");
        }
        scalingoAuthUrl = env.httpUrl("SCALINGO_AUTH_URL", env.string("SCALINGO_AUTH_URL", "https://auth.scalingo.com"));
        scalingoApiUrl = env.httpUrl("SCALINGO_API_URL", env.string("SCALINGO_API_URL", "https://api." + scalingoRegion + ".scalingo.com"));
        scalingoDbApiUrl = env.httpUrl("SCALINGO_DB_API_URL",
                env.string("SCALINGO_DB_API_URL", "https://db-api." + scalingoRegion + ".scalingo.com/api"));
        switch (backupSource) {
            case FILE -> backupFile.orElseThrow(() -> new ConfigException("BACKUP_FILE", "is not set while BACKUP_SOURCE=file"));
            case URL -> backupUrl.orElseThrow(() -> new ConfigException("BACKUP_URL", "is not set while BACKUP_SOURCE=url"));
            case SCALINGO -> {
                scalingoApp.orElseThrow(() -> new ConfigException("SCALINGO_APP", "is not set while BACKUP_SOURCE=scalingo"));
                scalingoApiToken.orElseThrow(() -> new ConfigException("SCALINGO_API_TOKEN", "is not set while BACKUP_SOURCE=scalingo"));
            }
            default -> { }
        }
    }

    /** Settings from the given variables. */
    public static Settings from(Map<String, String> variables) {
        return new Settings(new Env(variables));
    }

    /**
     * The names of every variable the settings read (sample.env and the README's table document each one:
     * VariablesDocumentedTest), as read with these variables (NOTIFICATION_URLS is read only without NOTIFICATIONS).
     */
    public static java.util.SortedSet<String> variablesRead(Map<String, String> variables) {
        Env env = new Env(variables);
        new Settings(env);
        return env.namesRead();
    }

    /** The process environment over the {@code .env} file of the working directory, when there is one. */
    public static Map<String, String> processVariables(Path workingDirectory) {
        Map<String, String> variables = new HashMap<>(DotEnv.read(workingDirectory.resolve(".env")));
        variables.putAll(System.getenv());
        return variables;
    }

    public boolean hasSourceUrl() {
        return sourceUrl.isPresent();
    }

    public DatabaseUrl sourceUrl() {
        return sourceUrl.orElseThrow(() -> new ConfigException("SOURCE_DATABASE_URL",
                "is not set; the full step reads the production database from it"));
    }

    /**
     * The application name of this tool's sessions of {@code step} on the source: {@code APP:step@tag}, the tag
     * naming the target whose run lock they work under (see {@link org.dbreplication.pg.OrphanSessions}).
     */
    public String sourceApp(String step) {
        return org.dbreplication.pg.OrphanSessions.sourceApplicationName(app, step, targetUrl.orElse(null));
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

    /** FULL_STRICT: an object that cannot be restored (a view, a function, …) fails the full step instead of warning. */
    public boolean fullStrict() {
        return fullStrict;
    }

    /** FULL_REFRESH: build the new copy aside and switch it in (swap), or replace the live copy in place. */
    public FullRefresh fullRefresh() {
        return fullRefresh;
    }

    /** Seconds the full step waits for analysts' queries to release the tables it drops. */
    /** RESUME_WINDOW (hours, default 12, 0 never): how long after its interruption a night is resumed at start. */
    public java.time.Duration resumeWindow() {
        return java.time.Duration.ofHours(resumeWindowHours);
    }

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

    public Schedule schedule() {
        return schedule;
    }

    /** Cap of the exponential backoff between two attempts of a step. */
    public int maxRetryDelayMillis() {
        return maxRetryDelayMillis;
    }

    public List<Webhook> webhooks() {
        return webhooks;
    }

    /** REPLICATION_ENV: routes/<env>/ is added to the default routes (a file there replaces the same-named default). */
    public Optional<String> replicationEnv() {
        return replicationEnv;
    }

    /** ROUTES_DIR: a directory of extra or replacing route files, read at start (no rebuild needed). */
    public Optional<Path> routesDir() {
        return routesDir;
    }

    public boolean schemaExportEnabled() {
        return schemaExportEnabled;
    }

    public DatabaseUrl schemaExportTarget() {
        return schemaExportTarget.orElseThrow(() -> new ConfigException("DB_SCHEMA_EXPORTER_DATABASE_TARGET",
                "is not set; the schema export replays the target's schema into it"));
    }

    public Schedule schemaExportSchedule() {
        return schemaExportSchedule;
    }

    public boolean sentryEnabled() {
        return sentryEnabled;
    }

    public Optional<String> sentryDsn() {
        return sentryDsn;
    }

    public String sentryEnvironment() {
        return sentryEnvironment;
    }

    public int sentryMaxBreadcrumbs() {
        return sentryMaxBreadcrumbs;
    }

    public boolean sentryDebug() {
        return sentryDebug;
    }

    /** Port of the web process (the PaaS sets PORT). */
    public int port() {
        return port;
    }

    /** The web process: host, port, credentials. */
    public WebSettings web() {
        return web;
    }

    /** Most connections the tool holds at once on the source (parallel copies, chunk copies, table preparations). */
    public int sourceMaxJobs() {
        return sourceMaxJobs;
    }

    /**
     * Session settings of every connection on the source: read-only, bounded waits, and {@code row_security=off}
     * (as pg_dump sets it): a query that a row-level security policy would filter fails, naming the table, instead
     * of silently returning part of its rows. Given to JDBC as its {@code options} property and to pg_dump in its
     * connection string.
     */
    public String sourceServerOptions() {
        return "-c default_transaction_read_only=on -c statement_timeout=" + sourceStatementTimeoutSeconds + "s"
                + " -c lock_timeout=" + sourceLockTimeoutSeconds + "s -c row_security=off";
    }

    public int sourceLockTimeoutSeconds() {
        return sourceLockTimeoutSeconds;
    }

    /** REPLICATION_TARGET_TAKEOVER=true: adopt a target that holds tables but was not made by this tool. */
    public boolean targetTakeover() {
        return targetTakeover;
    }

    public BackupSource backupSource() {
        return backupSource;
    }

    public Path backupFile() {
        return backupFile.orElseThrow();
    }

    public String backupUrl() {
        return backupUrl.orElseThrow();
    }

    public Optional<String> backupUrlAuthorization() {
        return backupUrlAuthorization;
    }

    public String scalingoApp() {
        return scalingoApp.orElseThrow();
    }

    public String scalingoApiToken() {
        return scalingoApiToken.orElseThrow();
    }

    public String scalingoAuthUrl() {
        return scalingoAuthUrl;
    }

    public String scalingoApiUrl() {
        return scalingoApiUrl;
    }

    public String scalingoDbApiUrl() {
        return scalingoDbApiUrl;
    }

    public String replicationSchema() {
        return replicationSchema;
    }
}
