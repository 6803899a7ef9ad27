package dashboard

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Staff are members of the MSP's directory in its staff group: a guest
// there, even in the group, and a member outside it get no MSP view; a
// guest of a customer's directory gets its pages only if it allows guests.
func TestGuestsAndMembersOutsideTheStaffGroupGetNeitherView(t *testing.T) {
	h := newHarness(t)
	for name, user := range map[string]int{"a guest of Contoso": guestOfContosoAt, "a guest of the MSP in its staff group": staffGuestAt,
		"a member of the MSP outside its staff group": notStaffAt} {
		client := h.browser(false)
		response, body := h.signIn(client, user)
		if response.StatusCode != http.StatusForbidden {
			t.Errorf("%s: sign-in answered %d", name, response.StatusCode)
		}
		for _, path := range []string{"/", "/tenants/contoso", "/tenants/fabrikam"} {
			if page, _ := h.get(client, h.web.URL+path); page.StatusCode != http.StatusSeeOther {
				t.Errorf("%s opened %s: %d", name, path, page.StatusCode)
			}
		}
		if strings.Contains(body, fabrikamSecret) {
			t.Errorf("%s was shown Fabrikam", name)
		}
	}
}

func TestATenantThatAllowsGuestsShowsThemItsPagesOnly(t *testing.T) {
	h := newHarnessOf(t, "", fmt.Sprintf(`
  - {id: contoso, name: Contoso, azure_tenant_id: %s, allow_guests: true, products: [AzureAD], jira_project: CON, slack_channel: C0CONTOSO, approvers: [U0CHRIS]}
  - {id: fabrikam, name: Fabrikam, azure_tenant_id: %s, products: [AzureAD], jira_project: FAB, slack_channel: C0FABRIKAM, approvers: [U0FAB]}
`, contosoDirectory, fabrikamDirectory))
	h.seed()
	client := h.browser(true)
	if page, _ := h.signIn(client, guestOfContosoAt); page.StatusCode != http.StatusOK {
		t.Fatalf("the guest's sign-in ended at %d", page.StatusCode)
	}
	if page, _ := h.get(client, h.web.URL+"/tenants/contoso"); page.StatusCode != http.StatusOK {
		t.Errorf("the guest cannot open Contoso's page: %d", page.StatusCode)
	}
	if page, body := h.get(client, h.web.URL+"/tenants/fabrikam"); page.StatusCode != http.StatusNotFound || strings.Contains(body, fabrikamSecret) {
		t.Errorf("the guest of Contoso opened Fabrikam's page: %d", page.StatusCode)
	}
}

// A staff member's sign-in holds for dashboard.staff_recheck; then they
// sign in again, which reads their groups anew.
func TestAStaffSignInIsCheckedAgainAfterStaffRecheck(t *testing.T) {
	h := newHarness(t)
	client := h.browser(false)
	h.signIn(client, samAt)
	if page, _ := h.get(client, h.web.URL+"/tenants/fabrikam"); page.StatusCode != http.StatusOK {
		t.Fatalf("Sam cannot open Fabrikam's page: %d", page.StatusCode)
	}
	h.now = h.now.Add(time.Hour + time.Minute)
	page, _ := h.get(client, h.web.URL+"/tenants/fabrikam")
	if page.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page.Header.Get("Location"), "/signin") {
		t.Errorf("an hour later Sam's page answered %d to %q, want the sign-in again", page.StatusCode, page.Header.Get("Location"))
	}
	// A customer's sign-in is not cut short: their directory is the config's.
	customer := h.browser(false)
	h.signIn(customer, chrisAt)
	h.now = h.now.Add(2 * time.Hour)
	if page, _ := h.get(customer, h.web.URL+"/tenants/contoso"); page.StatusCode != http.StatusOK {
		t.Errorf("Chris's page two hours on answered %d", page.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	for baseURL, wantHSTS := range map[string]bool{"https://scoreflow.msp.example": true, "http://127.0.0.1:8090": false} {
		rec := httptest.NewRecorder()
		securityHeaders(baseURL, http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != wantHSTS {
			t.Errorf("%s: Strict-Transport-Security set %v, want %v", baseURL, got, wantHSTS)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
			t.Errorf("%s: forms may post elsewhere: %q", baseURL, csp)
		}
	}
}

// A client that sends its request slowly, or keeps a connection idle, is
// cut off: every phase of a request has a bound.
func TestTheServerBoundsEveryPhaseOfARequest(t *testing.T) {
	server := httpServer(http.NotFoundHandler())
	server.ReadHeaderTimeout, server.ReadTimeout = 200*time.Millisecond, 300*time.Millisecond
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { _ = server.Close() })
	conn, err := net.Dial("tcp", listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request line, then nothing: the server hangs up.
	_, _ = conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("the server kept a slow request's connection: %v", err)
	}
	production := httpServer(http.NotFoundHandler())
	if production.ReadHeaderTimeout == 0 || production.ReadTimeout == 0 || production.WriteTimeout == 0 || production.IdleTimeout == 0 {
		t.Errorf("a phase is unbounded: %+v", production)
	}
}
