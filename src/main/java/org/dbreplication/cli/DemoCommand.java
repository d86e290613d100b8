package org.dbreplication.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dbreplication.pg.DatabaseUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: two nights of the chain on built-in data, so that a newcomer sees every step at work on one
 * machine — the full copy, the incremental tables (created by a set-up run, then given just the new rows), the
 * learning content and the webhook (served and received by the demo's own HTTP server) — and the report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs two nights of the chain on a built-in demo and prints what each did.",
                "Creates the databases demo_source and demo_target (DEMO_DATABASE_URL, else the local server at "
                        + "127.0.0.1:5432, else an embedded PostgreSQL 15) and fills the source with Pix-shaped sample "
                        + "data, its answers and knowledge-elements being incremental tables (BACKUP_MODE). An HTTP "
                        + "server of the demo serves a sample learning-content document (LCMS_API_URL) and receives the "
                        + "webhook (NOTIFICATIONS). A set-up run creates the incremental tables on the target "
                        + "(INCREMENTAL_BOOTSTRAP), night 1 runs the whole chain; then rows are appended to the "
                        + "incremental tables of the source, and night 2 runs the chain again, whose incremental step "
                        + "copies just those. Prints the rows each night copied, the webhook each sent, what the "
                        + "target holds and the last night's report."})
class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Option(names = "--scale", defaultValue = "1", description = "sample size: 1 ≈ 90k knowledge-elements (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--serve", description = "at the end, serve the status page of the demo's target on http://127.0.0.1:PORT/ (default 8080) until Ctrl-C, with credentials it prints")
    boolean serve;

    @Override
    public Integer call() throws Exception {
        DemoServer server;
        try {
            server = DemoServer.start(cli.variables.get("DEMO_DATABASE_URL"), cli.out);
        } catch (DemoServer.NoServerException e) {
            return cli.cannotStart(e);
        }
        try (server; DemoHttp http = DemoHttp.start()) {
            DatabaseUrl source = server.recreate("demo_source");
            DatabaseUrl target = server.recreate("demo_target");
            DemoData data = new DemoData(scale, cli.out);
            data.fill(source);
            Map<String, String> variables = variables(server, http);
            printSetup(source, target, variables, http);

            DemoRun runs = new DemoRun(variables, http, cli.out, cli.err);
            // Set-up, once, as a first deployment: the incremental tables must be on the target before the first
            // full night. Run after the full step on an empty target, the bootstrap fails: the full step creates
            // the kept tables' sequences (answers_id_seq…) though not the tables, and the bootstrap's CREATE
            // SEQUENCE then finds them there ("relation … already exists").
            int code = runs.run("set-up, once: the incremental tables created on the empty target", "--only", "incremental");
            if (code == Cli.OK) {
                code = runs.run("night 1");
            }
            if (code != Cli.OK) {
                return code;
            }
            Map<String, Long> appended = data.appendNextDay(source);
            cli.out.printf("%n=== the next day: rows appended to the incremental tables of the source: %s%n",
                    appended.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            code = runs.run("night 2");
            if (code != Cli.OK) {
                return code;
            }

            cli.out.println("\n=== what the target holds now");
            data.printCopy(source, target);
            cli.out.println("\n=== the report of night 2 (bin/replication report [RUN_ID])");
            cli.out.flush();
            code = Cli.execute(variables, cli.out, cli.err, "report");
            if (code != Cli.OK) {
                return code;
            }
            printWhereTheDataIs(server, target, runs.reports());
            if (serve) {
                serve(variables);
            }
            return Cli.OK;
        }
    }

    /** The variables of every run: the user's, with the demo's databases, kept tables and HTTP services. */
    private Map<String, String> variables(DemoServer server, DemoHttp http) {
        Map<String, String> variables = new HashMap<>(cli.variables);
        variables.put("SOURCE_DATABASE_URL", server.urlWithPassword("demo_source"));
        variables.put("DATABASE_URL", server.urlWithPassword("demo_target"));
        variables.remove("TARGET_DATABASE_URL");
        variables.put("BACKUP_SOURCE", "dump");
        variables.put("BACKUP_MODE", DemoData.INCREMENTAL_TABLES.stream().map(t -> "\"" + t + "\": \"incremental\"")
                .collect(Collectors.joining(", ", "{", "}")));
        // the target starts empty: the set-up's incremental step creates these tables and copies them whole
        variables.put("INCREMENTAL_BOOTSTRAP", "true");
        variables.put("LCMS_API_URL", http.lcmsUrl());
        variables.put("LCMS_API_KEY", http.apiKey());
        variables.put("NOTIFICATIONS", http.notifications());
        variables.remove("NOTIFICATION_URLS");
        variables.put("RUN_TRIGGER", "demo");
        // a demo that fails says so within seconds, not after the 10 attempts and minutes of backoff of a real night
        variables.putIfAbsent("MAX_RETRY_COUNT", "3");
        variables.putIfAbsent("LOG_FORMAT", "text");
        return variables;
    }

    private void printSetup(DatabaseUrl source, DatabaseUrl target, Map<String, String> variables, DemoHttp http) {
        cli.out.println("the demo's settings, for every run (bin/replication run reads the same variables):");
        cli.out.println("  SOURCE_DATABASE_URL=" + source);
        cli.out.println("  DATABASE_URL=" + target);
        cli.out.println("  BACKUP_MODE=" + variables.get("BACKUP_MODE") + "   kept out of the full copy, new rows appended by the incremental step");
        cli.out.println("  INCREMENTAL_BOOTSTRAP=true   the set-up creates them on the target and copies them whole");
        cli.out.println("  LCMS_API_URL=" + http.lcmsUrl() + "   the demo's HTTP server: src/main/resources/sample/learning-content.json");
        cli.out.println("  NOTIFICATIONS=[{\"url\": \"" + http.webhookUrl() + "\", \"token\": …}]   received by the demo's HTTP server");
        cli.out.println("  MAX_RETRY_COUNT=" + variables.get("MAX_RETRY_COUNT") + "   attempts per step");
    }

    /** A psql URL only when the databases outlive the demo: an embedded server's go with it. */
    private void printWhereTheDataIs(DemoServer server, DatabaseUrl target, List<String> reports) {
        if (server.persistent()) {
            cli.out.println("explore it: psql '" + target + "'");
            cli.out.println("each run's report: DATABASE_URL='" + target + "' bin/replication report N   (N = "
                    + String.join(", ", reports) + ")");
        } else {
            cli.out.println("the demo's databases are on an embedded PostgreSQL that stops with the demo: they are gone"
                    + " at exit. To keep them, run a PostgreSQL at 127.0.0.1:5432 or set DEMO_DATABASE_URL.");
        }
    }

    /**
     * {@code --serve}: the web process on the demo's target after both nights, on this machine only (PORT, default
     * 8080), with credentials made for this demo and printed; until Ctrl-C.
     */
    void serve(Map<String, String> variables) throws Exception {
        Map<String, String> web = new HashMap<>(variables);
        web.put("WEB_HOST", "127.0.0.1");
        web.putIfAbsent("PORT", "8080");
        web.put("WEB_USER", "demo");
        String password = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getInstanceStrong().generateSeed(8));
        web.put("WEB_PASSWORD", password);
        try (org.dbreplication.web.WebServer server = org.dbreplication.web.WebServer.start(
                org.dbreplication.config.Settings.from(web))) {
            cli.out.println("status page: http://127.0.0.1:" + web.get("PORT") + "/   user demo, password " + password
                    + " (made for this demo). Ctrl-C stops it.");
            cli.out.flush();
            server.awaitShutdown();
        }
    }
}
