package dashboard

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

func TestACustomerSeesTheirTenant(t *testing.T) {
	h := newHarness(t)
	client := h.browser(true)
	page, body := h.signIn(client, 0)
	if page.StatusCode != http.StatusOK || page.Request.URL.Path != "/tenants/contoso" {
		t.Fatalf("after sign-in: %d at %s", page.StatusCode, page.Request.URL)
	}
	for _, want := range []string{
		"24.3</strong> of 100 points", "24.3 %", // the latest day of the seeded month
		"Require MFA for administrative roles", "critical", "decide in Slack", "https://slack.com/app_redirect?channel=C0CONTOSO",
		"Use least privileged administrative roles", "awaiting Microsoft&#39;s detection",
		"Enable self-service password reset", "legacy kiosks cannot enrol",
		"<strong>32.3</strong> points",     // projected: 24.3 + the 8 points awaiting detection
		"Changes in the last 3 months (3)", // one row per step; a detection is its move to triage
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the tenant page lacks %q", want)
		}
	}
	if strings.Contains(body, fabrikamSecret) {
		t.Error("Contoso's page shows Fabrikam's data")
	}
	trend, raw := h.get(client, h.web.URL+"/tenants/contoso/trend.json")
	var data struct {
		Days    []trendPoint
		Markers []trendMarker
	}
	if err := json.Unmarshal([]byte(raw), &data); err != nil || trend.StatusCode != http.StatusOK {
		t.Fatalf("trend: %d %v %s", trend.StatusCode, err, raw)
	}
	if len(data.Days) != 31 || len(data.Markers) != 2 {
		t.Errorf("trend: %d days, %d markers; want 31 and 2 (an RFC implemented, a risk accepted)", len(data.Days), len(data.Markers))
	} else if data.Markers[0].Label != "RFC implemented: Use least privileged administrative roles" {
		t.Errorf("the first marker is labelled %q, want the step and the control's title", data.Markers[0].Label)
	}
	report, body := h.get(client, h.web.URL+"/tenants/contoso/report")
	if report.StatusCode != http.StatusOK || !strings.Contains(body, "Decisions needed (1)") {
		t.Errorf("report: %d, decisions needed missing", report.StatusCode)
	}
}

// TestTenantIsolation asks every route of a tenant, as a customer of
// another, for Fabrikam and for a tenant that does not exist: the answer is
// the same 404, with no byte of Fabrikam's.
func TestTenantIsolation(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	h.signIn(client, 0)
	checked := 0
	for _, r := range h.server.routes() {
		if r.access() != ofTenant {
			continue
		}
		path := r.pattern
		var answers []string
		for _, tenant := range []string{"fabrikam", "no-such-tenant"} {
			response, body := h.ask(client, r.pattern, tenant, "FabrikamControl")
			if response.StatusCode != http.StatusNotFound {
				t.Errorf("%s for %s: %d, want 404", path, tenant, response.StatusCode)
			}
			if strings.Contains(body, fabrikamSecret) || strings.Contains(body, "Fabrikam") {
				t.Errorf("%s for %s shows Fabrikam's data", path, tenant)
			}
			answers = append(answers, body)
		}
		if answers[0] != answers[1] {
			t.Errorf("%s: the answer for another's tenant differs from that for none", path)
		}
		checked++
	}
	if checked < 3 {
		t.Fatalf("only %d tenant routes checked", checked)
	}
}

