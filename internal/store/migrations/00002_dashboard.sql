-- Schema 2: what the dashboard needs beyond the history.

-- +goose Up
-- The dashboard's sign-in sessions. The key is the SHA-256 of the session's
-- cookie, so a reader of the database cannot take over a session; data is
-- the session's values as the session manager encodes them, in base64.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expiry     TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expiry);

-- Whether the recommendation was critical when it took the step: the
-- dashboard tells critical decisions from those for the regular meeting.
ALTER TABLE transitions ADD COLUMN critical BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE transitions DROP COLUMN critical;
DROP TABLE sessions;
