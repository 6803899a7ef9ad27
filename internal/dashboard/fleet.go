package dashboard

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// The MSP's fleet: one control across every tenant (MSP staff only).

// fleetCounts are how the tenants that have a control stand on it.
type fleetCounts struct {
	AtStake      float64 // the points the control lacks in the tenants whose scope covers it
	Open         [4]int  // open recommendations per group of waitingFor, as the tenant pages count them
	Implemented  int     // completed: Microsoft detected the change
	Alternative  int     // resolved through an alternative mitigation
	ThirdParty   int     // handled by a third party
	RiskAccepted int     // the customer accepted the risk
	OutOfScope   int     // tenants whose products leave the control out
}

// OpenTotal is the open recommendations of every group.
func (c fleetCounts) OpenTotal() int {
	n := 0
	for _, open := range c.Open {
		n += open
	}
	return n
}

// fleetRow is a control on /controls.
type fleetRow struct {
	ControlID, Title string
	fleetCounts
}

// count adds a tenant's control to the counts. It counts a recommendation
// as the tenant page lists it: in the tenant's scope and not closed.
func (c *fleetCounts) count(scope graph.Scope, f store.FleetControl) {
	if !inScope(scope, f.Service) {
		c.OutOfScope++
		return
	}
	if !f.Deprecated {
		c.AtStake += max(f.MaxScore-f.Score, 0)
	}
	switch f.Stage {
	case lifecycle.StageCompleted:
		c.Implemented++
	case lifecycle.StageResolvedAlternate:
		c.Alternative++
	case lifecycle.StageResolvedThirdParty:
		c.ThirdParty++
	case lifecycle.StageRiskAccepted:
		c.RiskAccepted++
	}
	if i := groupOf(f.Stage); i >= 0 && !f.Stage.Closed() {
		c.Open[i]++
	}
}

// tenantsByID are the configured tenants, with their scopes: the fleet
// pages count no tenant the config no longer serves.
func (s *Server) tenantsByID() (map[string]config.Tenant, map[string]graph.Scope) {
	tenants, scopes := map[string]config.Tenant{}, map[string]graph.Scope{}
	for _, t := range s.cfg.Tenants {
		tenants[t.ID], scopes[t.ID] = t, graph.NewScope(t.Products)
	}
	return tenants, scopes
}

// controls lists every control the MSP handles, the most points at stake
// across the tenants first.
func (s *Server) controls(w http.ResponseWriter, r *http.Request, v Viewer) {
	all, err := s.data.FleetControls(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tenants, scopes := s.tenantsByID()
	byControl := map[string]*fleetRow{}
	var rows []*fleetRow
	for _, f := range all {
		if _, served := tenants[f.TenantID]; !served {
			continue
		}
		row, seen := byControl[f.ControlID]
		if !seen {
			row = &fleetRow{ControlID: f.ControlID, Title: cmp.Or(f.Title, f.ControlID)}
			byControl[f.ControlID] = row
			rows = append(rows, row)
		}
		row.count(scopes[f.TenantID], f)
	}
	slices.SortStableFunc(rows, func(a, b *fleetRow) int {
		return cmp.Or(cmp.Compare(b.AtStake, a.AtStake), cmp.Compare(b.OpenTotal(), a.OpenTotal()), cmp.Compare(a.Title, b.Title))
	})
	s.render(w, r, http.StatusOK, "controls", pageData{Title: "Controls across the fleet", Viewer: &v, Content: rows})
}

// fleetTenant is one tenant's standing on a control, on /controls/<id>.
type fleetTenant struct {
	Tenant   config.Tenant
	InScope  bool
	Stage    lifecycle.Stage
	Gain     float64
	Decision *lifecycle.TransitionRecord // the customer's latest decision on it; nil: none recorded
}

// control is one control across the tenants: each tenant's stage and
// points, and who decided what, when and why.
func (s *Server) control(w http.ResponseWriter, r *http.Request, v Viewer) {
	controlID := r.PathValue("control")
	fleet, err := s.data.FleetControl(r.Context(), controlID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decisions, err := s.data.ControlDecisions(r.Context(), controlID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	latest := map[string]*lifecycle.TransitionRecord{}
	for i := range decisions {
		latest[decisions[i].TenantID] = &decisions[i]
	}
	tenants, scopes := s.tenantsByID()
	var counts fleetCounts
	var rows []fleetTenant
	title := controlID
	for _, f := range fleet {
		t, served := tenants[f.TenantID]
		if !served {
			continue
		}
		title = cmp.Or(f.Title, title)
		counts.count(scopes[t.ID], f)
		rows = append(rows, fleetTenant{Tenant: t, InScope: inScope(scopes[t.ID], f.Service), Stage: f.Stage,
			Gain: max(f.MaxScore-f.Score, 0), Decision: latest[t.ID]})
	}
	if len(rows) == 0 {
		s.notFound(w, r)
		return
	}
	slices.SortStableFunc(rows, func(a, b fleetTenant) int { return cmp.Compare(a.Tenant.Name, b.Tenant.Name) })
	if wantsCSV(r) {
		writeControlCSV(w, controlID, rows)
		return
	}
	var bulk []lifecycle.BulkOutcome
	if id := r.URL.Query().Get("bulk"); formToken.MatchString(id) && s.bulk != nil {
		if bulk, err = s.bulk.BulkOutcomes(r.Context(), id); err != nil {
			s.notFound(w, r)
			return
		}
	}
	s.render(w, r, http.StatusOK, "control", pageData{Title: title, Viewer: &v, Content: struct {
		ControlID string
		Counts    fleetCounts
		Tenants   []fleetTenant
		Verdicts  []lifecycle.Verdict
		CanBulk   bool
		Bulk      []lifecycle.BulkOutcome
	}{controlID, counts, rows, lifecycle.Verdicts(), s.bulk != nil, bulk}})
}

// writeControlCSV is a control's tenants to download: each one's standing
// and the customer's latest decision.
func writeControlCSV(w http.ResponseWriter, controlID string, rows []fleetTenant) {
	var table [][]string
	for _, row := range rows {
		line := []string{row.Tenant.ID, row.Tenant.Name, strconv.FormatBool(row.InScope), string(row.Stage), strconv.FormatFloat(row.Gain, 'f', 2, 64)}
		if d := row.Decision; d != nil {
			line = append(line, string(d.To), d.By.Name, d.By.ID, string(d.Source), d.At.UTC().Format(time.RFC3339), d.Reason)
		} else {
			line = append(line, "", "", "", "", "", "")
		}
		table = append(table, line)
	}
	writeCSV(w, controlID, []string{"tenant", "name", "in_scope", "stage", "points", "decision", "decided_by", "decided_by_id",
		"decided_through", "decided_at", "reason"}, table)
}