func TestTheMSPSeesEveryTenant(t *testing.T) {
	h := newHarness(t)
	client := h.browser(true)
	page, body := h.signIn(client, 1)
	if page.StatusCode != http.StatusOK || page.Request.URL.Path != "/" {
		t.Fatalf("after sign-in: %d at %s", page.StatusCode, page.Request.URL)
	}
	contoso, fabrikam := strings.Index(body, `data-tenant="contoso"`), strings.Index(body, `data-tenant="fabrikam"`)
	if contoso < 0 || fabrikam < 0 {
		t.Fatalf("the overview lacks a tenant:\n%s", body)
	}
	if contoso > fabrikam {
		t.Error("Contoso, with a critical decision waiting, is not first")
	}
	// The fleet's totals: Contoso at 24.3 %, Fabrikam at 58 % of 100 points each.
	if !strings.Contains(body, "2 tenants · score below 25 %: 1, 25–50 %: 0, 50–75 %: 1, 75 % and more: 0 · 117.7 points still open · 1 decisions waiting (1 critical)") {
		t.Errorf("the overview's totals are wrong:\n%s", body[strings.Index(body, `id="totals"`)-20:][:400])
	}
	if _, body := h.get(client, h.web.URL+"/?q=fabr"); strings.Contains(body, `data-tenant="contoso"`) || !strings.Contains(body, `data-tenant="fabrikam"`) {
		t.Error("the filter did not narrow the overview to Fabrikam")
	}
	if response, body := h.get(client, h.web.URL+"/tenants/fabrikam"); response.StatusCode != http.StatusOK || !strings.Contains(body, fabrikamSecret) {
		t.Errorf("the MSP cannot open Fabrikam's page: %d", response.StatusCode)
	}
}

func TestWithoutSignInEveryPageSendsToSignIn(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	for _, r := range h.server.routes() {
		if r.access() == anyone {
			continue
		}
		response, body := h.ask(client, r.pattern, "contoso", "AdminMFAV2")
		path := response.Request.URL.RequestURI()
		switch {
		case response.Request.Method != http.MethodGet:
			// A form sent without a session is refused; nothing remembers it to send later.
			if response.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s without sign-in: %d, want 401", r.pattern, response.StatusCode)
			}
		case response.StatusCode != http.StatusSeeOther || response.Header.Get("Location") != "/signin?next="+url.QueryEscape(path):
			t.Errorf("%s without sign-in: %d to %q", path, response.StatusCode, response.Header.Get("Location"))
		}
		// Nothing is kept of a visit that is not signed in.
		for _, c := range response.Cookies() {
			if c.Name == "scoreflow_session" {
				t.Errorf("%s without sign-in set a session cookie", path)
			}
		}
		if strings.Contains(body, "Contoso") {
			t.Errorf("%s without sign-in shows the tenant", path)
		}
	}
}

func TestRefusedSignIns(t *testing.T) {
	for name, spoil := range map[string]func(*sim.Server){
		"forged":  func(s *sim.Server) { s.ForgeNextToken() },
		"expired": func(s *sim.Server) { s.AlterNextToken(func(c *sim.IDTokenClaims) { c.Expiry = past() }) },
		"another audience": func(s *sim.Server) {
			s.AlterNextToken(func(c *sim.IDTokenClaims) { c.Audience = []string{"another-app"} })
		},
		"another issuer": func(s *sim.Server) {
			s.AlterNextToken(func(c *sim.IDTokenClaims) { c.Issuer = s.Issuer(fabrikamDirectory) })
		},
		"another nonce": func(s *sim.Server) { s.AlterNextToken(func(c *sim.IDTokenClaims) { c.Nonce = "replayed-nonce" }) },
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			client := h.browser(false)
			spoil(h.entra)
			response, body := h.signIn(client, 0)
			h.expectRefused(client, response, body, http.StatusBadRequest, "Sign-in failed")
		})
	}
}

func TestAReplayedCallbackIsRefused(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	callback := h.authorize(client, 0)
	if first, _ := h.get(client, callback); first.StatusCode != http.StatusSeeOther {
		t.Fatalf("the first callback answered %d", first.StatusCode)
	}
	other := h.browser(false)
	again, body := h.get(other, callback)
	h.expectRefused(other, again, body, http.StatusBadRequest, "already used")
}

func TestADirectoryNotServedGetsNoSession(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	response, body := h.signIn(client, 2)
	h.expectRefused(client, response, body, http.StatusForbidden, "not one of the tenants")
}

