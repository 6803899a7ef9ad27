-- Schema 7: the webhooks' handled requests, shared by every worker.

-- +goose Up
-- A signed request a webhook (Slack's interactions, Jira's) handled, by
-- the hash of what was signed, until it could no longer pass the signed
-- timestamp's check: the same request sent to any worker again is refused.
CREATE TABLE handled_requests (
    key_hash TEXT PRIMARY KEY,
    expiry   TEXT NOT NULL
);
CREATE INDEX handled_requests_expiry ON handled_requests (expiry);

-- +goose Down
DROP TABLE handled_requests;
