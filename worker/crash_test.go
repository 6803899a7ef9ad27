package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// crashStep is one lifecycle step whose outside write is cut by a SIGKILL of
// the worker, and with it the embedded server, after the write took effect
// and before the activity could report it.
type crashStep struct {
	name    string
	prepare func(testSetup)                           // edits the config before the worker starts; nil: none
	before  func(t *testing.T, e *e2e)                // takes the recommendation from triage to the step; nil: the sweep is the step
	arm     func(e *e2e, kill func())                 // puts the kill on the simulator's write
	trigger func(ctx context.Context, e *e2e)         // starts the step; the kill may cut it
	stage   lifecycle.Stage                           // where the recommendation ends after the restart
	check   func(t *testing.T, e *e2e, ticket string) // exactly one write, nothing lost
}

const crashControl = "AdminMFAV2"

// After a restart on the same database each step is retried once its
// activity times out, and finds its write instead of repeating it.
func TestWorkerKilledAtEveryStageWritesEachStepOnce(t *testing.T) {
	t.Parallel() // each step waits for its cut activity's timeout: up to two minutes
	for _, step := range []crashStep{
		{
			name:    "recommendation ticket",
			arm:     func(e *e2e, kill func()) { e.jiraSim.AfterCreate = func(string) { kill() } },
			trigger: startSweep,
			stage:   lifecycle.StageTriage,
			check: func(t *testing.T, e *e2e, ticket string) {
				if n := len(e.jiraSim.Issues()); n != 1 || e.jiraSim.Creates() != 1 || ticket == "" {
					t.Errorf("Jira has %d tickets after %d creates; the workflow holds %q", n, e.jiraSim.Creates(), ticket)
				}
			},
		},
		{
			name:    "decision message",
			before:  verdicts(lifecycle.VerdictNeedsChange),
			arm:     func(e *e2e, kill func()) { e.slackSim.AfterPost = func(slacksim.Message) { kill() } },
			trigger: sendVerdict(lifecycle.VerdictCriticalDecision),
			stage:   lifecycle.StageAwaitingDecision,
			check: func(t *testing.T, e *e2e, _ string) {
				if n := len(e.slackSim.Messages("C0CONTOSO")); n != 1 || e.slackSim.Posts() != 1 {
					t.Errorf("Slack has %d messages after %d posts, want the one decision request", n, e.slackSim.Posts())
				}
			},
		},
		{
			name:    "decision mail",
			prepare: withMail(t),
			before:  verdicts(lifecycle.VerdictNeedsChange),
			arm:     func(e *e2e, kill func()) { e.graphSim.AfterSendMail = func(sim.Mail) { kill() } },
			trigger: sendVerdict(lifecycle.VerdictCriticalDecision),
			stage:   lifecycle.StageAwaitingDecision,
			check: func(t *testing.T, e *e2e, _ string) {
				if mails := e.graphSim.Mails(); len(mails) != 1 || mails[0].To[0] != "chris@contoso.example" {
					t.Errorf("after the kill Graph sent %+v, want the one decision mail", mails)
				}
			},
		},
		{
			name:    "RFC ticket",
			before:  verdicts(lifecycle.VerdictNeedsChange),
			arm:     func(e *e2e, kill func()) { e.jiraSim.AfterCreate = func(string) { kill() } },
			trigger: sendVerdict(lifecycle.VerdictNoImpact),
			stage:   lifecycle.StagePlanned,
			check: func(t *testing.T, e *e2e, ticket string) {
				issues := e.jiraSim.Issues()
				if len(issues) != 2 || e.jiraSim.Creates() != 2 || len(issues[1].Links) != 1 || issues[1].Links[0] != ticket {
					t.Errorf("after the RFC step Jira has %+v (%d creates)", issues, e.jiraSim.Creates())
				}
				assertStateUpdates(t, e, "Default")
			},
		},
		{
			name:    "Graph state",
			before:  verdicts(),
			arm:     func(e *e2e, kill func()) { e.graphSim.AfterPatch = func(string) { kill() } },
			trigger: sendVerdict(lifecycle.VerdictMitigatedElsewhere),
			stage:   lifecycle.StageResolvedAlternate,
			check:   func(t *testing.T, e *e2e, _ string) { assertStateUpdates(t, e, "Reviewed") },
		},
		{
			name: "closing the tickets",
			before: func(t *testing.T, e *e2e) {
				verdicts(lifecycle.VerdictNeedsChange, lifecycle.VerdictNoImpact)(t, e)
				waitStage(t, e.ctx, e.client, crashControl, lifecycle.StagePlanned)
				verdicts(lifecycle.VerdictRFCImplemented)(t, e)
				waitStage(t, e.ctx, e.client, crashControl, lifecycle.StageAwaitingDetection)
			},
			arm: func(e *e2e, kill func()) {
				e.jiraSim.AfterTransition = func(_, status string) {
					if status == "Done" {
						kill()
					}
				}
			},
			trigger: func(ctx context.Context, e *e2e) {
				e.graphSim.SetScore(e.contoso.AzureTenantID, crashControl, 10)
				startSweep(ctx, e)
			},
			stage: lifecycle.StageCompleted,
			check: func(t *testing.T, e *e2e, _ string) {
				for _, issue := range e.jiraSim.Issues() {
					if issue.Status != "Done" {
						t.Errorf("%s is %s after completion", issue.Key, issue.Status)
					}
				}
				if e.jiraSim.Creates() != 2 {
					t.Errorf("%d tickets created, want the recommendation and its RFC", e.jiraSim.Creates())
				}
			},
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			t.Parallel()
			runCrashStep(t, step)
		})
	}
}

