// Package replay remembers the signed requests a webhook handled, so the
// same request sent again is refused: Slack's interactions and Jira's
// webhooks alike.
package replay

import (
	"context"
	"sync"
	"time"
)

// Shared is a record of handled requests that every worker of a deployment
// keeps together (the store), so that a request replayed to another worker
// behind the same load balancer is refused as well.
type Shared interface {
	// Remember records key until the moment given and reports whether it
	// was not recorded (or had expired) before.
	Remember(ctx context.Context, key string, until time.Time) (first bool, err error)
	Forget(ctx context.Context, key string) error
}

// Cache remembers each key for at least the window its caller keeps them
// for. A request older than that window fails its signed timestamp's check
// before it gets here, so the cache need not hold it longer. The zero Cache
// is ready to use and remembers for this process alone; with Shared set it
// asks the shared record too.
type Cache struct {
	Shared Shared

	mu     sync.Mutex
	seen   map[string]time.Time
	purged time.Time
}

// SharedWait bounds how long a request waits on the shared record: Slack
// wants its answer within 3 seconds, and a store that does not answer must
// not hold a customer's click.
const SharedWait = time.Second

// Seen records key, to keep for window, and reports whether it was recorded
// before, by this process or (with Shared) by another. sharedErr says that
// the shared record did not answer: seen then speaks for this process alone,
// as a request must not wait on the store.
func (c *Cache) Seen(ctx context.Context, key string, window time.Duration) (seen bool, sharedErr error) {
	if c.seenHere(key, window) {
		return true, nil
	}
	if c.Shared == nil {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, SharedWait)
	defer cancel()
	first, err := c.Shared.Remember(ctx, key, time.Now().Add(window))
	if err != nil {
		return false, err
	}
	return !first, nil
}

func (c *Cache) seenHere(key string, window time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.seen == nil {
		c.seen = map[string]time.Time{}
	}
	// Expired keys go once a window, not on every request.
	if now.Sub(c.purged) > window {
		for k, at := range c.seen {
			if now.Sub(at) > window {
				delete(c.seen, k)
			}
		}
		c.purged = now
	}
	if _, ok := c.seen[key]; ok {
		return true
	}
	c.seen[key] = now
	return false
}

// Forget lets key come again: the request it names was not handled.
func (c *Cache) Forget(ctx context.Context, key string) error {
	c.mu.Lock()
	delete(c.seen, key)
	c.mu.Unlock()
	if c.Shared == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, SharedWait)
	defer cancel()
	return c.Shared.Forget(ctx, key)
}
