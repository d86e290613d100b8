package org.dbreplication.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.dbreplication.CliRunner;
import org.junit.jupiter.api.Test;

/** The command line's contract: help, exit codes, one-line errors naming the variable at fault. */
class CliTest {

    static final Map<String, String> VALID_URLS = Map.of(
            "SOURCE_DATABASE_URL", "postgres://reader:pw@127.0.0.1:1/source",
            "DATABASE_URL", "postgres://writer:pw@127.0.0.1:1/target");

    @Test
    void helpListsCommandsStepsAndWhereConfigurationComesFrom() {
        CliRunner.Result result = CliRunner.run(Map.of(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run", "schedule", "web", "report", "export-schema", "demo",
                "full, incremental, learning-content, notification", ".env", "sample.env", "Exit codes");
        assertThat(CliRunner.run(Map.of(), "run", "--help").out()).contains("--only", "--from");
    }

    @Test
    void variablesListsEveryDeclaredVariableWithoutValuesThenChecksThem() {
        Map<String, String> variables = new java.util.HashMap<>(VALID_URLS);
        variables.put("WEB_PASSWORD", "s3cret-web");
        CliRunner.Result listed = CliRunner.run(variables, "variables");

        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out().lines()).hasSize(org.dbreplication.config.Settings.VARIABLES.size());
        assertThat(listed.out()).containsPattern("(?m)^INCREMENTAL_JOBS +default 2 +incremental chunks copied in parallel")
                .containsPattern("(?m)^WEB_PASSWORD +set +password").containsPattern("(?m)^LCMS_API_URL +unset ")
                .doesNotContain("s3cret-web").doesNotContain("pw@");

        variables.put("INCREMENTAL_JOBS", "0");
        CliRunner.Result invalid = CliRunner.run(variables, "variables");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).isEqualTo("error: INCREMENTAL_JOBS: must be between 1 and 64, got 0\n");
        CliRunner.Result noTarget = CliRunner.run(Map.of(), "variables");
        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.err()).startsWith("error: DATABASE_URL: is not set");
    }

    @Test
    void malformedBackupModeExits2NamingTheVariable() {
        Map<String, String> variables = new java.util.HashMap<>(VALID_URLS);
        variables.put("BACKUP_MODE", "{\"answers\": incremental}");

        CliRunner.Result result = CliRunner.run(variables, "run");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: BACKUP_MODE: is not valid JSON").doesNotContain("Exception\n\tat");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @Test
    void aMissingOrInvalidSettingExits2BeforeAnythingRuns() {
        assertThat(CliRunner.run(Map.of("DATABASE_URL", "postgres://u@h/d"), "run").err())
                .startsWith("error: SOURCE_DATABASE_URL: is not set");
        CliRunner.Result badUrl = CliRunner.run(Map.of("SOURCE_DATABASE_URL", "http://u:hunter22@h/d",
                "DATABASE_URL", "postgres://u@h/d"), "run");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("SOURCE_DATABASE_URL").doesNotContain("hunter22");
        Map<String, String> badJobs = new java.util.HashMap<>(VALID_URLS);
        badJobs.put("PG_RESTORE_JOBS", "many");
        assertThat(CliRunner.run(badJobs, "run").err()).isEqualTo("error: PG_RESTORE_JOBS: must be a whole number, got 'many'\n");
    }

    @Test
    void anInvalidScheduleOrWebhookListExits2NamingTheVariable() {
        Map<String, String> variables = new java.util.HashMap<>(VALID_URLS);
        variables.put("SCHEDULE", "every night");
        assertThat(CliRunner.run(variables, "schedule").err()).startsWith("error: SCHEDULE: must be a cron expression");
        variables.put("SCHEDULE", "61 5 * * *");
        CliRunner.Result badMinute = CliRunner.run(variables, "schedule");
        assertThat(badMinute.exitCode()).isEqualTo(2);
        assertThat(badMinute.err()).startsWith("error: SCHEDULE: is not a valid cron expression");
        variables.remove("SCHEDULE");
        variables.put("NOTIFICATIONS", "[{\"url\": \"ftp://x\"}]");
        assertThat(CliRunner.run(variables, "run").err()).isEqualTo("error: NOTIFICATIONS: entry 1 is not an http:// or https:// URL\n");
        variables.put("NOTIFICATIONS", "{not json");
        assertThat(CliRunner.run(variables, "run").err()).startsWith("error: NOTIFICATIONS: is not valid JSON");
    }

    @Test
    void unknownStepsAndConflictingOptionsExit2() {
        CliRunner.Result unknown = CliRunner.run(VALID_URLS, "run", "--only", "everything");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown step 'everything'");
        assertThat(CliRunner.run(VALID_URLS, "run", "--only", "full", "--from", "full").exitCode()).isEqualTo(2);
    }
}
