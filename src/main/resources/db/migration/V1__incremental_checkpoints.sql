-- The incremental step's checkpoints, in the tool's own schema on the target (REPLICATION_SCHEMA, default
-- "replication"; Flyway sets the search_path to it). The full step never touches this schema.

-- Per table: how far the copy went. A chunk commits its rows together with its row in incremental_chunks; when
-- every chunk of a run is in, copied_through moves up and the chunk rows are removed, in one transaction.
CREATE TABLE incremental_checkpoints (
    table_schema     text        NOT NULL,
    table_name       text        NOT NULL,
    mode             text        NOT NULL,
    key_column       text        NOT NULL,
    -- the target table these checkpoints describe: a table dropped and recreated starts over from its own MAX(key)
    target_table_oid oid         NOT NULL,
    -- incremental mode: every row whose key is <= copied_through is on the target
    copied_through   bigint,
    -- upsert mode: every row whose cursor is <= cursor_through (text form) is on the target
    cursor_column    text,
    cursor_through   text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_schema, table_name)
);

-- Chunks committed above copied_through by a run that has not finished (yet): a resumed run skips them.
CREATE TABLE incremental_chunks (
    table_schema     text        NOT NULL,
    table_name       text        NOT NULL,
    target_table_oid oid         NOT NULL,
    range_start      bigint      NOT NULL, -- exclusive
    range_end        bigint      NOT NULL, -- inclusive
    rows             bigint      NOT NULL,
    copied_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_schema, table_name, range_start)
);
