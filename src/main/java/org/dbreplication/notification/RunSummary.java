package org.dbreplication.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.dbreplication.journal.RunJournal;

/**
 * The JSON body sent to every webhook: the run, its steps with durations and attempts (a failed attempt with its
 * error), the objects left out of the copy (warnings), the rows of each incremental table and learning-content table.
 * A resumed night is told whole: {@code night_runs} lists its first run and its resumptions, and every step, warning
 * and count of each of them is in the lists (a step names the run that did it). Receivers that ignore the body keep
 * working.
 */
final class RunSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSummary() {
    }

    static String of(RunJournal journal, long runId) throws SQLException {
        ObjectNode root = JSON.createObjectNode();
        RunJournal.Run run = journal.run(runId).orElseThrow();
        // a resumed night is told whole: its first run and every resumption, each step with the run that did it
        List<RunJournal.Run> night = journal.night(runId);
        root.put("run_id", run.id());
        root.put("status", "data_ready");
        root.put("trigger", run.trigger());
        root.put("started_at", run.startedAt().toString());
        root.put("night_started_at", night.get(0).startedAt().toString());
        ArrayNode runs = root.putArray("night_runs");
        night.forEach(r -> runs.addObject().put("run_id", r.id()).put("trigger", r.trigger()).put("status", r.status()));
        ArrayNode steps = root.putArray("steps");
        ArrayNode warnings = root.putArray("warnings");
        ArrayNode incremental = root.putArray("incremental");
        ArrayNode learningContent = root.putArray("learning_content");
        for (RunJournal.Run part : night) {
            addSteps(steps, journal, part.id());
            for (RunJournal.Warning warning : journal.warnings(part.id())) {
                ObjectNode item = warnings.addObject().put("step", warning.step()).put("object", warning.object())
                        .put("error", warning.error());
                if (warning.definition() != null) {
                    item.put("definition", warning.definition());
                }
            }
            for (List<String> row : journal.rows("SELECT table_name, rows FROM {schema}.incremental_results WHERE run_id = ?", part.id())) {
                incremental.addObject().put("table", row.get(0)).put("rows", Long.parseLong(row.get(1)));
            }
            for (List<String> row : journal.rows("SELECT table_name, rows FROM {schema}.learning_content_counts WHERE run_id = ?", part.id())) {
                learningContent.addObject().put("table", row.get(0)).put("rows", Long.parseLong(row.get(1)));
            }
        }
        return root.toString();
    }

    private static void addSteps(ArrayNode steps, RunJournal journal, long runId) throws SQLException {
        for (RunJournal.Attempt attempt : journal.attempts(runId)) {
            if (attempt.endedAt() == null) {
                continue;
            }
            ObjectNode step = steps.addObject();
            step.put("run_id", runId);
            step.put("step", attempt.step());
            step.put("attempt", attempt.attempt());
            step.put("status", attempt.status());
            step.put("duration_ms", Duration.between(attempt.startedAt(), attempt.endedAt()).toMillis());
            if (attempt.error() != null) {
                step.put("error", attempt.error());
            }
        }
    }
}
