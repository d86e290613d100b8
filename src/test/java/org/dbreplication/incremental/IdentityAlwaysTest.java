package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incremental step writes the source's own keys into GENERATED ALWAYS identity columns wherever it inserts
 * rows itself (upsert, rows committed late, bootstrap), which PostgreSQL refuses without OVERRIDING SYSTEM VALUE.
 */
class IdentityAlwaysTest {

    static final String PROFILES = """
            CREATE TABLE public.profiles (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, nickname text NOT NULL,
                "updatedAt" timestamptz NOT NULL);
            """;
    static final String UPSERT = "{\"profiles\": {\"mode\": \"upsert\", \"key\": \"id\", \"cursor\": \"updatedAt\"}}";

    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void createDatabases() {
        source = TestPostgres.createDatabase("ident_source", null);
        target = TestPostgres.createDatabase("ident_target", null);
    }

    @AfterEach
    void dropDatabases() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables(String backupMode) {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        variables.put("BACKUP_MODE", backupMode);
        variables.put("INCREMENTAL_CHUNK_ROWS", "700");
        return variables;
    }

    CliRunner.Result runIncremental(Map<String, String> variables) {
        return CliRunner.run(variables, "run", "--only", "incremental");
    }

    static String contents(DatabaseUrl db, String table) {
        return Db.scalar(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') FROM public." + table + " t");
    }

    @Test
    void upsertModeReplacesAndAddsRowsOfAGeneratedAlwaysIdentityTable() {
        Db.execute(source, PROFILES + """
                INSERT INTO public.profiles (nickname, "updatedAt")
                SELECT 'player ' || g, TIMESTAMPTZ '2026-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 30) g;
                UPDATE public.profiles SET nickname = nickname || ' (renamed)',
                    "updatedAt" = TIMESTAMPTZ '2026-02-01 00:00+00' + id * interval '1 second' WHERE id IN (3, 6, 9, 12, 15);
                """);
        // the target as an earlier copy left it: rows 1..20, before the renames
        Db.execute(target, PROFILES + """
                INSERT INTO public.profiles (nickname, "updatedAt")
                SELECT 'player ' || g, TIMESTAMPTZ '2026-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 20) g;
                """);

        CliRunner.Result result = runIncremental(variables(UPSERT));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "profiles")).isEqualTo(contents(source, "profiles")).startsWith("30:");
        assertThat(Db.count(target, "SELECT count(*) FROM public.profiles WHERE nickname LIKE '%(renamed)'")).isEqualTo(5);

        Db.execute(source, "UPDATE public.profiles SET nickname = 'again', \"updatedAt\" = TIMESTAMPTZ '2026-03-01 00:00+00' WHERE id = 21;"
                + " INSERT INTO public.profiles (nickname, \"updatedAt\") VALUES ('new', TIMESTAMPTZ '2026-03-02 00:00+00')");
        CliRunner.Result second = runIncremental(variables(UPSERT));

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(contents(target, "profiles")).isEqualTo(contents(source, "profiles")).startsWith("31:");
    }

    @Test
    void rowsCommittedLateBelowTheWatermarkAreRepairedIntoAGeneratedAlwaysIdentityTable() {
        String events = "CREATE TABLE public.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);";
        Db.execute(source, events + " INSERT INTO public.events (body) SELECT 'event ' || g FROM generate_series(1, 3000) g;"
                + " DELETE FROM public.events WHERE id IN (1500, 2990);");
        Db.execute(target, events + " INSERT INTO public.events (body) SELECT 'event ' || g FROM generate_series(1, 100) g;");
        Map<String, String> variables = variables("{\"events\": \"incremental\"}");
        assertThat(runIncremental(variables).exitCode()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.events")).isEqualTo(2998);

        // transactions that had taken these keys commit now, below what the first run copied
        Db.execute(source, "INSERT INTO public.events (id, body) OVERRIDING SYSTEM VALUE VALUES (1500, 'event 1500'), (2990, 'event 2990');"
                + " INSERT INTO public.events (body) SELECT 'event ' || g FROM generate_series(3001, 3010) g;");
        CliRunner.Result result = runIncremental(variables);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "events")).isEqualTo(contents(source, "events")).startsWith("3010:");
    }

    @Test
    void aMissingGeneratedAlwaysIdentityTableIsCreatedAndCopiedWholeWithBootstrap() {
        Db.execute(source, PROFILES + "INSERT INTO public.profiles (nickname, \"updatedAt\") SELECT 'player ' || g,"
                + " TIMESTAMPTZ '2026-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 1500) g;");
        Map<String, String> variables = variables("{\"profiles\": \"incremental\"}");
        variables.put("INCREMENTAL_BOOTSTRAP", "true");

        CliRunner.Result result = runIncremental(variables);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(contents(target, "profiles")).isEqualTo(contents(source, "profiles")).startsWith("1500:");
        assertThat(Db.scalar(target, "SELECT attidentity FROM pg_attribute WHERE attrelid = 'public.profiles'::regclass"
                + " AND attname = 'id'")).isEqualTo("a");
    }
}
