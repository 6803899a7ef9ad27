-- Schema 6: score-drop alerts, one per tenant per day.

-- +goose Up
-- A tenant's alert of a day: its score the recorded day before and the
-- day, the controls that fell (a JSON array of lifecycle.ControlFall),
-- whether the MSP was told (the alert channel, the tenant's Jira project),
-- and who acknowledged it. An alert shows until it is acknowledged or the
-- tenant's score is back where it was.
CREATE TABLE alerts (
    tenant_id       TEXT NOT NULL,
    day             TEXT NOT NULL,
    before_score    DOUBLE PRECISION NOT NULL,
    after_score     DOUBLE PRECISION NOT NULL,
    controls        TEXT NOT NULL,
    raised          BOOLEAN NOT NULL DEFAULT FALSE,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, day)
);

-- +goose Down
DROP TABLE alerts;