func runCrashStep(t *testing.T, step crashStep) {
	var prepare []func(testSetup)
	if step.prepare != nil {
		prepare = append(prepare, step.prepare)
	}
	e := startE2E(t, true, prepare...)
	for _, p := range e.contoso.Profiles { // one open recommendation: every write is its own
		if p.ID != crashControl {
			e.graphSim.SetState(e.contoso.AzureTenantID, p.ID, "ThirdParty", "admin@contoso")
		}
	}
	if step.before != nil {
		sweep(t, e.setup.configPath)
		waitStage(t, e.ctx, e.client, crashControl, lifecycle.StageTriage)
		step.before(t, e)
	}
	var once sync.Once
	killed := make(chan struct{})
	step.arm(e, func() {
		once.Do(func() {
			_ = e.worker.cmd.Process.Signal(syscall.SIGKILL)
			<-e.worker.done
			close(killed)
		})
	})
	go step.trigger(e.ctx, e)
	select {
	case <-killed:
	case <-time.After(time.Minute):
		t.Fatal("the step never wrote to the simulator")
	}

	e.worker = startWorkerProcess(t, e.setup.env, "--config", e.setup.configPath)
	e.worker.waitHealthy(t, e.setup.gateway())
	waitStage(t, e.ctx, e.client, crashControl, step.stage)
	waitSettled(t, e, step.stage.Terminal())
	st := state(t, e.ctx, e.client, crashControl)
	step.check(t, e, st.TicketKey)
	seen := map[lifecycle.Stage]bool{}
	for _, tr := range st.Transitions {
		if seen[tr.To] {
			t.Errorf("the recommendation entered %s twice: %+v", tr.To, st.Transitions)
		}
		seen[tr.To] = true
	}
	storeFile := filepath.Join(filepath.Dir(e.setup.dbFile), "scoreflow.db")
	waitFor(t, e.ctx, func() bool { return len(storedSteps(t, storeFile, crashControl)) >= len(st.Transitions) })
	assertStoredOnce(t, storedSteps(t, storeFile, crashControl), st.Transitions)
	e.stop(t)
}

// verdicts gives the specialist's verdicts in turn, each through the starter.
func verdicts(vs ...lifecycle.Verdict) func(t *testing.T, e *e2e) {
	return func(t *testing.T, e *e2e) {
		for _, v := range vs {
			starter(t, e.setup, "verdict", "contoso", crashControl, string(v), "--by", "Jane")
		}
	}
}

// sendVerdict delivers a verdict as Jira's webhook does; the kill may cut the
// call short, which is the point: it was accepted and is carried out after the restart.
func sendVerdict(v lifecycle.Verdict) func(ctx context.Context, e *e2e) {
	return func(ctx context.Context, e *e2e) { _ = e.deliver(ctx, crashControl, v) }
}

// startSweep starts Contoso's sweep without waiting for it.
func startSweep(ctx context.Context, e *e2e) {
	_, _ = e.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: lifecycle.SweepScheduleID("contoso") + "/crash-test", TaskQueue: "scoreflow",
	}, lifecycle.TenantSweepWorkflowType, lifecycle.SweepInput{TenantID: "contoso"})
}

// assertStateUpdates checks Graph holds exactly one state update, of this state.
func assertStateUpdates(t *testing.T, e *e2e, state string) {
	t.Helper()
	profile, _ := e.graphSim.Profile(e.contoso.AzureTenantID, crashControl)
	var states []string
	for _, u := range profile.ControlStateUpdates {
		states = append(states, u.State)
	}
	if len(states) != 1 || states[0] != state || e.graphSim.Patches(e.contoso.AzureTenantID) != 1 {
		t.Errorf("Graph has the updates [%s] after %d PATCHes, want one %s", strings.Join(states, " "), e.graphSim.Patches(e.contoso.AzureTenantID), state)
	}
}

// waitSettled waits until the recommendation has no activity pending (the
// step cut by the kill was retried and done) and, in a terminal stage, until
// its run has closed.
func waitSettled(t *testing.T, e *e2e, terminal bool) {
	t.Helper()
	id := lifecycle.RecommendationWorkflowID("contoso", crashControl)
	for e.ctx.Err() == nil {
		description, err := e.client.DescribeWorkflowExecution(e.ctx, id, "")
		if err == nil && len(description.PendingActivities) == 0 &&
			(!terminal || description.WorkflowExecutionInfo.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the recommendation did not settle after the restart")
}
