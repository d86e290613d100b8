package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/**
 * The rewrite of real pg_restore output (src/test/resources/shadow-names, see its README) towards shadow schemas:
 * every reference to an object the archive creates names the shadow schema, nothing else changes.
 */
class ShadowNamesTest {

    static final Map<String, String> SHADOWS = Map.of("public", "replication_shadow_public",
            "reporting", "replication_shadow_reporting", "Sales-Dept", "replication_shadow_Sales-Dept");
    static final String PRE_DATA = Sql.resource("shadow-names/pre-data.sql");
    static final String POST_DATA = Sql.resource("shadow-names/post-data.sql");
    static final String DATA = Sql.resource("shadow-names/data.sql");

    static final ShadowNames NAMES = fromScripts();

    static ShadowNames fromScripts() {
        List<RenderedScript.Entry> entries = new ArrayList<>(RenderedScript.parse(PRE_DATA).entries());
        entries.addAll(RenderedScript.parse(POST_DATA).entries());
        return ShadowNames.of(SHADOWS, entries);
    }

    @Test
    void preDataCreatesEveryObjectInItsShadowSchemaAndRefersToTheShadowObjects() {
        String shadow = NAMES.rewrite(PRE_DATA);

        assertThat(shadow).contains(
                "CREATE COLLATION \"replication_shadow_public\".german (provider = icu, locale = 'de-DE');",
                // the range type's multirange is created with it: its name comes from the statement, not the header
                "CREATE TYPE \"replication_shadow_public\".floatrange AS RANGE (\n    subtype = double precision,\n"
                        + "    multirange_type_name = \"replication_shadow_public\".floatmultirange\n);",
                "CREATE DOMAIN \"replication_shadow_public\".positive AS integer",
                "CREATE CAST (text AS \"replication_shadow_public\".pair) WITH FUNCTION "
                        + "\"replication_shadow_public\".text_to_pair(text);",
                "CREATE FUNCTION \"replication_shadow_Sales-Dept\".order_total() RETURNS numeric",
                "CREATE AGGREGATE \"replication_shadow_public\".total(integer) (",
                "CREATE PROCEDURE \"replication_shadow_public\".touch()",
                "CREATE OPERATOR \"replication_shadow_public\".!! (\n    FUNCTION = \"replication_shadow_public\".add_one,",
                "CREATE OPERATOR CLASS \"replication_shadow_public\".len_hash_ops\n    FOR TYPE text USING hash FAMILY "
                        + "\"replication_shadow_public\".len_hash_ops AS\n    OPERATOR 1 \"replication_shadow_public\".=~=(text,text) ,\n"
                        + "    FUNCTION 1 (text, text) \"replication_shadow_public\".len_hash(text);",
                "CREATE CONVERSION \"replication_shadow_public\".my_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;",
                "CREATE TEXT SEARCH DICTIONARY \"replication_shadow_public\".simple_fr (\n    TEMPLATE = pg_catalog.simple,",
                // the configuration is the archive's, its dictionary belongs to the extension: it stays
                "ALTER TEXT SEARCH CONFIGURATION \"replication_shadow_public\".unaccent_french\n"
                        + "    ADD MAPPING FOR word WITH public.unaccent, french_stem;",
                "COMMENT ON TEXT SEARCH CONFIGURATION \"replication_shadow_public\".unaccent_french IS 'french without accents';",
                "CREATE SEQUENCE \"replication_shadow_public\".ticket_seq",
                "    name text COLLATE \"replication_shadow_public\".german,\n    mood \"replication_shadow_public\".mood,",
                "    code integer DEFAULT nextval('\"replication_shadow_public\".ticket_seq'::regclass),\n"
                        + "    searchable tsvector GENERATED ALWAYS AS "
                        + "(to_tsvector('\"replication_shadow_public\".unaccent_french'::regconfig, name)) STORED",
                // the comment's text is data, its object a name
                "COMMENT ON COLUMN \"replication_shadow_public\".items.code IS 'public.items';",
                "COMMENT ON VIEW \"replication_shadow_reporting\".item_names IS 'names read from public.items';",
                // a SQL-standard body is parsed when created: it refers to the shadow objects
                "    BEGIN ATOMIC\n SELECT count(*) AS count\n    FROM \"replication_shadow_public\".items\n"
                        + "   WHERE (\"replication_shadow_public\".add_one(items.id) > 0);\nEND;",
                "CREATE TABLE \"replication_shadow_Sales-Dept\".\"Orders\" (",
                "    floats \"replication_shadow_public\".floatrange,",
                "ALTER SEQUENCE \"replication_shadow_Sales-Dept\".\"Orders_id_seq\" OWNED BY "
                        + "\"replication_shadow_Sales-Dept\".\"Orders\".id;",
                "CREATE VIEW \"replication_shadow_public\".\"Learners View\" AS",
                // a text resolved each time the view runs: it must find the live name once the objects are moved
                "    to_regclass('public.\"organization-learners\"'::text) AS rel,\n"
                        + "    \"replication_shadow_public\".add_one((l.id)::integer) AS next_id,\n"
                        + "    ('a'::text OPERATOR(\"replication_shadow_public\".=~=) 'b'::text) AS same\n"
                        + "   FROM \"replication_shadow_public\".\"organization-learners\" l;",
                "CREATE TABLE \"replication_shadow_public\".\"Weird-Name\"\"Quoted\" (",
                "    mood \"replication_shadow_public\".mood DEFAULT 'ok'::\"replication_shadow_public\".mood",
                "    SEQUENCE NAME \"replication_shadow_public\".\"organization-learners_id_seq\"",
                "    SEQUENCE NAME \"replication_shadow_reporting\".events_id_seq",
                "CREATE MATERIALIZED VIEW \"replication_shadow_reporting\".mood_counts AS",
                "ALTER TABLE ONLY \"replication_shadow_public\".measures ATTACH PARTITION "
                        + "\"replication_shadow_public\".measures_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
                "ALTER TABLE ONLY \"replication_shadow_Sales-Dept\".\"Orders\" ALTER COLUMN id SET DEFAULT "
                        + "nextval('\"replication_shadow_Sales-Dept\".\"Orders_id_seq\"'::regclass);",
                "SET DEFAULT nextval('\"replication_shadow_public\".\"Weird-Name\"\"Quoted_id_seq\"'::regclass);",
                // schemas and extensions are named alone, never qualified: untouched
                "CREATE SCHEMA \"Sales-Dept\";", "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;",
                "SELECT pg_catalog.set_config('search_path', '', false);");
        assertThat(stillNamingLiveSchemas(shadow)).containsExactly(
                // function bodies stored as text: they will find the new objects under the live names
                "    AS $$SELECT (length(t), t)::public.pair$$;",
                // pg_restore's headers are comments: they keep naming the live objects
                "-- Name: CAST (text AS public.pair); Type: CAST; Schema: -; Owner: -",
                "    AS $$SELECT sum(\"Amount\") FROM \"Sales-Dept\".\"Orders\"$$;",
                "    ADD MAPPING FOR word WITH public.unaccent, french_stem;",
                "    ADD MAPPING FOR hword_part WITH public.unaccent, french_stem;",
                "    ADD MAPPING FOR hword WITH public.unaccent, french_stem;",
                "COMMENT ON COLUMN \"replication_shadow_public\".items.code IS 'public.items';",
                "    AS $$ BEGIN RETURN (SELECT count(*) FROM public.items); END $$;",
                "    to_regclass('public.\"organization-learners\"'::text) AS rel,",
                "COMMENT ON VIEW \"replication_shadow_reporting\".item_names IS 'names read from public.items';",
                // a kept table (BACKUP_MODE) is not in the archive: the new view reads the live one
                "   FROM public.kept_logs;");
        assertThat(backToLiveNames(shadow)).isEqualTo(PRE_DATA);
    }

