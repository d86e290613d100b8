-- A Pix-shaped sample database, generated at a scale factor read from the setting sample.scale
-- (1 ≈ 90k knowledge-elements and 45k answers; 100 ≈ 9M and 4.5M, about 3 GB with indexes).
-- Used by the demo (`db-replication demo`) and the benchmarks (bench/). Data is synthetic and deterministic.
--   psql -v ON_ERROR_STOP=1 -c 'SET sample.scale = 100' -f pix-sample.sql postgres://…/source
-- 11 tables, 25 indexes (11 primary keys), 13 foreign keys, an enum, a function, a view, comments.

SELECT setseed(0.42);

CREATE TYPE public."organization-type" AS ENUM ('SCO', 'SUP', 'PRO');

CREATE FUNCTION public.mastery_percentage(validated integer, total integer) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    IF total IS NULL OR total = 0 THEN
        RETURN 0;
    END IF;
    RETURN round(100.0 * validated / total, 2);
END
$fn$;

CREATE TABLE public.users (
    id serial PRIMARY KEY,
    "firstName" varchar(255) NOT NULL,
    "lastName" varchar(255) NOT NULL,
    email varchar(255),
    cgu boolean NOT NULL DEFAULT false,
    lang varchar(10) NOT NULL DEFAULT 'fr',
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.users IS 'Pix users';
COMMENT ON COLUMN public.users.cgu IS 'terms of use accepted';

CREATE TABLE public.organizations (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    type public."organization-type" NOT NULL,
    "externalId" varchar(255),
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.organizations IS 'Schools, universities and companies';

CREATE TABLE public.campaigns (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    code varchar(255) NOT NULL,
    "organizationId" integer NOT NULL,
    "creatorId" integer NOT NULL,
    type varchar(255) NOT NULL DEFAULT 'ASSESSMENT',
    "createdAt" timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public."campaign-participations" (
    id serial PRIMARY KEY,
    "campaignId" integer NOT NULL,
    "userId" integer NOT NULL,
    status varchar(255) NOT NULL DEFAULT 'STARTED',
    "masteryRate" numeric(3, 2),
    "sharedAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.assessments (
    id serial PRIMARY KEY,
    "userId" integer,
    "courseId" varchar(255),
    type varchar(255) NOT NULL,
    state varchar(255) NOT NULL DEFAULT 'started',
    "campaignParticipationId" integer,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.answers (
    id bigserial PRIMARY KEY,
    value text NOT NULL,
    result varchar(255) NOT NULL,
    "assessmentId" integer NOT NULL,
    "challengeId" varchar(255) NOT NULL,
    timeout integer,
    "resultDetails" text,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.answers IS 'One row per answer to a challenge';

CREATE TABLE public."knowledge-elements" (
    id bigserial PRIMARY KEY,
    source varchar(255) NOT NULL,
    status varchar(255) NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "answerId" bigint,
    "assessmentId" integer,
    "skillId" varchar(255) NOT NULL,
    "earnedPix" real NOT NULL DEFAULT 0,
    "userId" integer,
    "competenceId" varchar(255)
);
COMMENT ON TABLE public."knowledge-elements" IS 'What each user knows, skill by skill (append-only)';

CREATE TABLE public."knowledge-element-snapshots" (
    id serial PRIMARY KEY,
    "userId" integer NOT NULL,
    "snappedAt" timestamptz NOT NULL,
    snapshot jsonb NOT NULL
);

CREATE TABLE public."organization-learners" (
    id serial PRIMARY KEY,
    "firstName" varchar(255) NOT NULL,
    "lastName" varchar(255) NOT NULL,
    division varchar(255),
    "organizationId" integer NOT NULL,
    "userId" integer,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public."certification-courses" (
    id serial PRIMARY KEY,
    "userId" integer NOT NULL,
    "isPublished" boolean NOT NULL DEFAULT false,
    "completedAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.badges (
    id serial PRIMARY KEY,
    key varchar(255) NOT NULL UNIQUE,
    title varchar(255) NOT NULL,
    message text
);

CREATE VIEW public."shared-participations" AS
    SELECT p.id, p."campaignId", p."userId", p."sharedAt",
           public.mastery_percentage((p."masteryRate" * 100)::integer, 100) AS "masteryPercentage"
    FROM public."campaign-participations" p WHERE p."sharedAt" IS NOT NULL;
COMMENT ON VIEW public."shared-participations" IS 'Participations whose results were shared';

-- Data. Row counts grow linearly with the scale.
CREATE TEMPORARY TABLE sample_scale AS SELECT greatest(1, current_setting('sample.scale', true)::numeric) AS s;

INSERT INTO public.users ("firstName", "lastName", email, cgu, "createdAt")
SELECT 'First' || i, 'Last' || (i % 997), 'user' || i || '@example.net', i % 3 <> 0,
       timestamptz '2020-01-01' + (i * interval '17 minutes')
FROM generate_series(1, (SELECT (10000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public.organizations (name, type, "externalId", "createdAt")
SELECT 'Organization ' || i, (ARRAY['SCO', 'SUP', 'PRO'])[1 + i % 3]::public."organization-type", 'EXT' || i,
       timestamptz '2019-06-01' + i * interval '1 hour'
FROM generate_series(1, (SELECT (100 * s)::int FROM sample_scale)) AS i;

INSERT INTO public.campaigns (name, code, "organizationId", "creatorId", type, "createdAt")
SELECT 'Campaign ' || i, 'CODE' || lpad(i::text, 8, '0'),
       1 + i % (SELECT (100 * s)::int FROM sample_scale), 1 + i % (SELECT (10000 * s)::int FROM sample_scale),
       CASE WHEN i % 4 = 0 THEN 'PROFILES_COLLECTION' ELSE 'ASSESSMENT' END,
       timestamptz '2020-02-01' + i * interval '3 hours'
FROM generate_series(1, (SELECT (500 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."campaign-participations" ("campaignId", "userId", status, "masteryRate", "sharedAt", "createdAt")
SELECT 1 + i % (SELECT (500 * s)::int FROM sample_scale), 1 + (i * 7) % (SELECT (10000 * s)::int FROM sample_scale),
       CASE WHEN i % 5 = 0 THEN 'STARTED' ELSE 'SHARED' END, round((i % 100) / 100.0, 2),
       CASE WHEN i % 5 = 0 THEN NULL ELSE timestamptz '2021-01-01' + i * interval '5 minutes' END,
       timestamptz '2021-01-01' + i * interval '4 minutes'
FROM generate_series(1, (SELECT (20000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public.assessments ("userId", "courseId", type, state, "campaignParticipationId", "createdAt", "updatedAt")
SELECT 1 + i % (SELECT (10000 * s)::int FROM sample_scale), 'rec' || md5(i::text)::varchar(14),
       CASE WHEN i % 3 = 0 THEN 'COMPETENCE_EVALUATION' ELSE 'CAMPAIGN' END,
       CASE WHEN i % 7 = 0 THEN 'started' ELSE 'completed' END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + i % (SELECT (20000 * s)::int FROM sample_scale) END,
       timestamptz '2021-01-01' + i * interval '3 minutes', timestamptz '2021-01-01' + i * interval '3 minutes'
FROM generate_series(1, (SELECT (30000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public.answers (value, result, "assessmentId", "challengeId", timeout, "resultDetails", "createdAt", "updatedAt")
SELECT CASE WHEN i % 11 = 0 THEN '#ABAND#' ELSE 'answer ' || md5(i::text) END,
       (ARRAY['ok', 'ko', 'aband', 'timedout'])[1 + i % 4],
       1 + i % (SELECT (30000 * s)::int FROM sample_scale), 'rec' || substr(md5((i % 5000)::text), 1, 14),
       CASE WHEN i % 9 = 0 THEN 60 END,
       CASE WHEN i % 2 = 0 THEN 'detail: ' || md5((i * 31)::text) || md5((i * 37)::text) END,
       timestamptz '2021-01-01' + i * interval '2 seconds', timestamptz '2021-01-01' + i * interval '2 seconds'
FROM generate_series(1, (SELECT (45000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."knowledge-elements" (source, status, "createdAt", "answerId", "assessmentId", "skillId", "earnedPix", "userId", "competenceId")
SELECT CASE WHEN i % 3 = 0 THEN 'inferred' ELSE 'direct' END,
       CASE WHEN i % 4 = 0 THEN 'invalidated' ELSE 'validated' END,
       timestamptz '2021-01-01' + i * interval '1 second',
       1 + (i / 2) % (SELECT (45000 * s)::int FROM sample_scale),
       1 + (i / 3) % (SELECT (30000 * s)::int FROM sample_scale),
       'rec' || substr(md5((i % 3000)::text), 1, 14), (i % 8)::real,
       1 + (i / 9) % (SELECT (10000 * s)::int FROM sample_scale), 'rec' || substr(md5((i % 16)::text), 1, 14)
FROM generate_series(1, (SELECT (90000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."knowledge-element-snapshots" ("userId", "snappedAt", snapshot)
SELECT 1 + i % (SELECT (10000 * s)::int FROM sample_scale), timestamptz '2022-01-01' + i * interval '10 minutes',
       jsonb_build_array(jsonb_build_object('skillId', 'rec' || substr(md5(i::text), 1, 14), 'status', 'validated',
                                            'earnedPix', i % 8, 'createdAt', '2022-01-01T00:00:00Z'))
FROM generate_series(1, (SELECT (5000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."organization-learners" ("firstName", "lastName", division, "organizationId", "userId", "createdAt")
SELECT 'Learner' || i, 'Family' || (i % 1013), (ARRAY['6A', '5B', '4C', '3D'])[1 + i % 4],
       1 + i % (SELECT (100 * s)::int FROM sample_scale),
       CASE WHEN i % 6 = 0 THEN NULL ELSE 1 + i % (SELECT (10000 * s)::int FROM sample_scale) END,
       timestamptz '2020-09-01' + i * interval '7 minutes'
FROM generate_series(1, (SELECT (15000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."certification-courses" ("userId", "isPublished", "completedAt", "createdAt")
SELECT 1 + i % (SELECT (10000 * s)::int FROM sample_scale), i % 2 = 0,
       timestamptz '2022-03-01' + i * interval '1 hour', timestamptz '2022-03-01' + i * interval '50 minutes'
FROM generate_series(1, (SELECT (2000 * s)::int FROM sample_scale)) AS i;

INSERT INTO public.badges (key, title, message)
SELECT 'BADGE_' || i, 'Badge ' || i, 'Congratulations, «' || i || '»!' FROM generate_series(1, 50) AS i;

DROP TABLE sample_scale;

-- Indexes and foreign keys after the data: much faster to generate.
CREATE UNIQUE INDEX users_email_lower ON public.users (lower(email));
CREATE UNIQUE INDEX campaigns_code_unique ON public.campaigns (code);
CREATE INDEX "campaigns_organizationId_index" ON public.campaigns ("organizationId");
CREATE INDEX "campaign-participations_campaignId_index" ON public."campaign-participations" ("campaignId");
CREATE INDEX "campaign-participations_userId_index" ON public."campaign-participations" ("userId");
CREATE INDEX "assessments_userId_index" ON public.assessments ("userId");
CREATE INDEX "assessments_campaignParticipationId_index" ON public.assessments ("campaignParticipationId");
CREATE INDEX "answers_assessmentId_index" ON public.answers ("assessmentId");
CREATE INDEX "knowledge-elements_userId_index" ON public."knowledge-elements" ("userId");
CREATE INDEX "knowledge-elements_assessmentId_index" ON public."knowledge-elements" ("assessmentId");
CREATE INDEX "knowledge-element-snapshots_userId_index" ON public."knowledge-element-snapshots" ("userId");
CREATE INDEX "organization-learners_organizationId_index" ON public."organization-learners" ("organizationId");
CREATE INDEX "organization-learners_userId_index" ON public."organization-learners" ("userId");
ALTER TABLE public.campaigns ADD FOREIGN KEY ("organizationId") REFERENCES public.organizations (id);
ALTER TABLE public.campaigns ADD FOREIGN KEY ("creatorId") REFERENCES public.users (id);
ALTER TABLE public."campaign-participations" ADD FOREIGN KEY ("campaignId") REFERENCES public.campaigns (id);
ALTER TABLE public."campaign-participations" ADD FOREIGN KEY ("userId") REFERENCES public.users (id);
ALTER TABLE public.assessments ADD FOREIGN KEY ("userId") REFERENCES public.users (id);
ALTER TABLE public.assessments ADD FOREIGN KEY ("campaignParticipationId") REFERENCES public."campaign-participations" (id);
ALTER TABLE public.answers ADD FOREIGN KEY ("assessmentId") REFERENCES public.assessments (id);
ALTER TABLE public."knowledge-elements" ADD FOREIGN KEY ("answerId") REFERENCES public.answers (id);
ALTER TABLE public."knowledge-elements" ADD FOREIGN KEY ("assessmentId") REFERENCES public.assessments (id);
ALTER TABLE public."knowledge-elements" ADD FOREIGN KEY ("userId") REFERENCES public.users (id);
ALTER TABLE public."knowledge-element-snapshots" ADD FOREIGN KEY ("userId") REFERENCES public.users (id);
ALTER TABLE public."organization-learners" ADD FOREIGN KEY ("organizationId") REFERENCES public.organizations (id);
ALTER TABLE public."organization-learners" ADD FOREIGN KEY ("userId") REFERENCES public.users (id);
ANALYZE;
