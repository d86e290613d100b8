package org.dbreplication.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;

/**
 * One run of the demo ({@code run} with the demo's variables), then what it did, read back where an operator would
 * find it: the run journal for the rows each step copied, the demo's webhook receiver for what the notification
 * step sent.
 */
final class DemoRun {

    /** Lines of the webhook's summary printed: enough to see the run, its status and its first steps. */
    private static final int SUMMARY_LINES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> variables;
    private final DemoHttp http;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<String> done = new java.util.ArrayList<>();

    DemoRun(Map<String, String> variables, DemoHttp http, PrintWriter out, PrintWriter err) {
        this.variables = variables;
        this.http = http;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code run <arguments>} under the heading {@code title}; returns its exit code. */
    int run(String title, String... arguments) throws Exception {
        out.printf("%n=== %s: db-replication run%s%n", title, arguments.length == 0 ? "" : " " + String.join(" ", arguments));
        out.flush();
        int webhooksBefore = http.received().size();
        long start = System.nanoTime();
        String[] command = new String[arguments.length + 1];
        command[0] = "run";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        int code = Cli.execute(variables, out, err, command);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != Cli.OK) {
            out.printf("=== %s failed (exit code %d) after %.1f s%n", title, code, seconds);
            return code;
        }
        try (RunJournal journal = new RunJournal(Settings.from(variables))) {
            RunJournal.Run run = journal.recentRuns(1).get(0);
            out.printf("=== %s (run #%d: %s) succeeded in %.1f s. What it copied:%n", title, run.id(), run.plan(), seconds);
            done.add(run.id() + ": " + title.replaceFirst(",.*", ""));
            printCopied(journal, run.id());
            List<DemoHttp.Received> received = http.received();
            if (run.plan().contains("notification")) {
                printWebhooks(received.subList(webhooksBefore, received.size()));
            }
        }
        return Cli.OK;
    }

    /** The runs so far, e.g. "2: night 1". */
    List<String> reports() {
        return List.copyOf(done);
    }

    private void printCopied(RunJournal journal, long runId) throws Exception {
        List<String> full = journal.rows("SELECT count(DISTINCT name), coalesce(sum(rows), 0) FROM {schema}.restore_items"
                + " WHERE run_id = ? AND category = 'TABLE DATA'", runId).get(0);
        if (!"0".equals(full.get(0))) {
            out.printf("  full step        : %s rows into %s tables, from one snapshot of the source%n", full.get(1), full.get(0));
        }
        List<List<String>> incremental = journal.rows("SELECT table_name, rows, key_before, key_after"
                + " FROM {schema}.incremental_results WHERE run_id = ? ORDER BY table_name", runId);
        if (!incremental.isEmpty()) {
            out.printf("  incremental step : %s%n", incremental.stream().map(r -> r.get(0) + " " + r.get(1) + " rows"
                    + (r.get(2) == null ? " (the whole table)" : " (keys " + r.get(2) + " -> " + r.get(3) + ")"))
                    .collect(Collectors.joining(", ")));
        }
        List<List<String>> content = journal.rows("SELECT table_name, rows FROM {schema}.learning_content_counts"
                + " WHERE run_id = ? ORDER BY table_name", runId);
        if (!content.isEmpty()) {
            out.printf("  learning content : %d rows into %d tables (%s)%n", content.stream().mapToLong(r -> Long.parseLong(r.get(1))).sum(),
                    content.size(), content.stream().map(r -> r.get(0) + " " + r.get(1)).collect(Collectors.joining(", ")));
        }
    }

    private void printWebhooks(List<DemoHttp.Received> received) throws Exception {
        if (received.isEmpty()) {
            out.println("  webhook          : none received");
            return;
        }
        for (DemoHttp.Received call : received) {
            JsonNode summary = JSON.readTree(call.body());
            out.printf("  webhook received : %s %s (%s), answered 200, summary status %s; its first lines:%n", call.method(),
                    call.path(), call.tokenMatched() ? "with the token of NOTIFICATIONS" : "WITHOUT the expected token",
                    summary.path("status").asText("none"));
            List<String> lines = summary.toPrettyString().lines().toList();
            lines.stream().limit(SUMMARY_LINES).forEach(line -> out.println("      " + line));
            if (lines.size() > SUMMARY_LINES) {
                out.printf("      … (%d more lines: the steps, warnings, incremental and learning-content counts)%n",
                        lines.size() - SUMMARY_LINES);
            }
        }
    }
}
