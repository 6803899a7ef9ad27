package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/internal/assessment"
	"github.com/scoreflow/scoreflow/internal/cli"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

var contosoOpen = []string{"AdminMFAV2", "BlockLegacyAuthentication", "CustomerLockBoxEnabled", "IntegratedApps",
	"MFARegistrationV2", "RoleOverlap", "SelfServicePasswordReset", "SigninRiskPolicy", "UserRiskPolicy",
	"aad_admin_consent_workflow", "meeting_autoadmitusers_v1", "meeting_designatedpresenter_v1"}

func TestSweepOfContosoAgainstTheGraphSimulator(t *testing.T) {
	e := startE2E(t, false)
	s, ctx, c, contoso, graphSim := e.setup, e.ctx, e.client, e.contoso, e.graphSim

	// The worker created the tenant's daily schedule from sweep.cron and timezone.
	schedule, err := c.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID("contoso")).Describe(ctx)
	if err != nil {
		t.Fatalf("no sweep schedule for contoso: %v", err)
	}
	// The server keeps "0 10 * * *" as a calendar: 10:00 every day.
	spec := schedule.Schedule.Spec
	if len(spec.Calendars) != 1 || len(spec.Calendars[0].Hour) != 1 || spec.Calendars[0].Hour[0].Start != 10 ||
		spec.TimeZoneName != "Europe/Brussels" || spec.Jitter != 30*time.Minute {
		t.Errorf("schedule spec = %+v", spec)
	}
	// Sweeps queue behind a customer's decision, not before it.
	if action, ok := schedule.Schedule.Action.(*client.ScheduleWorkflowAction); !ok || action.Priority != lifecycle.BackgroundPriority {
		t.Errorf("the sweep's Schedule starts %+v, want priority %+v", schedule.Schedule.Action, lifecycle.BackgroundPriority)
	}

	pages := (len(contoso.Profiles) + graphSim.PageSize - 1) / graphSim.PageSize
	historyPages := (sim.HistoryDays + graphSim.ScorePageSize - 1) / graphSim.ScorePageSize
	before := graphSim.Requests(contoso.AzureTenantID)
	out := sweep(t, s.configPath)
	if got := graphSim.Requests(contoso.AzureTenantID) - before; got != 1+pages+historyPages {
		t.Errorf("first sweep made %d Graph requests, want 1 + %d profile pages + %d pages of the 90 days' backfill", got, pages, historyPages)
	}
	// The first sweep recorded Graph's whole 90 days: the trend starts with three months.
	days := scoreHistory(t, s, "365d")
	today := time.Now().UTC().Format(time.DateOnly)
	if len(days) != sim.HistoryDays || days[len(days)-1].Day != today || days[len(days)-1].Percent != 28.7 || days[0].Percent >= 28.7 {
		t.Errorf("after the first sweep the store holds %d days, the last %+v; want Graph's %d, rising to 28.7%% today",
			len(days), days[len(days)-1], sim.HistoryDays)
	}
	graphSim.SetScore(contoso.AzureTenantID, "AdminMFAV2", 4)
	expectLine(t, out, `started:\s+12 `)
	// Visibility records a start a moment after it: wait until it lists as many.
	var running []string
	waitFor(t, ctx, func() bool { running = runningRecommendations(t, ctx, c); return len(running) >= len(contosoOpen) })
	if strings.Join(running, " ") != strings.Join(contosoOpen, " ") {
		t.Fatalf("running recommendations = %v,\nwant exactly the open in-scope controls %v", running, contosoOpen)
	}
	firstSweep := lastObservation(t, ctx, c, "AdminMFAV2").SweepID

	// The second sweep starts nothing and feeds only the running workflow
	// whose control changed; the others have what it saw already.
	before = graphSim.Requests(contoso.AzureTenantID)
	out = sweep(t, s.configPath)
	expectLine(t, out, `started:\s+0\s*$`)
	expectLine(t, out, `updated:\s+1 AdminMFAV2\s*$`)
	expectLine(t, out, `unchanged:\s+11\s*$`)
	if got := graphSim.Requests(contoso.AzureTenantID) - before; got != 1+pages {
		t.Errorf("second sweep made %d Graph requests with 12 workflows open, want 1 + %d", got, pages)
	}
	// A second sweep on the same day replaces that day's row; the control
	// whose score changed has a change row.
	again := scoreHistory(t, s, "365d")
	if len(again) != sim.HistoryDays || math.Abs(again[len(again)-1].Score-days[len(days)-1].Score-4) > 1e-9 {
		t.Errorf("after a second sweep today the store holds %d days, today's %+v; want %d, today's score 4 points up",
			len(again), again[len(again)-1], sim.HistoryDays)
	}
	if !slices.ContainsFunc(changeList(t, s, "1d"), func(c changeLine) bool {
		return c.Control == "AdminMFAV2" && c.Kind == "score" && c.Field == "score" && c.From == "0" && c.To == "4"
	}) {
		t.Error("changes lacks AdminMFAV2's score rising from 0 to 4 today")
	}
	if len(runningRecommendations(t, ctx, c)) != 12 {
		t.Error("the second sweep changed the set of workflows")
	}
	second := lastObservation(t, ctx, c, "AdminMFAV2")
	if second.SweepID == firstSweep || second.SweepID == "" || second.Score != 4 {
		t.Errorf("the changed control's workflow did not receive the second sweep (%+v, first %q)", second, firstSweep)
	}
	if kept := lastObservation(t, ctx, c, "RoleOverlap").SweepID; kept != firstSweep {
		t.Errorf("an unchanged control's workflow was told the second sweep (%q), want it left with the first (%q)", kept, firstSweep)
	}
	// It tells the next sweep what it has now.
	waitFor(t, ctx, func() bool { return observedOf(t, ctx, c, "AdminMFAV2") == second.Digest() })

	// Visibility lists a workflow a moment after its start. A sweep that does
	// not see a running one yet starts it, the server refuses a second run,
	// and the observation goes to the running one as a signal.
	unlisted := lifecycle.TenantSnapshot{TenantID: "contoso", TakenAt: time.Now(), Controls: []lifecycle.ControlSummary{
		{ID: "AdminMFAV2", Title: "Require MFA for administrative roles", MaxScore: 10, State: "Default", Open: true}}}
	if report := deliverUnlisted(t, c, unlisted, "sweep-unlisted"); len(report.Started) != 0 || !slices.Equal(report.Fed, []string{"AdminMFAV2"}) {
		t.Errorf("a sweep that did not see the running workflow reported %+v, want it fed, not started", report)
	}
	unlistedSeen := lastObservation(t, ctx, c, "AdminMFAV2")
	if unlistedSeen.SweepID != "sweep-unlisted" {
		t.Errorf("the running workflow's last observation is from %q, want sweep-unlisted", unlistedSeen.SweepID)
	}
	waitFor(t, ctx, func() bool { return observedOf(t, ctx, c, "AdminMFAV2") == unlistedSeen.Digest() })
	if len(runningRecommendations(t, ctx, c)) != 12 {
		t.Error("a sweep that did not see a running workflow changed the set of workflows")
	}

	// Throttling and unavailability delay the sweep but lose nothing.
	graphSim.FailNext(2, 429, "1")
	graphSim.FailNext(1, 503, "1")
	graphSim.SetState(contoso.AzureTenantID, "RoleOverlap", "Ignored", "admin@contoso")
	out = sweep(t, s.configPath)
	// AdminMFAV2 was told a score of 0 since (the unlisted delivery): Graph's 4 is news to it.
	expectLine(t, out, `updated:\s+1 AdminMFAV2\s*$`)
	expectLine(t, out, `unchanged:\s+10\s*$`)
	expectLine(t, out, `no longer open:\s+1 RoleOverlap`)
	observation := lastObservation(t, ctx, c, "RoleOverlap")
	if observation.Open || observation.State != "Ignored" {
		t.Errorf("RoleOverlap was told %+v after it was marked Ignored in the portal", observation)
	}
	// The store has the state change as the sweep saw it, and Graph's record of who made it.
	changes := changeList(t, s, "1d")
	if !slices.ContainsFunc(changes, func(c changeLine) bool {
		return c.Control == "RoleOverlap" && c.Kind == "score" && c.Field == "state" && c.From == "Default" && c.To == "Ignored"
	}) || !slices.ContainsFunc(changes, func(c changeLine) bool {
		return c.Control == "RoleOverlap" && c.Kind == "state" && c.To == "Ignored" && c.By == "admin@contoso"
	}) {
		t.Errorf("changes lacks RoleOverlap's state set to Ignored by admin@contoso: %+v", changes)
	}
	// The SDK's metrics reach Prometheus through the gateway.
	status, body := httpGet(t, ctx, "http://"+s.gateway()+"/metrics")
	if status != 200 || !strings.Contains(body, "temporal_activity_execution_latency_seconds_count") || !strings.Contains(body, "temporal_num_pollers") {
		t.Errorf("/metrics lacks the Temporal SDK's activity and poller metrics")
	}
	// The configured sticky cache holds, though 12 workflows do not fit in it
	// (the embedded server's own workers once sized it first, to 10,000).
	// The SDK reports the one cache's size under the type of the workflow it last touched.
	if sizes := metricValues(body, "temporal_sticky_cache_size"); len(sizes) == 0 || slices.Max(sizes) > testStickyCacheSize {
		t.Errorf("the sticky cache holds %v workflows, configured for %d", sizes, testStickyCacheSize)
	}
	e.stop(t)
}

