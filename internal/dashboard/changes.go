package dashboard

import (
	"context"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// changeRow is one line of "changes in the last 3 months".
type changeRow struct {
	At      time.Time
	Kind    store.ChangeKind
	Control string
	What    string
	Tickets string
}

// changesSince are the tenant's changes in scope since a moment, newest first.
func (s *Server) changesSince(ctx context.Context, view *tenantView, since time.Time) ([]changeRow, error) {
	changes, err := s.data.Changes(ctx, view.Tenant.ID, since)
	if err != nil {
		return nil, err
	}
	words := texts.For(view.Tenant.Language)
	var rows []changeRow
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		control, known := view.controls[c.ControlID]
		if !known || !view.scope.Covers(control.Service) {
			continue
		}
		// A recommendation's first step (from no stage to detected) is
		// followed at once by its move to triage, which says the same to a
		// customer: one row per detection.
		if c.Kind == store.ChangeTransition && c.Step.From == "" {
			continue
		}
		row := changeRow{At: c.At, Kind: c.Kind, Control: control.Title}
		switch c.Kind {
		case store.ChangeScore:
			scores := []any{"From", words.Points(c.Before.Score), "To", words.Points(c.After.Score), "Max", words.Points(c.After.MaxScore)}
			row.What = words.T("dashboard.change.score", scores...)
			if c.Before.State != c.After.State {
				row.What = words.T("dashboard.change.score_state", append(scores, "StateFrom", c.Before.State, "StateTo", c.After.State)...)
			}
		case store.ChangeState:
			by := s.stateSetter(view, c.Update.By)
			row.What = words.T("dashboard.change.state", "State", c.Update.State, "By", by)
			if c.Update.Comment != "" {
				row.What = words.T("dashboard.change.state_comment", "State", c.Update.State, "By", by, "Comment", c.Update.Comment)
			}
		case store.ChangeTransition:
			row.What = words.T("dashboard.change.step", "From", words.CustomerStage(c.Step.From), "To", words.CustomerStage(c.Step.To),
				"By", c.Step.By.String(), "Source", string(c.Step.Source), "Reason", c.Step.Reason)
			row.Tickets = c.Step.TicketKey
			if c.Step.RFCKey != "" {
				row.Tickets += " · " + c.Step.RFCKey
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// stateSetter names who set a control's state as Graph records it: a person
// by name, and an app by its id, which for the app scoreflow writes with is
// scoreflow.
func (s *Server) stateSetter(view *tenantView, by string) string {
	if app := s.cfg.GraphApp(view.Tenant).ClientID; app != "" && strings.EqualFold(by, app) {
		return "scoreflow"
	}
	return by
}
