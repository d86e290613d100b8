package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Types shared by a kept table ({@code events}, BACKUP_MODE incremental) and a copied table ({@code tickets}),
 * changed in the source since the last night: from the live source (BACKUP_SOURCE=dump) and from an archive of it
 * (BACKUP_SOURCE=file), with the real pg_dump, pg_restore and psql.
 */
class KeptTypesTest {

    /** Shared case 18: yesterday's target has the enum with two labels; the source has added 'archived' since. */
    static final String ENUM_SOURCE = """
            CREATE TYPE status AS ENUM ('open', 'closed');
            CREATE TABLE events (id bigint PRIMARY KEY, status status NOT NULL, at timestamptz NOT NULL);
            CREATE TABLE tickets (id integer PRIMARY KEY, status status NOT NULL, title text NOT NULL);
            ALTER TYPE status ADD VALUE 'archived';
            """;
    static final String ENUM_SOURCE_ROWS = """
            INSERT INTO events SELECT g, 'open', TIMESTAMPTZ '2026-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 30) g;
            INSERT INTO tickets SELECT g, (ARRAY['open', 'closed', 'archived'])[1 + g % 3]::status, 'ticket ' || g FROM generate_series(1, 30) g;
            """;
    static final String ENUM_TARGET = """
            CREATE TYPE status AS ENUM ('open', 'closed');
            CREATE TABLE events (id bigint PRIMARY KEY, status status NOT NULL, at timestamptz NOT NULL);
            INSERT INTO events SELECT g, 'open', TIMESTAMPTZ '2026-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 20) g;
            CREATE TABLE tickets (id integer PRIMARY KEY, status status NOT NULL, title text NOT NULL);
            """;

    /** Every kind of type compared, written the same on both sides: nothing to change, nothing to refuse. */
    static final String EVERY_KIND = """
            CREATE TYPE mood AS ENUM ('it''s ok', 'bad, (really)');
            CREATE DOMAIN code AS varchar(20) COLLATE "C" NOT NULL DEFAULT lower('X') CONSTRAINT code_check CHECK (VALUE <> '');
            CREATE TYPE pair AS (a integer, "B c" text COLLATE "C", n numeric(4,1), m mood);
            CREATE TYPE span AS RANGE (subtype = numeric);
            CREATE TABLE events (id bigint PRIMARY KEY, m mood, c code, p pair, s span);
            CREATE TABLE tickets (id integer PRIMARY KEY, m mood, c code, p pair, s span);
            INSERT INTO events VALUES (1, 'it''s ok', 'a', ROW(1, 'x', 1.5, 'bad, (really)'), '[1,2)');
            """;

    /** The user-defined types of the public schema as the catalog holds them: kinds, labels, constraints, defaults. */
    static final String TYPES = """
            SELECT string_agg(t.typname || ' ' || t.typtype::text || ' ' || t.typnotnull::text
                || ' default=' || coalesce(pg_get_expr(t.typdefaultbin, 'pg_type'::regclass), '')
                || ' labels=' || coalesce((SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), '')
                || ' checks=' || coalesce((SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ',' ORDER BY conname)
                                           FROM pg_constraint WHERE contypid = t.oid), '')
                || ' attributes=' || coalesce((SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
                                               FROM pg_attribute WHERE attrelid = t.typrelid AND attnum > 0 AND NOT attisdropped), ''),
                ' | ' ORDER BY t.typname)
            FROM pg_type t WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c', 'r')
              AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
            """;

    @TempDir
    Path archives;
    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void createDatabases() {
        source = TestPostgres.createDatabase("types_source", null);
        target = TestPostgres.createDatabase("types_target", null);
    }

    @AfterEach
    void dropDatabases() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    /** One step; in file mode the full step restores an archive of the source made just before. */
    CliRunner.Result run(String mode, String step) throws Exception {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("BACKUP_MODE", "{\"events\": \"incremental\"}");
        variables.put("REPLICATION_TARGET_TAKEOVER", "true");
        if (mode.equals("file") && step.equals("full")) {
            Path archive = archives.resolve("source-" + System.nanoTime() + ".pgsql");
            Process dump = new ProcessBuilder(PgTools.locate(Optional.empty()).pgDump(), "--format=custom", "--no-owner",
                    "--file=" + archive, source.libpqConninfo(null, "tests", null)).redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(dump.waitFor()).as(output).isZero();
            variables.put("BACKUP_SOURCE", "file");
            variables.put("BACKUP_FILE", archive.toString());
        }
        return CliRunner.run(variables, "run", "--only", step);
    }

