package org.dbreplication.journal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The timing report of one run, from the journal: backup, restore, enrichment and total durations; for FK
 * CONSTRAINT, CONSTRAINT, INDEX, SEQUENCE SET and TABLE DATA the total job time and the 3 slowest items; the
 * incremental tables, the learning-content counts and the webhooks. What a failed or interrupted run did not reach
 * is said, never guessed.
 */
public final class Report {

    private static final List<String> CATEGORIES = List.of("FK CONSTRAINT", "CONSTRAINT", "INDEX", "SEQUENCE SET", "TABLE DATA");
    private final RunJournal journal;

    public Report(RunJournal journal) {
        this.journal = journal;
    }

    /** The report of a run, or of the last one when {@code runId} is empty. */
    public String of(Optional<Long> runId) throws SQLException {
        Optional<RunJournal.Run> run = runId.isPresent() ? journal.run(runId.get())
                : journal.recentRuns(1).stream().findFirst();
        if (run.isEmpty()) {
            return runId.map(id -> "no run #" + id + " in the journal").orElse("the journal holds no run yet") + "\n";
        }
        StringBuilder out = new StringBuilder();
        RunJournal.Run r = run.get();
        out.append("Run #").append(r.id()).append(" (").append(r.trigger()).append("): ").append(r.plan()).append('\n');
        out.append("status : ").append(r.status()).append(r.error() == null ? "" : " — " + r.error()).append('\n');
        out.append("started : ").append(r.startedAt()).append(", ended : ").append(r.endedAt() == null ? "not ended" : r.endedAt())
                .append('\n');
        if (r.endedAt() != null) {
            out.append("total duration : ").append(duration(Duration.between(r.startedAt(), r.endedAt()))).append('\n');
        }
        night(r, out);
        steps(r, out);
        warnings(r, out);
        full(r, out);
        incremental(r, out);
        learningContent(r, out);
        webhooks(r, out);
        return out.toString();
    }

    /** A night cut by a restart and resumed: every part of it, with what each step ended as. */
    private void night(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<RunJournal.Run> night = journal.night(run.id());
        if (night.size() < 2) {
            return;
        }
        out.append("\nNight (").append(night.size()).append(" runs: the first and its resumptions)\n");
        for (RunJournal.Run part : night) {
            Map<String, String> last = new java.util.LinkedHashMap<>();
            journal.attempts(part.id()).forEach(a -> last.put(a.step(), a.status()));
            out.append(String.format("  run #%-5d %-9s %-12s %s  steps: %s%s%n", part.id(), part.trigger(), part.status(),
                    part.startedAt(), last.isEmpty() ? "none" : last.toString().replaceAll("[{}]", ""),
                    part.error() == null ? "" : "  — " + part.error()));
        }
    }

    private void steps(RunJournal.Run run, StringBuilder out) throws SQLException {
        out.append("\nSteps\n");
        List<RunJournal.Attempt> attempts = journal.attempts(run.id());
        Map<String, List<RunJournal.Attempt>> byStep = new java.util.LinkedHashMap<>();
        attempts.forEach(a -> byStep.computeIfAbsent(a.step(), k -> new ArrayList<>()).add(a));
        for (String step : run.plan().split(" → ")) {
            List<RunJournal.Attempt> tries = byStep.get(step);
            if (tries == null) {
                out.append(String.format("  %-17s not run%n", step));
                continue;
            }
            RunJournal.Attempt last = tries.get(tries.size() - 1);
            out.append(String.format("  %-17s %-12s %d attempt(s)  %s%s%n", step, last.status(), tries.size(),
                    last.endedAt() == null ? "not ended" : duration(Duration.between(tries.get(0).startedAt(), last.endedAt())),
                    last.error() == null ? "" : "  — " + last.error()));
        }
    }

    private void warnings(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<RunJournal.Warning> warnings = journal.warnings(run.id());
        if (warnings.isEmpty()) {
            return;
        }
        out.append("\nWarnings: ").append(warnings.size()).append(" object(s) left out of the copy\n");
        for (RunJournal.Warning w : warnings) {
            out.append("  ").append(w.step()).append(": ").append(w.object()).append(" — ").append(w.error()).append('\n');
            if (w.definition() != null) {
                // the statements to replay by hand, indented under their warning
                w.definition().lines().forEach(line -> out.append("      ").append(line).append('\n'));
            }
        }
    }

