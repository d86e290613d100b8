-- table: users
CREATE INDEX IF NOT EXISTS "users_createdAt_idx"
    ON public.users ((CAST("createdAt" AT TIME ZONE 'UTC+1' AS date)) DESC)
