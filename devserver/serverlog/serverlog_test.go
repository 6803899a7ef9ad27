package serverlog

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"
	"go.temporal.io/server/common/log/tag"
)

// countedStringer counts how often a tag's value is formatted.
type countedStringer struct{ calls *int }

func (s countedStringer) String() string { *s.calls++; return "wf-1" }

func TestTagsAreFormattedOnlyForWrittenEvents(t *testing.T) {
	var out bytes.Buffer
	calls := 0
	logger := New(zerolog.New(&out).Level(zerolog.WarnLevel)).
		With(tag.NewStringTag("component", "history"), tag.NewStringerTag("wf-id", countedStringer{&calls}))

	logger.Debug("polling", tag.NewInt("attempt", 1))
	logger.Info("task done")
	if out.Len() != 0 || calls != 0 {
		t.Fatalf("levels below warn wrote %q and formatted a tag %d times", out.String(), calls)
	}

	logger.Warn("persistence slow", tag.NewInt("attempt", 2))
	var event map[string]any
	if err := json.Unmarshal(out.Bytes(), &event); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	if event["server_component"] != "history" || event["wf-id"] != "wf-1" || event["attempt"] != float64(2) ||
		event["message"] != "persistence slow" || event["level"] != "warn" {
		t.Errorf("warning written as %v", event)
	}
	if calls != 1 {
		t.Errorf("the With tag was formatted %d times for one event", calls)
	}
}

func TestStoppingQuietsWarningsButNotErrors(t *testing.T) {
	var out bytes.Buffer
	logger := New(zerolog.New(&out))
	derived := logger.With(tag.NewStringTag("service", "matching"))
	logger.Stopping()

	derived.Warn("poller: connection closed")
	if out.Len() != 0 {
		t.Fatalf("a warning during a deliberate stop was written: %q", out.String())
	}
	derived.Error("shard lost")
	if !bytes.Contains(out.Bytes(), []byte(`"shard lost"`)) || !bytes.Contains(out.Bytes(), []byte(`"service":"matching"`)) {
		t.Errorf("an error during the stop was not written with its tags: %q", out.String())
	}
}
