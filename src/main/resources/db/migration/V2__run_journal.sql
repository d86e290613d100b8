-- The run journal: every run of the chain, its step attempts and what each step did. Read by `report`, the web
-- status and the JMX status; written by the running process only.

CREATE TABLE runs (
    id          bigserial   PRIMARY KEY,
    trigger     text        NOT NULL,              -- schedule, cli, jmx, demo
    plan        text        NOT NULL,              -- the steps, e.g. "full → incremental → learning-content → notification"
    status      text        NOT NULL,              -- running, succeeded, failed, interrupted
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    error       text,
    host        text        NOT NULL,              -- host:pid of the process that ran it
    CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted'))
);
CREATE INDEX runs_started_at_idx ON runs (started_at DESC);

CREATE TABLE step_attempts (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    step        text        NOT NULL,
    attempt     integer     NOT NULL,
    status      text        NOT NULL,              -- running, succeeded, failed, interrupted
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    error       text,
    PRIMARY KEY (run_id, step, attempt)
);

-- Timed items of the full step (pg_restore items, table copies, sequence values, enrichment).
CREATE TABLE restore_items (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    category    text        NOT NULL,
    name        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL,
    rows        bigint
);
CREATE INDEX restore_items_run_idx ON restore_items (run_id);

-- Step milestones (backup, restore, enrichment durations) for the report.
CREATE TABLE step_milestones (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    step        text        NOT NULL,
    name        text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE incremental_results (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    table_name  text        NOT NULL,
    rows        bigint      NOT NULL,
    key_before  text,
    key_after   text,
    duration_ms bigint      NOT NULL
);

CREATE TABLE learning_content_counts (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    table_name  text        NOT NULL,
    rows        bigint      NOT NULL
);

CREATE TABLE webhook_results (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    url         text        NOT NULL,              -- without query string nor credentials
    status      text        NOT NULL,              -- delivered, failed
    http_status integer,
    attempts    integer     NOT NULL,
    error       text,
    at          timestamptz NOT NULL DEFAULT now()
);
