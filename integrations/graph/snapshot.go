package graph

import (
	"sort"
	"time"
)

// ControlState is a control profile's state as Graph's controlStateUpdates record it.
type ControlState string

// The states Graph accepts in a PATCH; the portal shows Reviewed as "Resolved
// through alternate mitigation" and Ignored as "Risk accepted".
const (
	StateDefault    ControlState = "Default"
	StateIgnored    ControlState = "Ignored"
	StateThirdParty ControlState = "ThirdParty"
	StateReviewed   ControlState = "Reviewed"
)

// Snapshot is one tenant's Secure Score as one sweep saw it.
type Snapshot struct {
	TakenAt         time.Time
	EnabledServices []string // licences, e.g. HasExchange, HasAADP2
	MaxScore        float64  // the tenant's Secure Score maximum
	Controls        []Control
	Requests        int // Graph calls this snapshot took: 1 + the number of profile pages
}

// Control is a control profile joined with its latest score.
type Control struct {
	ID                 string
	Title              string
	Service            string
	Category           string
	MaxScore           float64
	Score              float64
	Scored             bool // the latest secureScores lists this control
	State              ControlState
	Deprecated         bool
	Tier               string
	UserImpact         string
	ImplementationCost string
	Threats            []string
	Remediation        string
	RemediationImpact  string
	ActionURL          string
	Rank               int
}

// Open reports whether the control is a recommendation to act on (docs/lifecycle.md,
// lifecycle step 1): scored below its maximum, not deprecated, and not marked
// Ignored, ThirdParty or Reviewed.
func (c Control) Open() bool {
	return c.Scored && !c.Deprecated && c.Score < c.MaxScore && (c.State == StateDefault || c.State == "")
}

// InScope keeps the controls whose service the tenant's scope covers, sorted by ID.
func (s Snapshot) InScope(scope Scope) []Control {
	var out []Control
	for _, c := range s.Controls {
		if scope.Covers(c.Service) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
