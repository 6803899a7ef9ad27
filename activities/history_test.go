package activities

import (
	"context"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/internal/store"
)

// daysStore keeps what RecordDays was given.
type daysStore struct {
	HistoryStore
	days     []store.TenantDay
	controls []store.ControlDay
}

func (d *daysStore) RecordDays(_ context.Context, _ string, days []store.TenantDay, controls []store.ControlDay, _ []store.StateUpdate) error {
	d.days, d.controls = days, controls
	return nil
}

// `starter history import` reads and records Graph's 90 days outside any
// activity, for a tenant whose scope names a product Graph does not list
// (which the sweep's activity warns about in its own log).
func TestImportingTheNinetyDaysWorksOutsideAnActivity(t *testing.T) {
	contoso := sim.Contoso()
	server := sim.New(contoso)
	defer server.Close()
	clients := simClients{graph.NewClients(graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()},
		map[string]graph.Credentials{"contoso": {AzureTenantID: contoso.AzureTenantID, ClientID: contoso.ClientID, ClientSecret: contoso.ClientSecret}})}
	secureScore := &SecureScore{Clients: clients, Scopes: map[string]graph.Scope{"contoso": graph.NewScope([]string{"AzureAD", "Dynamics365"})}}
	recorded := &daysStore{}
	history := &History{Store: recorded, Graph: clients}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	days, err := history.ImportDays(ctx, secureScore, "contoso")
	if err != nil {
		t.Fatal(err)
	}
	if days == 0 || days != len(recorded.days) || len(recorded.controls) == 0 {
		t.Errorf("imported %d days; the store got %d days and %d control rows", days, len(recorded.days), len(recorded.controls))
	}
	for _, c := range recorded.controls {
		if c.Service != "AzureAD" {
			t.Errorf("a control of %s, outside the scope, was recorded", c.Service)
		}
	}
}
