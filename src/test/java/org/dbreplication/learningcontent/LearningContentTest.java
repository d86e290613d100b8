package org.dbreplication.learningcontent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.ContentApi;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The learning-content step with a real HTTP server for the content API and a real PostgreSQL. */
public class LearningContentTest {

    static final String KEY = "lcms-Secret-Key-42";
    static final String TRICKY = "a, \\\"quoted\\\" {braced} back\\\\slash\\nnew line\\ttab — 日本語 ✓";
    static final String TRICKY_VALUE = "a, \"quoted\" {braced} back\\slash\nnew line\ttab — 日本語 ✓";

    public static final String DOCUMENT = """
            {
              "areas": [{"id": "recArea1", "name": "Information", "extra": "ignored"}],
              "attachments": [{"id": "recAtt1", "type": "illustration", "challengeId": "recChal1", "alt": "%1$s",
                               "url": "https://x/y.png", "size": 12345}],
              "competences": [{"id": "recComp1", "name_i18n": {"fr": "Mener une recherche", "en": "Search"},
                               "index": "1.1", "origin": "Pix", "areaId": ["recArea1"]}],
              "tubes": [{"id": "recTube1", "name": "@recherche", "practicalTitle_i18n": {"fr": "Rechercher"},
                         "practicalDescription_i18n": {"fr": "%1$s"}, "competenceId": ["recComp1"]}],
              "skills": [{"id": "recSkill1", "name": "@recherche1", "description": "d", "level": 1, "tubeId": ["recTube1"],
                          "status": "actif", "pixValue": 1.23456, "hint_i18n": {"fr": "Indice"}, "hintStatus": "Validé",
                          "tutorialIds": ["recTuto1", "a,b", "%1$s"], "learningMoreTutorialIds": [],
                          "internationalisation": "Monde"}],
              "challenges": [
                {"history": [{"by": "x", "changes": {"instruction": "not this", "id": "nor this"}}], "meta": {"skillId": [1]},
                 "id": "recChal1", "instruction_i18n": {"fr": "pas ça"}, "instruction": "%1$s", "status": "validé", "type": "QCM", "timer": 60, "autoReply": true,
                 "skillId": "recSkill1", "locales": ["fr", "fr-fr"], "embedUrl": "https://embed", "alternativeInstruction": "",
                 "area": "France", "focusable": true, "solutionToDisplay": "because", "delta": 0.5, "alpha": 1.2,
                 "createdAt": "2024-01-02T03:04:05.000Z", "accessibility1": "OK", "requireGafamWebsiteAccess": false,
                 "genealogy": "Prototype 1", "version": 2, "proposals": "- a\\n- b", "solution": "1", "shuffled": false,
                 "contextualizedFields": ["instruction", "illustration"], "urlsToConsult": ["https://a,b", "x\\"y"]},
                {"id": "recChal2", "instruction": "second", "skillId": null, "timer": null}
              ],
              "courses": [{"id": "recCourse1", "name": "Course"}],
              "tutorials": [{"id": "recTuto1", "title": "Tuto", "link": "https://t", "tutorialForSkills": ["recSkill1"],
                             "furtherInformation": null, "locale": "fr-fr"}],
              "unknownTable": [{"id": "x"}]
            }
            """.formatted(TRICKY);

    ContentApi api;
    DatabaseUrl target;

    @BeforeEach
    void start() throws Exception {
        api = new ContentApi();
        target = TestPostgres.createDatabase("lcms_target", null);
    }

    @AfterEach
    void stop() {
        api.close();
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables() {
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", target.toString());
        variables.put("LCMS_API_URL", api.baseUrl());
        variables.put("LCMS_API_KEY", KEY);
        variables.put("APP", "pix-datawarehouse");
        variables.put("TARGET_LOCK_TIMEOUT", "30");
        return variables;
    }

    CliRunner.Result run(Map<String, String> variables) {
        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "learning-content");
        assertThat(result.err() + result.out()).doesNotContain(KEY);
        return result;
    }

