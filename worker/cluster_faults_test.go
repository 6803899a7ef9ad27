package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Two workers on a Temporal server of its own on PostgreSQL. One is killed
// during the onboarding, the other finishes it; then, while that one alone
// carries out four decisions, it is killed at their second RFC and the
// first comes back to finish them. Every ticket, decision message, Graph
// write and store row exists once.
func TestOnAClusterWorkersKilledDuringTheOnboardingAndTheDecisionsLoseNothing(t *testing.T) {
	t.Parallel() // the killed workers' activities time out: a minute of waiting
	c := startCluster(t, clusterOptions{workers: 2})
	var created atomic.Int32 // the simulator's own count takes the lock this hook runs under
	killedAtRFC := make(chan struct{})
	c.jiraSim.AfterCreate = func(string) {
		switch created.Add(1) {
		case 3:
			c.kill(0)
		case contosoRecommendations + 2:
			c.kill(1)
			close(killedAtRFC)
		}
	}
	c.onboard(t, 1)

	decided := slices.DeleteFunc(runningRecommendations(t, c.ctx, c.client), func(control string) bool { return control == "AdminMFAV2" })[:4]
	for _, control := range decided {
		c.askCritical(t, 1, control)
	}
	waitFor(t, c.ctx, func() bool { return c.slackSim.Posts() == len(decided) })
	// The customer approves all four at once, as Slack's clicks would come;
	// an approval whose worker died is sent again with its event id.
	decisions := delivery.Client{Temporal: c.client, ResultWait: time.Second}
	var sent sync.WaitGroup
	for _, control := range decided {
		sent.Go(func() {
			d := lifecycle.CustomerDecision{EventID: "cluster-approve-" + control, Decision: lifecycle.DecisionApprove,
				By: lifecycle.Person{ID: "U0CUSTOMER1", Name: "Chris"}, Source: lifecycle.SourceSlack}
			for c.ctx.Err() == nil {
				if _, err := decisions.SendDecision(c.ctx, "contoso", control, d); err == nil {
					return
				}
				time.Sleep(time.Second)
			}
		})
	}
	select {
	case <-killedAtRFC:
	case <-c.ctx.Done():
		t.Fatal("the decisions never reached their second RFC")
	}
	c.restart(t, 0)
	sent.Wait()
	// Planned: the RFC is open and Graph has its comment.
	for _, control := range decided {
		waitStage(t, c.ctx, c.client, control, lifecycle.StagePlanned)
	}
	if n, creates := len(c.jiraSim.Issues()), c.jiraSim.Creates(); n != contosoRecommendations+len(decided) || creates != n {
		t.Errorf("Jira has %d tickets after %d creates, want %d tickets and %d RFCs, each created once", n, creates, contosoRecommendations, len(decided))
	}
	if posts, patches := c.slackSim.Posts(), c.graphSim.Patches(c.contoso.AzureTenantID); posts != len(decided) || patches != len(decided) {
		t.Errorf("Slack got %d posts and Graph %d writes, want %d of each: a decision message and an RFC's comment", posts, patches, len(decided))
	}
	for _, control := range decided {
		c.expectStepsOnce(t, control)
	}

	// A decision on the surviving worker that writes to Graph: once.
	c.acceptRisk(t, 0, "AdminMFAV2")
	if patches := c.graphSim.Patches(c.contoso.AzureTenantID); patches != len(decided)+1 {
		t.Errorf("Graph got %d writes, want the RFCs' comments and one state", patches)
	}
	c.expectStepsOnce(t, "AdminMFAV2")
	c.stop(t)
}

