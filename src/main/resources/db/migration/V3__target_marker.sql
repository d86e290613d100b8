-- Marks the database as a replica of this tool. The full step refuses to drop the tables of a database that holds
-- tables but no marker (a wrong DATABASE_URL must never lose its data), unless REPLICATION_TARGET_TAKEOVER=true.
CREATE TABLE target_marker (
    marked_at   timestamptz NOT NULL DEFAULT now(),
    source      text        NOT NULL,   -- the source's URL, without password
    how         text        NOT NULL    -- first-run (the target was empty) or takeover
);
