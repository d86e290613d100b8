package org.dbreplication.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code demo} as a newcomer runs it, on the tests' PostgreSQL (DEMO_DATABASE_URL): the set-up and two nights, the
 * rows appended in between copied by the second night's incremental step, the learning content and the webhook
 * served and received by the demo's own HTTP server, the report.
 */
class DemoCommandTest {

    final DatabaseUrl server = TestPostgres.admin();

    @AfterEach
    void dropTheDemoDatabases() {
        TestPostgres.dropDatabase(server.withDatabase("demo_source"));
        TestPostgres.dropDatabase(server.withDatabase("demo_target"));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path logs;

    @Test
    void showsTheWholeNightTwiceWithTheNewRowsOfTheIncrementalTablesCopiedTheSecondTime() throws Exception {
        java.nio.file.Path log = logs.resolve("demo.log");
        int port = org.dbreplication.web.WebClient.freePort();
        Process process = org.dbreplication.SeparateProcess.start(log, Map.of("DEMO_DATABASE_URL", server.toString(),
                "PORT", Integer.toString(port)), "demo", "--serve");
        String out;
        try {
            org.dbreplication.WaitFor.until("the demo serves its status page", java.time.Duration.ofSeconds(300), () -> {
                assertThat(process.isAlive()).as(org.dbreplication.SeparateProcess.output(log)).isTrue();
                return org.dbreplication.SeparateProcess.output(log).contains("status page: http://127.0.0.1:");
            });
            out = org.dbreplication.SeparateProcess.output(log);
            java.util.regex.Matcher printed = java.util.regex.Pattern.compile("user demo, password ([0-9a-f]+)").matcher(out);
            assertThat(printed.find()).isTrue();
            java.net.http.HttpResponse<String> runs = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/runs"))
                            .header("Authorization", org.dbreplication.web.WebClient.basic("demo", printed.group(1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.body()).contains("\"id\":3").contains("\"trigger\":\"demo\"");
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        CliRunner.Result demo = new CliRunner.Result(0, out, "");
        DatabaseUrl source = server.withDatabase("demo_source");
        DatabaseUrl target = server.withDatabase("demo_target");
        for (String table : DemoData.INCREMENTAL_TABLES) {
            String count = "SELECT count(*) FROM public." + org.dbreplication.pg.Sql.ident(table);
            assertThat(Db.count(target, count)).as(table).isEqualTo(Db.count(source, count));
        }
        assertThat(Db.count(source, "SELECT count(*) FROM public.answers")).isEqualTo(45_000 + 4_500);
        // the second night copied exactly the rows appended to the source after the first one
        assertThat(Db.rows(target, "SELECT table_name, rows FROM replication.incremental_results WHERE run_id = 3 ORDER BY 1"))
                .containsExactly(List.of("answers", "4500"), List.of("knowledge-elements", "9000"));
        assertThat(demo.out()).contains("=== the next day: rows appended to the incremental tables of the source:"
                        + " answers 4500, knowledge-elements 9000",
                "incremental step : answers 4500 rows (keys 45000 -> 49500), knowledge-elements 9000 rows (keys 90000 -> 99000)");
        for (String table : List.of("areas", "attachments", "competences", "tubes", "skills", "challenges", "courses", "tutorials")) {
            assertThat(Db.count(target, "SELECT count(*) FROM public." + table)).as(table).isPositive();
        }
        assertThat(Db.scalar(target, "SELECT name FROM public.competences WHERE id = 'recDemoComp12'")).isEqualTo("Gérer des données");

        String received = "webhook received : POST /webhook (with the token of NOTIFICATIONS), answered 200, summary status data_ready";
        assertThat(demo.out().split(java.util.regex.Pattern.quote(received), -1)).as("one webhook a night").hasSize(3);
        assertThat(demo.out()).contains("\"run_id\" : 2,", "\"run_id\" : 3,");
        assertThat(demo.out()).contains("=== the report of night 2", "Run #3 (demo): full → incremental → learning-content → notification",
                "status : succeeded", "Incremental step", "Learning content", "/webhook delivered (HTTP 200)");
        assertThat(demo.out()).contains("explore it: psql '" + target + "'")
                .doesNotContain("demo-key-", "demo-token-");
    }

    @Test
    void aConfiguredServerKeepsItsPasswordAndParametersForTheChainButNeverPrintsThem() throws Exception {
        StringWriter printed = new StringWriter();
        try (DemoServer demoServer = DemoServer.start("postgres://demo:s3cr%40t@db.example.net:6543/postgres?sslmode=require",
                new PrintWriter(printed, true))) {
            assertThat(demoServer.urlWithPassword("demo_source"))
                    .isEqualTo("postgres://demo:s3cr%40t@db.example.net:6543/demo_source?sslmode=require");
            assertThat(demoServer.persistent()).isTrue();
        }
        assertThat(printed.toString()).contains("db.example.net:6543").doesNotContain("s3cr");
    }
}
