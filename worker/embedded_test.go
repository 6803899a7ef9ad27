package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/cli"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
	"github.com/scoreflow/scoreflow/workflows"
)

func TestWorkerEmbedsTemporalAndWorkflowsSurviveARestart(t *testing.T) {
	s := newTestSetup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	first := startWorkerProcess(t, s.env, "--config", s.configPath)
	first.waitHealthy(t, s.gateway())

	if status, body := httpGet(t, ctx, fmt.Sprintf("http://127.0.0.1:%d/", s.uiPort)); status != 200 || !strings.Contains(body, "<html") {
		t.Errorf("Temporal Web UI answered %d, %.80q", status, body)
	}
	if status, body := httpGet(t, ctx, "http://"+s.gateway()+"/metrics"); status != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics answered %d without Prometheus metrics", status)
	}

	c, err := client.Dial(client.Options{HostPort: s.temporal()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	workflowID := lifecycle.RecommendationWorkflowID("contoso", "AdminMFAV2")
	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflowID, TaskQueue: "scoreflow"},
		workflows.RecommendationWorkflow, lifecycle.RecommendationInput{
			TenantID: "contoso", TenantName: "Contoso", ControlID: "AdminMFAV2", ControlTitle: "Require MFA for administrative roles",
			Observation: lifecycle.ControlObservation{SweepID: "by-hand", Present: true, MaxScore: 10, State: "Default", Open: true},
		})
	if err != nil {
		t.Fatal(err)
	}
	query := "TenantId = 'contoso' AND ControlId = 'AdminMFAV2' AND Stage = 'detected' AND Critical = false"
	waitListed(t, ctx, c, query, workflowID)

	assertRetention(t, ctx, c, config.DefaultRetention)

	first.stop(t)
	assertNoSecrets(t, first.output.String(), s.env)
	// A retention changed in the config reaches the database made before.
	setConfig(t, s.configPath, fmt.Sprintf("ui_port: %d}", s.uiPort), fmt.Sprintf("ui_port: %d, retention: 90d}", s.uiPort))

	second := startWorkerProcess(t, s.env, "--config", s.configPath)
	second.waitHealthy(t, s.gateway())
	c2, err := client.Dial(client.Options{HostPort: s.temporal()})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	waitListed(t, ctx, c2, query, workflowID)
	assertRetention(t, ctx, c2, 90*24*time.Hour)
	state, err := queryState(ctx, c2, workflowID)
	if err != nil {
		t.Fatalf("query after restart: %v", err)
	}
	if state.Stage != lifecycle.StageDetected || state.ControlTitle == "" {
		t.Errorf("state after restart = %+v", state)
	}

	// The starter reads the same workflow after the restart.
	for _, kv := range s.env {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"--config", s.configPath, "list", "--tenant", "contoso", "--stage", "detected"}, &out, &errOut); code != 0 ||
		!regexp.MustCompile(`contoso\s+AdminMFAV2\s+detected\s+false\s+running`).MatchString(out.String()) {
		t.Errorf("starter list = %d\n%s%s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := cli.Run([]string{"--config", s.configPath, "show", "contoso", "AdminMFAV2"}, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), `"Stage": "detected"`) || !strings.Contains(out.String(), "Require MFA for administrative roles") {
		t.Errorf("starter show = %d\n%s%s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := cli.Run([]string{"--config", s.configPath, "list", "--tenant", "fabrikam"}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), `unknown tenant "fabrikam"`) {
		t.Errorf("starter list of an unknown tenant = %d, %s", code, errOut.String())
	}
	second.stop(t)
}

// assertRetention checks how long the embedded namespace keeps closed workflows.
func assertRetention(t *testing.T, ctx context.Context, c client.Client, want time.Duration) {
	t.Helper()
	if got, err := temporalclient.Retention(ctx, c, "default"); err != nil || got != want {
		t.Errorf("namespace retention = %s (%v), want %s", got, err, want)
	}
}

// waitListed polls visibility until the query lists exactly the workflow.
func waitListed(t *testing.T, ctx context.Context, c client.Client, query, workflowID string) {
	t.Helper()
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		if err == nil && len(resp.Executions) == 1 && resp.Executions[0].Execution.WorkflowId == workflowID &&
			resp.Executions[0].Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("visibility never listed %s for %q (last error %v)", workflowID, query, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
