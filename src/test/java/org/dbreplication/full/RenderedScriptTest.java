package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rendered pre-data cut into entries, as pg_restore 15 writes it (guards, settings between entries). */
class RenderedScriptTest {

    static final String SCRIPT = """
            --
            -- PostgreSQL database dump
            --

            \\restrict GXSf2djWL2a5k68gZO2c

            -- Dumped from database version 15.20

            SET statement_timeout = 0;
            SET lock_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);

            --
            -- Name: add_one(integer); Type: FUNCTION; Schema: public; Owner: -
            --

            CREATE FUNCTION public.add_one(i integer) RETURNS integer
                LANGUAGE plpgsql
                AS $$
            BEGIN RETURN i + 1; END $$;


            SET default_tablespace = '';

            SET default_table_access_method = heap;

            --
            -- Name: items; Type: TABLE; Schema: public; Owner: -
            --

            CREATE TABLE public.items (
                id integer NOT NULL
            );

            ALTER TABLE ONLY public.items FORCE ROW LEVEL SECURITY;


            --
            -- Name: CAST (text AS public.pair); Type: CAST; Schema: -; Owner: -
            --

            CREATE CAST (text AS public.pair) WITH FUNCTION public.text_to_pair(text);


            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict GXSf2djWL2a5k68gZO2c

            """;

    @Test
    void cutsTheScriptIntoItsEntriesWithTheSettingsBeforeThemAndWithoutTheGuards() {
        RenderedScript script = RenderedScript.parse(SCRIPT);

        assertThat(script.settings()).containsExactly("SET statement_timeout = 0;", "SET lock_timeout = 0;",
                "SELECT pg_catalog.set_config('search_path', '', false);");
        assertThat(script.entries()).extracting(RenderedScript.Entry::displayName).containsExactly(
                "FUNCTION public.add_one(integer)", "TABLE public.items", "CAST CAST (text AS public.pair)");
        RenderedScript.Entry table = script.entries().get(1);
        assertThat(table.settings()).containsExactly("SET default_tablespace = '';", "SET default_table_access_method = heap;");
        assertThat(table.sql()).startsWith("CREATE TABLE public.items (").endsWith("FORCE ROW LEVEL SECURITY;");
        assertThat(script.entries().get(0).sql()).endsWith("BEGIN RETURN i + 1; END $$;").doesNotContain("SET default");
        assertThat(script.entries().get(2).sql()).isEqualTo(
                "CREATE CAST (text AS public.pair) WITH FUNCTION public.text_to_pair(text);\n\n\n--\n-- PostgreSQL database dump complete\n--");
    }
}
