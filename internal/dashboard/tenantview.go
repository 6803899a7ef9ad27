package dashboard

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// tenantView is what the dashboard knows of a tenant now, from the store,
// narrowed to the products in the tenant's scope.
type tenantView struct {
	Tenant       config.Tenant
	Latest       store.TenantDay // zero: no sweep recorded yet
	MonthAgo     store.TenantDay // the first recorded day of the last 30
	Projected    float64         // the score once the planned changes and those awaiting detection land
	Groups       []openGroup     // open recommendations by what they wait for
	RiskAccepted []openItem
	Alerts       []lifecycle.ScoreAlert // score-drop alerts still showing, newest first
	scope        graph.Scope
	controls     map[string]store.ControlDay // every control the store knows, by id
}

// Decisions reports whether the group waits for the customer's decision.
func (g openGroup) Decisions() bool { return g.decisions }

// openGroup is the open recommendations that wait for the same party.
type openGroup struct {
	Name, Explanation string // text ids
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
	SlackURL         string // where the customer decides in Slack: the message, or the channel
	DecidedWhere     string // the step is the customer's decision, taken there (a text id)
	// Fleet is what the MSP's other customers did with the control, for a
	// decision waiting.
	Fleet lifecycle.FleetRecord
}

type waitingGroup struct {
	group  openGroup
	stages []lifecycle.Stage
}

// waitingFor sorts stages into the groups a customer sees, in order.
var waitingFor = []waitingGroup{
	{openGroup{Name: "dashboard.group.decision", Explanation: "dashboard.group.decision.explanation",
		decisions: true}, []lifecycle.Stage{lifecycle.StageAwaitingDecision}},
	{openGroup{Name: "dashboard.group.specialist", Explanation: "dashboard.group.specialist.explanation"},
		[]lifecycle.Stage{lifecycle.StageDetected, lifecycle.StageTriage, lifecycle.StageAssessment}},
	{openGroup{Name: "dashboard.group.planned", Explanation: "dashboard.group.planned.explanation", projected: true},
		[]lifecycle.Stage{lifecycle.StageRFC, lifecycle.StagePlanned}},
	{openGroup{Name: "dashboard.group.detection", Explanation: "dashboard.group.detection.explanation", projected: true},
		[]lifecycle.Stage{lifecycle.StageAwaitingDetection}},
}

// loadTenant reads a tenant's state now.
func (s *Server) loadTenant(ctx context.Context, t config.Tenant) (*tenantView, error) {
	month, err := s.data.Days(ctx, t.ID, s.monthAgo())
	if err != nil {
		return nil, err
	}
	controls, err := s.data.Controls(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	steps, err := s.data.LatestSteps(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	messages, err := s.data.DecisionMessages(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	alerts, err := s.data.OpenAlerts(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	view := s.newTenantView(t, month, controls, steps, messages)
	view.Alerts = alerts[t.ID]
	for _, g := range view.Groups {
		if !g.decisions {
			continue
		}
		controlIDs := make([]string, len(g.Items))
		for i, item := range g.Items {
			controlIDs[i] = item.ControlID
		}
		records, err := s.fleet.Records(ctx, t.ID, controlIDs...)
		if err != nil {
			return nil, err
		}
		for i := range g.Items {
			g.Items[i].Fleet = records[g.Items[i].ControlID]
		}
	}
	return view, nil
}

func (s *Server) monthAgo() time.Time { return s.now().AddDate(0, 0, -30) }

// newTenantView is what the store holds of a tenant now, narrowed to the
// products in its scope: month is its recorded days of the last 30, oldest
// first, steps the latest of its recommendations, messages the Slack
// messages its decisions were asked in.
func (s *Server) newTenantView(t config.Tenant, month []store.TenantDay, controls []store.ControlDay, steps []lifecycle.TransitionRecord,
	messages map[string]lifecycle.MessageRef) *tenantView {
	view := &tenantView{Tenant: t, scope: graph.NewScope(t.Products), controls: map[string]store.ControlDay{}}
	view.Latest, view.MonthAgo = s.scoreNow(month)
	for _, c := range controls {
		view.controls[c.ControlID] = c
	}
	view.group(s.openItems(view, steps, messages))
	view.Projected = view.Latest.CurrentScore
	for _, g := range view.Groups {
		if !g.projected {
			continue
		}
		for _, item := range g.Items {
			view.Projected += item.Gain
		}
	}
	return view
}

// inScope says whether a recommendation of a control of this service is
// in the tenant's scope, for the tenant page and the overview alike. An
// unknown service (no control row yet, or steps that carry none) counts as
// in scope: only controls in scope get a workflow.
func inScope(scope graph.Scope, service string) bool { return service == "" || scope.Covers(service) }

// scoreNow is a tenant's latest score and the first of the last 30 days,
// from its recorded days of those 30, oldest first: none when the latest is
// older than a week, which is no score of "now".
func (s *Server) scoreNow(month []store.TenantDay) (latest, monthAgo store.TenantDay) {
	recent := s.now().UTC().AddDate(0, 0, -7).Truncate(24 * time.Hour)
	if n := len(month); n > 0 && !month[n-1].Day.Before(recent) {
		return month[n-1], month[0]
	}
	return store.TenantDay{}, store.TenantDay{}
}

// openItems are the recommendations in scope that are not closed.
func (s *Server) openItems(view *tenantView, steps []lifecycle.TransitionRecord, messages map[string]lifecycle.MessageRef) []openItem {
	t := view.Tenant
	var items []openItem
	for _, step := range steps {
		control := view.controls[step.ControlID]
		if step.To.Closed() || !inScope(view.scope, control.Service) {
			continue
		}
		item := openItem{ControlID: step.ControlID, Title: cmp.Or(control.Title, step.ControlID), Gain: max(control.MaxScore-control.Score, 0),
			Stage: step.To, Since: step.At, TicketKey: step.TicketKey, RFCKey: step.RFCKey, Critical: step.Critical,
			Reason: step.Reason, By: step.By.String()}
		if step.To == lifecycle.StageAwaitingDecision {
			item.SlackURL = slackLink(t, messages[step.ControlID])
		} else if step.From == lifecycle.StageAwaitingDecision {
			item.DecidedWhere = whereTaken(step.Source)
		}
		item.Due, item.Overdue = s.due(step)
		items = append(items, item)
	}
	return items
}

// slackLink opens the message a decision was asked in, or the tenant's
// channel when the store knows no message; "" for a tenant without Slack.
func slackLink(t config.Tenant, asked lifecycle.MessageRef) string {
	switch {
	case asked.Channel != "" && asked.TS != "":
		// Slack's permalink: the message's timestamp without its dot.
		return "https://slack.com/archives/" + url.PathEscape(asked.Channel) + "/p" + strings.ReplaceAll(asked.TS, ".", "")
	case t.SlackChannel != "":
		return "https://slack.com/app_redirect?channel=" + url.QueryEscape(t.SlackChannel)
	}
	return ""
}

// groupOf is the index in waitingFor of the group a stage is in; -1: none.
func groupOf(stage lifecycle.Stage) int {
	return slices.IndexFunc(waitingFor, func(w waitingGroup) bool { return slices.Contains(w.stages, stage) })
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
