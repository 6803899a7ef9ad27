package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// recordEnv, when set, makes the end-to-end tests write the histories they
// produce into workflows/testdata, where the replay test keeps them.
const recordEnv = "SCOREFLOW_RECORD_HISTORIES"

// recordHistory saves one recommendation's history for the replay test.
func recordHistory(t *testing.T, ctx context.Context, c client.Client, control, name string) {
	t.Helper()
	if os.Getenv(recordEnv) == "" {
		return
	}
	history := &historypb.History{Events: historyEvents(t, ctx, c, lifecycle.RecommendationWorkflowID("contoso", control), "")}
	data, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(history)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "workflows", "testdata", name+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s (%d events)", path, len(history.Events))
}

// historyEvents reads the whole history of one run ("": the current one).
func historyEvents(t testing.TB, ctx context.Context, c client.Client, workflowID, runID string) []*historypb.HistoryEvent {
	t.Helper()
	var events []*historypb.HistoryEvent
	for iter := c.GetWorkflowHistory(ctx, workflowID, runID, false, 0); iter.HasNext(); {
		event, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, event)
	}
	return events
}
