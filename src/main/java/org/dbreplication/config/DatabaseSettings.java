package org.dbreplication.config;

import java.util.List;
import java.util.Optional;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.OrphanSessions;

/**
 * The databases and how the tool behaves on them: the source (read only, bounded), the targets, the tool's own schema
 * and the name of its sessions.
 *
 * @param source                     SOURCE_DATABASE_URL
 * @param target                     DATABASE_URL
 * @param incrementalTarget          TARGET_DATABASE_URL, else DATABASE_URL
 * @param sourceMaxJobs              SOURCE_MAX_JOBS: most connections held at once on the source
 * @param sourceStatementTimeoutSeconds SOURCE_STATEMENT_TIMEOUT (s, 0: none)
 * @param sourceLockTimeoutSeconds   SOURCE_LOCK_TIMEOUT (s, 0: none)
 * @param targetTakeover             REPLICATION_TARGET_TAKEOVER: adopt a target holding tables not made by this tool
 * @param targetLockTimeoutSeconds   TARGET_LOCK_TIMEOUT: seconds to wait for analysts' locks on the target
 * @param replicationSchema          REPLICATION_SCHEMA: the tool's own schema on the target
 * @param app                        APP: name in logs and in pg_stat_activity
 */
public record DatabaseSettings(Optional<DatabaseUrl> source, Optional<DatabaseUrl> target,
        Optional<DatabaseUrl> incrementalTarget, int sourceMaxJobs, int sourceStatementTimeoutSeconds,
        int sourceLockTimeoutSeconds, boolean targetTakeover, int targetLockTimeoutSeconds, String replicationSchema,
        String app) {

    /** The tool's name when APP is not set. */
    public static final String APP_NAME = "db-replication";

    static final Variable<DatabaseUrl> SOURCE = Variable.optional("SOURCE_DATABASE_URL", DatabaseUrl::parse,
            "production database, read only (required by the full step's dump source)");
    static final Variable<DatabaseUrl> TARGET = Variable.optional("DATABASE_URL", DatabaseUrl::parse,
            "analytics database written by the full step (required)");
    static final Variable<DatabaseUrl> INCREMENTAL_TARGET = Variable.optional("TARGET_DATABASE_URL", DatabaseUrl::parse,
            "target of the incremental step (default: DATABASE_URL)");
    static final Variable<Integer> SOURCE_MAX_JOBS = Variable.of("SOURCE_MAX_JOBS", "4", Check.integer(1, 64),
            "most connections held at once on the source");
    static final Variable<Integer> SOURCE_STATEMENT_TIMEOUT = Variable.of("SOURCE_STATEMENT_TIMEOUT", "0",
            Check.integer(0, 604_800), "statement_timeout (s) of every source connection, 0: none");
    static final Variable<Integer> SOURCE_LOCK_TIMEOUT = Variable.of("SOURCE_LOCK_TIMEOUT", "60",
            Check.integer(0, 86_400), "lock_timeout (s) of every source connection, 0: none");
    static final Variable<Boolean> TARGET_TAKEOVER = Variable.of("REPLICATION_TARGET_TAKEOVER", "false", Check.bool(),
            "true for one run: adopt a target that holds tables but was not made by this tool");
    static final Variable<Integer> TARGET_LOCK_TIMEOUT = Variable.of("TARGET_LOCK_TIMEOUT", "600",
            Check.integer(1, 86_400), "seconds to wait for analysts' locks on the target before giving up");
    static final Variable<String> REPLICATION_SCHEMA = Variable.of("REPLICATION_SCHEMA", "replication", Check.text(),
            "the tool's own schema on the target (journal, checkpoints)");
    static final Variable<String> APP = Variable.of("APP", APP_NAME, Check.text(),
            "name in logs and in pg_stat_activity (APP:step)");

    static final List<Variable<?>> VARIABLES = List.of(SOURCE, TARGET, INCREMENTAL_TARGET, SOURCE_MAX_JOBS,
            SOURCE_STATEMENT_TIMEOUT, SOURCE_LOCK_TIMEOUT, TARGET_TAKEOVER, TARGET_LOCK_TIMEOUT, REPLICATION_SCHEMA, APP);

    static DatabaseSettings read(Env env) {
        Optional<DatabaseUrl> target = TARGET.find(env);
        return new DatabaseSettings(SOURCE.find(env), target, INCREMENTAL_TARGET.find(env).or(() -> target),
                SOURCE_MAX_JOBS.read(env), SOURCE_STATEMENT_TIMEOUT.read(env), SOURCE_LOCK_TIMEOUT.read(env),
                TARGET_TAKEOVER.read(env), TARGET_LOCK_TIMEOUT.read(env), REPLICATION_SCHEMA.read(env), APP.read(env));
    }

    public boolean hasSourceUrl() {
        return source.isPresent();
    }

    /** @throws ConfigException when SOURCE_DATABASE_URL is not set */
    public DatabaseUrl sourceUrl() {
        return source.orElseThrow(() -> new ConfigException(SOURCE.name(),
                "is not set; the full step reads the production database from it"));
    }

    /** @throws ConfigException when DATABASE_URL is not set */
    public DatabaseUrl targetUrl() {
        return target.orElseThrow(() -> new ConfigException(TARGET.name(),
                "is not set; the full step writes the analytics database named by it"));
    }

    /** @throws ConfigException when neither TARGET_DATABASE_URL nor DATABASE_URL is set */
    public DatabaseUrl incrementalTargetUrl() {
        return incrementalTarget.orElseThrow(() -> new ConfigException(INCREMENTAL_TARGET.name(),
                "is not set (nor DATABASE_URL); the incremental step writes the database named by it"));
    }

    /**
     * The application name of this tool's sessions of {@code step} on the source: {@code APP:step@tag}, the tag
     * naming the target whose run lock they work under (see {@link OrphanSessions}).
     */
    public String sourceApp(String step) {
        return OrphanSessions.sourceApplicationName(app, step, target.orElse(null));
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
}
