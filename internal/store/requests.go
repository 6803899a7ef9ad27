package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// HandledRequests is the record of the webhooks' handled requests that
// every worker on this store shares (replay.Shared): a Slack click or a
// Jira delivery replayed to another worker is refused as it is by the first.
type HandledRequests struct {
	store *DB

	mu     sync.Mutex
	purged time.Time
}

// HandledRequests returns the store's record of handled requests.
func (s *DB) HandledRequests() *HandledRequests { return &HandledRequests{store: s} }

// purgeEvery is how often a worker deletes the expired rows: the table holds
// a few minutes of requests, so once in a while is enough.
const purgeEvery = 10 * time.Minute

// Remember records key until the moment given, and reports whether it was
// not recorded before or its record had expired. Only what the key hashes
// to is kept: a request's body is the customer's.
func (h *HandledRequests) Remember(ctx context.Context, key string, until time.Time) (bool, error) {
	db := h.store
	if err := db.open(ctx); err != nil {
		return false, err
	}
	now := time.Now()
	if err := h.purge(ctx, now); err != nil {
		return false, err
	}
	result, err := db.writes.ExecContext(ctx, `INSERT INTO handled_requests (key_hash, expiry) VALUES ($1, $2)
		ON CONFLICT (key_hash) DO UPDATE SET expiry = excluded.expiry WHERE handled_requests.expiry <= $3`,
		tokenKey(key), formatInstant(until), formatInstant(now))
	if err != nil {
		return false, fmt.Errorf("store %s: recording a handled request: %w", db.where, err)
	}
	n, err := result.RowsAffected()
	return n == 1, err
}

// Forget lets key come again: the request it names was not handled.
func (h *HandledRequests) Forget(ctx context.Context, key string) error {
	db := h.store
	if err := db.open(ctx); err != nil {
		return err
	}
	if _, err := db.writes.ExecContext(ctx, `DELETE FROM handled_requests WHERE key_hash = $1`, tokenKey(key)); err != nil {
		return fmt.Errorf("store %s: forgetting a handled request: %w", db.where, err)
	}
	return nil
}

func (h *HandledRequests) purge(ctx context.Context, now time.Time) error {
	h.mu.Lock()
	due := now.Sub(h.purged) > purgeEvery
	if due {
		h.purged = now
	}
	h.mu.Unlock()
	if !due {
		return nil
	}
	_, err := h.store.writes.ExecContext(ctx, `DELETE FROM handled_requests WHERE expiry <= $1`, formatInstant(now))
	if err != nil {
		return fmt.Errorf("store %s: deleting expired handled requests: %w", h.store.where, err)
	}
	return nil
}
