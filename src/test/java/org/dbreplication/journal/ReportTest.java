package org.dbreplication.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The report on a journal holding two runs of the same day and an interrupted one (the original's crash cases). */
class ReportTest {

    DatabaseUrl target;

    @BeforeEach
    void journal() {
        target = TestPostgres.createDatabase("report", null);
        new ReplicationSchema(Settings.from(Map.of("DATABASE_URL", target.toString()))).migrate(target);
        Db.execute(target, """
                SET search_path = replication;
                INSERT INTO runs (id, trigger, plan, status, started_at, ended_at, host) VALUES
                  (1, 'schedule', 'full → incremental → learning-content → notification', 'succeeded',
                   '2026-11-20 05:10:00+00', '2026-11-20 07:40:05+00', 'a:1'),
                  (2, 'cli', 'full → incremental → learning-content → notification', 'succeeded',
                   '2026-11-20 14:00:00+00', '2026-11-20 14:30:00+00', 'a:2'),
                  (3, 'schedule', 'full → incremental → learning-content → notification', 'interrupted',
                   '2026-11-21 05:10:00+00', '2026-11-21 05:50:00+00', 'a:3');
                UPDATE runs SET error = 'the process running it stopped before the end' WHERE id = 3;
                INSERT INTO step_attempts (run_id, step, attempt, status, started_at, ended_at, error) VALUES
                  (1, 'full', 1, 'succeeded', '2026-11-20 05:10:00+00', '2026-11-20 07:00:00+00', NULL),
                  (1, 'incremental', 1, 'failed', '2026-11-20 07:00:00+00', '2026-11-20 07:01:00+00', 'connection reset'),
                  (1, 'incremental', 2, 'succeeded', '2026-11-20 07:01:02+00', '2026-11-20 07:30:00+00', NULL),
                  (1, 'learning-content', 1, 'succeeded', '2026-11-20 07:30:00+00', '2026-11-20 07:40:00+00', NULL),
                  (1, 'notification', 1, 'succeeded', '2026-11-20 07:40:00+00', '2026-11-20 07:40:05+00', NULL),
                  (2, 'full', 1, 'succeeded', '2026-11-20 14:00:00+00', '2026-11-20 14:30:00+00', NULL),
                  (3, 'full', 1, 'interrupted', '2026-11-21 05:10:00+00', '2026-11-21 05:50:00+00', 'stopped');
                INSERT INTO step_milestones (run_id, step, name, at) VALUES
                  (1, 'full', 'Start create Backup', '2026-11-20 05:10:00+00'),
                  (1, 'full', 'Start restore', '2026-11-20 05:12:03+00'),
                  (1, 'full', 'Restore done', '2026-11-20 06:50:00+00'),
                  (1, 'full', 'Import and enrichment done', '2026-11-20 07:00:00+00'),
                  (2, 'full', 'Start create Backup', '2026-11-20 14:00:00+00'),
                  (2, 'full', 'Start restore', '2026-11-20 14:01:00+00'),
                  (2, 'full', 'Restore done', '2026-11-20 14:25:00+00'),
                  (2, 'full', 'Import and enrichment done', '2026-11-20 14:30:00+00'),
                  (3, 'full', 'Start create Backup', '2026-11-21 05:10:00+00'),
                  (3, 'full', 'Start restore', '2026-11-21 05:11:00+00');
                INSERT INTO restore_items (run_id, category, name, started_at, ended_at, rows) VALUES
                  (1, 'INDEX', 'public.knowledge-elements_assessmentId_idx', '2026-11-20 05:20:00+00', '2026-11-20 09:36:55+00', NULL),
                  (1, 'INDEX', 'public.answers_challengeId_idx', '2026-11-20 05:20:00+00', '2026-11-20 05:50:00+00', NULL),
                  (1, 'INDEX', 'public.users_email_idx', '2026-11-20 05:20:00+00', '2026-11-20 05:21:00+00', NULL),
                  (1, 'INDEX', 'public.tiny_idx', '2026-11-20 05:20:00+00', '2026-11-20 05:20:01+00', NULL),
                  (1, 'TABLE DATA', 'public.users', '2026-11-20 05:13:00+00', '2026-11-20 05:14:00+00', 1000),
                  (2, 'INDEX', 'public.users_email_idx', '2026-11-20 14:05:00+00', '2026-11-20 14:06:00+00', NULL),
                  (3, 'TABLE DATA', 'public.users', '2026-11-21 05:12:00+00', '2026-11-21 05:13:00+00', 1000);
                INSERT INTO incremental_results VALUES (1, 'knowledge-elements', 1000000, '699000000', '700000000', 1740000);
                INSERT INTO learning_content_counts VALUES (1, 'challenges', 60000);
                INSERT INTO webhook_results (run_id, url, status, http_status, attempts) VALUES (1, 'https://hooks.example/ready', 'delivered', 200, 1);
                """);
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(target);
    }

    CliRunner.Result report(String... runId) {
        String[] args = new String[runId.length + 1];
        args[0] = "report";
        System.arraycopy(runId, 0, args, 1, runId.length);
        return CliRunner.run(Map.of("DATABASE_URL", target.toString()), args);
    }

    @Test
    void theFirstRunOfTheDayIsReportedWithItsDurationsAndSlowestItems() {
        CliRunner.Result result = report("1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(
                "Run #1 (schedule): full → incremental → learning-content → notification",
                "total duration : 2h 30min 5s",
                "incremental       succeeded    2 attempt(s)  30min 0s",
                "backup duration : 2min 3s", "restore duration : 1h 37min 57s", "enrichment duration : 10min 0s",
                "total duration : 1h 50min 0s",
                "INDEX total duration : 4h 47min 56s",
                "INDEX public.knowledge-elements_assessmentId_idx : 4h 16min 55s",
                "INDEX public.users_email_idx : 1min 0s",
                "FK CONSTRAINT : no item recorded",
                "knowledge-elements", "1000000 rows  699000000 -> 700000000  29min 0s  574 rows/s",
                "challenges", "60000 rows", "https://hooks.example/ready delivered (HTTP 200), 1 attempt(s)");
        assertThat(result.out()).doesNotContain("public.tiny_idx");
    }

    @Test
    void theSecondRunOfTheSameDayIsReportedOnItsOwn() {
        CliRunner.Result result = report("2");

        assertThat(result.out()).contains("Run #2 (cli)", "backup duration : 1min 0s", "INDEX total duration : 1min 0s",
                "incremental       not run").doesNotContain("knowledge-elements_assessmentId_idx");
    }

    @Test
    void anInterruptedRunSaysWhatIsMissingAndIsTheDefault() {
        CliRunner.Result result = report();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Run #3 (schedule)", "status : interrupted — the process running it stopped",
                "full              interrupted  1 attempt(s)", "backup duration : 1min 0s",
                "restore duration : unknown (the step did not reach \"Restore done\")",
                "enrichment duration : unknown", "learning-content  not run", "TABLE DATA total duration : 1min 0s");
        assertThat(report("42").out()).isEqualTo("no run #42 in the journal\n");
    }

    @Test
    void aDatabaseWithoutJournalSaysSo() {
        DatabaseUrl empty = TestPostgres.createDatabase("report_empty", null);
        try {
            CliRunner.Result result = CliRunner.run(Map.of("DATABASE_URL", empty.toString()), "report");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("error: no run journal in DATABASE_URL").contains("created by the first run");
        } finally {
            TestPostgres.dropDatabase(empty);
        }
    }
}
