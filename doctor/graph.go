package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/integrations/graph"
)

// checkGraph signs in to the tenant's directory with its app, reads the
// token's permissions, and reads Secure Score once: the latest score and
// every page of control profiles, as a sweep does.
func (d *Doctor) checkGraph(ctx context.Context, t config.Tenant) []Result {
	if d.graphErr != nil {
		return nil // the installation's check says why
	}
	client, err := d.graph.For(t.ID)
	if err != nil {
		return []Result{fail(t.ID, "graph", err.Error())}
	}
	app := d.cfg.GraphApp(t).ClientID
	roles, err := client.Roles(ctx)
	if err != nil {
		return []Result{fail(t.ID, "graph token", fmt.Sprintf("%v; check azure_tenant_id, the app %s and its secret or certificate, "+
			"and that the customer's admin consented to the app (starter tenant consent-url --tenant %s)", err, app, t.ID))}
	}
	results := []Result{ok(t.ID, "graph token", "issued in directory "+t.AzureTenantID+" to the app "+app)}
	if slices.Contains(roles, graph.RoleReadWrite) {
		results = append(results, ok(t.ID, "graph permissions", graph.RoleReadWrite))
	} else {
		results = append(results, fail(t.ID, "graph permissions", fmt.Sprintf("the token lacks %s (it has: %s); "+
			"add that application permission of Microsoft Graph to the app and have the customer's admin consent again "+
			"(starter tenant consent-url --tenant %s)", graph.RoleReadWrite, listOrNone(roles), t.ID)))
	}
	snapshot, err := client.Snapshot(ctx)
	if err != nil {
		return append(results, fail(t.ID, "graph secure score", err.Error()))
	}
	if snapshot.TakenAt.IsZero() {
		return append(results, fail(t.ID, "graph secure score", "Graph holds no Secure Score for the tenant yet; Microsoft computes it once a day"))
	}
	percent := 0.0
	if snapshot.MaxScore > 0 {
		percent = 100 * snapshot.CurrentScore / snapshot.MaxScore
	}
	results = append(results, ok(t.ID, "graph secure score", fmt.Sprintf("%.2f of %.2f points (%.1f%%) on %s",
		snapshot.CurrentScore, snapshot.MaxScore, percent, snapshot.TakenAt.Format("2006-01-02"))))
	return append(results, d.checkScope(t, snapshot))
}

// checkScope counts the profiles in the tenant's scope and the open ones,
// and fails on a products entry no profile has.
func (d *Doctor) checkScope(t config.Tenant, snapshot graph.Snapshot) Result {
	scope := d.scopes[t.ID]
	if unseen := scope.Unseen(snapshot.Controls); len(unseen) > 0 {
		return fail(t.ID, "graph scope", fmt.Sprintf("no control profile of the tenant has the service %s; fix the products entry "+
			"(products take AzureAD, Exchange, SharePoint, Teams, DefenderForOffice or a profile's service value)", strings.Join(unseen, ", ")))
	}
	var inScope, open int
	for _, c := range snapshot.InScope(scope) {
		if c.Scored {
			inScope++
		}
		if c.Open() {
			open++
		}
	}
	if inScope == 0 {
		return fail(t.ID, "graph scope", "no scored control profile is in the scope "+strings.Join(scope.Services(), ", "))
	}
	return ok(t.ID, "graph scope", fmt.Sprintf("%d of %d profiles in scope (%s), %d open",
		inScope, len(snapshot.Controls), strings.Join(scope.Services(), ", "), open))
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
