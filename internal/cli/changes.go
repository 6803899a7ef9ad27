package cli

import (
	"context"
	"strconv"
	"time"

	"github.com/scoreflow/scoreflow/internal/store"
)

// changeRow is one line of a tenant's change list: a value of a control
// that changed, Graph's record of a state someone set, or a lifecycle step.
type changeRow struct {
	At         time.Time `json:"time"`
	Control    string    `json:"control"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Field      string    `json:"field"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	By         string    `json:"by"`
	Source     string    `json:"source"`
	Reason     string    `json:"reason"`
	TicketKey  string    `json:"ticket_key,omitempty"`
	RFCKey     string    `json:"rfc_key,omitempty"`
	WorkflowID string    `json:"workflow_id,omitempty"`
}

// runChanges prints what changed in a tenant's Secure Score and who decided
// what, in time order.
func runChanges(ctx context.Context, env *environment, args []string) error {
	r, err := env.parseReport(flagsFor("changes"), args, "90d")
	if err != nil {
		return err
	}
	changes, err := readStore(ctx, env, func(db *store.DB) ([]store.Change, error) { return db.Changes(ctx, r.tenant, r.since) })
	if err != nil {
		return err
	}
	var rows []changeRow
	for _, c := range changes {
		rows = append(rows, changeRows(c)...)
	}
	return table[changeRow]{
		header: []string{"time", "control", "title", "kind", "field", "from", "to", "by", "source", "reason",
			"ticket_key", "rfc_key", "workflow_id"},
		rows: rows,
		cells: func(r changeRow) []string {
			return []string{r.At.UTC().Format(time.RFC3339), r.Control, r.Title, r.Kind, r.Field, r.From, r.To, r.By,
				r.Source, r.Reason, r.TicketKey, r.RFCKey, r.WorkflowID}
		},
	}.write(env.out, r.format)
}

// changeRows are a change's lines: a score change has one for each value
// that changed.
func changeRows(c store.Change) []changeRow {
	row := changeRow{At: c.At, Control: c.ControlID, Title: c.Title, Kind: string(c.Kind)}
	switch c.Kind {
	case store.ChangeScore:
		row.Source = "sweep"
		var rows []changeRow
		add := func(field, from, to string) {
			if from != to {
				r := row
				r.Field, r.From, r.To = field, from, to
				rows = append(rows, r)
			}
		}
		add("score", number(c.Before.Score), number(c.After.Score))
		add("max_score", number(c.Before.MaxScore), number(c.After.MaxScore))
		add("state", c.Before.State, c.After.State)
		add("deprecated", strconv.FormatBool(c.Before.Deprecated), strconv.FormatBool(c.After.Deprecated))
		return rows
	case store.ChangeState:
		row.Field, row.To, row.By, row.Source, row.Reason = "state", c.Update.State, c.Update.By, "graph", c.Update.Comment
	case store.ChangeTransition:
		s := c.Step
		row.Field, row.From, row.To, row.By, row.Source, row.Reason = "stage", string(s.From), string(s.To), person(s.By.Name, s.By.ID),
			string(s.Source), s.Reason
		row.TicketKey, row.RFCKey, row.WorkflowID = s.TicketKey, s.RFCKey, s.WorkflowID
	}
	return []changeRow{row}
}

// person names someone by name and id, or whichever is known.
func person(name, id string) string {
	switch {
	case name == "":
		return id
	case id == "" || id == name:
		return name
	}
	return name + " (" + id + ")"
}