func TestSessionsCookiesAndHeaders(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	callback := h.authorize(client, 0)
	response, _ := h.get(client, callback)
	var session *http.Cookie
	for _, c := range response.Cookies() {
		if c.Name == "scoreflow_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure on loopback", session)
	}
	if csp := response.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	// A cross-site POST is refused; the browser's own signs out, on the server.
	forged, _ := http.NewRequest(http.MethodPost, h.web.URL+"/signout", nil)
	forged.Header.Set("Sec-Fetch-Site", "cross-site")
	if answer, err := client.Do(forged); err != nil || answer.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site sign-out answered %v %v", answer.StatusCode, err)
	}
	if page, _ := h.get(client, h.web.URL+"/tenants/contoso"); page.StatusCode != http.StatusOK {
		t.Fatalf("the session did not survive the refused POST: %d", page.StatusCode)
	}
	out, _ := http.NewRequest(http.MethodPost, h.web.URL+"/signout", nil)
	out.Header.Set("Sec-Fetch-Site", "same-origin")
	if answer, err := client.Do(out); err != nil || answer.StatusCode != http.StatusOK {
		t.Fatalf("sign-out answered %v %v", answer, err)
	}
	// The old cookie, sent again, finds no session on the server.
	stale := h.browser(false)
	request, _ := http.NewRequest(http.MethodGet, h.web.URL+"/tenants/contoso", nil)
	request.AddCookie(session)
	if answer, err := stale.Do(request); err != nil || answer.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out session's cookie still opens the page: %v %v", answer.StatusCode, err)
	}
}

func TestTheStoreDownGivesAClearPage(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	h.signIn(client, 0)
	_ = h.data.Close()
	response, body := h.get(client, h.web.URL+"/tenants/contoso")
	if response.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "cannot read its history") {
		t.Errorf("with the store closed: %d\n%s", response.StatusCode, body)
	}
}

// expectRefused checks that a sign-in ended on a page saying why, and with no session.
func (h *harness) expectRefused(client *http.Client, response *http.Response, body string, status int, says string) {
	h.t.Helper()
	if response.StatusCode != status || !strings.Contains(body, says) {
		h.t.Errorf("the sign-in answered %d, want %d saying %q:\n%s", response.StatusCode, status, says, body)
	}
	h.expectNoSession(client)
}

func (h *harness) expectNoSession(client *http.Client) {
	h.t.Helper()
	if response, _ := h.get(client, h.web.URL+"/tenants/contoso"); response.StatusCode != http.StatusSeeOther {
		h.t.Errorf("after a refused sign-in the tenant page answered %d, not a redirect to sign in", response.StatusCode)
	}
}

func past() *jwt.NumericDate { return jwt.NewNumericDate(time.Now().Add(-time.Hour)) }

// A recommendation of a product out of the tenant's scope (Teams, for a
// tenant of Entra ID and Exchange) is neither listed on the tenant page nor
// counted on the overview.
func TestOutOfScopeRecommendationsAreNeitherListedNorCounted(t *testing.T) {
	h := newHarness(t)
	client := h.browser(true)
	h.signIn(client, 1)
	_, before := h.get(client, h.web.URL+"/")

	ctx := context.Background()
	teams := store.ControlDay{ControlID: "meeting_restrictanonymousjoin_v1", Day: h.now, Title: "Teams-only control",
		Service: "MS Teams", MaxScore: 5, State: "Default"}
	if err := h.data.RecordDays(ctx, "contoso", nil, []store.ControlDay{teams}, nil); err != nil {
		t.Fatal(err)
	}
	if err := h.data.RecordTransitions(ctx, []lifecycle.TransitionRecord{{TenantID: "contoso", ControlID: teams.ControlID,
		WorkflowID: lifecycle.RecommendationWorkflowID("contoso", teams.ControlID), ChainID: "chain-teams", RunID: "chain-teams",
		Critical: true, Service: teams.Service, Transition: lifecycle.Transition{At: h.now.AddDate(0, 0, -30), To: lifecycle.StageAwaitingDecision, Reason: "r"}}}); err != nil {
		t.Fatal(err)
	}
	if _, page := h.get(client, h.web.URL+"/tenants/contoso"); strings.Contains(page, teams.Title) || !strings.Contains(page, "Open recommendations (2)") {
		t.Error("Contoso's page lists the Teams recommendation, out of its scope")
	}
	if _, after := h.get(client, h.web.URL+"/"); contosoRow(after) != contosoRow(before) || contosoRow(after) == "" {
		t.Errorf("the overview counts the Teams recommendation:\nbefore %s\nafter  %s", contosoRow(before), contosoRow(after))
	}
}

