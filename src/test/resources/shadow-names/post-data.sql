--
-- PostgreSQL database dump
--

\restrict Q89XmfyrUMKn1VSxV13xOY48RYbJMXFuNz6ETcQxocEcAd4glbpnrlovQdBteOv

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

SET default_tablespace = '';

--
-- Name: Orders Orders_pkey; Type: CONSTRAINT; Schema: Sales-Dept; Owner: -
--

ALTER TABLE ONLY "Sales-Dept"."Orders"
    ADD CONSTRAINT "Orders_pkey" PRIMARY KEY (id);


--
-- Name: Weird-Name"Quoted Weird-Name"Quoted_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Weird-Name""Quoted"
    ADD CONSTRAINT "Weird-Name""Quoted_pkey" PRIMARY KEY (id);


--
-- Name: items items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.items
    ADD CONSTRAINT items_pkey PRIMARY KEY (id);


--
-- Name: measures measures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.measures
    ADD CONSTRAINT measures_pkey PRIMARY KEY (id, at);


--
-- Name: measures_2026 measures_2026_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.measures_2026
    ADD CONSTRAINT measures_2026_pkey PRIMARY KEY (id, at);


--
-- Name: organization-learners organization-learners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."organization-learners"
    ADD CONSTRAINT "organization-learners_pkey" PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: reporting; Owner: -
--

ALTER TABLE ONLY reporting.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: Orders amount idx; Type: INDEX; Schema: Sales-Dept; Owner: -
--

CREATE INDEX "Orders amount idx" ON "Sales-Dept"."Orders" USING btree ("Amount") WHERE ("Amount" > (0)::numeric);


--
-- Name: items_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX items_name_idx ON public.items USING btree (name);


--
-- Name: measures_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX measures_at_idx ON ONLY public.measures USING btree (at);


--
-- Name: measures_2026_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX measures_2026_at_idx ON public.measures_2026 USING btree (at);


--
-- Name: mood_counts_mood_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX mood_counts_mood_idx ON reporting.mood_counts USING btree (mood);


--
-- Name: measures_2026_at_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.measures_at_idx ATTACH PARTITION public.measures_2026_at_idx;


--
-- Name: measures_2026_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.measures_pkey ATTACH PARTITION public.measures_2026_pkey;


--
-- Name: items_stats; Type: STATISTICS; Schema: public; Owner: -
--

CREATE STATISTICS public.items_stats (dependencies) ON id, code FROM public.items;


--
-- Name: item_names items_no_delete; Type: RULE; Schema: reporting; Owner: -
--

CREATE RULE items_no_delete AS
    ON DELETE TO reporting.item_names DO INSTEAD NOTHING;


--
-- Name: items items_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER items_touch BEFORE INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.items_touch();


--
-- Name: Orders Orders_learner_id_fkey; Type: FK CONSTRAINT; Schema: Sales-Dept; Owner: -
--

ALTER TABLE ONLY "Sales-Dept"."Orders"
    ADD CONSTRAINT "Orders_learner_id_fkey" FOREIGN KEY (learner_id) REFERENCES public."organization-learners"(id);


--
-- Name: organization-learners organization-learners_item_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."organization-learners"
    ADD CONSTRAINT "organization-learners_item_id_fkey" FOREIGN KEY (item_id) REFERENCES public.items(id);


--
-- Name: events events_item_id_fkey; Type: FK CONSTRAINT; Schema: reporting; Owner: -
--

ALTER TABLE ONLY reporting.events
    ADD CONSTRAINT events_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.items(id);


--
-- Name: items; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.items ENABLE ROW LEVEL SECURITY;

--
-- Name: items items_visible; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY items_visible ON public.items USING (true);


--
-- Name: refuse_drops; Type: EVENT TRIGGER; Schema: -; Owner: -
--

CREATE EVENT TRIGGER refuse_drops ON sql_drop
   EXECUTE FUNCTION public.on_ddl();


--
-- Name: mood_counts; Type: MATERIALIZED VIEW DATA; Schema: reporting; Owner: -
--

REFRESH MATERIALIZED VIEW reporting.mood_counts;


--
-- PostgreSQL database dump complete
--

\unrestrict Q89XmfyrUMKn1VSxV13xOY48RYbJMXFuNz6ETcQxocEcAd4glbpnrlovQdBteOv

