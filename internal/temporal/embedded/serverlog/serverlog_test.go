package serverlog

import (
	"bytes"
	"encoding/json"
	"errors"
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

func TestAFatalDuringTheBuildFailsItEvenWhenTheServerGoesOn(t *testing.T) {
	var out bytes.Buffer
	logger := New(zerolog.New(&out))
	frontend := logger.With(tag.NewStringTag("service", "frontend"))
	var listener *bytes.Buffer // stands for the nil listener a failed listen leaves

	err := logger.Build(func() error {
		frontend.Fatal("Failed to start gRPC listener", tag.NewStringTag("address", "127.0.0.1:7233"))
		listener.Reset() // the server goes on as if the Fatal had ended the process
		return nil
	})
	var fatal *BuildError
	if !errors.As(err, &fatal) {
		t.Fatalf("Build returned %v, want the Fatal", err)
	}
	if want := "Failed to start gRPC listener service=frontend address=127.0.0.1:7233"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if !bytes.Contains(out.Bytes(), []byte(`"level":"error"`)) {
		t.Errorf("the Fatal was not logged as an error: %q", out.String())
	}

	// Without a panic after it, the Fatal still fails the build.
	err = logger.Build(func() error { logger.Fatal("ListenIP failed"); return nil })
	if err == nil || err.Error() != "ListenIP failed" {
		t.Errorf("Build returned %v, want the Fatal", err)
	}
	// A later build starts clean, and a Fatal after the build only logs.
	if err := logger.Build(func() error { return nil }); err != nil {
		t.Errorf("a clean build returned %v", err)
	}
	logger.Fatal("after the build")
	if err := logger.Build(func() error { return nil }); err != nil {
		t.Errorf("a Fatal outside a build failed the next one: %v", err)
	}
}

func TestAPanicWithoutAFatalIsNotHiddenByBuild(t *testing.T) {
	logger := New(zerolog.Nop())
	defer func() {
		if p := recover(); p != "a bug" {
			t.Errorf("recovered %v, want the build's own panic", p)
		}
	}()
	_ = logger.Build(func() error { panic("a bug") })
	t.Error("Build returned instead of passing the panic on")
}

func TestBuildReturnsTheServersOwnError(t *testing.T) {
	want := errors.New("persistence: no such table")
	if err := New(zerolog.Nop()).Build(func() error { return want }); err != want {
		t.Errorf("Build returned %v, want %v", err, want)
	}
}
