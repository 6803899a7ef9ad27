package dashboard

import (
	"context"
	"slices"
	"time"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/store"
)

// tenantView is what the dashboard knows of a tenant now, from the store,
// narrowed to the products in the tenant's scope.
type tenantView struct {
	Tenant       config.Tenant
	Latest       store.TenantDay   // zero: no sweep recorded yet
	Month        []store.TenantDay // the last 30 days, oldest first
	Projected    float64           // the score once the planned changes and those awaiting detection land
	Groups       []openGroup       // open recommendations by what they wait for
	RiskAccepted []openItem
	controls     map[string]store.ControlDay
}

// openGroup is the open recommendations that wait for the same party.
type openGroup struct {
	Name, Explanation string
	Items             []openItem
	decisions         bool // waiting for the customer's decision
	projected         bool // counted in the projected score: done, or about to be
}

// openItem is a recommendation as the dashboard lists it.
type openItem struct {
	ControlID, Title string
	Gain             float64 // the points it adds once done
	Stage            lifecycle.Stage
	Since            time.Time
	TicketKey        string
	RFCKey           string
	Critical         bool
	Reason, By       string
	Due              time.Time // a risk's re-review; a decision's escalation; Microsoft's detection warning
	Overdue          bool
	SlackURL         string // where the customer decides
}

// waitingFor sorts stages into the groups a customer sees, in order.
var waitingFor = []struct {
	group  openGroup
	stages []lifecycle.Stage
}{
	{openGroup{Name: "Waiting for your decision", Explanation: "Your MSP asks you to decide: implement, an alternative, or accept the risk.",
		decisions: true}, []lifecycle.Stage{lifecycle.StageAwaitingDecision}},
	{openGroup{Name: "With the MSP's specialist", Explanation: "Checked for an alternative mitigation and assessed for impact on users and cost."},
		[]lifecycle.Stage{lifecycle.StageDetected, lifecycle.StageTriage, lifecycle.StageAssessment}},
	{openGroup{Name: "Planned changes", Explanation: "A change request (RFC) implements it.", projected: true},
		[]lifecycle.Stage{lifecycle.StageRFC, lifecycle.StagePlanned}},
	{openGroup{Name: "Waiting for Microsoft's detection", Explanation: "Implemented; Microsoft's Secure Score has not counted it yet.", projected: true},
		[]lifecycle.Stage{lifecycle.StageAwaitingDetection}},
}

// loadTenant reads a tenant's state now.
func (s *Server) loadTenant(ctx context.Context, t config.Tenant) (*tenantView, error) {
	view := &tenantView{Tenant: t, controls: map[string]store.ControlDay{}}
	month, err := s.data.Days(ctx, t.ID, s.now().AddDate(0, 0, -30))
	if err != nil {
		return nil, err
	}
	view.Month = month
	// A score older than a week is no score of "now".
	recent := s.now().UTC().AddDate(0, 0, -7).Truncate(24 * time.Hour)
	if n := len(month); n > 0 && !month[n-1].Day.Before(recent) {
		view.Latest = month[n-1]
	}
	controls, err := s.data.Controls(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	scope := graph.NewScope(t.Products)
	for _, c := range controls {
		if scope.Covers(c.Service) {
			view.controls[c.ControlID] = c
		}
	}
	steps, err := s.data.LatestSteps(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	view.group(s.openItems(t, view.controls, steps))
	view.Projected = view.Latest.CurrentScore
	for _, g := range view.Groups {
		if !g.projected {
			continue
		}
		for _, item := range g.Items {
			view.Projected += item.Gain
		}
	}
	return view, nil
}

// openItems are the recommendations in scope that are not closed.
func (s *Server) openItems(t config.Tenant, controls map[string]store.ControlDay, steps []lifecycle.TransitionRecord) []openItem {
	timings := s.cfg.Lifecycle
	var items []openItem
	for _, step := range steps {
		control, inScope := controls[step.ControlID]
		if !inScope || (step.To.Terminal() && step.To != lifecycle.StageRiskAccepted) {
			continue
		}
		item := openItem{ControlID: step.ControlID, Title: control.Title, Gain: max(control.MaxScore-control.Score, 0),
			Stage: step.To, Since: step.At, TicketKey: step.TicketKey, RFCKey: step.RFCKey, Critical: step.Critical,
			Reason: step.Reason, By: step.By.String()}
		switch step.To {
		case lifecycle.StageRiskAccepted:
			item.Due = step.At.Add(timings.RiskReviewAfter.D())
		case lifecycle.StageAwaitingDecision:
			item.SlackURL = "https://slack.com/app_redirect?channel=" + t.SlackChannel
			if step.Critical {
				item.Due = step.At.Add(timings.EscalationAfter.D())
			}
		case lifecycle.StageAwaitingDetection:
			item.Due = step.At.Add(timings.DetectionWarningAfter.D())
		}
		item.Overdue = !item.Due.IsZero() && step.To != lifecycle.StageRiskAccepted && s.now().After(item.Due)
		items = append(items, item)
	}
	return items
}

func (v *tenantView) group(items []openItem) {
	for _, w := range waitingFor {
		g := w.group
		for _, item := range items {
			if slices.Contains(w.stages, item.Stage) {
				g.Items = append(g.Items, item)
			}
		}
		v.Groups = append(v.Groups, g)
	}
	for _, item := range items {
		if item.Stage == lifecycle.StageRiskAccepted {
			v.RiskAccepted = append(v.RiskAccepted, item)
		}
	}
}

// Percent is the score now in percent of the maximum.
func (v *tenantView) Percent() float64 { return v.Latest.Percent() }

// ProjectedPercent is the projected score in percent of the maximum.
func (v *tenantView) ProjectedPercent() float64 {
	if v.Latest.MaxScore <= 0 {
		return 0
	}
	return 100 * v.Projected / v.Latest.MaxScore
}

// Open counts the open recommendations.
func (v *tenantView) Open() int {
	n := 0
	for _, g := range v.Groups {
		n += len(g.Items)
	}
	return n
}

// DecisionsWaiting are the recommendations awaiting the customer's decision.
func (v *tenantView) DecisionsWaiting() []openItem {
	for _, g := range v.Groups {
		if g.decisions {
			return g.Items
		}
	}
	return nil
}
