package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.SchemaDump;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of object pg_dump writes for a schema, copied night after night: the second and third nights replace
 * what the first one created. Objects the target's user may not create, and event triggers, are left out with a
 * warning naming each; everything else equals the source.
 */
class EveryObjectTypeTest {

    /** One object of each kind (created by a superuser, as production schemas often are). */
    static final String SOURCE = """
            CREATE EXTENSION IF NOT EXISTS unaccent;
            CREATE SCHEMA reporting;
            CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TYPE public.pair AS (a integer, b text);
            CREATE TYPE public.floatrange AS RANGE (subtype = float8);
            CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
            CREATE COLLATION public.german (provider = icu, locale = 'de-DE');
            CREATE FUNCTION public.add_one(i integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
            CREATE FUNCTION public.text_to_pair(t text) RETURNS public.pair LANGUAGE sql IMMUTABLE
                AS 'SELECT (length(t), t)::public.pair';
            CREATE PROCEDURE public.touch() LANGUAGE sql AS 'SELECT 1';
            CREATE AGGREGATE public.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
            CREATE FUNCTION public.same_length(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
                AS 'SELECT length(a) = length(b)';
            CREATE OPERATOR public.=~= (leftarg = text, rightarg = text, function = public.same_length);
            CREATE OPERATOR public.!! (rightarg = integer, function = public.add_one);
            CREATE FUNCTION public.len_hash(text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT length($1)';
            CREATE OPERATOR CLASS public.len_hash_ops FOR TYPE text USING hash
                AS OPERATOR 1 public.=~=, FUNCTION 1 public.len_hash(text);
            CREATE OPERATOR FAMILY public.len_ops USING btree;
            CREATE CAST (text AS public.pair) WITH FUNCTION public.text_to_pair(text);
            CREATE CONVERSION public.my_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
            CREATE TEXT SEARCH DICTIONARY public.simple_fr (TEMPLATE = pg_catalog.simple, STOPWORDS = french);
            CREATE TEXT SEARCH CONFIGURATION public.unaccent_french (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
                ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem;
            CREATE SEQUENCE public.ticket_seq START 100;
            CREATE TABLE public.items (id integer PRIMARY KEY, name text COLLATE public.german, mood public.mood,
                qty public.positive, p public.pair, r public.floatrange, code integer DEFAULT nextval('public.ticket_seq'),
                searchable tsvector GENERATED ALWAYS AS (to_tsvector('public.unaccent_french'::regconfig, name)) STORED);
            CREATE TABLE reporting.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                item_id integer REFERENCES public.items, at date NOT NULL);
            CREATE STATISTICS public.items_stats (dependencies) ON id, code FROM public.items;
            CREATE INDEX items_name_idx ON public.items (name);
            CREATE VIEW reporting.item_names AS SELECT id, name FROM public.items;
            CREATE MATERIALIZED VIEW reporting.mood_counts AS SELECT mood, count(*) AS n FROM public.items GROUP BY mood;
            CREATE UNIQUE INDEX mood_counts_mood_idx ON reporting.mood_counts (mood);
            CREATE FUNCTION public.items_touch() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN NEW.name := trim(NEW.name); RETURN NEW; END $$;
            CREATE TRIGGER items_touch BEFORE INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.items_touch();
            CREATE RULE items_no_delete AS ON DELETE TO reporting.item_names DO INSTEAD NOTHING;
            ALTER TABLE public.items ENABLE ROW LEVEL SECURITY;
            CREATE POLICY items_visible ON public.items USING (true);
            CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'ddl'; END $$;
            CREATE EVENT TRIGGER refuse_drops ON sql_drop EXECUTE FUNCTION public.on_ddl();
            COMMENT ON TABLE public.items IS 'items';
            COMMENT ON TEXT SEARCH CONFIGURATION public.unaccent_french IS 'french without accents';
            INSERT INTO public.items (id, name, mood, qty, p, r) VALUES
                (1, 'Crème', 'ok', 3, ROW(1, 'a'), '[1,2)'), (2, 'Pâté', 'happy', 5, ROW(2, 'b'), '[2,3)');
            INSERT INTO reporting.events (item_id, at) VALUES (1, '2026-01-01'), (2, '2026-01-02');
            REFRESH MATERIALIZED VIEW reporting.mood_counts;
            """;

