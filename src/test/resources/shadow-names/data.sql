--
-- PostgreSQL database dump
--

\restrict Nih8v7ovFH6yd9Fey6JHDf8Z9XArqdMRMSHBcteWuxlkbGrGcDSaglGWakaQEwn

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
-- Data for Name: Orders; Type: TABLE DATA; Schema: Sales-Dept; Owner: -
--

COPY "Sales-Dept"."Orders" (id, learner_id, "Amount", floats) FROM stdin;
1	1	10.5	[1,2)
2	2	3	\N
\.


--
-- Data for Name: Weird-Name"Quoted; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."Weird-Name""Quoted" (id, "Label Text", mood) FROM stdin;
1	x	ok
2	it's public.items -- $$ /* data, not SQL	ok
3	public.items	ok
\.


--
-- Data for Name: items; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.items (id, name, mood, qty, p, r, code) FROM stdin;
1	Crème	ok	3	(1,a)	[1,2)	100
2	Pâté	happy	5	(2,b)	[2,3)	101
\.


--
-- Data for Name: measures_2026; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.measures_2026 (id, at, v) FROM stdin;
1	2026-03-01	1.5
2	2026-04-01	2.5
\.


--
-- Data for Name: organization-learners; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."organization-learners" (id, "firstName", item_id) FROM stdin;
1	Ada	1
2	Bob	2
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: reporting; Owner: -
--

COPY reporting.events (id, item_id, at) FROM stdin;
1	1	2026-01-01
2	2	2026-01-02
\.


--
-- Name: Orders_id_seq; Type: SEQUENCE SET; Schema: Sales-Dept; Owner: -
--

SELECT pg_catalog.setval('"Sales-Dept"."Orders_id_seq"', 2, true);


--
-- Name: Weird-Name"Quoted_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Weird-Name""Quoted_id_seq"', 3, true);


--
-- Name: organization-learners_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."organization-learners_id_seq"', 2, true);


--
-- Name: ticket_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_seq', 101, true);


--
-- Name: events_id_seq; Type: SEQUENCE SET; Schema: reporting; Owner: -
--

SELECT pg_catalog.setval('reporting.events_id_seq', 2, true);


--
-- PostgreSQL database dump complete
--

\unrestrict Nih8v7ovFH6yd9Fey6JHDf8Z9XArqdMRMSHBcteWuxlkbGrGcDSaglGWakaQEwn

