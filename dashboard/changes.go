package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/store"
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
	var rows []changeRow
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		control, inScope := view.controls[c.ControlID]
		if !inScope {
			continue
		}
		row := changeRow{At: c.At, Kind: c.Kind, Control: control.Title}
		switch c.Kind {
		case store.ChangeScore:
			row.What = fmt.Sprintf("score %s → %s of %s", points(c.Before.Score), points(c.After.Score), points(c.After.MaxScore))
			if c.Before.State != c.After.State {
				row.What += fmt.Sprintf("; state %s → %s", c.Before.State, c.After.State)
			}
		case store.ChangeState:
			row.What = fmt.Sprintf("state set to %s by %s", c.Update.State, c.Update.By)
			if c.Update.Comment != "" {
				row.What += ": " + c.Update.Comment
			}
		case store.ChangeTransition:
			row.What = fmt.Sprintf("%s → %s by %s (%s): %s", c.Step.From, c.Step.To, c.Step.By, c.Step.Source, c.Step.Reason)
			row.Tickets = c.Step.TicketKey
			if c.Step.RFCKey != "" {
				row.Tickets += " · " + c.Step.RFCKey
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func points(p float64) string { return fmt.Sprintf("%.4g", p) }
