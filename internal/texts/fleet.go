package texts

import (
	"strings"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// FleetRecord is what the MSP's other customers did with a control, as a
// customer reads it beside their decision: a line of counts and, when
// enough tenants gave the same reason, a line of reasons. None when no
// other customer has decided yet.
func (t *Texts) FleetRecord(r lifecycle.FleetRecord) []string {
	if r.Empty() {
		return nil
	}
	lines := []string{t.T("fleet.record", "Implemented", r.Implemented, "Alternative", r.Alternative, "RiskAccepted", r.RiskAccepted)}
	if len(r.Reasons) > 0 {
		var reasons []string
		for _, reason := range r.Reasons {
			reasons = append(reasons, t.T("fleet.reason", "Text", reason.Text, "Tenants", reason.Tenants))
		}
		lines = append(lines, t.T("fleet.reasons", "Reasons", strings.Join(reasons, "; ")))
	}
	return lines
}