// contosoRow is Contoso's row of the overview.
func contosoRow(page string) string {
	return regexp.MustCompile(`(?s)<tr data-tenant="contoso">.*?</tr>`).FindString(page)
}

// The fleet's pages are the MSP's: a customer gets the 404 of a page that
// does not exist on every one of them.
func TestACustomerFindsNoFleetPage(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	h.signIn(client, 0)
	_, none := h.get(client, h.web.URL+"/no-such-page")
	checked := 0
	for _, r := range h.server.routes() {
		if r.access() != ofStaff {
			continue
		}
		response, body := h.ask(client, r.pattern, "", "AdminMFAV2")
		if response.StatusCode != http.StatusNotFound || body != none {
			t.Errorf("%s for a customer: %d, want the 404 of a page that does not exist", r.pattern, response.StatusCode)
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("only %d fleet routes checked", checked)
	}
}

// The fleet's counts are the tenant pages' counts: a control's open
// recommendations and accepted risks on /controls are the rows the tenant
// pages list for it, tenant by tenant.
func TestTheFleetCountsWhatTheTenantPagesList(t *testing.T) {
	h := newHarness(t)
	client := h.browser(true)
	h.signIn(client, 1)
	listed := map[string][2]int{} // control: open, risks accepted, over the tenant pages
	for _, tenant := range []string{"contoso", "fabrikam"} {
		_, page := h.get(client, h.web.URL+"/tenants/"+tenant)
		open, risks, _ := strings.Cut(page[strings.Index(page, `<section id="open">`):], `<section id="risks">`)
		risks, _, _ = strings.Cut(risks, `<section id="changes">`)
		for _, m := range regexp.MustCompile(`<tr class="item[^"]*" data-control="([^"]+)"`).FindAllStringSubmatch(open, -1) {
			counts := listed[m[1]]
			counts[0]++
			listed[m[1]] = counts
		}
		for _, m := range regexp.MustCompile(`<tr data-control="([^"]+)"`).FindAllStringSubmatch(risks, -1) {
			counts := listed[m[1]]
			counts[1]++
			listed[m[1]] = counts
		}
	}
	response, fleet := h.get(client, h.web.URL+"/controls")
	if response.StatusCode != http.StatusOK {
		t.Fatalf("/controls for the MSP: %d", response.StatusCode)
	}
	rows := regexp.MustCompile(`<tr data-control="([^"]+)" data-open="(\d+)">(?s:.*?)</tr>`).FindAllStringSubmatch(fleet, -1)
	if len(rows) == 0 {
		t.Fatalf("/controls lists no control:\n%s", fleet)
	}
	for _, row := range rows {
		cells := regexp.MustCompile(`<td>(\d+)</td>`).FindAllStringSubmatch(row[0], -1)
		riskAccepted := cells[len(cells)-2][1] // the columns end: risk accepted, out of scope
		want := listed[row[1]]
		if row[2] != fmt.Sprint(want[0]) || riskAccepted != fmt.Sprint(want[1]) {
			t.Errorf("%s on /controls: %s open, %s risks accepted; the tenant pages list %d and %d", row[1], row[2], riskAccepted, want[0], want[1])
		}
		delete(listed, row[1])
	}
	for control, counts := range listed {
		t.Errorf("the tenant pages list %s (%v), /controls does not", control, counts)
	}
	if first := rows[0][1]; first != "AdminMFAV2" && first != "RoleOverlap" && first != "SelfServicePasswordReset" && first != "FabrikamControl" {
		t.Errorf("the first control is %s", first)
	}
	// The control page names who decided, how, when and why.
	if err := h.data.RecordTransitions(context.Background(), []lifecycle.TransitionRecord{{WorkflowID: "scoreflow/contoso/SelfServicePasswordReset",
		TenantID: "contoso", ControlID: "SelfServicePasswordReset", ChainID: "chain-SelfServicePasswordReset", RunID: "chain-SelfServicePasswordReset", Seq: 2,
		Transition: lifecycle.Transition{At: h.now.Add(-time.Hour), From: lifecycle.StageAwaitingDecision, To: lifecycle.StageRiskAccepted,
			By: lifecycle.Person{ID: "oid-chris", Name: "Chris Customer"}, Source: lifecycle.SourceDashboard, Reason: "the kiosks cannot enrol"}}}); err != nil {
		t.Fatal(err)
	}
	page, body := h.get(client, h.web.URL+"/controls/SelfServicePasswordReset")
	if page.StatusCode != http.StatusOK || !strings.Contains(body, "risk accepted by Chris Customer (dashboard), 30 November 2026: the kiosks cannot enrol") ||
		!strings.Contains(body, `data-tenant="contoso"`) {
		t.Errorf("the control page shows no decision with its reason: %d\n%s", page.StatusCode, body)
	}
	if page, _ := h.get(client, h.web.URL+"/controls/NoSuchControl"); page.StatusCode != http.StatusNotFound {
		t.Errorf("a control no tenant has: %d, want 404", page.StatusCode)
	}
}

// The overview and a control's tenants download as CSV, for the MSP's own
// reports; a cell a spreadsheet would run as a formula is text.
func TestTheMSPDownloadsTheTablesAsCSV(t *testing.T) {
	h := newHarness(t)
	client := h.browser(true)
	h.signIn(client, 1)
	if err := h.data.RecordTransitions(context.Background(), []lifecycle.TransitionRecord{{WorkflowID: "scoreflow/contoso/SelfServicePasswordReset",
		TenantID: "contoso", ControlID: "SelfServicePasswordReset", ChainID: "chain-SelfServicePasswordReset", RunID: "chain-SelfServicePasswordReset", Seq: 2,
		Transition: lifecycle.Transition{At: h.now.Add(-time.Hour), From: lifecycle.StageAwaitingDecision, To: lifecycle.StageRiskAccepted,
			By: lifecycle.Person{ID: "oid-chris", Name: "Chris Customer"}, Source: lifecycle.SourceDashboard, Reason: "=HYPERLINK(\"http://evil.example\")"}}}); err != nil {
		t.Fatal(err)
	}
	read := func(path string) [][]string {
		t.Helper()
		response, body := h.get(client, h.web.URL+path)
		if response.StatusCode != http.StatusOK || !strings.HasPrefix(response.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s", path, response.StatusCode, response.Header.Get("Content-Type"))
		}
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return records
	}
	tenants := read("/?format=csv")
	if len(tenants) != 3 || tenants[0][0] != "tenant" || tenants[1][0] != "contoso" || tenants[1][8] != "1" {
		t.Errorf("the overview as CSV: %v, want a header and the two tenants, Contoso's critical decision first", tenants)
	}
	control := read("/controls/SelfServicePasswordReset?format=csv")
	if len(control) != 2 || control[1][0] != "contoso" || control[1][5] != "risk_accepted" || control[1][6] != "Chris Customer" ||
		control[1][10] != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("the control as CSV: %v", control)
	}
}

