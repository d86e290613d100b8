package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full step against a real PostgreSQL with the real pg_dump, pg_restore and psql. */
class FullReplicationTest {

    static final String TARGET_ROLE = "replica_owner";
    static final String TARGET_PASSWORD = "replica-Secret-1";
    static DatabaseUrl source;
    DatabaseUrl target;

    static final String SOURCE_SCHEMA = """
            CREATE TYPE public."answer-status" AS ENUM ('ok', 'ko', 'aband');
            CREATE FUNCTION public.add_one(i integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
            BEGIN RETURN i + 1; END $$;
            CREATE TABLE public.users (id serial PRIMARY KEY, name text NOT NULL, "createdAt" timestamptz NOT NULL);
            COMMENT ON TABLE public.users IS 'the users';
            CREATE TABLE public.answers (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users,
                status public."answer-status" NOT NULL, "challengeId" text NOT NULL, "createdAt" timestamptz NOT NULL);
            CREATE INDEX "answers_userId_index" ON public.answers ("userId");
            CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users,
                "answerId" bigint REFERENCES public.answers, "createdAt" timestamptz NOT NULL);
            CREATE TABLE public."knowledge-element-snapshots" (id serial PRIMARY KEY,
                "userId" integer REFERENCES public.users, "snappedAt" timestamptz NOT NULL);
            CREATE TABLE public."organization-learners" (id serial PRIMARY KEY, "userId" integer REFERENCES public.users, name text);
            CREATE TABLE public."Weird-Name""Quoted" (id serial PRIMARY KEY, "Value" text, score integer CHECK (score >= 0));
            CREATE TABLE public.big (id bigint PRIMARY KEY, payload text, amount numeric(12, 2), doc jsonb, tags text[]);
            COMMENT ON TABLE public.big IS 'one hundred thousand rows';
            CREATE VIEW public."user-answers" AS
                SELECT u.id, public.add_one(count(a.id)::integer) AS answers_plus_one
                FROM public.users u LEFT JOIN public.answers a ON a."userId" = u.id GROUP BY u.id;

            INSERT INTO public.users (name, "createdAt")
                SELECT 'user ' || i, timestamptz '2024-01-01' + i * interval '1 hour' FROM generate_series(1, 1000) i;
            INSERT INTO public.answers ("userId", status, "challengeId", "createdAt")
                SELECT 1 + i % 1000, (ARRAY['ok','ko','aband'])[1 + i % 3]::public."answer-status", 'rec' || (i % 97),
                       timestamptz '2024-02-01' + i * interval '1 minute' FROM generate_series(1, 5000) i;
            INSERT INTO public."knowledge-elements" ("userId", "answerId", "createdAt")
                SELECT 1 + i % 1000, 1 + i % 5000, timestamptz '2024-02-01' + i * interval '30 seconds' FROM generate_series(1, 10000) i;
            INSERT INTO public."knowledge-element-snapshots" ("userId", "snappedAt")
                SELECT 1 + i % 1000, timestamptz '2024-03-01' + i * interval '1 day' FROM generate_series(1, 500) i;
            INSERT INTO public."organization-learners" ("userId", name) SELECT i, 'learner ' || i FROM generate_series(1, 300) i;
            INSERT INTO public."Weird-Name""Quoted" ("Value", score) VALUES ('a,b', 1), ('quote''s "double"', 2), (NULL, 3);
            INSERT INTO public.big (id, payload, amount, doc, tags)
                SELECT i, repeat(md5(i::text), 3), i / 100.0, jsonb_build_object('i', i, 'even', i % 2 = 0),
                       ARRAY['t' || (i % 7), 'x,y']
                FROM generate_series(1, 100000) i;
            SELECT setval('public.users_id_seq', 5000);
            CREATE SEQUENCE public."never-used_seq" START 7;
            """;

    @BeforeAll
    static void createSource() {
        TestPostgres.createRole(TARGET_ROLE, TARGET_PASSWORD);
        source = TestPostgres.createDatabase("full_source", null);
        Db.execute(source, SOURCE_SCHEMA);
    }

    @AfterAll
    static void dropSource() {
        TestPostgres.dropDatabase(source);
    }