    @Test
    void postDataBuildsIndexesConstraintsTriggersAndPoliciesOnTheShadowTables() {
        String shadow = NAMES.rewrite(POST_DATA);

        assertThat(shadow).contains(
                "ALTER TABLE ONLY \"replication_shadow_public\".\"Weird-Name\"\"Quoted\"\n"
                        + "    ADD CONSTRAINT \"Weird-Name\"\"Quoted_pkey\" PRIMARY KEY (id);",
                "CREATE INDEX \"Orders amount idx\" ON \"replication_shadow_Sales-Dept\".\"Orders\" USING btree (\"Amount\")",
                "CREATE INDEX items_name_idx ON \"replication_shadow_public\".items USING btree (name);",
                "CREATE INDEX measures_at_idx ON ONLY \"replication_shadow_public\".measures USING btree (at);",
                "ALTER INDEX \"replication_shadow_public\".measures_at_idx ATTACH PARTITION "
                        + "\"replication_shadow_public\".measures_2026_at_idx;",
                // the indexes of primary keys bear the constraints' names (headers "measures measures_pkey")
                "ALTER INDEX \"replication_shadow_public\".measures_pkey ATTACH PARTITION "
                        + "\"replication_shadow_public\".measures_2026_pkey;",
                "CREATE STATISTICS \"replication_shadow_public\".items_stats (dependencies) ON id, code FROM "
                        + "\"replication_shadow_public\".items;",
                "    ON DELETE TO \"replication_shadow_reporting\".item_names DO INSTEAD NOTHING;",
                "CREATE TRIGGER items_touch BEFORE INSERT ON \"replication_shadow_public\".items FOR EACH ROW "
                        + "EXECUTE FUNCTION \"replication_shadow_public\".items_touch();",
                "    ADD CONSTRAINT \"Orders_learner_id_fkey\" FOREIGN KEY (learner_id) REFERENCES "
                        + "\"replication_shadow_public\".\"organization-learners\"(id);",
                "ALTER TABLE \"replication_shadow_public\".items ENABLE ROW LEVEL SECURITY;",
                "CREATE POLICY items_visible ON \"replication_shadow_public\".items USING (true);",
                "REFRESH MATERIALIZED VIEW \"replication_shadow_reporting\".mood_counts;");
        assertThat(stillNamingLiveSchemas(shadow)).isEmpty();
        assertThat(backToLiveNames(shadow)).isEqualTo(POST_DATA);
    }

