package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/cli"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// The lifecycle's paths that need no Slack message, through the real worker,
// embedded Temporal, and the Graph and Jira simulators, driven with the
// the starter as a specialist without Jira webhooks would.
func TestLifecycleThroughTheWorkerAndTheSimulators(t *testing.T) {
	e := startE2E(t, true)
	s, ctx, c, contoso, graphSim, jiraSim := e.setup, e.ctx, e.client, e.contoso, e.graphSim, e.jiraSim

	sweep(t, s.configPath)
	for _, control := range contosoOpen {
		waitStage(t, ctx, c, control, lifecycle.StageTriage)
	}
	if got := len(jiraSim.Issues()); got != len(contosoOpen) {
		t.Fatalf("Jira has %d tickets, want one per open recommendation (%d)", got, len(contosoOpen))
	}
	// A new recommendation is onboarded in one task: started with its
	// observation and pre-assessment in the input (no signal, no
	// pre-assessment step), the ticket opened by one local activity, and its
	// visibility row written once after the start, for triage (no version
	// marker's attribute, no stage that the start had set already), and its
	// first steps written to the store by a second local activity.
	onboarding := []string{"WorkflowExecutionStarted", "WorkflowTaskScheduled", "WorkflowTaskStarted", "WorkflowTaskCompleted",
		"MarkerRecorded LocalActivity", "UpsertWorkflowSearchAttributes ControlId Critical Stage=triage TenantId",
		"MarkerRecorded LocalActivity"}
	if got := onboardingEvents(t, ctx, c, "UserRiskPolicy"); !slices.Equal(got, onboarding) {
		t.Errorf("a new recommendation's onboarding wrote\n%q\nwant\n%q", got, onboarding)
	}
	ticket := func(control string) string { return state(t, ctx, c, control).TicketKey }

	// Accept risk: Graph records Ignored with who and why; the ticket closes.
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "customer_decision", "--by", "Jane", "--advice", "low impact, do it")
	starter(t, s, "decide", "contoso", "AdminMFAV2", "accept_risk", "--by", "Chris", "--reason", "legacy admin tooling")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageRiskAccepted)
	profile, _ := graphSim.Profile(contoso.AzureTenantID, "AdminMFAV2")
	last := profile.ControlStateUpdates[len(profile.ControlStateUpdates)-1]
	if last.State != "Ignored" || !strings.Contains(last.Comment, "Chris") || !strings.Contains(last.Comment, "legacy admin tooling") {
		t.Errorf("Graph after accepting the risk: %+v", last)
	}
	if issue, _ := jiraSim.Issue(ticket("AdminMFAV2")); issue.Status != "Done" {
		t.Errorf("the ticket of an accepted risk is %s", issue.Status)
	}

	// No impact: an RFC is opened and linked, Graph is told the plan, and Microsoft's detection completes it.
	starter(t, s, "verdict", "contoso", "RoleOverlap", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "RoleOverlap", "no_impact", "--by", "Jane")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StagePlanned)
	rfcKey := state(t, ctx, c, "RoleOverlap").RFCKey
	rfc, _ := jiraSim.Issue(rfcKey)
	if rfc.Type != "Change" || len(rfc.Links) != 1 || rfc.Links[0] != ticket("RoleOverlap") {
		t.Errorf("RFC %+v", rfc)
	}
	profile, _ = graphSim.Profile(contoso.AzureTenantID, "RoleOverlap")
	if last := profile.ControlStateUpdates[len(profile.ControlStateUpdates)-1]; !strings.Contains(last.Comment, rfcKey) || last.State != "Default" {
		t.Errorf("Graph was not told of the plan: %+v", last)
	}
	starter(t, s, "verdict", "contoso", "RoleOverlap", "rfc_implemented", "--by", "Jane")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageAwaitingDetection)
	graphSim.SetScore(contoso.AzureTenantID, "RoleOverlap", 1)
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageCompleted)
	for _, key := range []string{ticket("RoleOverlap"), rfcKey} {
		if issue, _ := jiraSim.Issue(key); issue.Status != "Done" {
			t.Errorf("%s is %s after completion", key, issue.Status)
		}
	}

	// Mitigated elsewhere: Graph says Reviewed, and the sweep no longer counts it.
	starter(t, s, "verdict", "contoso", "IntegratedApps", "mitigated_elsewhere", "--by", "Jane")
	waitStage(t, ctx, c, "IntegratedApps", lifecycle.StageResolvedAlternate)

	// A verdict for the wrong stage is refused and changes nothing.
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"--config", s.configPath, "verdict", "contoso", "UserRiskPolicy", "no_impact", "--by", "Jane"}, &out, &errOut); code == 0 ||
		!strings.Contains(errOut.String(), "does not take the verdict") {
		t.Errorf("a verdict for another stage: exit %d, %s", code, errOut.String())
	}
	waitStage(t, ctx, c, "UserRiskPolicy", lifecycle.StageTriage)

	// A year of daily sweeps while waiting for detection: each run's history stays
	// under 1,000 events, the workflow continues as new, and nothing is lost.
	starter(t, s, "verdict", "contoso", "SelfServicePasswordReset", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "SelfServicePasswordReset", "no_impact", "--by", "Jane")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StagePlanned)
	starter(t, s, "verdict", "contoso", "SelfServicePasswordReset", "rfc_implemented", "--by", "Jane")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StageAwaitingDetection)
	planned, _ := graphSim.Profile(contoso.AzureTenantID, "SelfServicePasswordReset")
	runs := waitAYear(t, ctx, c, lifecycle.RecommendationWorkflowID("contoso", "SelfServicePasswordReset"),
		planned.ControlStateUpdates[len(planned.ControlStateUpdates)-1].Comment)
	t.Logf("a year of waiting, events per run: %v", runs)
	for run, events := range runs {
		if events >= 1000 {
			t.Errorf("run %s has %d events", run, events)
		}
	}
	// A run continues as new once it has taken in 100 messages and
	// observations, but observations that arrive together are taken in by one
	// workflow task, so how many runs a year takes depends on timing: at least
	// two, since the run that takes in the 101st continues as new when free.
	if len(runs) < 2 {
		t.Errorf("a year of waiting ran in %d runs: %v", len(runs), runs)
	}
	if st := state(t, ctx, c, "SelfServicePasswordReset"); st.Stage != lifecycle.StageAwaitingDetection || st.RFCKey == "" || len(st.Transitions) != 6 {
		t.Errorf("after a year the state is %s, RFC %q, %d transitions", st.Stage, st.RFCKey, len(st.Transitions))
	}

	// The audit trail names who did what, and how.
	audit := starter(t, s, "audit", "--tenant", "contoso", "--since", "1d")
	rows, err := csv.NewReader(strings.NewReader(audit)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var manual, bySweep int
	for _, row := range rows[1:] {
		if row[7] == string(lifecycle.SourceOperator) && row[6] != "" {
			manual++
		}
		if row[2] == "RoleOverlap" && row[4] == string(lifecycle.StageCompleted) && row[7] == string(lifecycle.SourceSweep) {
			bySweep++
		}
	}
	if manual != 10 || bySweep != 1 || len(rows) < 1+2*len(contosoOpen)+8 {
		t.Errorf("audit: %d manual rows, completion by sweep %d, %d rows:\n%s", manual, bySweep, len(rows), audit)
	}
	recordHistory(t, ctx, c, "AdminMFAV2", "risk_accepted")
	recordHistory(t, ctx, c, "RoleOverlap", "no_impact_completed")
	recordHistory(t, ctx, c, "IntegratedApps", "mitigated_elsewhere")
	recordHistory(t, ctx, c, "UserRiskPolicy", "triage_refused_verdict")
	chain, _ := runChain(t, ctx, c, lifecycle.RecommendationWorkflowID("contoso", "SelfServicePasswordReset"))
	recordRun(t, ctx, c, "SelfServicePasswordReset", chain[0], "awaiting_detection_continued_as_new")
	recordRun(t, ctx, c, "SelfServicePasswordReset", chain[len(chain)-1], "awaiting_detection_resumed")

	// Changes made outside scoreflow end a recommendation at the next sweep:
	// a state set in the portal, and a control Microsoft deprecated.
	graphSim.SetState(contoso.AzureTenantID, "MFARegistrationV2", "Ignored", "admin@contoso")
	graphSim.SetDeprecated(contoso.AzureTenantID, "BlockLegacyAuthentication")
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "MFARegistrationV2", lifecycle.StageResolvedExternally)
	waitStage(t, ctx, c, "BlockLegacyAuthentication", lifecycle.StageWithdrawn)
	for _, control := range []string{"MFARegistrationV2", "BlockLegacyAuthentication"} {
		if issue, _ := jiraSim.Issue(ticket(control)); issue.Status != "Done" || !strings.Contains(strings.Join(issue.Comments, "\n"), "outside scoreflow") &&
			!strings.Contains(strings.Join(issue.Comments, "\n"), "deprecated") {
			t.Errorf("%s's ticket after an outside change: %s, %q", control, issue.Status, issue.Comments)
		}
	}
	recordHistory(t, ctx, c, "MFARegistrationV2", "resolved_externally_in_portal")
	recordHistory(t, ctx, c, "BlockLegacyAuthentication", "withdrawn_deprecated")

	// A regression: the completed control loses its points again, and the
	// next sweep starts a new run that says so and names the completed one.
	roleOverlap := lifecycle.RecommendationWorkflowID("contoso", "RoleOverlap")
	completed, err := c.DescribeWorkflowExecution(ctx, roleOverlap, "")
	if err != nil {
		t.Fatal(err)
	}
	graphSim.SetScore(contoso.AzureTenantID, "RoleOverlap", 0)
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)
	if st := state(t, ctx, c, "RoleOverlap"); !st.Regression || st.PreviousRunID != completed.WorkflowExecutionInfo.Execution.RunId {
		t.Errorf("after a regression: regression %v, previous run %q, want %q", st.Regression, st.PreviousRunID,
			completed.WorkflowExecutionInfo.Execution.RunId)
	}
	recordHistory(t, ctx, c, "RoleOverlap", "regression_in_triage")
	e.stop(t)
}

