-- table: answers
CREATE INDEX IF NOT EXISTS "answers_challengeId_idx" ON public.answers ("challengeId")