// metricValues are a Prometheus metric's samples, one per set of labels.
func metricValues(exposition, name string) []float64 {
	var values []float64
	for _, line := range strings.Split(exposition, "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok && (strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, " ")) {
			if value, err := strconv.ParseFloat(rest[strings.LastIndexByte(rest, ' ')+1:], 64); err == nil {
				values = append(values, value)
			}
		}
	}
	return values
}

func sweep(t *testing.T, configPath string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"--config", configPath, "sweep", "--tenant", "contoso"}, &out, &errOut); code != 0 {
		t.Fatalf("starter sweep exited %d: %s", code, errOut.String())
	}
	return out.String()
}

func expectLine(t *testing.T, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)` + pattern).MatchString(out) {
		t.Errorf("sweep output lacks /%s/:\n%s", pattern, out)
	}
}

func runningRecommendations(t *testing.T, ctx context.Context, c client.Client) []string {
	t.Helper()
	resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND TenantId = 'contoso'", lifecycle.RecommendationWorkflowType),
	})
	if err != nil {
		t.Fatal(err)
	}
	var controls []string
	for _, e := range resp.Executions {
		_, control, err := lifecycle.ParseRecommendationWorkflowID(e.Execution.WorkflowId)
		if err != nil {
			t.Fatal(err)
		}
		controls = append(controls, control)
	}
	sort.Strings(controls)
	return controls
}

func lastObservation(t *testing.T, ctx context.Context, c client.Client, control string) lifecycle.ControlObservation {
	t.Helper()
	st := state(t, ctx, c, control)
	if st.LastObservation == nil {
		t.Fatalf("%s has no observation: %+v", control, st)
	}
	return *st.LastObservation
}

// observedOf is what visibility lists as the Observed attribute of the
// control's running workflow.
func observedOf(t *testing.T, ctx context.Context, c client.Client, control string) string {
	t.Helper()
	resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s' AND ExecutionStatus = 'Running'", lifecycle.RecommendationWorkflowID("contoso", control)),
	})
	if err != nil || len(resp.Executions) != 1 {
		t.Fatalf("listing %s's running workflow: %d found, %v", control, len(resp.GetExecutions()), err)
	}
	return lifecycle.ListedKeyword(resp.Executions[0], lifecycle.ObservedKey)
}

// deliverUnlisted runs the sweep's delivery against the embedded server as a
// sweep sees it right after a start, before visibility lists the workflow.
func deliverUnlisted(t *testing.T, c client.Client, snapshot lifecycle.TenantSnapshot, sweepID string) lifecycle.DeliveryReport {
	t.Helper()
	rules, err := assessment.Default()
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	sweeper := &activities.Sweep{Client: notListedYet{c}, Namespace: "default", TaskQueue: "scoreflow", Rules: rules}
	env.RegisterActivity(sweeper)
	value, err := env.ExecuteActivity(sweeper.DeliverObservations, snapshot, sweepID)
	if err != nil {
		t.Fatal(err)
	}
	var report lifecycle.DeliveryReport
	if err := value.Get(&report); err != nil {
		t.Fatal(err)
	}
	return report
}

// notListedYet is the Temporal client with visibility a moment behind: it
// lists no workflow yet.
type notListedYet struct{ client.Client }

func (notListedYet) ListWorkflow(context.Context, *workflowservice.ListWorkflowExecutionsRequest) (*workflowservice.ListWorkflowExecutionsResponse, error) {
	return &workflowservice.ListWorkflowExecutionsResponse{}, nil
}

// historyDay and changeLine are lines of starter history and starter changes as JSON.
type historyDay struct {
	Day     string  `json:"day"`
	Score   float64 `json:"score"`
	Percent float64 `json:"percent"`
	Demo    bool    `json:"demo"`
}

type changeLine struct {
	Control, Kind, Field, From, To, By, Source, Reason string
	TicketKey                                          string `json:"ticket_key"`
	WorkflowID                                         string `json:"workflow_id"`
}

func scoreHistory(t *testing.T, s testSetup, since string) []historyDay {
	t.Helper()
	var days []historyDay
	if err := json.Unmarshal([]byte(starter(t, s, "history", "--tenant", "contoso", "--since", since, "--format", "json")), &days); err != nil {
		t.Fatal(err)
	}
	return days
}

func changeList(t *testing.T, s testSetup, since string) []changeLine {
	t.Helper()
	var changes []changeLine
	if err := json.Unmarshal([]byte(starter(t, s, "changes", "--tenant", "contoso", "--since", since, "--format", "json")), &changes); err != nil {
		t.Fatal(err)
	}
	return changes
}
