package app

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/internal/config"
)

// The MSP's one multi-tenant app, consented to by each customer's admin,
// serves every tenant that names no app of its own; a tenant's own app
// overrides it. Each tenant signs in to its own directory with its app.
func TestOneAppServesEveryTenantAndATenantsOwnAppOverridesIt(t *testing.T) {
	const mspApp, mspSecret = "a0a0a0a0-0000-4000-8000-000000000001", "msp-app-secret"
	first, second, own := sim.Synthetic(1, 3), sim.Synthetic(2, 3), sim.Synthetic(3, 3)
	for _, consented := range []*sim.Tenant{first, second} {
		consented.ClientID, consented.ClientSecret = mspApp, mspSecret
	}
	server := sim.New(first, second, own)
	defer server.Close()
	caFile, err := server.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf(`graph: {base_url: %s, authority_host: %s, ca_file: %s, client_id: %s, client_secret: "${MSP_APP_SECRET}"}
jira: {base_url: https://jira.invalid}
tenants:
  - {id: first, azure_tenant_id: %s, products: [AzureAD], jira_project: A, slack_channel: C1, approvers: [U1]}
  - {id: second, azure_tenant_id: %s, products: [AzureAD], jira_project: B, slack_channel: C2, approvers: [U1]}
  - {id: own, azure_tenant_id: %s, client_id: %s, client_secret: "${OWN_APP_SECRET}", products: [AzureAD],
     jira_project: C, slack_channel: C3, approvers: [U1]}
`, server.GraphURL(), server.AuthorityURL(), caFile, mspApp, first.AzureTenantID, second.AzureTenantID, own.AzureTenantID, own.ClientID)
	secrets := map[string]string{"MSP_APP_SECRET": mspSecret, "OWN_APP_SECRET": own.ClientSecret}
	cfg, err := config.Parse([]byte(yaml), func(name string) (string, bool) { v, ok := secrets[name]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	secureScore, err := newSecureScore(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	for tenantID, tenant := range map[string]*sim.Tenant{"first": first, "second": second, "own": own} {
		snapshot, err := secureScore.FetchSnapshot(context.Background(), tenantID)
		if err != nil || len(snapshot.Controls) != 3 {
			t.Errorf("%s: %d controls, %v", tenantID, len(snapshot.Controls), err)
		}
		if clients := server.TokenClients(tenant.AzureTenantID); !slices.Equal(clients, []string{tenant.ClientID}) {
			t.Errorf("%s signed in with the apps %v, want %s", tenantID, clients, tenant.ClientID)
		}
	}
}
