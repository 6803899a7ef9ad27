package store_test

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/store"
)

// Two workers on one store share its record of handled requests: a request
// the first handled is refused by the second, until its record expires or
// the first forgets it because it failed.
func TestHandledRequestsAreSharedByEveryWorkerOnTheStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string, open func() *store.DB) {
		first, second := open().HandledRequests(), open().HandledRequests()
		remember := func(h *store.HandledRequests, key string, until time.Time) bool {
			t.Helper()
			isNew, err := h.Remember(ctx, key, until)
			if err != nil {
				t.Fatal(err)
			}
			return isNew
		}
		later := time.Now().Add(time.Minute)
		if !remember(first, "signed body a", later) {
			t.Fatal("a request never seen was taken for a replay")
		}
		if remember(second, "signed body a", later) {
			t.Fatal("the second worker took a replay of the first's request for a new one")
		}
		if !remember(second, "signed body b", later) {
			t.Fatal("another request was taken for a replay")
		}
		if err := first.Forget(ctx, "signed body b"); err != nil {
			t.Fatal(err)
		}
		if !remember(first, "signed body b", later) {
			t.Fatal("a forgotten request was still refused")
		}
		if !remember(first, "signed body c", time.Now().Add(-time.Second)) || !remember(second, "signed body c", later) {
			t.Fatal("a request whose record expired was still refused")
		}
	})
}
