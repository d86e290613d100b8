package org.dbreplication.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsMatchTheDocumentation() {
        Settings settings = Settings.from(Map.of());

        assertThat(settings.full().fkMode()).isEqualTo(FkMode.NOT_VALID);
        assertThat(settings.full().restoreJobs()).isEqualTo(4);
        assertThat(settings.schedule().maxRetryCount()).isEqualTo(10);
        assertThat(settings.schedule().retryDelayMillis()).isEqualTo(1000);
        assertThat(settings.full().backupModes().keptTables()).isEmpty();
        assertThat(settings.databases().replicationSchema()).isEqualTo("replication");
    }

    @Test
    void backupModeNamesKeptTablesAsWritten() {
        Settings settings = Settings.from(Map.of("BACKUP_MODE",
                "{\"knowledge-elements\": \"incremental\", \"Odd\\\"Name\": \"none\"}"));

        assertThat(settings.full().backupModes().keptTables()).containsEntry(TableRef.publicTable("knowledge-elements"), TableMode.INCREMENTAL)
                .containsEntry(TableRef.publicTable("Odd\"Name"), TableMode.NONE);
    }

    @Test
    void malformedBackupModeNamesTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("BACKUP_MODE", "{answers: incremental")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("BACKUP_MODE: is not valid JSON");
        assertThatThrownBy(() -> Settings.from(Map.of("BACKUP_MODE", "[\"answers\"]")))
                .hasMessageStartingWith("BACKUP_MODE: must be a JSON object");
        assertThatThrownBy(() -> Settings.from(Map.of("BACKUP_MODE", "{\"answers\": \"sometimes\"}")))
                .hasMessage("BACKUP_MODE: table 'answers' has mode \"sometimes\"; expected \"incremental\", \"upsert\" or \"none\"");
    }

    @Test
    void numbersAndModesAreValidated() {
        assertThatThrownBy(() -> Settings.from(Map.of("PG_RESTORE_JOBS", "four")))
                .hasMessage("PG_RESTORE_JOBS: must be a whole number, got 'four'");
        assertThatThrownBy(() -> Settings.from(Map.of("PG_RESTORE_JOBS", "0")))
                .hasMessage("PG_RESTORE_JOBS: must be between 1 and 64, got 0");
        assertThatThrownBy(() -> Settings.from(Map.of("RESTORE_FK_CONSTRAINTS", "maybe")))
                .hasMessage("RESTORE_FK_CONSTRAINTS: expected one of true, false, not-valid, got 'maybe'");
        assertThatThrownBy(() -> Settings.from(Map.of("RESTORE_MAINTENANCE_WORK_MEM", "lots")))
                .hasMessageStartingWith("RESTORE_MAINTENANCE_WORK_MEM:");
    }

    @Test
    void schedulesAreReadAsUnixCronAndConvertedForQuartz() {
        Settings settings = Settings.from(Map.of());
        assertThat(settings.schedule().cron().expression()).isEqualTo("10 5 * * *");
        assertThat(settings.schedule().cron().quartzExpression()).isEqualTo("0 10 5 * * ? *");
        assertThat(settings.schedule().cron().zone().getId()).isEqualTo("Europe/Paris");
        assertThat(Schedule.parse("SCHEDULE", "0 3 * * 1", java.time.ZoneId.of("UTC")).quartzExpression())
                .isEqualTo("0 0 3 ? * 2 *");
        assertThat(Schedule.parse("SCHEDULE", "30 10 5 * * *", java.time.ZoneId.of("UTC")).quartzExpression())
                .startsWith("30 10 5 * * ?");
        assertThatThrownBy(() -> Settings.from(Map.of("SCHEDULE_TIMEZONE", "Mars/Olympus")))
                .hasMessageStartingWith("SCHEDULE_TIMEZONE: is not a time zone");
    }

    @Test
    void notificationsAcceptObjectsStringsAndTheOriginalSpelling() {
        Settings settings = Settings.from(Map.of("NOTIFICATION_URLS",
                "[{\"url\": \"https://a.example/hook?k=1\", \"token\": \"tok\"}, \"http://b.example/h\"]"));

        assertThat(settings.notifications().webhooks()).extracting(Webhook::displayUrl).containsExactly("https://a.example/hook", "http://b.example/h");
        assertThat(settings.notifications().webhooks().get(0).token()).contains("tok");
        assertThat(settings.notifications().webhooks().get(1).token()).isEmpty();
    }

    @Test
    void targetDatabaseUrlDefaultsToDatabaseUrl() {
        Settings settings = Settings.from(Map.of("DATABASE_URL", "postgres://u:p@h:5433/analytics"));

        assertThat(settings.databases().incrementalTargetUrl().toString()).isEqualTo("postgres://u@h:5433/analytics");
        assertThatThrownBy(settings.databases()::sourceUrl).hasMessageStartingWith("SOURCE_DATABASE_URL: is not set");
    }

    @Test
    void dotEnvValuesAreUnquotedAndCommentsIgnored() {
        Map<String, String> values = DotEnv.parse(List.of("# comment", "export APP=pix", "BACKUP_MODE='{\"a\": \"none\"}'",
                "EMPTY=", "  SPACED = \"x y\" "));

        assertThat(values).containsEntry("APP", "pix").containsEntry("BACKUP_MODE", "{\"a\": \"none\"}")
                .containsEntry("EMPTY", "").containsEntry("SPACED", "x y");
    }

    @Test
    void theSettingsNeverShowASecret() {
        Map<String, String> variables = Map.of("DATABASE_URL", "postgres://u:db-secret-1@h/d",
                "SOURCE_DATABASE_URL", "postgres://u:db-secret-2@h/s",
                "SENTRY_DSN", "https://dsn-secret-3@sentry.example/1",
                "WEB_PASSWORD", "web-secret-4",
                "LCMS_API_KEY", "lcms-secret-5",
                "BACKUP_URL", "https://u:url-secret-6@backups.example/latest?sig=url-secret-7",
                "BACKUP_URL_AUTHORIZATION", "Bearer auth-secret-8",
                "SCALINGO_API_TOKEN", "tk-secret-9",
                "NOTIFICATIONS", "[{\"url\": \"https://hook.example/h\", \"token\": \"hook-secret-10\"}]");

        String shown = Settings.from(variables).toString();

        assertThat(shown).contains("WebSettings[", "SentrySettings[", "dsn=(set)", "password=(set)")
                .doesNotContainPattern("secret-\\d+");
        // and every log line masks them from the moment the settings are read
        String logLine = "web-secret-4 lcms-secret-5 Bearer auth-secret-8 tk-secret-9 hook-secret-10 https://dsn-secret-3@sentry.example/1";
        assertThat(org.dbreplication.logging.Secrets.mask(logLine)).doesNotContainPattern("secret-\\d+");
    }
}