    @Test
    void loadsEveryTableWithItsValuesIndexesAndKeys() {
        api.answer(200, DOCUMENT);

        CliRunner.Result result = run(variables());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(api.requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/api/databases/airtable");
            assertThat(request.headers().get("Authorization")).containsExactly("Bearer " + KEY);
            assertThat(request.headers().get("Client")).containsExactly("pix-datawarehouse");
        });
        for (String table : List.of("areas", "attachments", "competences", "tubes", "skills", "courses", "tutorials")) {
            assertThat(Db.count(target, "SELECT count(*) FROM public." + table)).as(table).isEqualTo(1);
        }
        assertThat(Db.count(target, "SELECT count(*) FROM public.challenges")).isEqualTo(2);
        assertThat(Db.scalar(target, "SELECT alt FROM attachments")).isEqualTo(TRICKY_VALUE);
        assertThat(Db.scalar(target, "SELECT size FROM attachments")).isEqualTo("12345");
        assertThat(Db.rows(target, "SELECT name, code, title, origin, \"areaId\" FROM competences"))
                .containsExactly(List.of("Mener une recherche", "1.1", "Mener une recherche", "Pix", "recArea1"));
        assertThat(Db.rows(target, "SELECT \"practicalTitle\", \"practicalDescription\", \"competenceId\" FROM tubes"))
                .containsExactly(List.of("Rechercher", TRICKY_VALUE, "recComp1"));
        assertThat(Db.scalar(target, "SELECT \"pixValue\" FROM skills")).isEqualTo("1.23456");
        assertThat(Db.scalar(target, "SELECT \"tutorialIds\"[3] FROM skills")).isEqualTo(TRICKY_VALUE);
        assertThat(Db.scalar(target, "SELECT array_length(\"tutorialIds\", 1) || '/' || \"tutorialIds\"[2] FROM skills")).isEqualTo("3/a,b");
        assertThat(Db.scalar(target, "SELECT cardinality(\"learningMoreTutorialIds\") FROM skills")).isEqualTo("0");
        assertThat(Db.rows(target, """
                SELECT instruction, timer, "autoReply", "skillIds"::text, "skillCount", "firstSkillId", "secondSkillId",
                       languages::text, "hasEmbedUrl", "hasAlternativeInstruction", focus, "explicativeResponse",
                       "createdAt" = timestamptz '2024-01-02T03:04:05Z', "requireGafamWebsiteAccess", "toRephrase",
                       version, "urlsToConsult"[1], "urlsToConsult"[2], proposals
                FROM challenges WHERE id = 'recChal1'"""))
                .containsExactly(java.util.Arrays.asList(TRICKY_VALUE, "60", "t", "{recSkill1}", "1", "recSkill1", null, "{fr,fr-fr}",
                        "t", "f", "t", "because", "t", "f", "f", "2", "https://a,b", "x\"y", "- a\n- b"));
        assertThat(Db.rows(target, "SELECT \"skillIds\" IS NULL, \"autoReply\", \"hasEmbedUrl\", shuffled, \"skillCount\""
                + " FROM challenges WHERE id = 'recChal2'")).containsExactly(List.of("t", "f", "f", "f", "1"));
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")).containsExactly(
                "areas_pkey", "attachments_pkey", "challenges_firstSkillId_idx", "challenges_pkey", "competences_areaId_idx",
                "competences_pkey", "courses_pkey", "skills_pkey", "skills_tubeId_idx", "tubes_competenceId_idx",
                "tubes_pkey", "tutorials_pkey", "tutorials_title_idx");
        assertThat(Db.scalar(target, "SELECT to_regclass('public.\"unknownTable\"')")).isNull();
        // written with COPY FREEZE: all-visible from the start, no first reader setting hint bits
        assertThat(Db.scalar(target, "SELECT relpages > 0 AND relallvisible = relpages FROM pg_class"
                + " WHERE oid = 'public.challenges'::regclass")).isEqualTo("t");
        assertThat(Db.scalar(target, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'challenges'"
                + " AND data_type = 'boolean' AND is_nullable = 'YES'")).isEqualTo("0");
    }

    @Test
    void aTableMissingFromTheDocumentIsCreatedEmpty() {
        api.answer(200, "{\"areas\": [{\"id\": \"recArea1\", \"name\": \"Only\"}]}");

        CliRunner.Result result = run(variables());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM areas")).isEqualTo(1);
        assertThat(Db.count(target, "SELECT count(*) FROM challenges")).isZero();
    }

    @Test
    void badInputsFailClearlyAndLeaveThePreviousTablesUntouched() {
        api.answer(200, DOCUMENT);
        assertThat(run(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(target);

        api.answer(503, "<html>maintenance</html>");
        assertFailsWith("HTTP 503", api.baseUrl() + "/databases/airtable", "LCMS_API_URL");

        api.answer(200, "<!DOCTYPE html><html><body>Login</body></html>");
        assertFailsWith("did not answer JSON");

        api.answer(200, DOCUMENT.replace("{\"id\": \"recChal2\",", "{"));
        assertFailsWith("table challenges", "item number 2 has no id");

        // the key is built beside the reading, on another connection: its failure is the step's, table named
        api.answer(200, DOCUMENT.replace("{\"id\": \"recChal2\",", "{\"id\": \"recChal1\","));
        assertFailsWith("table challenges", "could not create unique index \"challenges_pkey\"");

        api.answer(200, DOCUMENT.replace("\"timer\": 60", "\"timer\": \"sixty\""));
        assertFailsWith("table challenges, item recChal1, field timer: value \"sixty\" is not a smallint");

        api.answer(200, DOCUMENT.replace("\"timer\": 60", "\"timer\": 99999"));
        assertFailsWith("item recChal1, field timer: value 99999");

        api.answer(200, DOCUMENT.replace("\"pixValue\": 1.23456", "\"pixValue\": 42.5"));
        assertFailsWith("table skills, item recSkill1, field pixValue", "does not fit numeric(6,5)");

        api.answer(200, DOCUMENT.substring(0, DOCUMENT.length() / 2));
        assertFailsWith("not valid JSON");

        api.answer(200, DOCUMENT.replace("\"courses\": [", "\"courses\": [{\"id\": \"recCourse9\"}], \"courses\": ["));
        assertFailsWith("table courses appears twice in the learning content");

        Map<String, String> slow = variables();
        slow.put("LCMS_TIMEOUT_SECONDS", "1");
        api.answer(200, DOCUMENT);
        api.pauseHalfway = new CountDownLatch(1);
        CliRunner.Result timeout = run(slow);
        api.pauseHalfway.countDown();
        api.pauseHalfway = null;
        assertThat(timeout.exitCode()).isEqualTo(1);
        assertThat(timeout.err()).contains("within 1 s", "LCMS_TIMEOUT_SECONDS");

        // nothing listens there: a refused connection is said so, not taken for a silence
        Map<String, String> nobody = variables();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        nobody.put("LCMS_API_URL", "http://127.0.0.1:" + closedPort + "/api");
        nobody.put("MAX_RETRY_COUNT", "1");
        CliRunner.Result refused = run(nobody);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot connect to the content API for GET http://127.0.0.1:" + closedPort
                + "/api/databases/airtable (LCMS_API_URL)").doesNotContain("did not answer");

        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.scalar(target, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%learning_content%'")).isEqualTo("0");
    }

    void assertFailsWith(String... fragments) {
        CliRunner.Result result = run(variables());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains(fragments).contains("not changed");
    }

    @Test
    void aQueryRunningDuringTheLoadStillSeesTheCompleteOldTables() throws Exception {
        api.answer(200, DOCUMENT);
        assertThat(run(variables()).exitCode()).isZero();
        String bigger = DOCUMENT.replace("\"courses\": [{\"id\": \"recCourse1\", \"name\": \"Course\"}]",
                "\"courses\": [{\"id\": \"recCourse1\", \"name\": \"Course\"}, {\"id\": \"recCourse2\", \"name\": \"New\"}]");
        api.answer(200, bigger);
        api.halfSent = new CountDownLatch(1);
        api.pauseHalfway = new CountDownLatch(1);

        try (var reader = Connections.open(target, "analyst")) {
            reader.setAutoCommit(false);
            CompletableFuture<CliRunner.Result> load = CompletableFuture.supplyAsync(() -> run(variables()));
            assertThat(api.halfSent.await(30, TimeUnit.SECONDS)).isTrue();
            try (var st = reader.createStatement(); var rs = st.executeQuery(
                    "SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM challenges), (SELECT count(*) FROM areas)")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(1L, 2L, 1L);
            }
            api.pauseHalfway.countDown();
            Thread.sleep(500);
            // the swap waits for this reader, which still sees the old tables
            try (var st = reader.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM courses")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1L);
            }
            reader.commit();
            assertThat(load.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        } finally {
            api.pauseHalfway = null;
        }
        assertThat(Db.count(target, "SELECT count(*) FROM courses")).isEqualTo(2);
    }

    /** The document with {@code count} challenges; {@code change} may rewrite the one at a position (1-based). */
    static String withChallenges(int count, java.util.function.IntFunction<String> change) {
        StringBuilder challenges = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String item = "{\"id\": \"rec" + i + "\", \"instruction\": \"n° " + i + " ✓\", \"timer\": " + (i % 90) + "}";
            String changed = change.apply(i);
            challenges.append(i > 1 ? ",\n" : "").append(changed == null ? item : changed);
        }
        return DOCUMENT.replaceFirst("(?s)\"challenges\": \\[.*?\n  \\],", java.util.regex.Matcher.quoteReplacement("\"challenges\": [" + challenges + "],"));
    }

    @Test
    void aLongTableCrossesManyHandOversAndItsFirstFailureIsTheOneReported() {
        // more items than RowCopier holds between the reading thread and the copying one
        int count = (RowCopier.QUEUED_BATCHES + 4) * RowCopier.BATCH + 7;
        api.answer(200, withChallenges(count, i -> null));
        CliRunner.Result loaded = run(variables());
        assertThat(loaded.exitCode()).as(loaded.err()).isZero();
        assertThat(Db.rows(target, "SELECT count(*), count(DISTINCT id), sum(timer), max(instruction) FILTER (WHERE id = 'rec"
                + count + "') FROM challenges")).containsExactly(List.of(String.valueOf(count), String.valueOf(count),
                String.valueOf(java.util.stream.IntStream.rangeClosed(1, count).map(i -> i % 90).sum()), "n° " + count + " ✓"));
        Map<String, String> before = Db.state(target);

        // positions are counted across hand-overs
        int late = 2 * RowCopier.BATCH + 5;
        api.answer(200, withChallenges(count, i -> i == late ? "{\"instruction\": \"no id\"}" : null));
        assertFailsWith("table challenges", "item number " + late + " has no id");

        // a bad value early, the document cut further on: the bad value comes first in the document, it is reported
        String cut = withChallenges(count, i -> i == late ? "{\"id\": \"recBad\", \"timer\": \"sixty\"}" : null);
        api.answer(200, cut.substring(0, cut.indexOf("\"rec" + (count - 3) + "\"")));
        assertFailsWith("table challenges, item recBad, field timer: value \"sixty\" is not a smallint");

        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.scalar(target, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%learning_content%'")).isEqualTo("0");
    }

    @Test
    void withoutAnApiUrlTheStepHasNothingToDo() {
        Map<String, String> variables = variables();
        variables.remove("LCMS_API_URL");

        CliRunner.Result result = run(variables);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(api.requests).isEmpty();
        assertThat(Db.scalar(target, "SELECT to_regclass('public.challenges')")).isNull();
    }
}
