-- table: knowledge-element-snapshots
CREATE INDEX IF NOT EXISTS "knowledge-element-snapshots_snappedAt_idx"
    ON public."knowledge-element-snapshots" ((CAST("snappedAt" AT TIME ZONE 'UTC+1' AS date)) DESC)