// Every worker restarted in turn, as a rolling deploy does, while the
// onboarding runs: a worker told to stop while its activity waits on Jira
// lets it finish before it exits, so nothing is attempted twice. Then the
// Temporal server restarts: the workers are unready while it is down, but
// alive, and serve again when it is back.
func TestOnAClusterRollingRestartsAndATemporalRestartLoseNothing(t *testing.T) {
	t.Parallel()
	c := startCluster(t, clusterOptions{workers: 2})
	// Worker 0 alone takes the onboarding's first tickets, so the stop below
	// finds an activity of its own running.
	c.workers[1].stop(t)
	var created atomic.Int32
	var answered atomic.Int64 // when the create the stop waited for was answered
	c.jiraSim.AfterCreate = func(string) {
		if created.Add(1) == 3 {
			_ = c.workers[0].cmd.Process.Signal(syscall.SIGTERM)
			time.Sleep(2 * time.Second) // the ticket's activity is still running when the worker stops
			answered.Store(time.Now().UnixNano())
		}
	}
	stopped := make(chan error, 1)
	go func() { stopped <- <-c.workers[0].done }()
	// Started, not awaited: the sweep may end only once a worker is back.
	if _, err := c.client.ExecuteWorkflow(c.ctx, client.StartWorkflowOptions{ID: "rolling-onboarding", TaskQueue: "scoreflow"},
		lifecycle.TenantSweepWorkflowType, lifecycle.SweepInput{TenantID: "contoso"}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-stopped:
		exitedAt := time.Now()
		if err != nil {
			t.Fatalf("worker 0 did not stop cleanly: %v", err)
		}
		if answered.Load() == 0 || exitedAt.UnixNano() < answered.Load() {
			t.Error("worker 0 exited before its running activity had its answer")
		}
		if waited := exitedAt.Sub(time.Unix(0, answered.Load())); waited > config.DefaultStopTimeout+10*time.Second {
			t.Errorf("worker 0 took %s after its last activity to stop", waited)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("worker 0 was not told to stop, or did not")
	}
	c.restart(t, 1)
	c.restart(t, 0)
	c.workers[1].stop(t)
	c.restart(t, 1)
	waitFor(t, c.ctx, func() bool { return c.inTriage(t) == contosoRecommendations })
	if n, creates := len(c.jiraSim.Issues()), c.jiraSim.Creates(); n != contosoRecommendations || creates != n {
		t.Errorf("Jira has %d tickets after %d creates for %d recommendations", n, creates, contosoRecommendations)
	}
	for _, control := range runningRecommendations(t, c.ctx, c.client) {
		if attempts := c.activityAttempts(t, control); attempts > 1 {
			t.Errorf("%s ran an activity %d times: a stopping worker gave it up", control, attempts)
		}
	}

	c.server.stop(t)
	for i := range c.workers {
		if code, body := c.ready(t, i); code != http.StatusServiceUnavailable || !strings.Contains(body, `"temporal":"unavailable"`) {
			t.Errorf("worker %d with Temporal down: %d %s", i, code, body)
		}
		if code, _ := page(t, http.DefaultClient, "http://"+c.configs[i].gateway()+"/healthz"); code != http.StatusOK {
			t.Errorf("worker %d is not alive with Temporal down: %d", i, code)
		}
	}
	c.startServer(t)
	for i := range c.workers {
		c.workers[i].waitHealthy(t, c.configs[i].gateway())
	}
	c.acceptRisk(t, 1, "AdminMFAV2")
	if posts, patches := c.slackSim.Posts(), c.graphSim.Patches(c.contoso.AzureTenantID); posts != 1 || patches != 1 {
		t.Errorf("after the restarts Slack got %d posts and Graph %d writes, want one each", posts, patches)
	}
	c.expectStepsOnce(t, "AdminMFAV2")
	c.stop(t)
}

// PostgreSQL, which holds Temporal's data and the store, stops and starts
// again: the workers are unready meanwhile and serve again after, and the
// recommendations go on from where they were.
func TestOnAClusterAPostgreSQLRestartLosesNothing(t *testing.T) {
	t.Parallel()
	c := startCluster(t, clusterOptions{workers: 2, ownPostgres: true})
	c.onboard(t, 0)
	c.postgres.Stop()
	for i := range c.workers {
		if code, body := c.ready(t, i); code != http.StatusServiceUnavailable || !strings.Contains(body, `"store":"unavailable"`) {
			t.Errorf("worker %d with PostgreSQL down: %d %s", i, code, body)
		}
	}
	c.postgres.Start()
	for i := range c.workers {
		c.workers[i].waitHealthy(t, c.configs[i].gateway())
	}
	c.acceptRisk(t, 1, "AdminMFAV2")
	if n, posts, patches := c.jiraSim.Creates(), c.slackSim.Posts(), c.graphSim.Patches(c.contoso.AzureTenantID); n != contosoRecommendations || posts != 1 || patches != 1 {
		t.Errorf("Jira got %d creates, Slack %d posts, Graph %d writes; want %d, 1, 1", n, posts, patches, contosoRecommendations)
	}
	c.expectStepsOnce(t, "AdminMFAV2")
	select {
	case err := <-c.server.done:
		t.Errorf("the Temporal server exited over the outage: %v", err)
	default:
	}
	c.stop(t)
}

// Three workers started together: the tenant's daily sweep and the store's
// prune, each a Schedule of Temporal's, run once when they fire; a Slack
// click replayed to another worker is refused; a dashboard session opened on
// one worker holds on the others, and signing out on one ends it on all.
func TestOnAClusterOfThreeWorkersSchedulesRunOnceAndReplaysAndSessionsAreShared(t *testing.T) {
	t.Parallel()
	c := startCluster(t, clusterOptions{workers: 3, dashboard: true})
	schedules := c.client.ScheduleClient()
	for _, id := range []string{lifecycle.SweepScheduleID("contoso"), lifecycle.PruneScheduleID} {
		if err := schedules.GetHandle(c.ctx, id).Trigger(c.ctx, client.ScheduleTriggerOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, c.ctx, func() bool { return c.inTriage(t) == contosoRecommendations })
	runsOf := func(workflowType string) int { return c.count(t, fmt.Sprintf("WorkflowType = '%s'", workflowType)) }
	// Visibility lists a run a moment after it starts; a second run would have started by then too.
	waitFor(t, c.ctx, func() bool { return runsOf(lifecycle.PruneHistoryWorkflowType) > 0 })
	time.Sleep(2 * time.Second)
	for _, workflowType := range []string{lifecycle.TenantSweepWorkflowType, lifecycle.PruneHistoryWorkflowType} {
		if runs := runsOf(workflowType); runs != 1 {
			t.Errorf("%s ran %d times, want once", workflowType, runs)
		}
	}
	if n := c.jiraSim.Creates(); n != contosoRecommendations {
		t.Errorf("Jira got %d creates for %d recommendations", n, contosoRecommendations)
	}

	c.askCritical(t, 0, "AdminMFAV2")
	workflowID := lifecycle.RecommendationWorkflowID("contoso", "AdminMFAV2")
	waitFor(t, c.ctx, func() bool { return state(t, c.ctx, c.client, "AdminMFAV2").DecisionMessage != nil })
	message := c.slackSim.Messages("C0CONTOSO")[0]
	clicks := c.slackSim.Interactions("http://"+c.configs[0].gateway()+"/slack/interactions", testSlackSigningSecret)
	if code, body, err := clicks.Click(slacksim.User{ID: "U0CUSTOMER1", Name: "chris"}, message, slack.ActionApprove, workflowID); err != nil || code != http.StatusOK {
		t.Fatalf("the click: %d %s %v", code, body, err)
	}
	for _, other := range c.configs[1:] {
		if code, _, _ := clicks.ReplayAt("http://" + other.gateway() + "/slack/interactions"); code != http.StatusUnauthorized {
			t.Errorf("the click replayed to another worker got %d, want 401", code)
		}
	}
	waitStage(t, c.ctx, c.client, "AdminMFAV2", lifecycle.StageRFC)
	if n := c.jiraSim.Creates(); n != contosoRecommendations+1 {
		t.Errorf("Jira got %d creates, want the tickets and one RFC", n)
	}

	browser := signedIn(t, c.entra, c.dashboards[0], 0)
	for i, dashboard := range c.dashboards {
		if code, body := page(t, browser, dashboard+"/tenants/contoso"); code != http.StatusOK || !strings.Contains(body, "Contoso") {
			t.Errorf("the session opened on worker 0, on worker %d: %d", i, code)
		}
	}
	signOut, _ := http.NewRequest(http.MethodPost, c.dashboards[1]+"/signout", nil)
	signOut.Header.Set("Sec-Fetch-Site", "same-origin")
	if answer, err := browser.Do(signOut); err != nil || answer.StatusCode != http.StatusOK {
		t.Fatalf("signing out on worker 1: %v %v", answer, err)
	}
	if code, _ := page(t, browser, c.dashboards[2]+"/tenants/contoso"); code != http.StatusSeeOther {
		t.Errorf("the session signed out on worker 1 still opens worker 2's pages: %d", code)
	}
	c.stop(t)
}

// askCritical has the specialist ask the customer's critical decision on
// a Contoso recommendation, through worker i's config.
func (c *cluster) askCritical(t *testing.T, i int, control string) {
	t.Helper()
	starter(t, c.configs[i], "verdict", "contoso", control, "needs_change", "--by", "Jane")
	starter(t, c.configs[i], "verdict", "contoso", control, "critical_decision", "--by", "Jane")
}

// acceptRisk takes a Contoso recommendation to the customer's decision and
// has the customer accept the risk, which writes to Graph.
func (c *cluster) acceptRisk(t *testing.T, i int, control string) {
	t.Helper()
	c.askCritical(t, i, control)
	waitFor(t, c.ctx, func() bool { return state(t, c.ctx, c.client, control).DecisionMessage != nil })
	starter(t, c.configs[i], "decide", "contoso", control, "accept_risk", "--by", "Chris", "--reason", "legacy tooling")
	waitStage(t, c.ctx, c.client, control, lifecycle.StageRiskAccepted)
}

// count counts the workflow executions a visibility query matches.
func (c *cluster) count(t *testing.T, query string) int {
	t.Helper()
	resp, err := c.client.CountWorkflow(c.ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
	if err != nil {
		t.Fatal(err)
	}
	return int(resp.Count)
}

// activityAttempts is the most attempts any activity of a Contoso
// recommendation took, from its history.
func (c *cluster) activityAttempts(t *testing.T, control string) int32 {
	t.Helper()
	var most int32
	events := c.client.GetWorkflowHistory(c.ctx, lifecycle.RecommendationWorkflowID("contoso", control), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for events.HasNext() {
		event, err := events.Next()
		if err != nil {
			t.Fatal(err)
		}
		if started := event.GetActivityTaskStartedEventAttributes(); started != nil {
			most = max(most, started.GetAttempt())
		}
	}
	return most
}
