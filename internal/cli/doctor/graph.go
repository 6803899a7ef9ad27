package doctor

import (
	"context"
	"slices"
	"strings"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/config"
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
		return []Result{fail(t.ID, "graph token", d.texts.T("doctor.graph.token_failed", "Error", err.Error(), "App", app, "Tenant", t.ID))}
	}
	results := []Result{ok(t.ID, "graph token", d.texts.T("doctor.graph.token", "Directory", t.AzureTenantID, "App", app))}
	if slices.Contains(roles, graph.RoleReadWrite) {
		results = append(results, ok(t.ID, "graph permissions", graph.RoleReadWrite))
	} else {
		results = append(results, fail(t.ID, "graph permissions", d.texts.T("doctor.graph.permission_missing", "Role", graph.RoleReadWrite, "Roles", d.listOrNone(roles), "Tenant", t.ID)))
	}
	snapshot, err := client.Snapshot(ctx)
	if err != nil {
		return append(results, fail(t.ID, "graph secure score", err.Error()))
	}
	if snapshot.TakenAt.IsZero() {
		return append(results, fail(t.ID, "graph secure score", d.texts.T("doctor.graph.no_score")))
	}
	percent := 0.0
	if snapshot.MaxScore > 0 {
		percent = 100 * snapshot.CurrentScore / snapshot.MaxScore
	}
	results = append(results, ok(t.ID, "graph secure score", d.texts.T("doctor.graph.score", "Score", d.texts.Number(snapshot.CurrentScore, 2),
		"Max", d.texts.Number(snapshot.MaxScore, 2), "Percent", d.texts.Percent(percent), "Day", snapshot.TakenAt.Format("2006-01-02"))))
	return append(results, d.checkScope(t, snapshot))
}

// checkScope counts the profiles in the tenant's scope and the open ones,
// and fails on a products entry no profile has.
func (d *Doctor) checkScope(t config.Tenant, snapshot graph.Snapshot) Result {
	scope := d.scopes[t.ID]
	if unseen := scope.Unseen(snapshot.Controls); len(unseen) > 0 {
		return fail(t.ID, "graph scope", d.texts.T("doctor.graph.scope_unseen", "Services", strings.Join(unseen, ", ")))
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
		return fail(t.ID, "graph scope", d.texts.T("doctor.graph.scope_empty", "Services", strings.Join(scope.Services(), ", ")))
	}
	return ok(t.ID, "graph scope", d.texts.T("doctor.graph.scope", "InScope", inScope, "Profiles", len(snapshot.Controls),
		"Services", strings.Join(scope.Services(), ", "), "Open", open))
}

func (d *Doctor) listOrNone(items []string) string {
	if len(items) == 0 {
		return d.texts.T("doctor.none")
	}
	return strings.Join(items, ", ")
}