    static String contents(DatabaseUrl db, String table) {
        return Db.scalar(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM public." + table + " t");
    }

    void assertSucceeded(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "file"})
    void labelsAddedInTheSourceAreAddedInPlaceAndBothStepsSucceedTwoNights(String mode) throws Exception {
        Db.execute(source, ENUM_SOURCE);
        Db.execute(source, ENUM_SOURCE_ROWS);
        Db.execute(target, ENUM_TARGET);

        assertSucceeded(run(mode, "full"));
        assertThat(contents(target, "tickets")).isEqualTo(contents(source, "tickets"));
        assertThat(Db.count(target, "SELECT count(*) FROM tickets WHERE status = 'archived'")).isEqualTo(10);
        assertThat(Db.count(target, "SELECT count(*) FROM events")).isEqualTo(20);
        assertThat(Db.scalar(target, TYPES)).isEqualTo(Db.scalar(source, TYPES)).contains("labels=open,closed,archived");
        assertSucceeded(run(mode, "incremental"));
        assertThat(contents(target, "events")).isEqualTo(contents(source, "events"));

        // the next night: one more label, in the middle, already used by both tables
        Db.execute(source, "ALTER TYPE status ADD VALUE 'pending' BEFORE 'closed'");
        Db.execute(source, "INSERT INTO tickets VALUES (31, 'pending', 'ticket 31');"
                + " INSERT INTO events VALUES (31, 'archived', now()), (32, 'pending', now())");
        assertSucceeded(run(mode, "full"));
        assertThat(Db.scalar(target, TYPES)).isEqualTo(Db.scalar(source, TYPES)).contains("labels=open,pending,closed,archived");
        assertThat(contents(target, "tickets")).isEqualTo(contents(source, "tickets"));
        assertThat(Db.count(target, "SELECT count(*) FROM events")).isEqualTo(30);
        assertSucceeded(run(mode, "incremental"));
        assertThat(contents(target, "events")).isEqualTo(contents(source, "events"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "file"})
    void aLabelRenamedOrReorderedInTheSourceIsRefusedNamingTheEnumAndTheTargetIsLeftAsItWas(String mode) throws Exception {
        Db.execute(source, ENUM_SOURCE);
        Db.execute(source, ENUM_SOURCE_ROWS);
        Db.execute(target, ENUM_TARGET);
        assertSucceeded(run(mode, "full"));
        Map<String, String> before = Db.state(target);

        Db.execute(source, "ALTER TYPE status RENAME VALUE 'closed' TO 'done'");
        CliRunner.Result renamed = run(mode, "full");

        assertThat(renamed.exitCode()).isEqualTo(1);
        assertThat(renamed.err()).contains("enum public.status: label 'closed' removed or renamed in the source");
        assertThat(Db.state(target)).isEqualTo(before);

        // a kept table made by hand with the labels in another order than the source's ('open', 'done', 'archived')
        Db.execute(target, "DROP TABLE events, tickets; DROP TYPE status; CREATE TYPE status AS ENUM ('archived', 'open');"
                + " CREATE TABLE events (id bigint PRIMARY KEY, status status NOT NULL, at timestamptz NOT NULL);"
                + " INSERT INTO events VALUES (1, 'archived', now()), (2, 'open', now())");
        Map<String, String> handMade = Db.state(target);
        CliRunner.Result reordered = run(mode, "full");

        assertThat(reordered.exitCode()).isEqualTo(1);
        assertThat(reordered.err()).contains("enum public.status: labels reordered in the source"
                + " (target: 'archived', 'open'; source: 'open', 'done', 'archived')");
        assertThat(Db.state(target)).isEqualTo(handMade);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "file"})
    void aDomainRelaxedInTheSourceIsRelaxedOnTheTargetAndAConstraintAddedIsRefused(String mode) throws Exception {
        Db.execute(source, """
                CREATE DOMAIN score AS integer DEFAULT 10 CONSTRAINT score_positive CHECK (VALUE >= 0);
                CREATE TABLE events (id bigint PRIMARY KEY, score score, at timestamptz NOT NULL);
                CREATE TABLE tickets (id integer PRIMARY KEY, score score, title text NOT NULL);
                INSERT INTO events SELECT g, g, now() FROM generate_series(1, 30) g;
                INSERT INTO tickets SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE g * 10 END, 'ticket ' || g FROM generate_series(1, 30) g;
                """);
        Db.execute(target, """
                CREATE DOMAIN score AS integer NOT NULL DEFAULT 0 CONSTRAINT score_positive CHECK (VALUE >= 0)
                    CONSTRAINT score_at_most_100 CHECK (VALUE <= 100);
                CREATE TABLE events (id bigint PRIMARY KEY, score score, at timestamptz NOT NULL);
                INSERT INTO events SELECT g, g, now() FROM generate_series(1, 20) g;
                """);

        assertSucceeded(run(mode, "full"));
        // tickets above 100 and without score fit: the check and NOT NULL the source dropped are gone, its default set
        assertThat(contents(target, "tickets")).isEqualTo(contents(source, "tickets"));
        assertThat(Db.count(target, "SELECT count(*) FROM events")).isEqualTo(20);
        assertThat(Db.scalar(target, TYPES)).isEqualTo(Db.scalar(source, TYPES))
                .isEqualTo("score d false default=10 labels= checks=score_positive CHECK ((VALUE >= 0)) attributes=");

        Db.execute(source, "ALTER DOMAIN score ADD CONSTRAINT score_below_1000 CHECK (VALUE < 1000)");
        Map<String, String> before = Db.state(target);
        String typesBefore = Db.scalar(target, TYPES);
        CliRunner.Result refused = run(mode, "full");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("domain public.score: constraint score_below_1000 added: CHECK ((VALUE < 1000))");
        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.scalar(target, TYPES)).isEqualTo(typesBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "file"})
    void unchangedTypesOfEveryKindAreLeftAloneAndACompositeChangedIsRefused(String mode) throws Exception {
        Db.execute(source, EVERY_KIND);
        Db.execute(source, "INSERT INTO tickets VALUES (1, 'bad, (really)', 'b', ROW(2, 'y', 2.5, 'it''s ok'), '[3,4)')");
        Db.execute(target, EVERY_KIND);
        String types = Db.scalar(target, TYPES);

        assertSucceeded(run(mode, "full"));
        assertThat(Db.scalar(target, TYPES)).isEqualTo(types).isEqualTo(Db.scalar(source, TYPES));
        assertThat(contents(target, "tickets")).isEqualTo(contents(source, "tickets"));
        assertThat(contents(target, "events")).isEqualTo(contents(source, "events"));

        Db.execute(source, "ALTER TYPE pair ADD ATTRIBUTE z date");
        Map<String, String> before = Db.state(target);
        CliRunner.Result refused = run(mode, "full");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("composite type public.pair: attributes changed");
        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.scalar(target, TYPES)).isEqualTo(types);
    }
}
