package org.dbreplication.journal;

import static net.logstash.logback.argument.StructuredArguments.v;

import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool's own schema on a target (REPLICATION_SCHEMA): created and upgraded by the versioned migrations of
 * {@code db/migration} before a step uses it.
 */
public class ReplicationSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSchema.class);
    /**
     * The newest migration of {@code db/migration} (SQL under resources, Java under db.migration); a test checks it
     * against the files. A target whose history already holds it, with no failed migration, is not handed to
     * Flyway: its set-up (plugins, classpath scan, validation) took about a second of every one-off process's start.
     */
    static final String LATEST_VERSION = "8";
    private final Settings settings;

    public ReplicationSchema(Settings settings) {
        this.settings = settings;
    }

    public void migrate(DatabaseUrl target) {
        if (upToDate(target)) {
            return;
        }
        Flyway flyway = Flyway.configure()
                .dataSource(Connections.dataSource(target, settings.databases().app() + ":migrations"))
                .schemas(settings.databases().replicationSchema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new IllegalStateException("cannot create or upgrade the schema " + settings.databases().replicationSchema() + " on "
                    + target.variable() + " (" + target + "): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (result.migrationsExecuted > 0) {
            LOG.info("schema {} migrated to version {}", v("schema", settings.databases().replicationSchema()),
                    v("version", result.targetSchemaVersion));
        }
    }

    /** True when Flyway's history on the target has {@link #LATEST_VERSION} applied and no failed migration. */
    boolean upToDate(DatabaseUrl target) {
        String history = org.dbreplication.pg.Sql.ident(settings.databases().replicationSchema()) + ".flyway_schema_history";
        try (java.sql.Connection connection = Connections.open(target, settings.databases().app() + ":migrations");
             java.sql.PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, history);
            try (java.sql.ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
            try (java.sql.PreparedStatement latest = connection.prepareStatement("SELECT coalesce(bool_or(version = ? AND success), false)"
                    + " AND coalesce(bool_and(success), true) FROM " + history)) {
                latest.setString(1, LATEST_VERSION);
                try (java.sql.ResultSet rs = latest.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        } catch (java.sql.SQLException e) {
            // Flyway says what is wrong, naming the variable
            return false;
        }
    }
}
