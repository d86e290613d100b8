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
    private final Settings settings;

    public ReplicationSchema(Settings settings) {
        this.settings = settings;
    }

    public void migrate(DatabaseUrl target) {
        Flyway flyway = Flyway.configure()
                .dataSource(Connections.dataSource(target, settings.app() + ":migrations"))
                .schemas(settings.replicationSchema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new IllegalStateException("cannot create or upgrade the schema " + settings.replicationSchema() + " on "
                    + target.variable() + " (" + target + "): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (result.migrationsExecuted > 0) {
            LOG.info("schema {} migrated to version {}", v("schema", settings.replicationSchema()),
                    v("version", result.targetSchemaVersion));
        }
    }
}