    private void full(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<List<String>> milestones = journal.rows("SELECT name, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                + " FROM {schema}.step_milestones WHERE run_id = ? AND step = 'full' ORDER BY at", run.id());
        List<List<String>> items = journal.rows("SELECT category, name, extract(epoch FROM ended_at - started_at) * 1000"
                + " FROM {schema}.restore_items WHERE run_id = ?", run.id());
        if (milestones.isEmpty() && items.isEmpty()) {
            return;
        }
        out.append("\nFull step\n");
        Map<String, Instant> last = new HashMap<>();
        for (List<String> m : milestones) {
            if (m.get(0).equals("Start create Backup")) {
                last.clear();
            }
            last.put(m.get(0), Instant.parse(m.get(1)));
        }
        between(out, "backup duration", last, "Start create Backup", "Start restore");
        between(out, "restore duration", last, "Start restore", "Restore done");
        between(out, "enrichment duration", last, "Restore done", "Import and enrichment done");
        between(out, "total duration", last, "Start create Backup", "Import and enrichment done");
        for (String category : CATEGORIES) {
            List<List<String>> ofCategory = items.stream().filter(i -> i.get(0).equals(category))
                    .sorted((a, b) -> Double.compare(Double.parseDouble(b.get(2)), Double.parseDouble(a.get(2)))).toList();
            if (ofCategory.isEmpty()) {
                out.append("  ").append(category).append(" : no item recorded\n");
                continue;
            }
            long total = ofCategory.stream().mapToLong(i -> (long) Double.parseDouble(i.get(2))).sum();
            out.append("  ").append(category).append(" total duration : ").append(duration(Duration.ofMillis(total))).append('\n');
            for (List<String> item : ofCategory.subList(0, Math.min(3, ofCategory.size()))) {
                out.append("    ").append(category).append(' ').append(item.get(1)).append(" : ")
                        .append(duration(Duration.ofMillis((long) Double.parseDouble(item.get(2))))).append('\n');
            }
        }
    }

    private static void between(StringBuilder out, String label, Map<String, Instant> milestones, String from, String to) {
        Instant start = milestones.get(from);
        Instant end = milestones.get(to);
        out.append("  ").append(label).append(" : ");
        if (start == null || end == null) {
            out.append("unknown (the step did not reach \"").append(start == null ? from : to).append("\")\n");
        } else {
            out.append(duration(Duration.between(start, end))).append('\n');
        }
    }

    private void incremental(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<List<String>> rows = journal.rows("SELECT table_name, rows, key_before, key_after, duration_ms FROM"
                + " {schema}.incremental_results WHERE run_id = ? ORDER BY table_name", run.id());
        if (rows.isEmpty()) {
            return;
        }
        out.append("\nIncremental step\n");
        for (List<String> r : rows) {
            long rowsCopied = Long.parseLong(r.get(1));
            long millis = Math.max(1, Long.parseLong(r.get(4)));
            out.append(String.format("  %-32s %10d rows  %s -> %s  %s  %d rows/s%n", r.get(0), rowsCopied, r.get(2), r.get(3),
                    duration(Duration.ofMillis(millis)), rowsCopied * 1000 / millis));
        }
    }

    private void learningContent(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<List<String>> rows = journal.rows("SELECT table_name, rows FROM {schema}.learning_content_counts WHERE run_id = ?"
                + " ORDER BY table_name", run.id());
        if (rows.isEmpty()) {
            return;
        }
        out.append("\nLearning content\n");
        rows.forEach(r -> out.append(String.format("  %-32s %10s rows%n", r.get(0), r.get(1))));
    }

    private void webhooks(RunJournal.Run run, StringBuilder out) throws SQLException {
        List<List<String>> rows = journal.rows("SELECT url, status, http_status, attempts, error FROM {schema}.webhook_results"
                + " WHERE run_id = ? ORDER BY at", run.id());
        if (rows.isEmpty()) {
            return;
        }
        out.append("\nWebhooks\n");
        rows.forEach(r -> out.append(String.format("  %s %s%s, %s attempt(s)%s%n", r.get(0), r.get(1),
                r.get(2) == null ? "" : " (HTTP " + r.get(2) + ")", r.get(3), r.get(4) == null ? "" : " — " + r.get(4))));
    }

    /** As the original's report: "10h 21min 34s", "2min 5s", "3s", "120ms". */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.toMillis() + "ms";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return (hours > 0 ? hours + "h " : "") + (hours > 0 || minutes > 0 ? minutes + "min " : "") + rest + "s";
    }
}
