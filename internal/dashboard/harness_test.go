package dashboard

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// The people of users, by their place on the simulator's login page.
const (
	chrisAt = iota
	samAt
	strangerAt
	guestOfContosoAt
	staffGuestAt
	notStaffAt
)

// The directories of the test: two customers and the MSP.
const (
	contosoDirectory  = "11111111-1111-1111-1111-111111111111"
	fabrikamDirectory = "22222222-2222-2222-2222-222222222222"
	mspDirectory      = "99999999-9999-9999-9999-999999999999"
	mspStaffGroup     = "staff-group-object-id"
	strangerDirectory = "33333333-3333-3333-3333-333333333333"
	// fabrikamSecret is a control title only Fabrikam's pages may show.
	fabrikamSecret = "Fabrikam-only control title"
)

var (
	chris = entrasim.User{TenantID: contosoDirectory, ObjectID: "oid-chris", Name: "Chris Customer", Username: "chris@contoso.example"}
	sam   = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-sam", Name: "Sam Specialist", Username: "sam@msp.example",
		Groups: []string{mspStaffGroup}}
	stranger = entrasim.User{TenantID: strangerDirectory, ObjectID: "oid-stranger", Name: "Stan Stranger", Username: "stan@elsewhere.example"}
	// guestOfContoso was invited into Contoso's directory from elsewhere.
	guestOfContoso = entrasim.User{TenantID: contosoDirectory, ObjectID: "oid-guest", Name: "Gus Guest", Username: "gus@elsewhere.example",
		HomeTenantID: strangerDirectory}
	// staffGuest is a guest in the MSP's directory, even in its staff group.
	staffGuest = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-staff-guest", Name: "Greta Guest", Username: "greta@elsewhere.example",
		Groups: []string{mspStaffGroup}, HomeTenantID: strangerDirectory}
	// notStaff is a member of the MSP's directory outside its staff group.
	notStaff = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-not-staff", Name: "Nora Notstaff", Username: "nora@msp.example"}
	users    = []entrasim.User{chris, sam, stranger, guestOfContoso, staffGuest, notStaff}
)

// harness is a dashboard on a real store, signing in through the Entra ID simulator.
type harness struct {
	t      testing.TB
	server *Server
	web    *httptest.Server
	entra  *entrasim.Server
	data   *store.DB
	now    time.Time
}

// newHarness serves Contoso and Fabrikam, with a month of history seeded.
func newHarness(t testing.TB) *harness {
	h := newHarnessOf(t, "", fmt.Sprintf(`
  - {id: contoso, name: Contoso, azure_tenant_id: %s, products: [AzureAD, Exchange], jira_project: CON, slack_channel: C0CONTOSO, approvers: [U0CHRIS]}
  - {id: fabrikam, name: Fabrikam, azure_tenant_id: %s, products: [AzureAD], jira_project: FAB, slack_channel: C0FABRIKAM, approvers: [U0FAB]}
`, contosoDirectory, fabrikamDirectory))
	h.seed()
	return h
}