    @BeforeEach
    void createTarget() {
        // The target belongs to an ordinary user: dropping objects must not need a superuser.
        target = TestPostgres.createDatabase("full_target", TARGET_ROLE).withUser(TARGET_ROLE, TARGET_PASSWORD);
    }

    @AfterEach
    void dropTarget() {
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables(String backupMode, String fkMode) {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", "postgres://" + TARGET_ROLE + ":" + TARGET_PASSWORD + "@" + target.host() + ":"
                + target.port() + "/" + target.database());
        variables.put("BACKUP_MODE", backupMode);
        variables.put("RESTORE_FK_CONSTRAINTS", fkMode);
        variables.put("PG_RESTORE_JOBS", "2");
        // small enough that the 100k-row table is copied in several parallel parts
        variables.put("FULL_COPY_SPLIT_MB", "4");
        // one attempt: a failure is the test's subject, not something to retry
        variables.put("MAX_RETRY_COUNT", "1");
        return variables;
    }

    CliRunner.Result runFull(Map<String, String> variables) {
        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");
        assertThat(result.err()).doesNotContain(TARGET_PASSWORD);
        assertThat(result.out()).doesNotContain(TARGET_PASSWORD);
        return result;
    }

    static final List<String> TABLES = List.of("users", "answers", "\"knowledge-elements\"",
            "\"knowledge-element-snapshots\"", "\"organization-learners\"", "\"Weird-Name\"\"Quoted\"", "big");

    String contents(DatabaseUrl db, String table) {
        return Db.scalar(db, "SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM public." + table + " t");
    }

    @Test
    void copiesEveryTableWithItsRowsCommentsTypesFunctionsViewsAndSequences() {
        CliRunner.Result result = runFull(variables("{}", "not-valid"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String table : TABLES) {
            assertThat(contents(target, table)).as(table).isEqualTo(contents(source, table));
        }
        assertThat(Db.count(target, "SELECT count(*) FROM public.big")).isEqualTo(100_000);
        assertThat(Db.scalar(target, "SELECT obj_description('public.big'::regclass)")).isEqualTo("one hundred thousand rows");
        assertThat(Db.scalar(target, "SELECT obj_description('public.users'::regclass)")).isEqualTo("the users");
        assertThat(Db.scalar(target, "SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::public.\"answer-status\")) e"))
                .isEqualTo("ok,ko,aband");
        assertThat(Db.scalar(target, "SELECT public.add_one(41)")).isEqualTo("42");
        assertThat(Db.scalar(target, "SELECT sum(answers_plus_one) FROM public.\"user-answers\""))
                .isEqualTo(Db.scalar(source, "SELECT sum(answers_plus_one) FROM public.\"user-answers\""));
        assertThat(Db.scalar(target, "SELECT last_value FROM public.users_id_seq")).isEqualTo("5000");
        assertThat(Db.scalar(target, "SELECT last_value FROM public.answers_id_seq")).isEqualTo("5000");
        assertThat(Db.scalar(target, "SELECT nextval('public.\"never-used_seq\"')")).isEqualTo("7");
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                .contains("answers_userId_index", "big_pkey", "Weird-Name\"Quoted_pkey");
        assertThat(Db.scalar(target, "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%score%'"))
                .isEqualTo("1");
        // routes/journal.yaml: the milestones the report times the backup, the restore and the enrichment with
        assertThat(Db.column(target, "SELECT step || ': ' || name FROM replication.step_milestones ORDER BY at"))
                .containsExactly("full: Start create Backup", "full: Start restore", "full: Restore done",
                        "full: Import and enrichment done");
    }

    @Test
    void aMilestoneThatCannotBeWrittenIsAWarningNotAFailure() {
        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();
        Db.execute(target, "ALTER TABLE replication.step_milestones RENAME TO step_milestones_away");
        try (LogCapture log = new LogCapture("journal-milestone")) {
            CliRunner.Result result = runFull(variables("{}", "not-valid"));

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(log.messages()).hasSize(4).first().asString().startsWith(
                    "cannot record the milestone Start create Backup in the journal: ERROR: relation").contains("step_milestones");
        } finally {
            Db.execute(target, "ALTER TABLE replication.step_milestones_away RENAME TO step_milestones");
        }
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id")).containsExactly("succeeded", "succeeded");
    }

    @Test
    void createsTheFourEnrichmentIndexesAndTheCompatibilityView() {
        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();

        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")).contains(
                "knowledge-elements_createdAt_idx", "knowledge-element-snapshots_snappedAt_idx",
                "answers_challengeId_idx", "users_createdAt_idx");
        assertThat(Db.scalar(target, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_createdAt_idx'"))
                .contains("'UTC+1'").contains("DESC");
        assertThat(Db.scalar(target, "SELECT relkind FROM pg_class WHERE relname = 'schooling-registrations'")).isEqualTo("v");
        assertThat(Db.count(target, "SELECT count(*) FROM public.\"schooling-registrations\"")).isEqualTo(300);
    }

    @Test
    void enrichmentIndexBuildsJoinTheLoadAndOtherStatementsRunAfterIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("60-big-amount.sql"), "-- table: big\nCREATE INDEX big_amount_idx ON public.big (amount);\n");
        // not an index build: after the load
        Files.writeString(dir.resolve("70-comment.sql"), "-- table: users\n"
                + "COMMENT ON COLUMN public.users.name IS 'shown to analysts';\n");
        Map<String, String> variables = variables("{}", "not-valid");
        variables.put("ENRICHMENT_DIR", dir.toString());

        CliRunner.Result result = runFull(variables);
        assertThat(result.exitCode()).as(result.err()).isZero();

        String restoreDone = "(SELECT max(at) FROM replication.step_milestones WHERE name = 'Restore done')";
        assertThat(Db.column(target, "SELECT name FROM replication.restore_items WHERE category = 'ENRICHMENT'"
                + " AND ended_at <= " + restoreDone + " ORDER BY name")).containsExactly(
                "10-knowledge-elements-created-at.sql", "20-knowledge-element-snapshots-snapped-at.sql",
                "30-answers-challenge-id.sql", "40-users-created-at.sql", "60-big-amount.sql");
        assertThat(Db.column(target, "SELECT name FROM replication.restore_items WHERE category = 'ENRICHMENT'"
                + " AND started_at >= " + restoreDone)).containsExactly("70-comment.sql");
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE tablename = 'big'")).contains("big_amount_idx");
        assertThat(Db.scalar(target, "SELECT col_description('public.users'::regclass, 2)")).isEqualTo("shown to analysts");
    }

