-- table: knowledge-elements
CREATE INDEX IF NOT EXISTS "knowledge-elements_createdAt_idx"
    ON public."knowledge-elements" ((CAST("createdAt" AT TIME ZONE 'UTC+1' AS date)) DESC)
