package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/testutil/browser"
)

// The dashboard's app registration in the test config (TEST_DASHBOARD_SECRET).
const testDashboardSecret = "dashboard-secret-value"

// Contoso's people on the simulated Entra ID: an approver named by object
// id, and a colleague who may read the dashboard but not decide.
var (
	contosoApprover = entrasim.User{TenantID: sim.Contoso().AzureTenantID, ObjectID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
		Name: "Chris Customer", Username: "chris@contoso.example"}
	contosoViewer = entrasim.User{TenantID: sim.Contoso().AzureTenantID, ObjectID: "6b29fc40-ca47-1067-b31d-00dd010662da",
		Name: "Vera Viewer", Username: "vera@contoso.example"}
	// mspStaff is of the MSP's staff group (msp_tenant_id, msp_group in the test config).
	mspStaff = entrasim.User{TenantID: "0d3c5f8e-0000-4000-8000-000000000001", ObjectID: "5a3e5a3e-0000-4000-8000-000000000002",
		Name: "Sam Specialist", Username: "sam@msp.example", Groups: []string{"0d3c5f8e-0000-4000-8000-000000000002"}}
)

// dashboardE2E is a worker whose dashboard signs Contoso's people in
// through the simulated Entra ID.
type dashboardE2E struct {
	*e2e
	entra *entrasim.Server
	url   string
}

func startDashboardE2E(t *testing.T) *dashboardE2E {
	t.Helper()
	d := &dashboardE2E{url: fmt.Sprintf("http://127.0.0.1:%d", freePort(t))}
	d.entra = entrasim.New(entrasim.Client{ID: "dashboard-app", Secret: testDashboardSecret, RedirectURIs: []string{d.url + "/signin/callback"}},
		contosoApprover, contosoViewer, mspStaff)
	t.Cleanup(d.entra.Close)
	caFile, err := d.entra.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d.e2e = startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "    approvers: [U0CUSTOMER1]\n", fmt.Sprintf("    approvers: [U0CUSTOMER1, \"entra:%s\"]\n", contosoApprover.ObjectID))
		setConfig(t, s.configPath, "tenants:\n", dashboardSection(d.url, d.entra.Authority(), caFile)+"tenants:\n")
	})
	return d
}

// dashboardSection is the config's dashboard at url, signing in through
// the simulated Entra ID at authority.
func dashboardSection(url, authority, caFile string) string {
	return fmt.Sprintf(`dashboard:
  listen: %s
  public_url: %s
  authority: %s
  ca_file: %s
  client_id: dashboard-app
  client_secret: ${TEST_DASHBOARD_SECRET}
  msp_tenant_id: 0d3c5f8e-0000-4000-8000-000000000001
  msp_group: 0d3c5f8e-0000-4000-8000-000000000002
`, strings.TrimPrefix(url, "http://"), url, authority, caFile)
}

// awaitDecision takes a Contoso recommendation to the customer's decision.
func (d *dashboardE2E) awaitDecision(t *testing.T, control string, critical bool) {
	t.Helper()
	waitStage(t, d.ctx, d.client, control, lifecycle.StageTriage)
	starter(t, d.setup, "verdict", "contoso", control, "needs_change", "--by", "Jane")
	verdict := "customer_decision"
	if critical {
		verdict = "critical_decision"
	}
	starter(t, d.setup, "verdict", "contoso", control, verdict, "--by", "Jane", "--advice", "Do it this month")
	waitStage(t, d.ctx, d.client, control, lifecycle.StageAwaitingDecision)
}

// session is an HTTP client signed in to the dashboard as one of the simulator's users.
func (d *dashboardE2E) session(t *testing.T, user int) *http.Client {
	t.Helper()
	return signedIn(t, d.entra, d.url, user)
}

// signedIn is an HTTP client signed in to the dashboard at dashboardURL as
// the user-th of the simulated Entra ID's users; it follows no redirect.
func signedIn(t testing.TB, entra *entrasim.Server, dashboardURL string, user int) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: entra.CertPool(), MinVersion: tls.VersionTLS12}
	client := &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	callback, err := entrasim.PickAccount(client, dashboardURL+"/signin", user)
	if err != nil {
		t.Fatal(err)
	}
	if response, err := client.Get(callback); err != nil || response.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in as user %d: %v %v", user, response, err)
	}
	return client
}

