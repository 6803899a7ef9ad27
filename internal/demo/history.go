package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// yearDays is how far back the demo's history reaches.
const yearDays = 365

// seedHistory gives each demo tenant a year of history: the simulated
// Graph serves its last 90 days, which the first sweep records, and the
// store gets the nine months before them here, along the same story and
// marked as demo data. A day already recorded is left as it is.
func (e *Environment) seedHistory(ctx context.Context) error {
	db, err := store.Open(ctx, e.Config.Store.DSN.Reveal(), e.Config.StoreFile())
	if err != nil {
		return err
	}
	defer db.Close()
	for _, t := range e.tenants {
		configured, _ := e.Config.Tenant(t.id)
		if err := seedTenantHistory(ctx, db, configured, t.graph); err != nil {
			return fmt.Errorf("seeding the demo's history of %s: %w", t.id, err)
		}
	}
	return nil
}

func seedTenantHistory(ctx context.Context, db *store.DB, tenant config.Tenant, simulated *sim.Tenant) error {
	today := store.Day(time.Now())
	recorded, err := db.Days(ctx, tenant.ID, today.AddDate(0, 0, -yearDays))
	if err != nil {
		return err
	}
	known := map[time.Time]bool{}
	for _, d := range recorded {
		known[d.Day] = true
	}
	scope := graph.NewScope(tenant.Products)
	var days []store.TenantDay
	var controls []store.ControlDay
	for daysAgo := yearDays - 1; daysAgo >= sim.HistoryDays; daysAgo-- {
		day := today.AddDate(0, 0, -daysAgo)
		if known[day] {
			continue
		}
		scores := simulated.ScoresOn(daysAgo)
		current, maximum := simulated.Totals(scores)
		days = append(days, store.TenantDay{Day: day, CurrentScore: current, MaxScore: maximum, Demo: true,
			EnabledServices: simulated.EnabledServices, Comparisons: []lifecycle.Comparison{
				{Basis: "AllTenants", AverageScore: sim.AllTenantsAverage}, {Basis: "TotalSeats", AverageScore: sim.TotalSeatsAverage}}})
		for _, p := range simulated.Profiles {
			if scope.Covers(p.Service) {
				controls = append(controls, store.ControlDay{ControlID: p.ID, Day: day, Title: p.Title, Service: p.Service,
					Score: scores[p.ID], MaxScore: p.MaxScore, State: string(graph.StateDefault), Deprecated: p.Deprecated, Demo: true})
			}
		}
	}
	return db.RecordDays(ctx, tenant.ID, days, controls, nil)
}