    @Test
    void anEnrichmentFileThatDoesNotNameItsTableFailsTheStepBeforeTheTargetIsTouched(@TempDir Path dir) throws Exception {
        Map<String, String> variables = variables("{}", "not-valid");
        variables.put("FULL_REFRESH", "in-place");
        assertThat(runFull(variables).exitCode()).isZero();
        Files.writeString(dir.resolve("50-no-table.sql"), "CREATE INDEX users_name_idx ON public.users (name)\n");
        variables.put("ENRICHMENT_DIR", dir.toString());

        CliRunner.Result result = runFull(variables);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("enrichment file " + dir.resolve("50-no-table.sql")
                + " must start with a line '-- table: <table name>' naming the table it needs");
        // in place, yet the copy of the night before is whole: nothing was dropped
        for (String table : TABLES) {
            assertThat(contents(target, table)).as(table).isEqualTo(contents(source, table));
        }
    }

    @Test
    void foreignKeysNotValidAreCreatedWithoutValidation() {
        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();

        assertThat(Db.rows(target, "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1"))
                .hasSize(foreignKeyCount(source)).allSatisfy(row -> assertThat(row.get(1)).isEqualTo("f"));
    }

    @Test
    void foreignKeysTrueAreRestoredValidated() {
        assertThat(runFull(variables("{}", "true")).exitCode()).isZero();

        assertThat(Db.rows(target, "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1"))
                .hasSize(foreignKeyCount(source)).allSatisfy(row -> assertThat(row.get(1)).isEqualTo("t"));
    }

