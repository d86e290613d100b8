package org.dbreplication.config;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.dbreplication.pg.DatabaseUrl;

/**
 * The schema export: the target's schema replayed, without rows, into another database on its own schedule.
 *
 * @param enabled DB_SCHEMA_EXPORTER_ENABLED
 * @param target  DB_SCHEMA_EXPORTER_DATABASE_TARGET (set when enabled)
 * @param cron    DB_SCHEMA_EXPORTER_SCHEDULE in SCHEDULE_TIMEZONE
 */
public record SchemaExportSettings(boolean enabled, Optional<DatabaseUrl> target, Schedule cron) {

    static final Variable<Boolean> ENABLED = Variable.of("DB_SCHEMA_EXPORTER_ENABLED", "false", Check.bool(),
            "true: the background process also runs the schema export");
    static final Variable<DatabaseUrl> TARGET = Variable.optional("DB_SCHEMA_EXPORTER_DATABASE_TARGET",
            DatabaseUrl::parse, "database that receives the target's schema");
    static final Variable<String> SCHEDULE = Variable.of("DB_SCHEMA_EXPORTER_SCHEDULE", "0 12 * * *", Check.text(),
            "when the schema export runs (cron)");

    static final List<Variable<?>> VARIABLES = List.of(ENABLED, TARGET, SCHEDULE);

    static SchemaExportSettings read(Env env, ZoneId zone) {
        SchemaExportSettings export = new SchemaExportSettings(ENABLED.read(env), TARGET.find(env),
                Schedule.parse(SCHEDULE.name(), SCHEDULE.read(env), zone));
        if (export.enabled && export.target.isEmpty()) {
            throw new ConfigException(TARGET.name(), "is not set while " + ENABLED.name() + "=true");
        }
        return export;
    }

    /** @throws ConfigException when DB_SCHEMA_EXPORTER_DATABASE_TARGET is not set */
    public DatabaseUrl targetUrl() {
        return target.orElseThrow(() -> new ConfigException(TARGET.name(),
                "is not set; the schema export replays the target's schema into it"));
    }
}
