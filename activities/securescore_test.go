package activities

import (
	"context"
	"net/http"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

type simClients struct{ clients *graph.Clients }

func (s simClients) For(tenantID string) (GraphAPI, error) { return s.clients.For(tenantID) }

func TestSetControlStateSendsOnePatchPerStepEvenWhenRetried(t *testing.T) {
	contoso := sim.Contoso()
	server := sim.New(contoso)
	defer server.Close()
	clients := graph.NewClients(graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
		map[string]graph.Credentials{"contoso": {AzureTenantID: contoso.AzureTenantID, ClientID: contoso.ClientID, ClientSecret: contoso.ClientSecret}})
	acts := &SecureScore{Clients: simClients{clients}, Scopes: map[string]graph.Scope{"contoso": graph.NewScope([]string{"AzureAD"})}}
	change := lifecycle.ControlStateChange{TenantID: "contoso", ControlID: "AdminMFAV2", State: "Ignored", Comment: "Risk accepted by Chris Customer: legacy tooling"}

	// A worker that dies after the PATCH but before reporting completion runs the activity again.
	for range 3 {
		if written, err := acts.SetControlState(context.Background(), change); err != nil || written.Refused != "" {
			t.Fatal(written, err)
		}
	}
	if got := server.Patches(contoso.AzureTenantID); got != 1 {
		t.Errorf("PATCH requests = %d, want exactly 1", got)
	}
	// A different step (the re-review) is a new PATCH.
	change.State, change.Comment = "Default", "Risk acceptance due for re-review"
	if _, err := acts.SetControlState(context.Background(), change); err != nil {
		t.Fatal(err)
	}
	profile, _ := server.Profile(contoso.AzureTenantID, "AdminMFAV2")
	if server.Patches(contoso.AzureTenantID) != 2 || profile.ControlStateUpdates[len(profile.ControlStateUpdates)-1].State != "Default" {
		t.Errorf("after the re-review: %d PATCHes, updates %+v", server.Patches(contoso.AzureTenantID), profile.ControlStateUpdates)
	}
}

// A state Graph does not take is no error to retry: Defender for Endpoint's
// controls are not even sent, and a PATCH refused with 400 or 403 is
// reported with Graph's answer and where to record the state by hand.
func TestAStateGraphDoesNotTakeIsReportedNotRetried(t *testing.T) {
	contoso := sim.Contoso()
	server := sim.New(contoso)
	defer server.Close()
	acts := &SecureScore{Clients: simClients{graph.NewClients(graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(),
		RootCAs: server.CertPool()}, map[string]graph.Credentials{"contoso": {AzureTenantID: contoso.AzureTenantID,
		ClientID: contoso.ClientID, ClientSecret: contoso.ClientSecret}})}}
	server.RefuseStateUpdates(contoso.AzureTenantID, "AdminMFAV2", http.StatusForbidden)

	for control, want := range map[string]lifecycle.Portal{"scid_2010": lifecycle.PortalVulnerabilityManagement, "AdminMFAV2": lifecycle.PortalSecureScore} {
		written, err := acts.SetControlState(context.Background(), lifecycle.ControlStateChange{
			TenantID: "contoso", ControlID: control, State: "Reviewed", Comment: "Resolved through alternate mitigation: CON-1 by Jane"})
		if err != nil || written.Refused == "" || written.Portal != want {
			t.Errorf("%s: written %+v, err %v; want refused, to be recorded by hand in %s", control, written, err, want)
		}
	}
	if got := server.Patches(contoso.AzureTenantID); got != 1 {
		t.Errorf("%d PATCHes, want the one of AdminMFAV2 and none for scid_2010", got)
	}
	if profile, _ := server.Profile(contoso.AzureTenantID, "AdminMFAV2"); len(profile.ControlStateUpdates) != 0 {
		t.Errorf("a refused PATCH was stored: %+v", profile.ControlStateUpdates)
	}
}

func TestFetchSnapshotRefusesAnUnknownTenant(t *testing.T) {
	acts := &SecureScore{Scopes: map[string]graph.Scope{}}
	if _, err := acts.FetchSnapshot(context.Background(), "fabrikam"); err == nil {
		t.Fatal("an unknown tenant was swept")
	}
}
