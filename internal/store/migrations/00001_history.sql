-- scoreflow's store: the history of each tenant's Secure Score and of every
-- recommendation's lifecycle, kept beyond Graph's 90 days and Temporal's
-- retention. One schema for SQLite and PostgreSQL: times are UTC text
-- (YYYY-MM-DD for days, RFC 3339 with microseconds for instants), which both
-- compare and sort as written.

-- +goose Up
CREATE TABLE tenant_scores (
    tenant_id        TEXT NOT NULL,
    day              TEXT NOT NULL,
    current_score    DOUBLE PRECISION NOT NULL,
    max_score        DOUBLE PRECISION NOT NULL,
    enabled_services TEXT NOT NULL,              -- JSON array of Graph's enabledServices: the licences
    comparisons      TEXT NOT NULL,              -- JSON object of averageComparativeScores: {basis: averageScore}
    demo             BOOLEAN NOT NULL DEFAULT FALSE, -- seeded by the demo, not read from Graph
    PRIMARY KEY (tenant_id, day)
);

-- A control's row on the days its score, maximum, state or deprecation changed.
CREATE TABLE control_scores (
    tenant_id  TEXT NOT NULL,
    control_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    title      TEXT NOT NULL,
    service    TEXT NOT NULL,
    score      DOUBLE PRECISION NOT NULL,
    max_score  DOUBLE PRECISION NOT NULL,
    state      TEXT NOT NULL,
    deprecated BOOLEAN NOT NULL,
    demo       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tenant_id, control_id, day)
);
CREATE INDEX control_scores_by_day ON control_scores (tenant_id, day);

-- Graph's own record of state changes: controlStateUpdates.
CREATE TABLE control_state_updates (
    tenant_id  TEXT NOT NULL,
    control_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    comment    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, control_id, updated_at, state)
);
CREATE INDEX control_state_updates_by_time ON control_state_updates (tenant_id, updated_at);

-- Every step of every recommendation's audit trail, written by its workflow
-- (whose ID the tenant and the control make): seq numbers the steps of a
-- chain of runs (chain_id, its first run), so a retried or replayed write
-- finds its row. A tenant's steps are read through the key, whose first
-- column is the tenant: no index of their own.
CREATE TABLE transitions (
    tenant_id   TEXT NOT NULL,
    control_id  TEXT NOT NULL,
    chain_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    run_id      TEXT NOT NULL,              -- the run that took the step; empty: the chain's first
    at          TEXT NOT NULL,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    by_id       TEXT NOT NULL,
    by_name     TEXT NOT NULL,
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    ticket_key  TEXT NOT NULL,
    rfc_key     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, control_id, chain_id, seq)
);

-- +goose Down
DROP TABLE transitions;
DROP TABLE control_state_updates;
DROP TABLE control_scores;
DROP TABLE tenant_scores;