    /** What a target owned by an ordinary user cannot have, and event triggers (never copied). */
    static final List<String> LEFT_OUT = List.of("EVENT TRIGGER refuse_drops", "OPERATOR FAMILY public.len_hash_ops",
            "OPERATOR CLASS public.len_hash_ops", "OPERATOR FAMILY public.len_ops");

    static DatabaseUrl source;

    @BeforeAll
    static void createSource() {
        source = TestPostgres.createDatabase("every_source", null);
        Db.execute(source, SOURCE);
    }

    @AfterAll
    static void dropSource() {
        // the event trigger is database-wide: it goes with its database
        TestPostgres.dropDatabase(source);
    }


    @Test
    void threeNightsOnATargetOwnedByAnOrdinaryUserCopyEveryObjectItMayCreateAndNameTheOthers() {
        try (ReplicaTarget replica = ReplicaTarget.create("every_target")) {
            DatabaseUrl target = replica.url;
            for (int night = 1; night <= 3; night++) {
                CliRunner.Result result = ReplicaTarget.runFull(replica.variables(source.toString()));

                assertThat(result.exitCode()).as("night " + night + ": " + result.err()).isZero();
                assertThat(Db.column(target, "SELECT object FROM replication.step_warnings WHERE run_id = " + night
                        + " ORDER BY object")).as("night " + night).containsExactlyInAnyOrderElementsOf(LEFT_OUT);
                assertSameAsSource(target, List.of("CREATE OPERATOR FAMILY public.len_hash_ops",
                        "CREATE OPERATOR CLASS public.len_hash_ops", "CREATE OPERATOR FAMILY public.len_ops",
                        "CREATE EVENT TRIGGER refuse_drops"));
            }
            assertThat(Db.rows(target, "SELECT error FROM replication.step_warnings WHERE object LIKE 'OPERATOR CLASS%'"))
                    .allSatisfy(row -> assertThat(row.get(0)).isEqualTo("ERROR:  must be superuser to create an operator class"));
            assertThat(Db.scalar(target, "SELECT to_tsvector('public.unaccent_french', 'Crème brûlée')::text"))
                    .isEqualTo(Db.scalar(source, "SELECT to_tsvector('public.unaccent_french', 'Crème brûlée')::text"));
            assertThat(Db.scalar(target, "SELECT ('ab'::text)::public.pair::text")).isEqualTo("(2,ab)");
            assertThat(Db.scalar(target, "SELECT !! 41")).isEqualTo("42");
        }
    }

    @Test
    void onASuperuserTargetTheEventTriggerIsStillNotCopiedAndNeverFiresOnTheNextNight() {
        DatabaseUrl target = TestPostgres.createDatabase("every_super_target", null);
        try {
            for (int night = 1; night <= 2; night++) {
                Map<String, String> variables = new HashMap<>();
                variables.put("SOURCE_DATABASE_URL", source.toString());
                variables.put("DATABASE_URL", target.toString());
                CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

                assertThat(result.exitCode()).as("night " + night + ": " + result.err()).isZero();
                assertThat(Db.column(target, "SELECT object FROM replication.step_warnings WHERE run_id = " + night))
                        .containsExactly("EVENT TRIGGER refuse_drops");
                assertThat(Db.count(target, "SELECT count(*) FROM pg_event_trigger")).isZero();
                assertSameAsSource(target, List.of("CREATE EVENT TRIGGER refuse_drops"));
            }
        } finally {
            TestPostgres.dropDatabase(target);
        }
    }

    /** Same schema as the source but the statements left out (and foreign keys NOT VALID), same rows. */
    static void assertSameAsSource(DatabaseUrl target, List<String> leftOutPrefixes) {
        List<String> expected = new ArrayList<>(SchemaDump.statements(source));
        expected.removeIf(statement -> leftOutPrefixes.stream().anyMatch(statement::startsWith));
        List<String> actual = SchemaDump.statements(target).stream().map(s -> s.replace(" NOT VALID", "")).toList();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        for (String table : List.of("public.items", "reporting.events", "reporting.mood_counts")) {
            String contents = "SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM " + table + " t";
            assertThat(Db.scalar(target, contents)).as(table).isEqualTo(Db.scalar(source, contents));
        }
    }
}