// page reads a page of the dashboard.
func page(t testing.TB, client *http.Client, target string) (int, string) {
	t.Helper()
	response, err := client.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	return response.StatusCode, string(body)
}

// post sends a decision's form as a browser does, with extra headers.
func post(t *testing.T, client *http.Client, target string, form url.Values, headers map[string]string) int {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	response, err := client.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	_ = response.Body.Close()
	return response.StatusCode
}

// decisionSteps are the steps of a recommendation's audit trail that took
// the customer's decision.
func decisionSteps(st lifecycle.RecommendationState) []lifecycle.Transition {
	var steps []lifecycle.Transition
	for _, step := range st.Transitions {
		if step.From == lifecycle.StageAwaitingDecision && step.To != lifecycle.StageAwaitingDecision {
			steps = append(steps, step)
		}
	}
	return steps
}

var acceptRiskToken = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"><input type="hidden" name="decision" value="accept_risk">`)

// Contoso's approver decides on the dashboard in a real browser: the
// workflow moves, the audit names them by object id with the source
// dashboard, and the Slack message says where they decided. A colleague who
// is no approver sees no choices and a forged post is refused with nothing
// recorded; a form sent twice is one decision; a decision taken in Slack
// first is shown as taken, by whom and where.
func TestCustomersDecideOnTheDashboard(t *testing.T) {
	d := startDashboardE2E(t)
	ctx, c := d.ctx, d.client
	sweep(t, d.setup.configPath)
	d.awaitDecision(t, "AdminMFAV2", true)
	d.awaitDecision(t, "RoleOverlap", true)
	d.awaitDecision(t, "SelfServicePasswordReset", false)
	decisionsURL := func(control string) string { return d.url + "/tenants/contoso/decisions/" + control }

	// A colleague who is no approver: no choices on the page, and a post
	// made by hand is refused, with nothing recorded.
	viewer := d.session(t, 1)
	if status, body := page(t, viewer, d.url+"/tenants/contoso"); status != http.StatusOK || strings.Contains(body, "/decisions/") ||
		!strings.Contains(body, `data-control="SelfServicePasswordReset"`) {
		t.Fatalf("the viewer's page: %d, with a decision's form or without the recommendation:\n%s", status, body)
	}
	// The viewer's way to the decision is the Slack message it was asked in, not the channel.
	asked := state(t, ctx, c, "AdminMFAV2").DecisionMessage
	permalink := "https://slack.com/archives/C0CONTOSO/p" + strings.ReplaceAll(asked.TS, ".", "")
	if _, body := page(t, viewer, d.url+"/tenants/contoso"); !strings.Contains(body, permalink) {
		t.Errorf("the viewer's page does not link to the decision's message %s:\n%s", permalink, body)
	}
	forged := url.Values{"decision": {"accept_risk"}, "reason": {"we never need it"}, "token": {"0123456789abcdef0123456789abcdef"}}
	if status := post(t, viewer, decisionsURL("SelfServicePasswordReset"), forged, nil); status != http.StatusForbidden {
		t.Errorf("the viewer's forged decision answered %d, want 403", status)
	}
	approver := d.session(t, 0)
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}
	if status := post(t, approver, decisionsURL("SelfServicePasswordReset"), forged, crossSite); status != http.StatusForbidden {
		t.Errorf("a cross-site post in the approver's session answered %d, want 403", status)
	}
	// The approver's own mistakes are refused too, saying why: a risk without a
	// reason, a form that is not scoreflow's, a control with no recommendation.
	for what, form := range map[string]url.Values{
		"a risk accepted without a reason": {"decision": {"accept_risk"}, "reason": {"  "}, "token": {"0123456789abcdef0123456789abcdef"}},
		"a decision scoreflow has not":     {"decision": {"postpone"}, "token": {"0123456789abcdef0123456789abcdef"}},
		"a token that is not one":          {"decision": {"approve"}, "token": {"slack-1712345678.000100-U0CUSTOMER1"}},
	} {
		if status := post(t, approver, decisionsURL("SelfServicePasswordReset"), form, nil); status != http.StatusBadRequest {
			t.Errorf("%s answered %d, want 400", what, status)
		}
	}
	if status := post(t, approver, decisionsURL("NoSuchControl"), url.Values{"decision": {"approve"}, "token": {"0123456789abcdef0123456789abcdef"}}, nil); status != http.StatusNotFound {
		t.Errorf("a decision on a control with no recommendation answered %d, want 404", status)
	}
	if st := state(t, ctx, c, "SelfServicePasswordReset"); st.Stage != lifecycle.StageAwaitingDecision || len(decisionSteps(st)) != 0 {
		t.Fatalf("refused posts moved the recommendation: %s, %+v", st.Stage, decisionSteps(st))
	}

	// The approver decides in the browser. Jira holds its answer to the RFC
	// until the page is read: the page shows the step written before the RFC
	// was asked for, however fast Jira would have answered.
	rfcHeld := make(chan struct{})
	releaseRFC := sync.OnceFunc(func() { close(rfcHeld) })
	t.Cleanup(releaseRFC)
	d.jiraSim.AfterCreate = func(string) { <-rfcHeld }
	tab := browser.Start(t, d.entra.SPKIHash())
	browser.Do(t, tab, "sign in as Contoso's approver",
		chromedp.Navigate(d.url+"/"),
		chromedp.Click(chromedp.CSS("#user-0")),
		chromedp.WaitVisible(chromedp.CSS(`[data-decide="AdminMFAV2"]`)))
	browser.Do(t, tab, "approve AdminMFAV2",
		chromedp.Click(chromedp.CSS(`[data-decide="AdminMFAV2"] button.approve`)),
		chromedp.WaitVisible(chromedp.CSS("#notice")))
	if notice := browser.Read(t, tab, "the notice", chromedp.Text(chromedp.CSS("#notice"))); !strings.Contains(notice, "Your decision is recorded: approved") {
		t.Errorf("after approving the page says %q", notice)
	}
	// The page it returns to shows the decision taken, by whom and where.
	row := browser.Read(t, tab, "AdminMFAV2's row", chromedp.Text(chromedp.CSS(`tr[data-control="AdminMFAV2"]`)))
	if !strings.Contains(row, "decided by Chris Customer on the dashboard") {
		t.Errorf("after the decision AdminMFAV2's row reads %q", row)
	}
	browser.Screenshot(t, tab, "decided")
	releaseRFC()
	waitFor(t, ctx, func() bool { return state(t, ctx, c, "AdminMFAV2").Stage != lifecycle.StageAwaitingDecision })
	admin := state(t, ctx, c, "AdminMFAV2")
	if steps := decisionSteps(admin); len(steps) != 1 || steps[0].Source != lifecycle.SourceDashboard ||
		steps[0].By != (lifecycle.Person{ID: contosoApprover.ObjectID, Name: contosoApprover.Name}) || steps[0].To != lifecycle.StageRFC {
		t.Errorf("the audit of the dashboard's decision: %+v", steps)
	}
	waitFor(t, ctx, func() bool {
		for _, m := range d.slackSim.Messages("C0CONTOSO") {
			if m.TS == admin.DecisionMessage.TS {
				return strings.Contains(m.Text, "approved by Chris Customer on the dashboard")
			}
		}
		return false
	})

	// RoleOverlap's choices are on the page when the customer decides it in Slack first.
	browser.Do(t, tab, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-decide="RoleOverlap"]`)))
	roleOverlap := state(t, ctx, c, "RoleOverlap")
	clicks := d.slackSim.Interactions("http://"+d.setup.gateway()+"/slack/interactions", testSlackSigningSecret)
	message := slacksim.Message{Channel: roleOverlap.DecisionMessage.Channel, TS: roleOverlap.DecisionMessage.TS}
	if code, _, err := clicks.Click(slacksim.User{ID: "U0CUSTOMER1", Name: "chris"}, message, slack.ActionAlternative,
		lifecycle.RecommendationWorkflowID("contoso", "RoleOverlap")); err != nil || code != http.StatusOK {
		t.Fatalf("the click in Slack: %d %v", code, err)
	}
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageRFC)
	browser.Do(t, tab, "approve RoleOverlap, decided in Slack meanwhile",
		chromedp.Click(chromedp.CSS(`[data-decide="RoleOverlap"] button.approve`)),
		chromedp.WaitVisible(chromedp.CSS("#notice")))
	if notice := browser.Read(t, tab, "the notice", chromedp.Text(chromedp.CSS("#notice"))); !strings.Contains(notice, "already decided by chris in Slack") {
		t.Errorf("a decision taken in Slack first: the page says %q", notice)
	}
	if steps := decisionSteps(state(t, ctx, c, "RoleOverlap")); len(steps) != 1 || steps[0].Source != lifecycle.SourceSlack {
		t.Errorf("RoleOverlap's decisions: %+v, want the one in Slack", steps)
	}

	// The same form sent twice at once, as a double click does: one decision.
	_, body := page(t, approver, d.url+"/tenants/contoso")
	token := acceptRiskToken.FindStringSubmatch(body[strings.Index(body, `data-decide="SelfServicePasswordReset"`):])
	if token == nil {
		t.Fatalf("no accept-risk form for SelfServicePasswordReset:\n%s", body)
	}
	form := url.Values{"decision": {"accept_risk"}, "reason": {"kiosks cannot enrol"}, "token": {token[1]}}
	var sent sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		sent.Go(func() { statuses[i] = post(t, approver, decisionsURL("SelfServicePasswordReset"), form, nil) })
	}
	sent.Wait()
	if statuses[0] != http.StatusSeeOther || statuses[1] != http.StatusSeeOther {
		t.Errorf("the double submit answered %v, want both to go back to the page", statuses)
	}
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StageRiskAccepted)
	if steps := decisionSteps(state(t, ctx, c, "SelfServicePasswordReset")); len(steps) != 1 || steps[0].Reason != "kiosks cannot enrol" {
		t.Errorf("a form sent twice took %d decisions: %+v", len(steps), steps)
	}
	profile, _ := d.graphSim.Profile(d.contoso.AzureTenantID, "SelfServicePasswordReset")
	ignored := 0
	for _, u := range profile.ControlStateUpdates {
		if u.State == "Ignored" {
			ignored++
		}
	}
	if ignored != 1 {
		t.Errorf("Graph recorded the risk %d times: %+v", ignored, profile.ControlStateUpdates)
	}
	d.stop(t)
}

// The MSP's staff give one verdict across tenants from the control's page:
// a preview of who takes it, then the bulk verdict, which each tenant's
// audit trail records as a bulk action naming who started it.
func TestTheMSPGivesABulkVerdictFromTheControlsPage(t *testing.T) {
	d := startDashboardE2E(t)
	ctx, c := d.ctx, d.client
	sweep(t, d.setup.configPath)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)
	staff := d.session(t, 2)
	if status, body := page(t, staff, d.url+"/controls/RoleOverlap"); status != http.StatusOK || !strings.Contains(body, `name="tenant" value="contoso"`) {
		t.Fatalf("the control's page for the MSP: %d\n%s", status, body)
	}
	chosen := url.Values{"verdict": {"third_party"}, "tenant": {"contoso"}}
	response, err := staff.PostForm(d.url+"/controls/RoleOverlap/bulk/preview", chosen)
	if err != nil {
		t.Fatal(err)
	}
	preview, _ := io.ReadAll(response.Body)
	response.Body.Close()
	token := regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindSubmatch(preview)
	if response.StatusCode != http.StatusOK || token == nil || !strings.Contains(string(preview), "to deliver") {
		t.Fatalf("the preview: %d\n%s", response.StatusCode, preview)
	}
	chosen.Set("token", string(token[1]))
	for range 2 { // sent twice, as a double click does: one bulk verdict
		if status := post(t, staff, d.url+"/controls/RoleOverlap/bulk", chosen, nil); status != http.StatusSeeOther {
			t.Fatalf("starting the bulk verdict answered %d", status)
		}
	}
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageResolvedThirdParty)
	steps := state(t, ctx, c, "RoleOverlap").Transitions
	last := steps[len(steps)-1]
	if last.Source != lifecycle.SourceBulk || last.By.Name != "Sam Specialist" || !strings.Contains(last.Reason, "bulk action") {
		t.Errorf("the audit of the bulk verdict: %+v", last)
	}
	waitFor(t, ctx, func() bool {
		_, body := page(t, staff, d.url+"/controls/RoleOverlap?bulk="+string(token[1]))
		return strings.Contains(body, "<td>delivered</td>")
	})
	d.stop(t)
}
