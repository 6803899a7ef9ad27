package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// e2e is a running worker process on the embedded server, with the Graph
// simulator holding Contoso and, when asked, the Jira simulator.
type e2e struct {
	setup    testSetup
	ctx      context.Context
	contoso  *sim.Tenant
	graphSim *sim.Server
	jiraSim  *jirasim.Server // nil without Jira
	slackSim *slacksim.Server
	worker   *workerProcess
	client   client.Client
}

// startE2E starts the worker on a new database; prepare, when given, edits
// its config first.
func startE2E(t *testing.T, withJira bool, prepare ...func(testSetup)) *e2e {
	t.Helper()
	e := startSimulators(t, withJira)
	e.setup = newTestSetupWith(t, e.graphSim, e.jiraSim, e.slackSim.APIURL())
	for _, edit := range prepare {
		edit(e.setup)
	}
	shareEnv(t, e.setup.env)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	e.ctx = ctx
	e.worker = startWorkerProcess(t, e.setup.env, "--config", e.setup.configPath)
	e.worker.waitHealthy(t, e.setup.gateway())
	c, err := client.Dial(client.Options{HostPort: e.setup.temporal()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	e.client = c
	return e
}

// startSimulators starts Contoso's Graph (beside the MSP's directory, which
// holds its mailbox), Slack and, withJira, Jira, closed when the test ends.
func startSimulators(t *testing.T, withJira bool) *e2e {
	t.Helper()
	e := &e2e{contoso: sim.Contoso()}
	e.graphSim = sim.New(e.contoso, sim.MSP())
	t.Cleanup(e.graphSim.Close)
	if withJira {
		e.jiraSim = jirasim.New(testJiraEmail, testJiraToken)
		t.Cleanup(e.jiraSim.Close)
	}
	// The bot token the test config gives Slack (TEST_SLACK_TOKEN).
	e.slackSim = slacksim.New("xoxb-secret-value")
	t.Cleanup(e.slackSim.Close)
	return e
}

// shareEnv puts a worker's environment into this process, for the starter,
// which runs here and reads the same secrets. Every test sets the same
// values, so parallel tests may share them; a value of one test alone (the
// cluster's store) is read by that test alone.
func shareEnv(t *testing.T, env []string) {
	t.Helper()
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if err := os.Setenv(name, value); err != nil {
			t.Fatal(err)
		}
	}
}

// withMail tells Contoso by e-mail too, from the MSP's simulated mailbox
// through the MSP's own app.
func withMail(t *testing.T) func(testSetup) {
	return func(s testSetup) {
		msp := sim.MSP()
		setConfig(t, s.configPath, "graph:\n", fmt.Sprintf("notify: {mail_from: %s, tenant_id: %s}\ngraph:\n  client_id: %s\n  client_secret: ${TEST_MSP_GRAPH_SECRET}\n",
			sim.MSPMailbox, msp.AzureTenantID, msp.ClientID))
		setConfig(t, s.configPath, "    technical_lead: U0TECHLEAD\n",
			"    technical_lead: U0TECHLEAD\n    mail_to: [chris@contoso.example]\n    technical_lead_mail: lead@contoso.example\n")
	}
}

// stop checks that no secret reached the worker's output, then stops it with SIGTERM.
func (e *e2e) stop(t *testing.T) {
	t.Helper()
	assertNoSecrets(t, e.worker.output.String(), e.setup.env)
	e.worker.stop(t)
}

// deliver hands a verdict to one of Contoso's recommendations as Jira's
// webhook does, without waiting for an outside system to carry it out.
func (e *e2e) deliver(ctx context.Context, control string, v lifecycle.Verdict) error {
	_, err := delivery.Client{Temporal: e.client, ResultWait: time.Second}.SendVerdict(ctx, "contoso", control, lifecycle.SpecialistVerdict{
		EventID: "test-" + control + "-" + string(v), Verdict: v, By: lifecycle.Person{Name: "Jane"}, Source: lifecycle.SourceOperator,
	})
	if err != nil {
		return fmt.Errorf("%s to %s: %w", v, control, err)
	}
	return nil
}
