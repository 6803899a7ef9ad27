package replay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/replay"
)

// hangingRecord is a shared record whose store does not answer.
type hangingRecord struct{}

func (hangingRecord) Remember(ctx context.Context, _ string, _ time.Time) (bool, error) {
	<-ctx.Done()
	return false, ctx.Err()
}

func (hangingRecord) Forget(ctx context.Context, _ string) error {
	<-ctx.Done()
	return ctx.Err()
}

// A shared record that does not answer holds a request for SharedWait at
// most; the request is then judged by this process's own record, which
// still refuses its replay.
func TestASharedRecordThatDoesNotAnswerHoldsNoRequest(t *testing.T) {
	cache := replay.Cache{Shared: hangingRecord{}}
	start := time.Now()
	seen, err := cache.Seen(context.Background(), "signed body", time.Minute)
	if waited := time.Since(start); seen || !errors.Is(err, context.DeadlineExceeded) || waited > 2*replay.SharedWait {
		t.Fatalf("seen %v, error %v after %s", seen, err, waited)
	}
	if seen, _ := cache.Seen(context.Background(), "signed body", time.Minute); !seen {
		t.Error("this process's own record let the replay through")
	}
}
