-- Replay requests: a run asked for from the status page, Jolokia/hawtio, the MBean or the `run` command. The
-- scheduling process claims pending ones (routes/schedule.yaml, replay-requests) when no run holds the lock and runs
-- them under the same lock and journal as a scheduled run; `run` records its own, already claimed.
CREATE TABLE replay_requests (
    id           bigserial   PRIMARY KEY,
    plan         text        NOT NULL,              -- all, from, only
    step         text,                              -- for from / only
    origin       text        NOT NULL,              -- page, jolokia, jmx, run
    requested_at timestamptz NOT NULL DEFAULT now(),
    state        text        NOT NULL DEFAULT 'pending',
    claimed_by   text,                              -- host:pid of the process running it
    claimed_at   timestamptz,
    run_id       bigint      REFERENCES runs ON DELETE SET NULL,
    ended_at     timestamptz,
    message      text,                              -- why it failed or was refused (masked)
    CHECK (plan IN ('all', 'from', 'only')),
    CHECK ((plan = 'all') = (step IS NULL)),
    CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'refused', 'interrupted'))
);
CREATE INDEX replay_requests_pending_idx ON replay_requests (id) WHERE state = 'pending';

-- What each step of a run has done so far, updated while it works (about once a second per item): the status
-- page, the metrics and analysts (the view "progress") read it.
CREATE TABLE progress_items (
    run_id      bigint      NOT NULL REFERENCES runs ON DELETE CASCADE,
    step        text        NOT NULL,
    item        text        NOT NULL,              -- e.g. "tables", "rows", "bytes", "index builds", a table's name
    unit        text        NOT NULL,              -- tables, rows, bytes, items
    state       text        NOT NULL,              -- running, done, failed
    done        bigint      NOT NULL,
    total       bigint,                            -- null: not known (an estimate may be below done)
    started_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, step, item)
);

-- The progress of the latest run that recorded any: rate in units per second since the item started, ETA when the
-- total is known.
CREATE VIEW progress AS
SELECT p.run_id, p.step, p.item, p.unit, p.state, p.done, p.total,
       round(p.done / greatest(extract(epoch FROM p.updated_at - p.started_at), 0.001)::numeric, 1) AS rate,
       CASE WHEN p.state = 'running' AND p.total IS NOT NULL AND p.total > p.done AND p.done > 0
            THEN (p.total - p.done) * (p.updated_at - p.started_at) / p.done END AS eta,
       p.started_at, p.updated_at
FROM progress_items p
WHERE p.run_id = (SELECT max(run_id) FROM progress_items);
