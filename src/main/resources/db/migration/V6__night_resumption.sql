-- A run started to resume an interrupted night (trigger 'resume') names the night's first run: the report and the
-- webhooks' summary tell the night as a whole, and a resumption skips the steps the night already succeeded.
ALTER TABLE runs ADD COLUMN resumes_run_id bigint REFERENCES runs ON DELETE CASCADE;
CREATE INDEX runs_resumes_run_id_idx ON runs (resumes_run_id) WHERE resumes_run_id IS NOT NULL;
