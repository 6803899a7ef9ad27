package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/simfault"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Jira, Slack and Graph each failing in every way they do: an outage, then
// throttling, server errors, connections dropped before and after a write
// took effect, and an answer slower than the client waits. The activities
// retry with backoff, the Web UI's pending activity says why, and in the end
// every ticket, message and PATCH exists exactly once.
func TestOutsideFailuresAreRetriedWithoutLossOrDuplicates(t *testing.T) {
	t.Parallel()
	e := startE2E(t, true)
	ctx := e.ctx
	const jiraCreate, slackPost = "/rest/api/2/issue", "/api/chat.postMessage"

	// Jira: down during the onboarding sweep of twelve recommendations.
	e.jiraSim.Faults.FailFor(8*time.Second, simfault.Fault{Status: http.StatusServiceUnavailable})
	e.jiraSim.Faults.FailNext(simfault.Throttled("1"), simfault.Fault{Status: http.StatusInternalServerError},
		simfault.Fault{Drop: true}, simfault.Fault{Drop: true, AfterEffect: true, Method: http.MethodPost, Path: jiraCreate},
		simfault.Fault{Status: http.StatusBadGateway},
		simfault.Fault{Delay: jira.RequestTimeout + 5*time.Second, Method: http.MethodPost, Path: jiraCreate})
	sweep(t, e.setup.configPath)
	if why := waitPendingFailure(t, ctx, e, "AdminMFAV2"); !strings.Contains(why, "503") {
		t.Errorf("the pending activity shows %q, want Jira's 503", why)
	}
	for _, control := range contosoOpen {
		waitStage(t, ctx, e.client, control, lifecycle.StageTriage)
	}
	if n := len(e.jiraSim.Issues()); n != len(contosoOpen) || e.jiraSim.Creates() != len(contosoOpen) {
		t.Errorf("Jira has %d tickets after %d creates, want %d of each", n, e.jiraSim.Creates(), len(contosoOpen))
	}

	// Slack while four decisions are requested, Graph while two
	// recommendations are resolved elsewhere.
	e.slackSim.Faults.FailNext(simfault.Throttled("1"), simfault.Fault{Status: http.StatusInternalServerError},
		simfault.Fault{Drop: true, AfterEffect: true, Path: slackPost},
		simfault.Fault{Delay: slack.RequestTimeout + 2*time.Second, Path: slackPost})
	e.graphSim.Faults.FailNext(simfault.Throttled("1"), simfault.Fault{Drop: true},
		simfault.Fault{Drop: true, AfterEffect: true, Method: http.MethodPatch}, simfault.Fault{Status: http.StatusInternalServerError})
	decided := []string{"MFARegistrationV2", "BlockLegacyAuthentication", "UserRiskPolicy", "SigninRiskPolicy"}
	resolved := []string{"IntegratedApps", "RoleOverlap"}
	for _, control := range decided {
		for _, v := range []lifecycle.Verdict{lifecycle.VerdictNeedsChange, lifecycle.VerdictCriticalDecision} {
			if err := e.deliver(ctx, control, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, control := range resolved {
		if err := e.deliver(ctx, control, lifecycle.VerdictMitigatedElsewhere); err != nil {
			t.Fatal(err)
		}
	}
	for _, control := range decided {
		waitStage(t, ctx, e.client, control, lifecycle.StageAwaitingDecision)
	}
	for _, control := range resolved {
		waitStage(t, ctx, e.client, control, lifecycle.StageResolvedAlternate)
		profile, _ := e.graphSim.Profile(e.contoso.AzureTenantID, control)
		if n := len(profile.ControlStateUpdates); n != 1 || profile.ControlStateUpdates[0].State != "Reviewed" {
			t.Errorf("%s has %d state updates in Graph: %+v", control, n, profile.ControlStateUpdates)
		}
	}
	var requests int
	for _, m := range e.slackSim.Messages("C0CONTOSO") {
		if m.ThreadTS == "" {
			requests++
		}
	}
	if requests != len(decided) || e.slackSim.Posts() != len(decided) {
		t.Errorf("Slack has %d decision requests after %d posts, want %d", requests, e.slackSim.Posts(), len(decided))
	}
	for name, faults := range map[string]*simfault.Injector{"Jira": e.jiraSim.Faults, "Slack": e.slackSim.Faults, "Graph": e.graphSim.Faults} {
		if faults.Pending() != 0 {
			t.Errorf("%s: %d faults were never reached; the test did not exercise them", name, faults.Pending())
		}
	}
	e.stop(t)
}

// waitPendingFailure returns the last failure of a recommendation's pending
// activity once it has been retried: what the Web UI shows a manager.
func waitPendingFailure(t *testing.T, ctx context.Context, e *e2e, control string) string {
	t.Helper()
	for ctx.Err() == nil {
		description, err := e.client.DescribeWorkflowExecution(ctx, lifecycle.RecommendationWorkflowID("contoso", control), "")
		if err == nil {
			for _, activity := range description.PendingActivities {
				if activity.Attempt >= 2 && activity.LastFailure != nil {
					return activity.LastFailure.Message
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no pending activity showed a retried failure")
	return ""
}