// A customer reads what the MSP's other customers did with a control as
// counts, and a reason only once three tenants gave it: never another
// customer's name or id, on the tenant page or the meeting report.
func TestTheFleetsExperienceNamesNoOtherCustomer(t *testing.T) {
	others := map[string]string{ // tenant id: its reason for accepting AdminMFAV2's risk
		"northwind-traders": "Legacy kiosks cannot enrol.", "tailspin-toys": "legacy kiosks cannot enrol",
		"wingtip-air": "Legacy kiosks cannot enrol!", "woodgrove-bank": "only the CFO of Woodgrove uses the admin account",
		"litware-labs": "only the CFO of Litware uses it",
	}
	yaml := fmt.Sprintf("\n  - {id: contoso, name: Contoso, azure_tenant_id: %s, products: [AzureAD], jira_project: CON, slack_channel: C0CONTOSO, approvers: [U0CHRIS]}", contosoDirectory)
	i := 0
	for id := range others {
		i++
		yaml += fmt.Sprintf("\n  - {id: %s, name: %s Incorporated, azure_tenant_id: 00000000-0000-4000-8000-%012d, products: [AzureAD], jira_project: X%d, slack_channel: C%d, approvers: [U%d]}",
			id, strings.ToUpper(id), i, i, i, i)
	}
	h := newHarnessOf(t, "", yaml+"\n")
	ctx := context.Background()
	decide := func(tenant string, to lifecycle.Stage, reason string) {
		control := store.ControlDay{ControlID: "AdminMFAV2", Day: h.now.AddDate(0, 0, -3).Truncate(24 * time.Hour), Title: "Require MFA for administrative roles",
			Service: "AzureAD", MaxScore: 10, State: "Default"}
		if err := h.data.RecordDays(ctx, tenant, []store.TenantDay{{Day: control.Day, CurrentScore: 20, MaxScore: 100}}, []store.ControlDay{control}, nil); err != nil {
			t.Fatal(err)
		}
		steps := []lifecycle.TransitionRecord{{Seq: 0, Transition: lifecycle.Transition{At: h.now.AddDate(0, 0, -2), To: lifecycle.StageAwaitingDecision}}}
		if to != lifecycle.StageAwaitingDecision {
			steps = append(steps, lifecycle.TransitionRecord{Seq: 1, Transition: lifecycle.Transition{At: h.now.AddDate(0, 0, -1), From: lifecycle.StageAwaitingDecision,
				To: to, By: lifecycle.Person{ID: "oid-of-" + tenant, Name: "The admin of " + tenant}, Source: lifecycle.SourceSlack, Reason: reason}})
		}
		for i := range steps {
			steps[i].TenantID, steps[i].ControlID, steps[i].WorkflowID = tenant, "AdminMFAV2", lifecycle.RecommendationWorkflowID(tenant, "AdminMFAV2")
			steps[i].ChainID, steps[i].RunID = "chain-"+tenant, "chain-"+tenant
		}
		if err := h.data.RecordTransitions(ctx, steps); err != nil {
			t.Fatal(err)
		}
	}
	decide("contoso", lifecycle.StageAwaitingDecision, "")
	for tenant, reason := range others {
		decide(tenant, lifecycle.StageRiskAccepted, reason)
	}
	client := h.browser(true)
	h.signIn(client, 0)
	for _, path := range []string{"/tenants/contoso", "/tenants/contoso/report"} {
		_, page := h.get(client, h.web.URL+path)
		page = html.UnescapeString(page)
		if !strings.Contains(page, "At your MSP's other customers: 0 implemented it, 0 chose an alternative, 5 accepted the risk.") ||
			!strings.Contains(page, "“Legacy kiosks cannot enrol.” (3)") {
			t.Errorf("%s does not show the fleet's record with the reason three gave:\n%s", path, page)
		}
		for id := range others {
			name := strings.ToUpper(id)
			if strings.Contains(page, id) || strings.Contains(page, name) || strings.Contains(strings.ToLower(page), "cfo") {
				t.Errorf("%s shows another customer (%s) or a reason fewer than three gave", path, id)
			}
		}
	}
}