func waitFor(t *testing.T, ctx context.Context, done func() bool) {
	t.Helper()
	for !done() {
		if ctx.Err() != nil {
			t.Fatal("timed out")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitAYear sends a waiting recommendation 365 daily observations of its
// control, still open with the latest state update's comment as Graph shows
// it, waits until it has taken in the last, and returns the events of each
// of its runs.
func waitAYear(t testing.TB, ctx context.Context, c client.Client, workflowID, stateComment string) map[string]int {
	t.Helper()
	for day := 1; day <= 365; day++ {
		seen := lifecycle.ControlObservation{SweepID: fmt.Sprintf("day-%d", day), Present: true, Score: 0.06, MaxScore: 1,
			State: "Default", StateComment: stateComment, Open: true}
		if err := c.SignalWorkflow(ctx, workflowID, "", lifecycle.SignalObservation, seen); err != nil {
			t.Fatal(err)
		}
	}
	for {
		st, err := queryState(ctx, c, workflowID)
		// A query waits for the workflow's task in progress; one that outlasts
		// the call's own deadline is asked again, as the starter's user would.
		var busy *serviceerror.DeadlineExceeded
		if (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &busy)) && ctx.Err() == nil {
			t.Logf("query still waiting for %s: %v", workflowID, err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if st.LastObservation != nil && st.LastObservation.SweepID == "day-365" {
			runs, events := runChain(t, ctx, c, workflowID)
			lengths := map[string]int{}
			for i, run := range runs {
				lengths[run] = events[i]
			}
			return lengths
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// onboardingEvents lists the events of a recommendation's history up to the
// end of its first workflow task's commands: each event's type, a marker's
// name, and an upsert's keys in order with the stage's value.
func onboardingEvents(t *testing.T, ctx context.Context, c client.Client, control string) []string {
	t.Helper()
	var events []string
	completed := false
	for _, event := range historyEvents(t, ctx, c, lifecycle.RecommendationWorkflowID("contoso", control), "") {
		if completed && event.EventType == enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED {
			break
		}
		completed = completed || event.EventType == enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
		described := []string{event.EventType.String()}
		switch event.EventType {
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			described = append(described, event.GetMarkerRecordedEventAttributes().GetMarkerName())
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			fields := event.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()
			for _, key := range slices.Sorted(maps.Keys(fields)) {
				if key == lifecycle.StageKey.GetName() {
					key += "=" + strings.Trim(string(fields[key].GetData()), `"`)
				}
				described = append(described, key)
			}
		}
		events = append(events, strings.Join(described, " "))
	}
	return events
}

func starter(t *testing.T, s testSetup, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(append([]string{"--config", s.configPath}, args...), &out, &errOut); code != 0 {
		t.Fatalf("starter %v exited %d: %s", args, code, errOut.String())
	}
	return out.String()
}

func state(t *testing.T, ctx context.Context, c client.Client, control string) lifecycle.RecommendationState {
	t.Helper()
	st, err := queryState(ctx, c, lifecycle.RecommendationWorkflowID("contoso", control))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// queryState asks a recommendation workflow for its whole state.
func queryState(ctx context.Context, c client.Client, workflowID string) (lifecycle.RecommendationState, error) {
	var st lifecycle.RecommendationState
	value, err := c.QueryWorkflow(ctx, workflowID, "", lifecycle.QueryState)
	if err == nil {
		err = value.Get(&st)
	}
	return st, err
}

// waitStage polls the Stage search attribute through the Temporal API.
func waitStage(t *testing.T, ctx context.Context, c client.Client, control string, want lifecycle.Stage) {
	t.Helper()
	id := lifecycle.RecommendationWorkflowID("contoso", control)
	var got string
	for ctx.Err() == nil {
		description, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err == nil {
			if payload := description.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()[lifecycle.StageKey.GetName()]; payload != nil {
				got = strings.Trim(string(payload.Data), `"`)
				if got == string(want) {
					return
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s stayed in stage %q, want %s", control, got, want)
}
