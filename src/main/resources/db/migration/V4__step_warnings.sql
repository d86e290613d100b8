-- Objects of the source that a step left out of the copy, with the reason: the step succeeded "with warnings"
-- (full step: a view, a function… that could not be created; an event trigger never copied). FULL_STRICT=true turns
-- them into failures instead.
CREATE TABLE step_warnings (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    step        text        NOT NULL,
    attempt     integer     NOT NULL,
    object      text        NOT NULL,              -- e.g. "VIEW public.monthly"
    error       text        NOT NULL,              -- the server's ERROR: line, or why it is never copied
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX step_warnings_run_idx ON step_warnings (run_id);
