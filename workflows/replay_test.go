package workflows

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// TestReplayRecordedHistories replays histories recorded from the real worker
// (SCOREFLOW_RECORD_HISTORIES=1 go test ./worker -run Lifecycle): a change to
// the workflow code that would break running recommendations fails here.
// Change logic with workflow.GetVersion, and keep the old histories.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	// Seven paths, each recorded in six versions: v0 pre-assessed in a regular
	// activity, v1 locally, v2 with the ticket first opened locally too, v3
	// onboarded in one task under a single version, v4 without a version
	// marker, the sweep saying so in the input, and now started with the
	// sweep's observation and pre-assessment in the input.
	if len(files) < 42 {
		t.Fatalf("want the recorded histories of 7 paths, in six versions, in testdata; found %v", files)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflowWithOptions(RecommendationWorkflow, workflow.RegisterOptions{Name: lifecycle.RecommendationWorkflowType})
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatalf("replaying %s: %v", file, err)
			}
		})
	}
}
