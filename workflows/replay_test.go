package workflows

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// releasedHistories are the histories recorded from the real worker of each
// release, by path through the lifecycle; every one must replay on the
// current code, because a deployment may run recommendations that release
// started (docs/operations.md, "Upgrades"). Record a release's with
//
//	SCOREFLOW_RECORD_HISTORIES=v0.2.0 go test ./worker -run 'Lifecycle|Slack|Jira|Reminders'
var releasedHistories = map[string][]string{
	"v0.2.0": {
		"awaiting_detection_continued_as_new", "awaiting_detection_resumed", "critical_approved_in_slack",
		"critical_reminded_escalated_approved", "critical_risk_accepted_in_slack", "digest_approved_in_slack",
		"mitigated_elsewhere", "no_impact_completed", "regression_in_triage", "resolved_externally_in_portal",
		"rfc_scheduled_cancelled_reopened", "risk_accepted", "third_party_by_jira_webhook", "triage_refused_verdict",
		"withdrawn_deprecated",
	},
}

func replayer(t *testing.T, interceptors ...interceptor.WorkerInterceptor) worker.WorkflowReplayer {
	t.Helper()
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{Interceptors: interceptors})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(RecommendationWorkflow, workflow.RegisterOptions{Name: lifecycle.RecommendationWorkflowType})
	return r
}

func historyFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for release, paths := range releasedHistories {
		for _, path := range paths {
			files = append(files, filepath.Join("testdata", release, path+".json"))
		}
	}
	slices.Sort(files)
	return files
}

// TestReplayRecordedHistories replays every released history: a change to
// the workflow code that would break a running recommendation fails here.
func TestReplayRecordedHistories(t *testing.T) {
	for _, file := range historyFiles(t) {
		t.Run(strings.TrimPrefix(file, "testdata/"), func(t *testing.T) {
			if err := replayer(t).ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatalf("replaying %s: %v", file, err)
			}
		})
	}
	// Every recorded file is in the list, so none is kept without being replayed.
	recorded, err := filepath.Glob("testdata/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(recorded)
	if want := historyFiles(t); !slices.Equal(recorded, want) {
		t.Errorf("testdata holds %v,\nthe list names %v", recorded, want)
	}
}

// The rule of docs/operations.md, proven on the released histories: a
// change to what the workflow does (here one more activity before it
// starts, as if its code had a new step) fails the replay of every one of
// them as nondeterministic ([TMPRL1100]), and the same change behind
// workflow.GetVersion replays them, taking the old path.
func TestAChangeReplaysOnlyBehindGetVersion(t *testing.T) {
	for name, versioned := range map[string]bool{"unversioned": false, "behind GetVersion": true} {
		t.Run(name, func(t *testing.T) {
			changed := replayer(t, &newStep{versioned: versioned})
			for _, file := range historyFiles(t) {
				err := changed.ReplayWorkflowHistoryFromJSONFile(nil, file)
				switch {
				case versioned && err != nil:
					t.Errorf("%s: the versioned change does not replay: %v", file, err)
				case !versioned && (err == nil || !strings.Contains(err.Error(), "[TMPRL1100]")):
					t.Errorf("%s: the unversioned change was not caught as nondeterministic: %v", file, err)
				}
			}
		})
	}
}

// newStep is a change to the workflow's code, made from the outside: it runs
// an activity before the workflow begins, either always or only in runs
// that GetVersion says were started by the changed code.
type newStep struct {
	interceptor.WorkerInterceptorBase
	versioned bool
}

func (n *newStep) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &newStepInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, versioned: n.versioned}
}

type newStepInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	versioned bool
}

func (n *newStepInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	if !n.versioned || workflow.GetVersion(ctx, "a-new-step", workflow.DefaultVersion, 1) == 1 {
		stepCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		if err := workflow.ExecuteActivity(stepCtx, "ANewStep").Get(ctx, nil); err != nil {
			return nil, err
		}
	}
	return n.Next.ExecuteWorkflow(ctx, in)
}
