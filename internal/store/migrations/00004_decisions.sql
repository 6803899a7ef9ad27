-- Schema 4: what a customer deciding on the dashboard needs: when the
-- workflow will act by itself, and where in Slack the decision was asked.

-- +goose Up
-- When the recommendation's workflow will next act on it by itself, from
-- its own timings (an RFC 3339 instant): a risk's re-review, a critical
-- decision's escalation, Microsoft's detection warning. Empty: nothing is
-- due, or the step was written before scoreflow wrote this (the dashboard
-- then works it out from the config's timings).
ALTER TABLE recommendations ADD COLUMN due_at TEXT NOT NULL DEFAULT '';
DROP INDEX recommendations_by_stage;
CREATE INDEX recommendations_by_stage ON recommendations (tenant_id, stage, critical, service, at, due_at);

-- The Slack message each recommendation's decision was last asked in: its
-- own message when critical, the newest digest otherwise. The dashboard
-- links to it, and a decision taken on the dashboard updates it.
CREATE TABLE decision_messages (
    tenant_id  TEXT NOT NULL,
    control_id TEXT NOT NULL,
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL,
    posted_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, control_id)
);

-- +goose Down
DROP TABLE decision_messages;
DROP INDEX recommendations_by_stage;
CREATE INDEX recommendations_by_stage ON recommendations (tenant_id, stage, critical, service, at);
ALTER TABLE recommendations DROP COLUMN due_at;
