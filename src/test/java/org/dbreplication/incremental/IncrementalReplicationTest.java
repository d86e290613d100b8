package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incremental step against real source and target databases. */
class IncrementalReplicationTest {

    static final String TABLES = """
            CREATE TABLE public.answers (id bigserial PRIMARY KEY, value text NOT NULL, "assessmentId" integer,
                "createdAt" timestamptz NOT NULL DEFAULT now());
            CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer, status text,
                "createdAt" timestamptz NOT NULL DEFAULT now());
            CREATE TABLE public."knowledge-element-snapshots" (id serial PRIMARY KEY, "userId" integer, snapshot jsonb);
            """;
    static final String THREE_TABLES = "{\"answers\": \"incremental\", \"knowledge-elements\": \"incremental\","
            + " \"knowledge-element-snapshots\": \"incremental\"}";

    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void createDatabases() {
        source = TestPostgres.createDatabase("inc_source", null);
        target = TestPostgres.createDatabase("inc_target", null);
        Db.execute(source, TABLES);
    }

    @AfterEach
    void dropDatabases() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables(String backupMode) {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("TARGET_DATABASE_URL", target.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("BACKUP_MODE", backupMode);
        variables.put("INCREMENTAL_CHUNK_ROWS", "700");
        variables.put("INCREMENTAL_JOBS", "2");
        return variables;
    }

    static void insertAnswers(DatabaseUrl db, int from, int to) {
        Db.execute(db, "INSERT INTO public.answers (id, value, \"assessmentId\", \"createdAt\") SELECT i, 'answer ' || i || ', \"q\"',"
                + " i % 50, timestamptz '2024-01-01' + i * interval '1 minute' FROM generate_series(" + from + ", " + to + ") i");
    }

    static void insertKnowledgeElements(DatabaseUrl db, int from, int to) {
        Db.execute(db, "INSERT INTO public.\"knowledge-elements\" (id, \"userId\", status, \"createdAt\") SELECT i, i % 97,"
                + " 'validated', timestamptz '2024-01-01' + i * interval '1 second' FROM generate_series(" + from + ", " + to + ") i");
    }

    static String contents(DatabaseUrl db, String table) {
        return Db.scalar(db, "SELECT count(*) || ':' || count(DISTINCT id) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '')"
                + " FROM public." + table + " t");
    }

    CliRunner.Result runIncremental(Map<String, String> variables) {
        return CliRunner.run(variables, "run", "--only", "incremental");
    }

    @Test
    void withoutIncrementalTableNothingIsCopied() {
        Db.execute(target, TABLES);

        CliRunner.Result result = runIncremental(variables("{\"answers\": \"none\"}"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM replication.incremental_checkpoints")).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isZero();
    }

    @Test
    void emptyTargetTablesFailEachWithTheOriginalMessage() {
        Db.execute(target, TABLES);
        insertAnswers(source, 1, 10);

        CliRunner.Result result = runIncremental(variables(THREE_TABLES));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("answers table must not be empty on target database",
                "knowledge-elements table must not be empty on target database",
                "knowledge-element-snapshots table must not be empty on target database");
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isZero();
    }

    @Test
    void newRowsOfTheThreeTablesAreCopiedExactlyByParallelChunks() {
        // the target's copies have no primary key: a duplicate would show
        Db.execute(target, TABLES.replace(" PRIMARY KEY", ""));
        insertAnswers(source, 1, 5000);
        insertKnowledgeElements(source, 1, 8000);
        Db.execute(source, "INSERT INTO public.\"knowledge-element-snapshots\" (\"userId\", snapshot)"
                + " SELECT i, jsonb_build_object('i', i, 'text', 'a,b \"c\" {d}') FROM generate_series(1, 300) i");
        insertAnswers(target, 1, 1000);
        insertKnowledgeElements(target, 1, 2000);
        Db.execute(target, "INSERT INTO public.\"knowledge-element-snapshots\" SELECT * FROM"
                + " (SELECT i, i, jsonb_build_object('i', i, 'text', 'a,b \"c\" {d}') FROM generate_series(1, 100) i) s");

        CliRunner.Result result = runIncremental(variables(THREE_TABLES));

        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String table : List.of("answers", "\"knowledge-elements\"", "\"knowledge-element-snapshots\"")) {
            assertThat(contents(target, table)).as(table).isEqualTo(contents(source, table));
        }
        assertThat(Db.rows(target, "SELECT table_name, copied_through FROM replication.incremental_checkpoints ORDER BY 1"))
                .containsExactly(List.of("answers", "5000"), List.of("knowledge-element-snapshots", "300"),
                        List.of("knowledge-elements", "8000"));
        assertThat(Db.count(target, "SELECT count(*) FROM replication.incremental_chunks")).isZero();

        insertAnswers(source, 5001, 5100);
        assertThat(runIncremental(variables(THREE_TABLES)).exitCode()).isZero();
        assertThat(contents(target, "answers")).isEqualTo(contents(source, "answers"));
    }

    @Test
    void aRowCommittedLateBelowTheWatermarkIsCopiedByTheNextRun() {
        Db.execute(target, TABLES.replace(" PRIMARY KEY", ""));
        insertAnswers(source, 1, 3000);
        Db.execute(source, "DELETE FROM public.answers WHERE id IN (2990, 1500)");
        insertAnswers(target, 1, 100);
        assertThat(runIncremental(variables("{\"answers\": \"incremental\"}")).exitCode()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(2998);

        // transactions that had taken these keys commit now, below what the first run copied
        insertAnswers(source, 2990, 2990);
        insertAnswers(source, 1500, 1500);
        insertAnswers(source, 3001, 3010);
        CliRunner.Result result = runIncremental(variables("{\"answers\": \"incremental\"}"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "answers")).isEqualTo(contents(source, "answers"));
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(3010);
    }

    @Test
    void aRowWrittenOnTheTargetInsideTheCopiedRangeFailsTheTableWithBothCounts() {
        Db.execute(target, TABLES.replace(" PRIMARY KEY", ""));
        insertAnswers(source, 1, 2000);
        insertAnswers(target, 1, 100);
        assertThat(runIncremental(variables("{\"answers\": \"incremental\"}")).exitCode()).isZero();
        insertAnswers(source, 2001, 3000);
        // somebody wrote on the copy, above what the tool copied
        insertAnswers(target, 2500, 2500);

        CliRunner.Result result = runIncremental(variables("{\"answers\": \"incremental\"}"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("answers: after the copy, keys (2000, 2700] hold 700 rows in the source but 701"
                + " in the target");
        assertThat(Db.scalar(target, "SELECT copied_through FROM replication.incremental_checkpoints")).isEqualTo("2000");
        // the failed chunk's rows were rolled back: only the row written there by hand is in its range
        assertThat(Db.scalar(target, "SELECT count(*) FROM answers WHERE id > 2000 AND id <= 2700")).isEqualTo("1");
        // the next run copies that range again, and fails again until the target is put right
        CliRunner.Result again = runIncremental(variables("{\"answers\": \"incremental\"}"));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("keys (2000, 2700] hold 700 rows in the source but 701 in the target");
        Db.execute(target, "DELETE FROM answers WHERE id = 2500");
        assertThat(runIncremental(variables("{\"answers\": \"incremental\"}")).exitCode()).isZero();
        assertThat(Db.scalar(target, "SELECT count(*) FROM answers")).isEqualTo("3000");
    }

    @Test
    void anAddedColumnAndAKeyWidenedToBigintInTheSourceAreAppliedToTheTarget() {
        Db.execute(source, "DROP TABLE public.answers; CREATE TABLE public.answers (id integer PRIMARY KEY, value text NOT NULL,"
                + " \"assessmentId\" integer, \"createdAt\" timestamptz NOT NULL DEFAULT now())");
        Db.execute(target, "CREATE TABLE public.answers (id integer PRIMARY KEY, value text NOT NULL, \"assessmentId\" integer,"
                + " \"createdAt\" timestamptz NOT NULL DEFAULT now())");
        insertAnswers(source, 1, 1000);
        insertAnswers(target, 1, 1000);
        Db.execute(source, """
                ALTER TABLE public.answers ALTER COLUMN id TYPE bigint;
                ALTER TABLE public.answers ADD COLUMN score integer NOT NULL DEFAULT 7;
                ALTER TABLE public.answers ALTER COLUMN value TYPE text;
                """);
        Db.execute(source, "INSERT INTO public.answers (id, value, score) VALUES (3000000000, 'big key', 42)");

        CliRunner.Result result = runIncremental(variables("{\"answers\": \"incremental\"}"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.rows(target, "SELECT column_name, data_type, column_default FROM information_schema.columns"
                + " WHERE table_name = 'answers' AND column_name IN ('id', 'score') ORDER BY 1"))
                .containsExactly(java.util.Arrays.asList("id", "bigint", null), List.of("score", "integer", "7"));
        assertThat(Db.scalar(target, "SELECT score FROM public.answers WHERE id = 3000000000")).isEqualTo("42");
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers WHERE score = 7")).isEqualTo(1000);
        assertThat(contents(target, "answers")).isEqualTo(contents(source, "answers"));
    }

    @Test
    void aColumnDroppedInTheSourceFailsTheTableAndCopiesNothingOfIt() {
        Db.execute(target, TABLES);
        Db.execute(target, "ALTER TABLE public.answers ADD COLUMN legacy text");
        insertAnswers(source, 1, 500);
        insertAnswers(target, 1, 100);
        insertKnowledgeElements(source, 1, 300);
        insertKnowledgeElements(target, 1, 100);

        CliRunner.Result result = runIncremental(variables("{\"answers\": \"incremental\", \"knowledge-elements\": \"incremental\"}"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("answers").contains("[legacy]").contains("dropped or renamed")
                .doesNotContain("knowledge-elements:");
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(100);
        // the other table went on
        assertThat(contents(target, "\"knowledge-elements\"")).isEqualTo(contents(source, "\"knowledge-elements\""));
    }

    @Test
    void aMissingTableIsCreatedFromTheSourceAndCopiedWholeWithBootstrap() {
        insertAnswers(source, 1, 2500);
        Db.execute(source, "CREATE INDEX \"answers_assessmentId_idx\" ON public.answers (\"assessmentId\")");
        Map<String, String> variables = variables("{\"answers\": \"incremental\"}");

        assertThat(runIncremental(variables).err()).contains("answers table must not be empty on target database");
        variables.put("INCREMENTAL_BOOTSTRAP", "true");
        CliRunner.Result result = runIncremental(variables);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "answers")).isEqualTo(contents(source, "answers"));
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE tablename = 'answers' ORDER BY 1"))
                .containsExactly("answers_assessmentId_idx", "answers_pkey");
    }

    @Test
    void upsertModeReflectsUpdatedAndNewRows() {
        String users = "CREATE TABLE public.users (id integer PRIMARY KEY, name text, \"updatedAt\" timestamptz NOT NULL)";
        Db.execute(source, users);
        Db.execute(target, users);
        Db.execute(source, "INSERT INTO public.users SELECT i, 'user ' || i, timestamptz '2024-01-01' + i * interval '1 hour'"
                + " FROM generate_series(1, 500) i");
        Db.execute(target, "INSERT INTO public.users SELECT * FROM (SELECT i, 'user ' || i, timestamptz '2024-01-01'"
                + " + i * interval '1 hour' FROM generate_series(1, 500) i) s");
        Db.execute(source, "UPDATE public.users SET name = 'renamed, \"quoted\"', \"updatedAt\" = timestamptz '2025-06-01'"
                + " WHERE id % 10 = 0");
        Db.execute(source, "INSERT INTO public.users VALUES (501, 'new', timestamptz '2025-06-02')");
        String mode = "{\"users\": {\"mode\": \"upsert\", \"key\": \"id\", \"cursor\": \"updatedAt\"}}";

        CliRunner.Result result = runIncremental(variables(mode));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "users")).isEqualTo(contents(source, "users"));
        assertThat(Db.count(target, "SELECT count(*) FROM public.users WHERE name LIKE 'renamed%'")).isEqualTo(50);
        assertThat(Db.scalar(target, "SELECT cursor_through FROM replication.incremental_checkpoints")).startsWith("2025-06-02");

        Db.execute(source, "UPDATE public.users SET name = 'again', \"updatedAt\" = timestamptz '2025-07-01' WHERE id = 7");
        assertThat(runIncremental(variables(mode)).exitCode()).isZero();
        assertThat(contents(target, "users")).isEqualTo(contents(source, "users"));
    }

    @Test
    void columnsMayBeInAnotherOrderOnTheTarget() {
        Db.execute(target, "CREATE TABLE public.answers (\"createdAt\" timestamptz NOT NULL, \"assessmentId\" integer,"
                + " value text NOT NULL, id bigint PRIMARY KEY)");
        insertAnswers(source, 1, 2000);
        Db.execute(target, "INSERT INTO public.answers (id, value, \"assessmentId\", \"createdAt\") VALUES (1, 'answer 1, \"q\"', 1,"
                + " timestamptz '2024-01-01' + interval '1 minute')");

        CliRunner.Result result = runIncremental(variables("{\"answers\": \"incremental\"}"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.scalar(target, "SELECT md5(string_agg(id || value || \"assessmentId\" || \"createdAt\", ',' ORDER BY id)) FROM public.answers"))
                .isEqualTo(Db.scalar(source, "SELECT md5(string_agg(id || value || \"assessmentId\" || \"createdAt\", ',' ORDER BY id)) FROM public.answers"));
    }

    @Test
    void tableNamesWithDashUpperCaseAndQuotesAreCopied() {
        String odd = "CREATE TABLE public.\"Odd-\"\"Name\"\"\" (id bigint PRIMARY KEY, \"Value\" text)";
        Db.execute(source, odd);
        Db.execute(target, odd);
        Db.execute(source, "INSERT INTO public.\"Odd-\"\"Name\"\"\" SELECT i, 'v' || i FROM generate_series(1, 1500) i");
        Db.execute(target, "INSERT INTO public.\"Odd-\"\"Name\"\"\" SELECT i, 'v' || i FROM generate_series(1, 10) i");

        CliRunner.Result result = runIncremental(variables("{\"Odd-\\\"Name\\\"\": \"incremental\"}"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "\"Odd-\"\"Name\"\"\"")).isEqualTo(contents(source, "\"Odd-\"\"Name\"\"\""));
    }

    @Test
    void aRunKilledMidTableResumesWithoutDuplicatesNorGaps() throws Exception {
        Db.execute(target, TABLES.replace(" PRIMARY KEY", ""));
        insertAnswers(source, 1, 200_000);
        insertAnswers(target, 1, 100);
        Map<String, String> variables = variables("{\"answers\": \"incremental\"}");
        variables.put("INCREMENTAL_CHUNK_ROWS", "1000");
        variables.put("INCREMENTAL_JOBS", "1");

        Process process = SeparateProcess.start(variables, "run", "--only", "incremental");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (chunksCommitted() < 5 && process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
        long partial = Db.count(target, "SELECT count(*) FROM public.answers");
        assertThat(partial).isGreaterThan(100).isLessThan(200_000);

        CliRunner.Result result = runIncremental(variables);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "answers")).isEqualTo(contents(source, "answers"));
    }

    long chunksCommitted() {
        try {
            return Db.count(target, "SELECT count(*) FROM replication.incremental_chunks");
        } catch (IllegalStateException notYetCreated) {
            return 0;
        }
    }
}
