package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/cli"
	"github.com/scoreflow/scoreflow/internal/demo"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/testutil/webui"
)

// The README's walkthrough, as a new user runs it: the demo on a fresh data
// dir, then `starter demo` commands playing the specialist and the customer.
func TestDemoWalkthrough(t *testing.T) {
	dataDir := t.TempDir()
	running := runDemo(t, dataDir)
	ctx, c := demoClient(t)
	play := func(args ...string) { playDemo(t, args...) }
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)

	play("move", "AdminMFAV2", "Needs Change")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAssessment)
	play("move", "AdminMFAV2", "Critical Decision")
	waitFor(t, ctx, func() bool { return state(t, ctx, c, "AdminMFAV2").DecisionMessage != nil })
	play("click", "AdminMFAV2", "accept_risk", "--reason", "legacy admin tooling")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageRiskAccepted)

	play("move", "RoleOverlap", "Needs Change")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageAssessment)
	play("move", "RoleOverlap", "No Impact")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StagePlanned)
	play("move", "RoleOverlap", "Implemented")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageAwaitingDetection)
	play("detect", "RoleOverlap")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageCompleted)

	if !strings.Contains(running.output.String(), "starter demo move AdminMFAV2") {
		t.Error("the demo did not say what to try next")
	}

	// The starter reads the config the demo wrote, whose secrets are not in
	// its environment, and lists what the walkthrough did.
	demoConfig := filepath.Join(dataDir, "scoreflow.yaml")
	if !strings.Contains(running.output.String(), demoConfig) {
		t.Errorf("the banner does not name the config %s", demoConfig)
	}
	if raw, err := os.ReadFile(demoConfig); err != nil || strings.Contains(string(raw), "demo-jira-api-token") {
		t.Errorf("the demo's config is missing or holds a secret (%v)", err)
	}
	// The list reads Temporal's visibility, which follows the stage by a moment.
	var out, errOut bytes.Buffer
	listed := regexp.MustCompile(`contoso\s+RoleOverlap\s+completed`)
	code := 0
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		out.Reset()
		errOut.Reset()
		code = cli.Run([]string{"--config", demoConfig, "list", "--tenant", "contoso", "--stage", "completed"}, &out, &errOut)
		if (code == 0 && listed.MatchString(out.String())) || time.Now().After(deadline) {
			break
		}
	}
	if code != 0 || !listed.MatchString(out.String()) {
		t.Errorf("starter list against the demo's config: exit %d\n%s%s", code, out.String(), errOut.String())
	}

	// A year of Contoso's history: the nine months the demo seeded, then
	// Graph's 90 days, which the first sweep recorded.
	out.Reset()
	var days []historyDay
	if code := cli.Run([]string{"--config", demoConfig, "history", "--tenant", "contoso", "--format", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("starter history on the demo: exit %d: %s", code, errOut.String())
	}
	if err := json.Unmarshal(out.Bytes(), &days); err != nil {
		t.Fatal(err)
	}
	// Yesterday Graph's 28.7 %; today more, RoleOverlap's point detected.
	if yesterday, today := days[len(days)-2], days[len(days)-1]; len(days) != 365 || !days[0].Demo || days[0].Percent != 21.3 ||
		yesterday.Demo || yesterday.Percent != 28.7 || today.Score != yesterday.Score+1 {
		t.Errorf("the demo's history: %d days, from %+v to %+v and %+v; want 365, from 21.3%% (seeded) to 28.7%% (from Graph), then a point more",
			len(days), days[0], yesterday, today)
	}
	// The step's row may follow the step by a retry.
	completion := regexp.MustCompile(`RoleOverlap,[^,]*,transition,stage,awaiting_detection,completed,`)
	waitFor(t, ctx, func() bool {
		out.Reset()
		code := cli.Run([]string{"--config", demoConfig, "changes", "--tenant", "contoso", "--since", "1d"}, &out, &errOut)
		return code == 0 && completion.MatchString(out.String())
	})

	// Van Dijk Bouw, whose people read Dutch: the specialist asks its
	// customer for a critical decision.
	vanDijkMFA := lifecycle.RecommendationWorkflowID("vandijk", "AdminMFAV2")
	waitFor(t, ctx, func() bool {
		st, err := queryState(ctx, c, vanDijkMFA)
		return err == nil && st.Stage == lifecycle.StageTriage
	})
	play("--tenant", "vandijk", "move", "AdminMFAV2", "Needs Change")
	waitFor(t, ctx, func() bool {
		st, err := queryState(ctx, c, vanDijkMFA)
		return err == nil && st.Stage == lifecycle.StageAssessment
	})
	play("--tenant", "vandijk", "move", "AdminMFAV2", "Critical Decision")
	waitFor(t, ctx, func() bool { st, err := queryState(ctx, c, vanDijkMFA); return err == nil && st.DecisionMessage != nil })

	// The dashboard the banner names: Chris Customer of Contoso sees what the
	// walkthrough did on Contoso's page; Sam Specialist of the MSP the
	// overview; Daan de Klant Van Dijk Bouw's page, in Dutch.
	for user, want := range map[int][]string{
		0: {"/tenants/contoso", "Risks accepted (1)", "legacy admin tooling", "awaiting Microsoft's detection → completed"},
		1: {"/", `data-tenant="contoso"`, `data-tenant="vandijk"`, `data-tenant="fabrikam"`, `data-tenant="northwind"`, `href="/controls"`},
		2: {"/tenants/vandijk", `<html lang="nl">`, "Wacht op uw besluit (1)", "Require MFA for administrative roles <span class=\"critical\">kritiek</span>"},
	} {
		_, path, body := signInToDemoDashboard(t, dataDir, user)
		if path != want[0] {
			t.Errorf("user %d of the demo's sign-in lands on %s, want %s", user, path, want[0])
		}
		for _, text := range want[1:] {
			if !strings.Contains(body, text) {
				t.Errorf("the page user %d of the demo lands on lacks %q", user, text)
			}
		}
	}

	// Van Dijk Bouw has no Slack: it was told by mail, in Dutch, and Daan
	// de Klant decides on its dashboard page.
	out.Reset()
	if code := cli.Run([]string{"demo", "mail"}, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "To:      daan@vandijkbouw.example") ||
		!strings.Contains(out.String(), "Subject: Vandaag een besluit nodig: Require MFA for administrative roles") ||
		!strings.Contains(out.String(), "http://"+demo.DashboardAddress+"/tenants/vandijk#decisions") ||
		// Contoso accepted the risk first: Van Dijk Bouw reads the fleet's experience.
		!strings.Contains(out.String(), "Bij de andere klanten van uw MSP: 0 voerden het door, 0 kozen een alternatief, 1 accepteerden het risico.") {
		t.Errorf("starter demo mail: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	daan, _, page := signInToDemoDashboard(t, dataDir, 2)
	token := regexp.MustCompile(`action="/tenants/vandijk/decisions/AdminMFAV2"><input type="hidden" name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if token == nil {
		t.Fatalf("Daan de Klant is offered no decision on AdminMFAV2:\n%s", page)
	}
	decided, err := daan.PostForm("http://"+demo.DashboardAddress+"/tenants/vandijk/decisions/AdminMFAV2",
		url.Values{"decision": {"approve"}, "token": {token[1]}})
	if err != nil {
		t.Fatal(err)
	}
	notice, _ := io.ReadAll(decided.Body)
	decided.Body.Close()
	if decided.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(string(notice)), "Uw beslissing is vastgelegd: goedgekeurd.") {
		t.Errorf("Daan's decision on the dashboard: %s\n%s", decided.Status, notice)
	}
	waitFor(t, ctx, func() bool {
		st, err := queryState(ctx, c, vanDijkMFA)
		return err == nil && st.Stage != lifecycle.StageAwaitingDecision
	})
	if st, _ := queryState(ctx, c, vanDijkMFA); !slices.ContainsFunc(st.Transitions, func(step lifecycle.Transition) bool {
		return step.Source == lifecycle.SourceDashboard && step.By.Name == "Daan de Klant"
	}) {
		t.Errorf("Van Dijk Bouw's audit names no decision of Daan de Klant on the dashboard: %+v", st.Transitions)
	}

	// The Web UI signs Sam Specialist of the MSP in, and no one without a sign-in.
	api := "http://127.0.0.1:8233/api/v1/namespaces/default/workflows"
	if status, err := webui.Call(api, ""); err != nil || status != http.StatusUnauthorized {
		t.Errorf("the demo's Web UI without sign-in answered %d (%v), want 401", status, err)
	}
	samToken, err := webui.SignIn(demoBrowserTransport(t, dataDir), "http://127.0.0.1:8233", 1)
	if err != nil {
		t.Fatalf("Sam's sign-in to the demo's Web UI: %v", err)
	}
	if status, err := webui.Call(api, samToken); err != nil || status != http.StatusOK {
		t.Errorf("the demo's Web UI for Sam answered %d (%v)", status, err)
	}

	// The doctor passes on the demo, given the simulators' credentials as
	// `eval "$(go run ./starter demo env)"` exports them.
	for name, value := range demo.Secrets() {
		t.Setenv(name, value)
	}
	out.Reset()
	if code := cli.Run([]string{"--config", demoConfig, "tenant", "check", "--all"}, &out, &errOut); code != 0 ||
		strings.Contains(out.String(), "FAIL") || !regexp.MustCompile(`contoso\s+graph secure score\s+ok`).MatchString(out.String()) {
		t.Errorf("starter tenant check on the demo: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	running.stop(t)
}

// signInToDemoDashboard signs in to the demo's dashboard as its simulated
// Entra ID's user-th account, as a browser would, and returns the page it
// lands on, with the signed-in client.
func signInToDemoDashboard(t *testing.T, dataDir string, user int) (browser *http.Client, path, body string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser = &http.Client{Jar: jar, Transport: demoBrowserTransport(t, dataDir), Timeout: 10 * time.Second}
	callback, err := entrasim.PickAccount(browser, "http://"+demo.DashboardAddress+"/signin", user)
	if err != nil {
		t.Fatal(err)
	}
	page, err := browser.Get(callback)
	if err != nil {
		t.Fatal(err)
	}
	defer page.Body.Close()
	raw, err := io.ReadAll(page.Body)
	if err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("the dashboard after sign-in: %d %v\n%s", page.StatusCode, err, raw)
	}
	return browser, page.Request.URL.Path, html.UnescapeString(string(raw))
}

// demoBrowserTransport trusts the demo's simulated Entra ID, whose
// certificate the demo writes to its data dir, as a browser told to would.
func demoBrowserTransport(t *testing.T, dataDir string) http.RoundTripper {
	t.Helper()
	ca, err := os.ReadFile(filepath.Join(dataDir, "entra-sim-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return transport
}

// The README promises that the workflows carry on at the next --demo; the
// simulated services do too: Graph still knows what Microsoft detected, so
// a completed recommendation is not reopened as a regression, and Jira
// still has its tickets, so a new one gets a key of its own.
func TestTheDemoCarriesOnAfterARestart(t *testing.T) {
	dataDir := t.TempDir()
	running := runDemo(t, dataDir)
	ctx, c := demoClient(t)
	play := func(args ...string) { playDemo(t, args...) }
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)
	// Each move waits for the one before: Implemented moves the RFC, which No Impact opens.
	for _, move := range []struct {
		status string
		then   lifecycle.Stage
	}{{"Needs Change", lifecycle.StageAssessment}, {"No Impact", lifecycle.StagePlanned}, {"Implemented", lifecycle.StageAwaitingDetection}} {
		play("move", "RoleOverlap", move.status)
		waitStage(t, ctx, c, "RoleOverlap", move.then)
	}
	play("detect", "RoleOverlap")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageCompleted)
	tickets := map[string]string{}
	for _, control := range []string{"AdminMFAV2", "RoleOverlap"} {
		tickets[control] = state(t, ctx, c, control).TicketKey
	}
	running.stop(t)

	again := runDemo(t, dataDir)
	// Wait for the restart's sweep of Contoso, the second to complete.
	sweeps := &workflowservice.CountWorkflowExecutionsRequest{Query: "WorkflowType = '" + lifecycle.TenantSweepWorkflowType +
		"' AND TenantId = 'contoso' AND ExecutionStatus = 'Completed'"}
	waitFor(t, ctx, func() bool {
		count, err := c.CountWorkflow(ctx, sweeps)
		return err == nil && count.GetCount() >= 2
	})
	if st := state(t, ctx, c, "RoleOverlap"); st.Stage != lifecycle.StageCompleted || st.TicketKey != tickets["RoleOverlap"] {
		t.Errorf("after the restart RoleOverlap is %s with ticket %s, want completed with %s", st.Stage, st.TicketKey, tickets["RoleOverlap"])
	}
	play("move", "AdminMFAV2", "Needs Change")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAssessment)
	if key := state(t, ctx, c, "AdminMFAV2").TicketKey; key != tickets["AdminMFAV2"] {
		t.Errorf("AdminMFAV2's ticket is %s after the restart, was %s", key, tickets["AdminMFAV2"])
	}
	again.stop(t)
}

// runDemo runs `worker --demo` on a data dir until it answers.
func runDemo(t *testing.T, dataDir string) *workerProcess {
	t.Helper()
	running := startWorkerProcess(t, nil, "--demo", "--data", dataDir)
	running.waitHealthy(t, demo.GatewayAddress)
	return running
}

// demoClient is a client of the demo's Temporal, and how long a test waits on it.
func demoClient(t *testing.T) (context.Context, client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	c, err := client.Dial(client.Options{HostPort: "127.0.0.1:7233"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return ctx, c
}

// playDemo runs `starter demo ...`, as the walkthrough does.
func playDemo(t *testing.T, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(append([]string{"demo"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("starter demo %v: exit %d: %s", args, code, errOut.String())
	}
	t.Logf("starter demo %s: %s", strings.Join(args, " "), strings.TrimSpace(out.String()))
}