    @Test
    void dataLoadsTheShadowTablesAndSequencesAndLeavesTheRowsAsTheyAre() {
        String shadow = NAMES.rewrite(DATA);

        assertThat(shadow).contains(
                "COPY \"replication_shadow_public\".\"Weird-Name\"\"Quoted\" (id, \"Label Text\", mood) FROM stdin;\n"
                        + "1\tx\tok\n2\tit's public.items -- $$ /* data, not SQL\tok\n3\tpublic.items\tok\n\\.\n",
                "COPY \"replication_shadow_public\".measures_2026 (id, at, v) FROM stdin;",
                "SELECT pg_catalog.setval('\"replication_shadow_Sales-Dept\".\"Orders_id_seq\"', 2, true);",
                "SELECT pg_catalog.setval('\"replication_shadow_public\".\"Weird-Name\"\"Quoted_id_seq\"', 3, true);",
                "SELECT pg_catalog.setval('\"replication_shadow_public\".ticket_seq', 101, true);",
                "SELECT pg_catalog.setval('\"replication_shadow_reporting\".events_id_seq', 2, true);");
        assertThat(stillNamingLiveSchemas(shadow)).containsExactly("2\tit's public.items -- $$ /* data, not SQL\tok",
                "3\tpublic.items\tok");
        assertThat(backToLiveNames(shadow)).isEqualTo(DATA);
    }

    @Test
    void aDoBlockRunsAtOnceSoItsBodyIsRewrittenWhileFunctionBodiesAreNot() {
        assertThat(NAMES.rewrite("DO $do$ BEGIN PERFORM setval('public.ticket_seq', 5); "
                + "INSERT INTO public.items (id) VALUES (1); END $do$;"))
                .isEqualTo("DO $do$ BEGIN PERFORM setval('\"replication_shadow_public\".ticket_seq', 5); "
                        + "INSERT INTO \"replication_shadow_public\".items (id) VALUES (1); END $do$;");
        assertThat(NAMES.rewrite("do language plpgsql $$BEGIN PERFORM public.add_one(1); END$$"))
                .isEqualTo("do language plpgsql $$BEGIN PERFORM \"replication_shadow_public\".add_one(1); END$$");
        assertThat(NAMES.rewrite("DO 'BEGIN PERFORM public.add_one(1); RAISE NOTICE ''it''''s''; END';"))
                .isEqualTo("DO 'BEGIN PERFORM \"replication_shadow_public\".add_one(1); RAISE NOTICE ''it''''s''; END';");
        String function = "CREATE FUNCTION public.touch() RETURNS void LANGUAGE plpgsql AS $$BEGIN PERFORM public.add_one(1); END$$;";
        assertThat(NAMES.rewrite(function)).isEqualTo("CREATE FUNCTION \"replication_shadow_public\".touch() RETURNS void "
                + "LANGUAGE plpgsql AS $$BEGIN PERFORM public.add_one(1); END$$;");
        // the statement after a DO block is an ordinary one again
        assertThat(NAMES.rewrite("DO $$ $$; SELECT $$public.items$$, 'public.items'::regclass"))
                .isEqualTo("DO $$ $$; SELECT $$public.items$$, '\"replication_shadow_public\".items'::regclass");
    }

