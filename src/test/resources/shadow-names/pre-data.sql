--
-- PostgreSQL database dump
--

\restrict dHCrPQNbBgMLX2YOpWkeyzdRVtPMu48yEcmWIcugiIPQJlZC28TGFbXmezEpN8s

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Sales-Dept; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA "Sales-Dept";


--
-- Name: reporting; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reporting;


--
-- Name: german; Type: COLLATION; Schema: public; Owner: -
--

CREATE COLLATION public.german (provider = icu, locale = 'de-DE');


--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;


--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';


--
-- Name: floatrange; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.floatrange AS RANGE (
    subtype = double precision,
    multirange_type_name = public.floatmultirange
);


--
-- Name: mood; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


--
-- Name: pair; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.pair AS (
	a integer,
	b text
);


--
-- Name: positive; Type: DOMAIN; Schema: public; Owner: -
--

CREATE DOMAIN public.positive AS integer
	CONSTRAINT positive_check CHECK ((VALUE > 0));


--
-- Name: text_to_pair(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.text_to_pair(t text) RETURNS public.pair
    LANGUAGE sql IMMUTABLE
    AS $$SELECT (length(t), t)::public.pair$$;


--
-- Name: CAST (text AS public.pair); Type: CAST; Schema: -; Owner: -
--

CREATE CAST (text AS public.pair) WITH FUNCTION public.text_to_pair(text);


--
-- Name: order_total(); Type: FUNCTION; Schema: Sales-Dept; Owner: -
--

CREATE FUNCTION "Sales-Dept".order_total() RETURNS numeric
    LANGUAGE sql STABLE
    AS $$SELECT sum("Amount") FROM "Sales-Dept"."Orders"$$;


--
-- Name: add_one(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.add_one(i integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$SELECT i + 1$$;


--
-- Name: unaccent_french; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.unaccent_french (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR asciiword WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR word WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR hword_part WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR hword_asciipart WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR asciihword WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR hword WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.unaccent_french
    ADD MAPPING FOR uint WITH simple;


--
-- Name: TEXT SEARCH CONFIGURATION unaccent_french; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TEXT SEARCH CONFIGURATION public.unaccent_french IS 'french without accents';


--
-- Name: ticket_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_seq
    START WITH 100
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.items (
    id integer NOT NULL,
    name text COLLATE public.german,
    mood public.mood,
    qty public.positive,
    p public.pair,
    r public.floatrange,
    code integer DEFAULT nextval('public.ticket_seq'::regclass),
    searchable tsvector GENERATED ALWAYS AS (to_tsvector('public.unaccent_french'::regconfig, name)) STORED
);


--
-- Name: TABLE items; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.items IS 'items';


--
-- Name: COLUMN items.code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.items.code IS 'public.items';


--
-- Name: item_count(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.item_count() RETURNS bigint
    LANGUAGE sql STABLE
    BEGIN ATOMIC
 SELECT count(*) AS count
    FROM public.items
   WHERE (public.add_one(items.id) > 0);
END;


--
-- Name: item_count_plpgsql(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.item_count_plpgsql() RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$ BEGIN RETURN (SELECT count(*) FROM public.items); END $$;


--
-- Name: items_touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.items_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.name := trim(NEW.name); RETURN NEW; END $$;


--
-- Name: len_hash(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.len_hash(text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $_$SELECT length($1)$_$;


--
-- Name: on_ddl(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.on_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE 'ddl'; END $$;


--
-- Name: same_length(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.same_length(a text, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$SELECT length(a) = length(b)$$;


--
-- Name: touch(); Type: PROCEDURE; Schema: public; Owner: -
--

CREATE PROCEDURE public.touch()
    LANGUAGE sql
    AS $$SELECT 1$$;


--
-- Name: total(integer); Type: AGGREGATE; Schema: public; Owner: -
--

CREATE AGGREGATE public.total(integer) (
    SFUNC = int4pl,
    STYPE = integer,
    INITCOND = '0'
);


--
-- Name: !!; Type: OPERATOR; Schema: public; Owner: -
--

CREATE OPERATOR public.!! (
    FUNCTION = public.add_one,
    RIGHTARG = integer
);


--
-- Name: =~=; Type: OPERATOR; Schema: public; Owner: -
--

CREATE OPERATOR public.=~= (
    FUNCTION = public.same_length,
    LEFTARG = text,
    RIGHTARG = text
);


--
-- Name: len_hash_ops; Type: OPERATOR FAMILY; Schema: public; Owner: -
--

CREATE OPERATOR FAMILY public.len_hash_ops USING hash;


--
-- Name: len_hash_ops; Type: OPERATOR CLASS; Schema: public; Owner: -
--

CREATE OPERATOR CLASS public.len_hash_ops
    FOR TYPE text USING hash FAMILY public.len_hash_ops AS
    OPERATOR 1 public.=~=(text,text) ,
    FUNCTION 1 (text, text) public.len_hash(text);


--
-- Name: len_ops; Type: OPERATOR FAMILY; Schema: public; Owner: -
--

CREATE OPERATOR FAMILY public.len_ops USING btree;


--
-- Name: my_latin1; Type: CONVERSION; Schema: public; Owner: -
--

CREATE CONVERSION public.my_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;


--
-- Name: simple_fr; Type: TEXT SEARCH DICTIONARY; Schema: public; Owner: -
--

CREATE TEXT SEARCH DICTIONARY public.simple_fr (
    TEMPLATE = pg_catalog.simple,
    stopwords = 'french' );


--
-- Name: Orders; Type: TABLE; Schema: Sales-Dept; Owner: -
--

CREATE TABLE "Sales-Dept"."Orders" (
    id integer NOT NULL,
    learner_id bigint,
    "Amount" numeric,
    floats public.floatrange,
    CONSTRAINT "Orders_Amount_check" CHECK (("Amount" >= (0)::numeric))
);


--
-- Name: Orders_id_seq; Type: SEQUENCE; Schema: Sales-Dept; Owner: -
--

CREATE SEQUENCE "Sales-Dept"."Orders_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: Orders_id_seq; Type: SEQUENCE OWNED BY; Schema: Sales-Dept; Owner: -
--

ALTER SEQUENCE "Sales-Dept"."Orders_id_seq" OWNED BY "Sales-Dept"."Orders".id;


--
-- Name: organization-learners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."organization-learners" (
    id bigint NOT NULL,
    "firstName" text,
    item_id integer
);


--
-- Name: Learners View; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public."Learners View" AS
 SELECT l.id,
    l."firstName",
    to_regclass('public."organization-learners"'::text) AS rel,
    public.add_one((l.id)::integer) AS next_id,
    ('a'::text OPERATOR(public.=~=) 'b'::text) AS same
   FROM public."organization-learners" l;


--
-- Name: Weird-Name"Quoted; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Weird-Name""Quoted" (
    id integer NOT NULL,
    "Label Text" text NOT NULL,
    mood public.mood DEFAULT 'ok'::public.mood
);


--
-- Name: Weird-Name"Quoted_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public."Weird-Name""Quoted_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: Weird-Name"Quoted_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public."Weird-Name""Quoted_id_seq" OWNED BY public."Weird-Name""Quoted".id;


--
-- Name: measures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.measures (
    id integer NOT NULL,
    at date NOT NULL,
    v numeric
)
PARTITION BY RANGE (at);


--
-- Name: measures_2026; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.measures_2026 (
    id integer NOT NULL,
    at date NOT NULL,
    v numeric
);


--
-- Name: organization-learners_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public."organization-learners" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public."organization-learners_id_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: events; Type: TABLE; Schema: reporting; Owner: -
--

CREATE TABLE reporting.events (
    id bigint NOT NULL,
    item_id integer,
    at date NOT NULL
);


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: reporting; Owner: -
--

ALTER TABLE reporting.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reporting.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: item_names; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.item_names AS
 SELECT items.id,
    items.name
   FROM public.items;


--
-- Name: VIEW item_names; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON VIEW reporting.item_names IS 'names read from public.items';


--
-- Name: log_count; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.log_count AS
 SELECT count(*) AS n
   FROM public.kept_logs;


--
-- Name: mood_counts; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.mood_counts AS
 SELECT items.mood,
    count(*) AS n
   FROM public.items
  GROUP BY items.mood
  WITH NO DATA;


--
-- Name: measures_2026; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.measures ATTACH PARTITION public.measures_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');


--
-- Name: Orders id; Type: DEFAULT; Schema: Sales-Dept; Owner: -
--

ALTER TABLE ONLY "Sales-Dept"."Orders" ALTER COLUMN id SET DEFAULT nextval('"Sales-Dept"."Orders_id_seq"'::regclass);


--
-- Name: Weird-Name"Quoted id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Weird-Name""Quoted" ALTER COLUMN id SET DEFAULT nextval('public."Weird-Name""Quoted_id_seq"'::regclass);


--
-- PostgreSQL database dump complete
--

\unrestrict dHCrPQNbBgMLX2YOpWkeyzdRVtPMu48yEcmWIcugiIPQJlZC28TGFbXmezEpN8s

