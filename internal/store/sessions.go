package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Sessions keeps the dashboard's sign-in sessions in the store, so they
// survive a restart and end on the server when someone signs out. It is a
// session store of alexedwards/scs (Find, Commit, Delete and their
// context-taking forms).
type Sessions struct{ store *DB }

// Sessions returns the store's session store.
func (s *DB) Sessions() *Sessions {
	return &Sessions{store: s}
}

// tokenKey is what the store keeps of a session's token: its hash.
func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FindCtx returns a session's data, if it exists and has not expired.
func (s *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	db, err := s.store, s.store.open(ctx)
	if err != nil {
		return nil, false, err
	}
	var data string
	err = db.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = $1 AND expiry > $2`,
		tokenKey(token), formatInstant(time.Now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store %s: reading a session: %w", db.where, err)
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, false, fmt.Errorf("store %s: a session's data: %w", db.where, err)
	}
	return b, true, nil
}

// CommitCtx adds or replaces a session.
func (s *Sessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	db, err := s.store, s.store.open(ctx)
	if err != nil {
		return err
	}
	_, err = db.writes.ExecContext(ctx, `INSERT INTO sessions (token_hash, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		tokenKey(token), base64.StdEncoding.EncodeToString(b), formatInstant(expiry))
	if err != nil {
		return fmt.Errorf("store %s: writing a session: %w", db.where, err)
	}
	return nil
}

// DeleteCtx ends a session.
func (s *Sessions) DeleteCtx(ctx context.Context, token string) error {
	db, err := s.store, s.store.open(ctx)
	if err != nil {
		return err
	}
	if _, err := db.writes.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenKey(token)); err != nil {
		return fmt.Errorf("store %s: deleting a session: %w", db.where, err)
	}
	return nil
}

// DeleteExpired removes the sessions that have expired, and says how many.
func (s *Sessions) DeleteExpired(ctx context.Context) (int64, error) {
	db, err := s.store, s.store.open(ctx)
	if err != nil {
		return 0, err
	}
	result, err := db.writes.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, formatInstant(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("store %s: deleting expired sessions: %w", db.where, err)
	}
	return result.RowsAffected()
}

func (s *Sessions) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *Sessions) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *Sessions) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