    @Test
    void namesFollowPostgresqlsQuotingAndCaseRules() {
        assertThat(NAMES.rewrite("SELECT * FROM PUBLIC.Items, \"public\".\"items\", \"Public\".items, public.\"Items\""))
                .isEqualTo("SELECT * FROM \"replication_shadow_public\".Items, \"replication_shadow_public\".\"items\", "
                        + "\"Public\".items, public.\"Items\"");
        assertThat(NAMES.rewrite("ALTER INDEX \"Sales-Dept\".\"Orders amount idx\" RENAME TO x; SELECT \"sales-dept\".\"Orders\""))
                .isEqualTo("ALTER INDEX \"replication_shadow_Sales-Dept\".\"Orders amount idx\" RENAME TO x; "
                        + "SELECT \"sales-dept\".\"Orders\"");
        // whitespace and comments may separate the parts; a column of a qualified table; an unqualified name
        assertThat(NAMES.rewrite("SELECT public . /* c */ items.id FROM items"))
                .isEqualTo("SELECT \"replication_shadow_public\" . /* c */ items.id FROM items");
        assertThat(NAMES.rewrite("SELECT public.unaccent('é'), pg_catalog.lower(x), public.nope, a$b, $1 FROM public.kept_logs"))
                .isEqualTo("SELECT public.unaccent('é'), pg_catalog.lower(x), public.nope, a$b, $1 FROM public.kept_logs");
        // operators: only the archive's own
        assertThat(NAMES.rewrite("SELECT 1 OPERATOR(public.!!), 'a' OPERATOR(public.=~=)'b', 2 OPERATOR(public.+) 3"))
                .isEqualTo("SELECT 1 OPERATOR(\"replication_shadow_public\".!!), 'a' OPERATOR(\"replication_shadow_public\".=~=)'b', "
                        + "2 OPERATOR(public.+) 3");
    }

    @Test
    void literalsAreRewrittenOnlyWhenTheirWholeContentIsTheNameOfACreatedObject() {
        assertThat(NAMES.rewrite("SELECT 'public.items'::regclass, 'public.items '::text, 'see public.items', "
                + "E'public.ticket_seq', E'public.items\\n', e'it\\'s', 'public.=~='::regoper, B'101', "
                + "U&'public.items', 'public.\"organization-learners\"'"))
                .isEqualTo("SELECT '\"replication_shadow_public\".items'::regclass, 'public.items '::text, 'see public.items', "
                        + "E'\"replication_shadow_public\".ticket_seq', E'public.items\\n', e'it\\'s', "
                        + "'\"replication_shadow_public\".=~='::regoper, B'101', U&'public.items', "
                        + "'\"replication_shadow_public\".\"organization-learners\"'");
        assertThat(NAMES.rewrite("COMMENT ON TABLE public.items IS 'public.items';"))
                .isEqualTo("COMMENT ON TABLE \"replication_shadow_public\".items IS 'public.items';");
    }

    @Test
    void aNameInATextIsRewrittenWhereItIsBoundOrRunAtOnceNotWhereADefinitionStoresIt() {
        assertThat(NAMES.rewrite("CREATE VIEW public.\"Learners View\" AS SELECT 'public.items'::regclass, 'public.items'::pg_catalog.regclass,"
                + " to_regclass('public.items'::text), 'public.items' AS label;"
                + " SELECT to_regclass('public.items'), 'public.items';"))
                .isEqualTo("CREATE VIEW \"replication_shadow_public\".\"Learners View\" AS SELECT '\"replication_shadow_public\".items'::regclass,"
                        + " '\"replication_shadow_public\".items'::pg_catalog.regclass, to_regclass('public.items'::text),"
                        + " 'public.items' AS label; SELECT to_regclass('\"replication_shadow_public\".items'),"
                        + " '\"replication_shadow_public\".items';");
        // the semicolons of a SQL-standard body do not end the CREATE statement; its END does
        assertThat(NAMES.rewrite("CREATE FUNCTION public.touch() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;"
                + " SELECT CASE WHEN to_regclass('public.items') IS NULL THEN 1 END, 'public.items'::regclass; END;"
                + " SELECT 'public.items';"))
                .isEqualTo("CREATE FUNCTION \"replication_shadow_public\".touch() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;"
                        + " SELECT CASE WHEN to_regclass('public.items') IS NULL THEN 1 END,"
                        + " '\"replication_shadow_public\".items'::regclass; END; SELECT '\"replication_shadow_public\".items';");
        // a DO block runs at once: its checks and statements are rewritten
        assertThat(NAMES.rewrite("DO $c$ BEGIN IF to_regclass('public.\"organization-learners\"') IS NOT NULL THEN"
                + " CREATE VIEW public.v AS SELECT * FROM public.\"organization-learners\"; END IF; END $c$;")).isEqualTo(
                "DO $c$ BEGIN IF to_regclass('\"replication_shadow_public\".\"organization-learners\"') IS NOT NULL THEN"
                        + " CREATE VIEW public.v AS SELECT * FROM \"replication_shadow_public\".\"organization-learners\"; END IF; END $c$;");
    }

