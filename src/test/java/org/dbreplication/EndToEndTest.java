package org.dbreplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.learningcontent.LearningContentTest;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole chain through the command line: full → incremental → learning-content → notification, then the
 * report, the web status and the schema export, against real databases, a real content API and a real webhook.
 */
class EndToEndTest {

    DatabaseUrl source;
    DatabaseUrl target;
    DatabaseUrl catalog;
    ContentApi contentApi;
    ContentApi webhook;

    @BeforeEach
    void start() throws Exception {
        source = TestPostgres.createDatabase("e2e_source", null);
        target = TestPostgres.createDatabase("e2e_target", null);
        catalog = TestPostgres.createDatabase("e2e_catalog", null);
        Db.execute(source, """
                CREATE TABLE public.users (id serial PRIMARY KEY, name text NOT NULL, "createdAt" timestamptz NOT NULL DEFAULT now());
                CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users,
                    "createdAt" timestamptz NOT NULL DEFAULT now());
                COMMENT ON TABLE public.users IS 'users';
                INSERT INTO public.users (name) SELECT 'user ' || i FROM generate_series(1, 500) i;
                INSERT INTO public."knowledge-elements" ("userId") SELECT 1 + i % 500 FROM generate_series(1, 20000) i;
                """);
        // the kept table already on the target, as a first deployment leaves it
        Db.execute(target, """
                CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer,
                    "createdAt" timestamptz NOT NULL DEFAULT now());
                INSERT INTO public."knowledge-elements" ("userId") SELECT 1 + i % 500 FROM generate_series(1, 5000) i;
                """);
        contentApi = new ContentApi();
        contentApi.answer(200, LearningContentTest.DOCUMENT);
        webhook = new ContentApi();
    }

    @AfterEach
    void stop() {
        contentApi.close();
        webhook.close();
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
        TestPostgres.dropDatabase(catalog);
    }

    @Test
    void theWholeChainRunsFromTheCommandLineAndIsReportedAndExported() throws Exception {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("BACKUP_MODE", "{\"knowledge-elements\": \"incremental\"}");
        variables.put("LCMS_API_URL", contentApi.baseUrl());
        variables.put("LCMS_API_KEY", "e2e-key");
        variables.put("NOTIFICATIONS", "[{\"url\": \"" + webhook.baseUrl() + "/ready\", \"token\": \"e2e-Token\"}]");
        variables.put("DB_SCHEMA_EXPORTER_ENABLED", "true");
        variables.put("DB_SCHEMA_EXPORTER_DATABASE_TARGET", catalog.toString());

        CliRunner.Result run = CliRunner.run(variables, "run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.users")).isEqualTo(500);
        assertThat(Db.count(target, "SELECT count(*) FROM public.\"knowledge-elements\"")).isEqualTo(20000);
        assertThat(Db.count(target, "SELECT count(*) FROM public.challenges")).isEqualTo(2);
        assertThat(webhook.requests).singleElement().satisfies(request -> assertThat(request.body())
                .contains("\"run_id\":1").contains("\"step\":\"full\"").contains("\"step\":\"learning-content\"")
                .contains("{\"table\":\"knowledge-elements\",\"rows\":15000}").contains("{\"table\":\"challenges\",\"rows\":2}"));
        assertThat(Db.rows(target, "SELECT step, status FROM replication.step_attempts ORDER BY started_at")).containsExactly(
                List.of("full", "succeeded"), List.of("incremental", "succeeded"), List.of("learning-content", "succeeded"),
                List.of("notification", "succeeded"));

        CliRunner.Result report = CliRunner.run(variables, "report");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("Run #1 (cli): full → incremental → learning-content → notification",
                "status : succeeded", "backup duration : ", "restore duration : ", "enrichment duration : ",
                "CONSTRAINT public.users users_pkey", "TABLE DATA total duration : ", "TABLE DATA users",
                "knowledge-elements", "15000 rows", "5000 -> 20000", "challenges", "/api/ready delivered (HTTP 200)");

        try (org.dbreplication.web.WebClient web = org.dbreplication.web.WebClient.start(variables)) {
            HttpResponse<String> ready = web.get("/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            HttpResponse<String> runs = web.get("/api/runs");
            assertThat(runs.body()).contains("\"id\":1").contains("\"step\":\"notification\"").doesNotContain("e2e-key", "e2e-Token");
        }

        CliRunner.Result export = CliRunner.run(variables, "export-schema");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Db.column(catalog, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
                .contains("users", "knowledge-elements", "challenges");
        assertThat(Db.count(catalog, "SELECT count(*) FROM public.users")).isZero();
        assertThat(Db.scalar(catalog, "SELECT obj_description('public.users'::regclass)")).isEqualTo("users");
    }
}
