package temporalclient

import (
	"context"
	"time"
)

// pause waits d between two tries of a wait for the cluster, or returns
// ctx's error as soon as ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