// newHarnessOf serves the tenants of a config's tenants: list from an empty
// store: a SQLite file in the test's directory, or the database dsn names.
func newHarnessOf(t testing.TB, dsn, tenants string) *harness {
	t.Helper()
	h := &harness{t: t, web: httptest.NewServer(nil), now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	t.Cleanup(h.web.Close)
	h.entra = entrasim.New(entrasim.Client{ID: "dashboard-app", Secret: "dashboard-secret",
		RedirectURIs: []string{h.web.URL + callbackPath}}, users...)
	t.Cleanup(h.entra.Close)
	dir := t.TempDir()
	caFile, err := h.entra.WriteCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf(`
jira: {base_url: "https://jira.msp.example"}
graph:
  client_id: msp-app
  client_secret: ${GRAPH_SECRET}
dashboard:
  listen: %q
  public_url: %s
  authority: %s
  ca_file: %s
  client_id: dashboard-app
  client_secret: ${DASHBOARD_SECRET}
  msp_tenant_id: %s
  msp_group: %s
tenants:%s`, strings.TrimPrefix(h.web.URL, "http://"), h.web.URL, h.entra.Authority(), caFile, mspDirectory, mspStaffGroup, tenants)
	cfg, err := config.Parse([]byte(yaml), func(name string) (string, bool) {
		value, set := map[string]string{"GRAPH_SECRET": "graph-secret", "DASHBOARD_SECRET": "dashboard-secret"}[name]
		return value, set
	})
	if err != nil {
		t.Fatal(err)
	}
	h.data, err = store.Open(context.Background(), dsn, filepath.Join(dir, "scoreflow.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.data.Close() })
	h.server, err = New(cfg, h.data, nil, zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatal(err)
	}
	h.server.now = func() time.Time { return h.now }
	h.web.Config.Handler = h.server.Handler()
	return h
}

// seed records a month of two tenants' scores and their recommendations' steps.
func (h *harness) seed() {
	ctx := context.Background()
	seedTenant := func(tenant string, score float64, titles map[string]string, steps []lifecycle.TransitionRecord) {
		var days []store.TenantDay
		for i := 30; i >= 0; i-- {
			days = append(days, store.TenantDay{Day: h.now.AddDate(0, 0, -i).Truncate(24 * time.Hour), CurrentScore: score + float64(30-i)/10,
				MaxScore: 100, EnabledServices: []string{"AzureAD"}, Comparisons: []lifecycle.Comparison{{Basis: "AllTenants", AverageScore: 40}}})
		}
		var controls []store.ControlDay
		for id, title := range titles {
			controls = append(controls, store.ControlDay{ControlID: id, Day: days[0].Day, Title: title, Service: "AzureAD", Score: 0, MaxScore: 8, State: "Default"})
		}
		if err := h.data.RecordDays(ctx, tenant, days, controls, nil); err != nil {
			h.t.Fatal(err)
		}
		for i := range steps {
			steps[i].TenantID, steps[i].WorkflowID = tenant, lifecycle.RecommendationWorkflowID(tenant, steps[i].ControlID)
			steps[i].ChainID, steps[i].RunID = "chain-"+steps[i].ControlID, "chain-"+steps[i].ControlID
		}
		if err := h.data.RecordTransitions(ctx, steps); err != nil {
			h.t.Fatal(err)
		}
	}
	specialist := lifecycle.Person{ID: "specialist", Name: "Sam Specialist"}
	step := func(control string, seq int, daysAgo int, from, to lifecycle.Stage, critical bool, reason string) lifecycle.TransitionRecord {
		return lifecycle.TransitionRecord{ControlID: control, Seq: seq, Critical: critical, TicketKey: "CON-1",
			Transition: lifecycle.Transition{At: h.now.AddDate(0, 0, -daysAgo), From: from, To: to, By: specialist, Source: lifecycle.SourceJiraWebhook, Reason: reason}}
	}
	seedTenant("contoso", 21.3, map[string]string{"AdminMFAV2": "Require MFA for administrative roles", "RoleOverlap": "Use least privileged administrative roles",
		"SelfServicePasswordReset": "Enable self-service password reset"}, []lifecycle.TransitionRecord{
		step("AdminMFAV2", 0, 20, "", lifecycle.StageDetected, false, "the daily sweep found the control open"),
		step("AdminMFAV2", 1, 19, lifecycle.StageDetected, lifecycle.StageAwaitingDecision, true, "critical: customer contacted today"),
		step("RoleOverlap", 0, 20, "", lifecycle.StageDetected, false, "the daily sweep found the control open"),
		step("RoleOverlap", 1, 10, lifecycle.StageDetected, lifecycle.StageAwaitingDetection, false, "RFC implemented"),
		step("SelfServicePasswordReset", 0, 20, "", lifecycle.StageDetected, false, "the daily sweep found the control open"),
		step("SelfServicePasswordReset", 1, 5, lifecycle.StageDetected, lifecycle.StageRiskAccepted, false, "legacy kiosks cannot enrol"),
	})
	seedTenant("fabrikam", 55, map[string]string{"FabrikamControl": fabrikamSecret}, []lifecycle.TransitionRecord{
		step("FabrikamControl", 0, 3, "", lifecycle.StageDetected, false, "the daily sweep found the control open"),
	})
}

// browser is a client with its own cookies that trusts the simulator.
func (h *harness) browser(followRedirects bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: h.entra.CertPool(), MinVersion: tls.VersionTLS12}
	client := &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
	if !followRedirects {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return client
}

// signIn goes through the whole flow as a browser would and returns the
// page it ends on.
func (h *harness) signIn(client *http.Client, user int) (*http.Response, string) {
	h.t.Helper()
	callback := h.authorize(client, user)
	return h.get(client, callback)
}

// authorize starts a sign-in, picks the user on the simulator's login page,
// and returns the callback URL with the code, not yet visited.
func (h *harness) authorize(client *http.Client, user int) string {
	h.t.Helper()
	callback, err := entrasim.PickAccount(client, h.web.URL+"/signin", user)
	if err != nil {
		h.t.Fatal(err)
	}
	if !strings.HasPrefix(callback, h.web.URL+callbackPath) {
		h.t.Fatalf("the simulator sent the browser to %s, not the dashboard's callback", callback)
	}
	return callback
}

func (h *harness) get(client *http.Client, url string) (*http.Response, string) {
	h.t.Helper()
	return h.send(client, http.MethodGet, url, nil)
}

// post sends a form as a browser does.
func (h *harness) post(client *http.Client, url string, form url.Values) (*http.Response, string) {
	h.t.Helper()
	return h.send(client, http.MethodPost, url, form)
}

// ask asks for a route's pattern ("POST /tenants/{tenant}/decisions/{control}")
// on a tenant and control: a post sends a well-formed decision.
func (h *harness) ask(client *http.Client, pattern, tenant, control string) (*http.Response, string) {
	h.t.Helper()
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.NewReplacer("{tenant}", tenant, "{control}", control, "{$}", "").Replace(path)
	if method == http.MethodPost {
		return h.post(client, h.web.URL+path, url.Values{fieldDecision: {"approve"}, fieldToken: {newFormToken()}})
	}
	return h.get(client, h.web.URL+path)
}

func (h *harness) send(client *http.Client, method, target string, form url.Values) (*http.Response, string) {
	h.t.Helper()
	request, err := http.NewRequest(method, target, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	response, err := client.Do(request)
	if err != nil {
		h.t.Fatal(err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response, string(body)
}
