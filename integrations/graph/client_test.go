package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
)

var contosoProducts = []string{"AzureAD", "Exchange", "SharePoint", "Teams", "DefenderForOffice"}

func newContoso(t *testing.T) (*sim.Server, *sim.Tenant, *graph.Client) {
	t.Helper()
	tenant := sim.Contoso()
	server, client := newClientOf(t, tenant)
	return server, tenant, client
}

// newClientOf serves one tenant from a simulator, with the real client signed in to it.
func newClientOf(t *testing.T, tenant *sim.Tenant) (*sim.Server, *graph.Client) {
	t.Helper()
	server := sim.New(tenant)
	t.Cleanup(server.Close)
	client, err := graph.NewClient(
		graph.Credentials{AzureTenantID: tenant.AzureTenantID, ClientID: tenant.ClientID, ClientSecret: tenant.ClientSecret},
		graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
	)
	if err != nil {
		t.Fatal(err)
	}
	return server, client
}

func openIDs(controls []graph.Control) []string {
	var ids []string
	for _, c := range controls {
		if c.Open() {
			ids = append(ids, c.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func TestSnapshotOfContosoThroughTheRealTokenFlow(t *testing.T) {
	server, tenant, client := newContoso(t)
	snapshot, err := client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snapshot.Controls) != len(tenant.Profiles) {
		t.Fatalf("controls = %d, want all %d profiles across pages", len(snapshot.Controls), len(tenant.Profiles))
	}
	pages := (len(tenant.Profiles) + server.PageSize - 1) / server.PageSize
	if got := server.Requests(tenant.AzureTenantID); got != 1+pages {
		t.Errorf("Graph requests = %d, want 1 + %d pages", got, pages)
	}
	var total, maximum float64
	for _, c := range snapshot.Controls {
		if c.Service != "MDATP" && c.Service != "MDA_Google" {
			total += c.Score
			maximum += c.MaxScore
		}
	}
	if total != 14.06 || maximum != 66 {
		t.Errorf("Contoso's in-scope score = %.2f/%.0f, want the webinar's 14.06/66", total, maximum)
	}
	want := []string{"AdminMFAV2", "BlockLegacyAuthentication", "CustomerLockBoxEnabled", "IntegratedApps",
		"MFARegistrationV2", "RoleOverlap", "SelfServicePasswordReset", "SigninRiskPolicy", "UserRiskPolicy",
		"aad_admin_consent_workflow", "meeting_autoadmitusers_v1", "meeting_designatedpresenter_v1"}
	got := openIDs(snapshot.InScope(graph.NewScope(contosoProducts)))
	if len(got) != len(want) {
		t.Fatalf("open in-scope controls = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("open in-scope controls = %v, want %v", got, want)
		}
	}
	if len(snapshot.EnabledServices) == 0 || snapshot.TakenAt.IsZero() {
		t.Errorf("snapshot lacks licences or date: %+v", snapshot.EnabledServices)
	}
}

func TestOpenExcludesDecidedDeprecatedAndFullControls(t *testing.T) {
	server, tenant, client := newContoso(t)
	id := tenant.AzureTenantID
	server.SetState(id, "AdminMFAV2", "Ignored", "admin@contoso")
	server.SetState(id, "MFARegistrationV2", "ThirdParty", "admin@contoso")
	server.SetState(id, "BlockLegacyAuthentication", "Reviewed", "admin@contoso")
	server.SetDeprecated(id, "UserRiskPolicy")
	server.SetScore(id, "SigninRiskPolicy", 7)
	// A later Default undoes an earlier decision: the latest update counts.
	server.SetState(id, "IntegratedApps", "Ignored", "admin@contoso")
	time.Sleep(time.Millisecond)
	server.SetState(id, "IntegratedApps", "Default", "admin@contoso")

	snapshot, err := client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	open := map[string]bool{}
	for _, c := range openIDs(snapshot.InScope(graph.NewScope(contosoProducts))) {
		open[c] = true
	}
	for _, closed := range []string{"AdminMFAV2", "MFARegistrationV2", "BlockLegacyAuthentication", "UserRiskPolicy", "SigninRiskPolicy", "scid_2010"} {
		if open[closed] {
			t.Errorf("%s is open, want closed", closed)
		}
	}
	if !open["IntegratedApps"] || len(open) != 7 {
		t.Errorf("open = %v, want the 7 untouched controls with IntegratedApps", open)
	}
}

func TestThrottlingIsSurfacedWithRetryAfterNotSleptInTheSDK(t *testing.T) {
	for _, tc := range []struct {
		status     int
		retryAfter string
		want       time.Duration
	}{
		{http.StatusTooManyRequests, "7", 7 * time.Second},
		{http.StatusServiceUnavailable, "120", 2 * time.Minute},
		{http.StatusServiceUnavailable, "", 30 * time.Second},
	} {
		server, tenant, client := newContoso(t)
		server.FailNext(1, tc.status, tc.retryAfter)
		started := time.Now()
		_, err := client.Snapshot(context.Background())
		var throttled *graph.ThrottledError
		if !errors.As(err, &throttled) || throttled.Status != tc.status || throttled.RetryAfter != tc.want {
			t.Fatalf("status %d: err = %v, want ThrottledError after %s", tc.status, err, tc.want)
		}
		// A retry would have passed the single fault and reached Graph.
		if failed, reached := server.Faults.Injected(), server.Requests(tenant.AzureTenantID); failed != 1 || reached != 0 {
			t.Errorf("status %d: the SDK retried by itself (%d failed requests, %d more reached Graph)", tc.status, failed, reached)
		}
		if waited := time.Since(started); waited > 5*time.Second {
			t.Errorf("status %d: the call waited %s instead of returning", tc.status, waited)
		}
		if _, err := client.Snapshot(context.Background()); err != nil {
			t.Errorf("status %d: the next attempt failed: %v", tc.status, err)
		}
	}
}

func TestSetStateWritesStateCommentAndVendorInformation(t *testing.T) {
	server, tenant, client := newContoso(t)
	comment := "Resolved through alternate mitigation: CON-12 by Jane Specialist"
	if err := client.SetState(context.Background(), "AdminMFAV2", graph.StateReviewed, comment); err != nil {
		t.Fatal(err)
	}
	profile, _ := server.Profile(tenant.AzureTenantID, "AdminMFAV2")
	last := profile.ControlStateUpdates[len(profile.ControlStateUpdates)-1]
	if last.State != "Reviewed" || last.Comment != comment {
		t.Errorf("recorded update = %+v", last)
	}
	snapshot, err := client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range snapshot.Controls {
		if c.ID == "AdminMFAV2" && (c.State != graph.StateReviewed || c.Open()) {
			t.Errorf("after the PATCH AdminMFAV2 is %s, open=%v", c.State, c.Open())
		}
	}
	var status *graph.StatusError
	if err := client.SetState(context.Background(), "NoSuchControl", graph.StateIgnored, "x"); !errors.As(err, &status) || status.Status != 404 || !status.Permanent() {
		t.Errorf("PATCH of an unknown control = %v, want a permanent 404", err)
	}
}

func TestWrongSecretFailsWithoutReachingGraph(t *testing.T) {
	tenant := sim.Contoso()
	server := sim.New(tenant)
	defer server.Close()
	client, err := graph.NewClient(
		graph.Credentials{AzureTenantID: tenant.AzureTenantID, ClientID: tenant.ClientID, ClientSecret: "wrong"},
		graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Snapshot(context.Background()); err == nil {
		t.Fatal("a wrong client secret got a snapshot")
	}
	if server.Requests(tenant.AzureTenantID) != 0 {
		t.Error("Graph was called without a valid token")
	}
}

func TestCertificateCredential(t *testing.T) {
	tenant := sim.Contoso()
	certPEM, bundle := selfSignedCertificate(t)
	tenant.CertificatePEM = certPEM
	server := sim.New(tenant)
	defer server.Close()
	client, err := graph.NewClient(
		graph.Credentials{AzureTenantID: tenant.AzureTenantID, ClientID: tenant.ClientID, CertificatePEM: bundle},
		graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Snapshot(context.Background()); err != nil {
		t.Fatalf("certificate credential: %v", err)
	}
	_, otherBundle := selfSignedCertificate(t)
	impostor, _ := graph.NewClient(
		graph.Credentials{AzureTenantID: tenant.AzureTenantID, ClientID: tenant.ClientID, CertificatePEM: otherBundle},
		graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
	)
	if _, err := impostor.Snapshot(context.Background()); err == nil {
		t.Error("a certificate that is not registered got a token")
	}
}

func TestAtMostFourRequestsInFlightPerTenant(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	slow := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		inFlight.Add(-1)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	transport := graph.LimitTransport(slow, graph.MaxConcurrentRequests)
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, "https://graph.example/v1.0/x", nil)
			_, _ = transport.RoundTrip(req)
		}()
	}
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()
	if peak.Load() != graph.MaxConcurrentRequests {
		t.Errorf("peak concurrent requests = %d, want %d", peak.Load(), graph.MaxConcurrentRequests)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// selfSignedCertificate returns the certificate alone (to register) and with its key (to sign).
func selfSignedCertificate(t *testing.T) (certPEM, bundle []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scoreflow"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return certPEM, append(append([]byte{}, certPEM...), keyPEM...)
}

// Graph keeps 90 days of secureScores; a tenant's first sweep reads them
// all, page by page, to start its trend with three months.
func TestScoreHistoryReadsGraphsNinetyDaysOldestFirst(t *testing.T) {
	server, tenant, client := newContoso(t)
	history, err := client.ScoreHistory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pages := (sim.HistoryDays + server.ScorePageSize - 1) / server.ScorePageSize
	if len(history) != sim.HistoryDays || server.Requests(tenant.AzureTenantID) != pages {
		t.Fatalf("%d days in %d requests, want %d in %d pages", len(history), server.Requests(tenant.AzureTenantID), sim.HistoryDays, pages)
	}
	oldest, today := history[0], history[len(history)-1]
	if !oldest.TakenAt.Before(today.TakenAt) || today.TakenAt.Sub(oldest.TakenAt) != 89*24*time.Hour {
		t.Errorf("the days run from %s to %s", oldest.TakenAt, today.TakenAt)
	}
	// Contoso's story: four changes in the last 89 days, worth 2.26 points.
	if fmt.Sprintf("%.2f/%.0f %.2f/%.0f", oldest.CurrentScore, oldest.MaxScore, today.CurrentScore, today.MaxScore) != "25.87/98 28.13/98" ||
		oldest.ControlScores["meeting_autoadmitusers_v1"] != 0 || today.ControlScores["meeting_autoadmitusers_v1"] != 1 {
		t.Errorf("oldest %.2f/%.0f, today %.2f/%.0f", oldest.CurrentScore, oldest.MaxScore, today.CurrentScore, today.MaxScore)
	}
	if len(today.Comparisons) != 2 || today.Comparisons[0].Basis != "AllTenants" {
		t.Errorf("comparisons = %+v", today.Comparisons)
	}
}

// The 90 days' read fails as every other read does: throttling with Graph's
// Retry-After, and the next read succeeds.
func TestScoreHistoryFailsAsTheOtherReadsDo(t *testing.T) {
	server, _, client := newContoso(t)
	server.FailNext(1, http.StatusTooManyRequests, "7")
	var throttled *graph.ThrottledError
	if _, err := client.ScoreHistory(context.Background()); !errors.As(err, &throttled) || throttled.RetryAfter != 7*time.Second {
		t.Errorf("a throttled read: %v, want ThrottledError after 7s", err)
	}
	if history, err := client.ScoreHistory(context.Background()); err != nil || len(history) != sim.HistoryDays {
		t.Errorf("the next read: %d days, %v", len(history), err)
	}
}