    @Test
    void commentsAndCopyRowsAreNotSql() {
        String sql = "-- public.items\n/* outer /* public.items */ public.items */ SELECT 1 FROM public.items;\n"
                + "COPY public.items (id, name) FROM stdin;\n1\tit's $$ public.items\n\\.\nSELECT 'public.items'::regclass;\n";
        assertThat(NAMES.rewrite(sql)).isEqualTo("-- public.items\n/* outer /* public.items */ public.items */ "
                + "SELECT 1 FROM \"replication_shadow_public\".items;\n"
                + "COPY \"replication_shadow_public\".items (id, name) FROM stdin;\n1\tit's $$ public.items\n\\.\n"
                + "SELECT '\"replication_shadow_public\".items'::regclass;\n");
        // a COPY to stdout has no rows after it; an unterminated text is still returned whole
        assertThat(NAMES.rewrite("COPY (SELECT * FROM public.items) TO stdout; SELECT 'public.items"))
                .isEqualTo("COPY (SELECT * FROM \"replication_shadow_public\".items) TO stdout; SELECT 'public.items");
    }

    @Test
    void shadowOfNamesTheObjectInTheShadowSchemaAndRefusesWhatTheArchiveDoesNotCreate() {
        assertThat(NAMES.shadowOf(new TableRef("public", "organization-learners")))
                .isEqualTo(new TableRef("replication_shadow_public", "organization-learners"));
        assertThat(NAMES.shadowOf(new TableRef("Sales-Dept", "Orders amount idx")))
                .isEqualTo(new TableRef("replication_shadow_Sales-Dept", "Orders amount idx"));
        assertThat(NAMES.creates(new TableRef("public", "add_one"))).isTrue();
        assertThat(NAMES.creates(new TableRef("public", "Weird-Name\"Quoted_pkey"))).isTrue();
        assertThat(NAMES.creates(new TableRef("public", "unaccent"))).isFalse();
        assertThat(NAMES.isReplicated("Sales-Dept")).isTrue();
        assertThat(NAMES.isReplicated("pg_catalog")).isFalse();
        assertThatThrownBy(() -> NAMES.shadowOf(new TableRef("public", "kept_logs")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"public\".\"kept_logs\" has no shadow: the archive does not create it in a replicated schema");
        assertThatThrownBy(() -> new ShadowNames(Map.of("public", "reporting", "reporting", "x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shadow schema \"reporting\" of schema \"public\"");
    }

    @Test
    void headerNamesAreReadAsPgRestoreWritesThem() {
        assertThat(ShadowNames.withoutArguments("add_one(integer)")).isEqualTo("add_one");
        assertThat(ShadowNames.withoutArguments("odd(name)(public.\"x(y\", integer[])")).isEqualTo("odd(name)");
        assertThat(ShadowNames.withoutArguments("=~=")).isEqualTo("=~=");
        ShadowNames names = new ShadowNames(Map.of("s", "shadow"), List.of(
                new ShadowNames.Created("TABLE", "s", "my table"), new ShadowNames.Created("CONSTRAINT", "s", "my table my key"),
                new ShadowNames.Created("TRIGGER", "s", "my table trig"), new ShadowNames.Created("OPERATOR", "s", "<#>")));
        assertThat(names.rewrite("SELECT s.\"my key\", s.\"my table\", s.trig, s.\"table my key\", 1 OPERATOR(s.<#>) 2"))
                .isEqualTo("SELECT \"shadow\".\"my key\", \"shadow\".\"my table\", s.trig, s.\"table my key\", "
                        + "1 OPERATOR(\"shadow\".<#>) 2");
    }

    /** The lines that still name one of the live schemas: none but the expected ones. */
    private static List<String> stillNamingLiveSchemas(String sql) {
        return sql.lines().filter(line -> line.matches(".*(^|[^\"_])(public|reporting|\"Sales-Dept\")\\..*")).toList();
    }

    private static String backToLiveNames(String sql) {
        return sql.replace("\"replication_shadow_public\"", "public").replace("\"replication_shadow_reporting\"", "reporting")
                .replace("\"replication_shadow_Sales-Dept\"", "\"Sales-Dept\"");
    }
}