    @Test
    void foreignKeysFalseAreNotCreated() {
        assertThat(runFull(variables("{}", "false")).exitCode()).isZero();

        assertThat(Db.count(target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace")).isZero();
        assertThat(contents(target, "\"knowledge-elements\"")).isEqualTo(contents(source, "\"knowledge-elements\""));
    }

    static int foreignKeyCount(DatabaseUrl db) {
        return (int) Db.count(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace");
    }

    @Test
    void keptTablesSurviveWithTheirRowsWhileEveryOtherTableIsRefreshed() {
        // The target already holds the kept tables, created by hand: they use the enum, and a view reads one of them.
        Db.execute(target, """
                CREATE TYPE public."answer-status" AS ENUM ('ok', 'ko', 'aband');
                CREATE TABLE public.answers (id bigserial PRIMARY KEY, "userId" integer,
                    status public."answer-status" NOT NULL, "challengeId" text NOT NULL, "createdAt" timestamptz NOT NULL);
                CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer,
                    "answerId" bigint, "createdAt" timestamptz NOT NULL);
                INSERT INTO public.answers ("userId", status, "challengeId", "createdAt")
                    SELECT i, 'ko', 'kept' || i, now() FROM generate_series(1, 42) i;
                INSERT INTO public."knowledge-elements" ("userId", "answerId", "createdAt")
                    SELECT i, i, now() FROM generate_series(1, 7) i;
                CREATE TABLE public.stale (id int);
                CREATE VIEW public."kept-answers" AS SELECT count(*) AS n FROM public.answers;
                """);
        Map<String, String> variables = variables("{\"answers\": \"incremental\", \"knowledge-elements\": \"none\"}", "true");
        // the target was filled by hand: it is adopted once
        variables.put("REPLICATION_TARGET_TAKEOVER", "true");

        for (int run = 1; run <= 2; run++) {
            CliRunner.Result result = runFull(variables);

            assertThat(result.exitCode()).as("run %d: %s", run, result.err()).isZero();
            assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(42);
            assertThat(Db.count(target, "SELECT count(*) FROM public.answers WHERE \"challengeId\" LIKE 'kept%'")).isEqualTo(42);
            assertThat(Db.count(target, "SELECT count(*) FROM public.\"knowledge-elements\"")).isEqualTo(7);
            for (String table : List.of("users", "\"knowledge-element-snapshots\"", "\"organization-learners\"", "big")) {
                assertThat(contents(target, table)).as(table).isEqualTo(contents(source, table));
            }
            assertThat(Db.scalar(target, "SELECT to_regclass('public.stale')")).isNull();
            // the view over a kept table is recreated from the source
            assertThat(Db.count(target, "SELECT count(*) FROM public.\"user-answers\"")).isEqualTo(1000);
            assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                    .contains("users_createdAt_idx", "knowledge-element-snapshots_snappedAt_idx", "answers_pkey")
                    .doesNotContain("answers_challengeId_idx", "knowledge-elements_createdAt_idx", "answers_userId_index");
            // foreign keys touching a kept table are skipped; the others are restored
            assertThat(Db.column(target, "SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"))
                    .containsExactlyInAnyOrder("knowledge-element-snapshots_userId_fkey", "organization-learners_userId_fkey");
        }
    }

    @Test
    void theLearningContentTablesStayUntilTheLearningContentStepReplacesThem() {
        Db.execute(target, "CREATE TABLE public.challenges (id text PRIMARY KEY, instruction text);"
                + " INSERT INTO public.challenges VALUES ('recChal1', 'still here')");

        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();

        assertThat(Db.scalar(target, "SELECT instruction FROM public.challenges")).isEqualTo("still here");
        assertThat(contents(target, "users")).isEqualTo(contents(source, "users"));
    }

    @Test
    void twoRunsInARowGiveTheSameResult() {
        Map<String, String> variables = variables("{}", "not-valid");
        assertThat(runFull(variables).exitCode()).isZero();
        Map<String, String> first = Db.state(target);

        assertThat(runFull(variables).exitCode()).isZero();

        assertThat(Db.state(target)).isEqualTo(first);
        assertThat(first).containsKeys("relation big", "index knowledge-elements_createdAt_idx", "enum answer-status",
                "function add_one(integer)", "relation user-answers");
    }

    @Test
    void anUnreachableSourceFailsClearlyAndLeavesTheTargetExactlyAsItWas() {
        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();
        Map<String, String> before = Db.state(target);
        Map<String, String> variables = variables("{}", "not-valid");
        variables.put("SOURCE_DATABASE_URL", "postgres://reader:Source-Pw-99@127.0.0.1:1/production");

        CliRunner.Result result = runFull(variables);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: ").contains("SOURCE_DATABASE_URL")
                .contains("127.0.0.1:1/production").doesNotContain("Source-Pw-99");
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(Db.state(target)).isEqualTo(before);
    }

    @Test
    void aFailureWhileReplacingTheSchemaRollsBackAndLeavesTheTargetAndOtherSchemasAsTheyWere() {
        assertThat(runFull(variables("{}", "not-valid")).exitCode()).isZero();
        Db.execute(target, "CREATE SCHEMA analysts; CREATE TABLE analysts.notes (id int); INSERT INTO analysts.notes VALUES (1)");
        Map<String, String> before = Db.state(target);
        Map<String, String> variables = variables("{}", "not-valid");
        variables.put("TARGET_LOCK_TIMEOUT", "1");
        // the in-place replacement (the swap's switch under a lock: SwapLocksTest)
        variables.put("FULL_REFRESH", "in-place");

        // an analyst's open transaction holds a lock on a table the replacement must drop: it times out
        try (var analyst = org.dbreplication.pg.Connections.open(target, "tests")) {
            analyst.setAutoCommit(false);
            analyst.createStatement().execute("LOCK TABLE public.big IN ACCESS SHARE MODE");

            CliRunner.Result result = runFull(variables);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("error: step full failed: the target's schema was not replaced (rolled back")
                    .contains("DROP TABLE IF EXISTS public.big CASCADE: ERROR:  canceling statement due to lock timeout");
            analyst.rollback();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.count(target, "SELECT count(*) FROM analysts.notes")).isEqualTo(1);
    }

    /** The full step from a source of its own (schema), with the target of the test; the step's error. */
    CliRunner.Result runFullFrom(String schema) {
        DatabaseUrl own = TestPostgres.createDatabase("full_source_own", null);
        try {
            Db.execute(own, schema);
            Map<String, String> variables = variables("{}", "not-valid");
            variables.put("SOURCE_DATABASE_URL", own.toString());
            return runFull(variables);
        } finally {
            TestPostgres.dropDatabase(own);
        }
    }

    void assertTheStepsErrorIs(CliRunner.Result result, String cause) {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("error: step full failed: " + cause + " (replay: run --only full)");
        assertThat(Db.rows(target, "SELECT status, error FROM replication.step_attempts"))
                .containsExactly(List.of("failed", cause));
        assertThat(Db.rows(target, "SELECT status, error FROM replication.runs")).containsExactly(List.of("failed", "full: " + cause));
    }

    @Test
    void aFailingPostDataItemGivesTheItemAndTheServersError() {
        // the target's owner is not a superuser: it cannot create a function in the internal language (left out with
        // a warning), so the policy of a copied table over it fails in the parallel pg_restore (PG_RESTORE_JOBS=2)
        CliRunner.Result result = runFullFrom("""
                CREATE TABLE public.events (id integer PRIMARY KEY);
                CREATE FUNCTION public.text_length(text) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'textlen';
                CREATE POLICY events_short ON public.events USING (public.text_length(id::text) < 5);
                """);

        String cause = "POLICY public.events events_short: ERROR:  function public.text_length(text) does not exist";
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("error: step full failed: the copy's rows and sequence values are in,"
                + " but 1 finishing part failed: post-data items: " + cause + " (replay: run --only full)");
        assertThat(Db.scalar(target, "SELECT error FROM replication.step_attempts")).endsWith(cause);
        assertThat(Db.scalar(target, "SELECT error FROM replication.runs")).endsWith(cause);
    }

    @Test
    void aTableThatCannotBeCreatedGivesTheServersErrorAndTheTargetIsUntouched() {
        Map<String, String> before = Db.state(target);

        CliRunner.Result result = runFullFrom("""
                CREATE FUNCTION public.text_length(text) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'textlen';
                CREATE TABLE public.codes (code text CHECK (public.text_length(code) = 3));
                """);

        assertTheStepsErrorIs(result, "the new copy's schema was not created (rolled back: the target is as it was):"
                + " TABLE public.codes: ERROR:  function public.text_length(text) does not exist");
        assertThat(Db.state(target)).isEqualTo(before);
    }
}
