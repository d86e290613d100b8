package org.dbreplication.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.ReplicationSchema;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which night the scheduling process resumes at start, and with which steps, read from a real run journal. */
class ResumptionTest {

    static final List<Step> ALL = List.of(Step.values());
    static final String PLAN = "full → incremental → learning-content → notification";
    static final Duration WINDOW = Duration.ofHours(12);

    DatabaseUrl target;
    RunJournal journal;

    @BeforeEach
    void create() {
        target = TestPostgres.createDatabase("resumption", null);
        Settings settings = Settings.from(Map.of("DATABASE_URL", target.toString()));
        new ReplicationSchema(settings).migrate(target);
        journal = new RunJournal(settings);
    }

    @AfterEach
    void drop() {
        journal.close();
        TestPostgres.dropDatabase(target);
    }

    /** A run of the journal: its trigger, status, end (hours ago), the night it resumes, and its attempts. */
    long run(String trigger, String status, int endedHoursAgo, Long resumes, String plan, String... attempts) {
        long id = Long.parseLong(Db.scalar(target, "INSERT INTO replication.runs (trigger, plan, status, host, started_at,"
                + " ended_at, resumes_run_id) VALUES ('%s', '%s', '%s', 'test', now() - interval '%d hours 1 minute',"
                        .formatted(trigger, plan, status, endedHoursAgo)
                + " now() - interval '%d hours', %s) RETURNING id".formatted(endedHoursAgo, resumes == null ? "NULL" : resumes)));
        for (String attempt : attempts) {
            String[] stepStatus = attempt.split(":");
            Db.execute(target, "INSERT INTO replication.step_attempts (run_id, step, attempt, status) VALUES (%d, '%s',"
                    .formatted(id, stepStatus[0]) + " (SELECT count(*) + 1 FROM replication.step_attempts WHERE run_id = %d), '%s')"
                    .formatted(id, stepStatus[1]));
        }
        return id;
    }

    Optional<Resumption.Night> find(Duration window) throws Exception {
        return Resumption.find(journal, window, ALL, Instant.now());
    }

    @Test
    void aNightCutInItsIncrementalStepResumesFromThatStepWithoutRedoingTheFullOne() throws Exception {
        long night = run("schedule", "interrupted", 1, null, PLAN, "full:succeeded", "incremental:interrupted");

        assertThat(find(WINDOW)).contains(new Resumption.Night(night, night,
                new RunPlan(List.of(Step.INCREMENTAL, Step.LEARNING_CONTENT, Step.NOTIFICATION))));
    }

    @Test
    void aResumptionCutInTurnIsResumedAsTheSameNightWithWhatIsStillLeft() throws Exception {
        long night = run("schedule", "interrupted", 3, null, PLAN, "full:failed", "full:interrupted");
        long resumption = run("resume", "interrupted", 1, night, "full → incremental → learning-content → notification",
                "full:succeeded", "incremental:succeeded", "learning-content:interrupted");

        assertThat(find(WINDOW)).contains(new Resumption.Night(night, resumption,
                new RunPlan(List.of(Step.LEARNING_CONTENT, Step.NOTIFICATION))));
    }

    @Test
    void nothingIsResumedOutsideTheWindowNorAFailedOrSucceededNightNorAOneOffRun() throws Exception {
        run("schedule", "interrupted", 13, null, PLAN, "full:interrupted");
        assertThat(find(WINDOW)).as("interrupted 13 hours ago").isEmpty();
        assertThat(find(Duration.ZERO)).as("RESUME_WINDOW=0").isEmpty();

        run("schedule", "failed", 1, null, PLAN, "full:failed");
        assertThat(find(WINDOW)).as("the latest night failed").isEmpty();

        run("schedule", "interrupted", 1, null, PLAN, "full:interrupted");
        run("schedule", "succeeded", 0, null, PLAN, "full:succeeded", "incremental:succeeded");
        assertThat(find(WINDOW)).as("a later night succeeded").isEmpty();

        // an operator's one-off run cut by a restart is not the night's: the schedule's latest is what counts
        run("cli", "interrupted", 0, null, "full", "full:interrupted");
        assertThat(find(WINDOW)).isEmpty();
    }

    @Test
    void onlyTheStepsOfTheNightsPlanThatThisBundleHasAreRun() throws Exception {
        long night = run("schedule", "interrupted", 1, null, "full → incremental", "full:interrupted");

        assertThat(find(WINDOW)).contains(new Resumption.Night(night, night, new RunPlan(List.of(Step.FULL, Step.INCREMENTAL))));
        assertThat(Resumption.find(journal, WINDOW, List.of(Step.FULL, Step.NOTIFICATION), Instant.now()))
                .contains(new Resumption.Night(night, night, new RunPlan(List.of(Step.FULL))));
    }
}
