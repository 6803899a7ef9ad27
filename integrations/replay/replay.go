// Package replay remembers the signed requests a webhook handled, so the
// same request sent again is refused: Slack's interactions and Jira's
// webhooks alike.
package replay

import (
	"sync"
	"time"
)

// Cache remembers each key for at least the window its caller keeps them
// for. A request older than that window fails its signed timestamp's check
// before it gets here, so the cache need not hold it longer. The zero Cache
// is ready to use.
type Cache struct {
	mu     sync.Mutex
	seen   map[string]time.Time
	purged time.Time
}

// Seen records key, to keep for window, and reports whether it was recorded
// before.
func (c *Cache) Seen(key string, window time.Duration) bool {
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
func (c *Cache) Forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.seen, key)
}
