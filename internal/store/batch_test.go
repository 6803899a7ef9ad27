package store

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func writeOf(steps int) stepWrite {
	return stepWrite{steps: make([]lifecycle.TransitionRecord, steps)}
}

// While writes stream in, a write that arrives during the wait joins the batch.
func TestALingeringBatchTakesTheWritesThatArriveMeanwhile(t *testing.T) {
	w := &stepWriter{writes: make(chan stepWrite), closed: make(chan struct{})}
	go func() {
		w.writes <- writeOf(2)
		close(w.closed) // ends the wait without a clock
	}()
	if batch := w.gather([]stepWrite{writeOf(2)}, time.Hour); len(batch) != 2 {
		t.Fatalf("the batch holds %d writes, want 2", len(batch))
	}
}

// A write to an idle store goes at once, with only the writes already waiting.
func TestABatchWithoutLingerTakesOnlyTheWritesWaiting(t *testing.T) {
	w := &stepWriter{writes: make(chan stepWrite), closed: make(chan struct{})}
	if batch := w.gather([]stepWrite{writeOf(2)}, 0); len(batch) != 1 {
		t.Fatalf("the batch holds %d writes, want 1", len(batch))
	}
}

// A batch stops growing at maxBatchSteps, however long it may wait.
func TestABatchStopsAtItsBound(t *testing.T) {
	w := &stepWriter{writes: make(chan stepWrite), closed: make(chan struct{})}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case w.writes <- writeOf(100):
			case <-stop:
				return
			}
		}
	}()
	batch := w.gather([]stepWrite{writeOf(100)}, time.Hour)
	if len(batch) != maxBatchSteps/100 {
		t.Fatalf("the batch holds %d writes of 100 steps, want %d", len(batch), maxBatchSteps/100)
	}
}
