-- Schema 3: where each recommendation stands, kept as its steps are written.

-- +goose Up
-- The latest step of each control's recommendation (its latest chain of
-- runs), by the same order as the steps: at, then seq. The MSP's overview
-- reads every tenant's open recommendations from here, instead of ranking
-- every step of every tenant on each view.
CREATE TABLE recommendations (
    tenant_id  TEXT NOT NULL,
    control_id TEXT NOT NULL,
    chain_id   TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    stage      TEXT NOT NULL,
    critical   BOOLEAN NOT NULL,
    -- the control's service, whether it is in a tenant's scope, as the steps carry it; empty: not known
    service    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, control_id)
);
-- The overview counts each tenant's open ones by stage from this index alone.
CREATE INDEX recommendations_by_stage ON recommendations (tenant_id, stage, critical, service, at);
INSERT INTO recommendations (tenant_id, control_id, chain_id, seq, at, stage, critical, service)
SELECT tenant_id, control_id, chain_id, seq, at, to_stage, critical,
       COALESCE((SELECT service FROM control_scores c WHERE c.tenant_id = steps.tenant_id AND c.control_id = steps.control_id
                 ORDER BY day DESC LIMIT 1), '') FROM (
    SELECT tenant_id, control_id, chain_id, seq, at, to_stage, critical,
           ROW_NUMBER() OVER (PARTITION BY tenant_id, control_id ORDER BY at DESC, seq DESC) AS latest
    FROM transitions) steps
WHERE latest = 1;

-- +goose Down
DROP TABLE recommendations;
