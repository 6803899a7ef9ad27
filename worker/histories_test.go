package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// recordEnv, when set, makes the end-to-end tests write the histories they
// produce into workflows/testdata/<release>, where the replay test keeps them.
const recordEnv = "SCOREFLOW_RECORD_HISTORIES"

// recordHistory saves the current run of one of Contoso's recommendations for the replay test.
func recordHistory(t *testing.T, ctx context.Context, c client.Client, control, name string) {
	t.Helper()
	recordRun(t, ctx, c, control, "", name)
}

// recordRun saves one run ("": the current one) for the replay test, into
// the folder $SCOREFLOW_RECORD_HISTORIES names under workflows/testdata.
func recordRun(t *testing.T, ctx context.Context, c client.Client, control, runID, name string) {
	t.Helper()
	release := os.Getenv(recordEnv)
	if release == "" {
		return
	}
	history := &historypb.History{Events: historyEvents(t, ctx, c, lifecycle.RecommendationWorkflowID("contoso", control), runID)}
	data, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(history)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "workflows", "testdata", release)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".json")
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

// runChain lists the runs of a workflow ID, oldest first, with their event
// counts. It walks back from the current run along each run's "continued
// from" link, which the history itself holds: listing the runs through
// visibility may still miss the newest ones.
func runChain(t testing.TB, ctx context.Context, c client.Client, workflowID string) (runIDs []string, events []int) {
	t.Helper()
	description, err := c.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		t.Fatal(err)
	}
	for runID := description.WorkflowExecutionInfo.Execution.RunId; runID != ""; {
		history := historyEvents(t, ctx, c, workflowID, runID)
		runIDs, events = append([]string{runID}, runIDs...), append([]int{len(history)}, events...)
		runID = history[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
	}
	return runIDs, events
}
