package texts

import (
	"strings"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Alert is what a score-drop alert says: the score before and after, and
// each control that fell, a regression marked.
func (t *Texts) Alert(alert lifecycle.ScoreAlert) string {
	lines := []string{t.T("alert.score", "Tenant", alert.TenantName, "Before", t.Number(alert.Before, 2),
		"After", t.Number(alert.After, 2), "Day", alert.Day.Format("2006-01-02"))}
	for _, f := range alert.Fell {
		id := "alert.control"
		if f.Regressed {
			id = "alert.regressed"
		}
		lines = append(lines, t.T(id, "Control", f.Title, "ID", f.ControlID, "Before", t.Number(f.Before, 2), "After", t.Number(f.After, 2)))
	}
	return strings.Join(lines, "\n")
}
