-- The day after pix-sample.sql: new answers and knowledge-elements appended to the source, as a day of activity
-- appends them in production. The demo (`db-replication demo`) runs it between its two nights, so that the second
-- night's incremental step has exactly these rows to copy. Same scale setting as pix-sample.sql (sample.scale):
-- scale 1 appends 4,500 answers and 9,000 knowledge-elements (a tenth of the first day). Synthetic, deterministic.
-- New rows point at existing users and assessments, and each knowledge-element at one of the new answers.

CREATE TEMPORARY TABLE sample_scale AS SELECT greatest(1, current_setting('sample.scale', true)::numeric) AS s;
CREATE TEMPORARY TABLE first_new_answer AS SELECT coalesce(max(id), 0) + 1 AS id FROM public.answers;

INSERT INTO public.answers (value, result, "assessmentId", "challengeId", timeout, "resultDetails", "createdAt", "updatedAt")
SELECT CASE WHEN i % 13 = 0 THEN '#ABAND#' ELSE 'answer ' || md5('next day ' || i) END,
       (ARRAY['ok', 'ko', 'ok', 'timedout'])[1 + i % 4],
       1 + (i * 11) % (SELECT (30000 * s)::int FROM sample_scale), 'rec' || substr(md5((i % 5000)::text), 1, 14),
       CASE WHEN i % 9 = 0 THEN 60 END, NULL,
       timestamptz '2021-01-03' + i * interval '2 seconds', timestamptz '2021-01-03' + i * interval '2 seconds'
FROM generate_series(1, (SELECT (4500 * s)::int FROM sample_scale)) AS i;

INSERT INTO public."knowledge-elements" (source, status, "createdAt", "answerId", "assessmentId", "skillId", "earnedPix", "userId", "competenceId")
SELECT CASE WHEN i % 3 = 0 THEN 'inferred' ELSE 'direct' END,
       CASE WHEN i % 5 = 0 THEN 'invalidated' ELSE 'validated' END,
       timestamptz '2021-01-03' + i * interval '1 second',
       (SELECT id FROM first_new_answer) + (i / 2) % (SELECT (4500 * s)::int FROM sample_scale),
       1 + (i * 11 / 2) % (SELECT (30000 * s)::int FROM sample_scale),
       'rec' || substr(md5((i % 3000)::text), 1, 14), (i % 8)::real,
       1 + (i / 9) % (SELECT (10000 * s)::int FROM sample_scale), 'rec' || substr(md5((i % 16)::text), 1, 14)
FROM generate_series(1, (SELECT (9000 * s)::int FROM sample_scale)) AS i;

DROP TABLE first_new_answer;
DROP TABLE sample_scale;
