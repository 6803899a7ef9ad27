package graph

import (
	"sort"
	"strings"
	"time"
)

// ControlState is a control profile's state as Graph's controlStateUpdates record it.
type ControlState string

// Is compares states without regard to case.
func (s ControlState) Is(other ControlState) bool { return strings.EqualFold(string(s), string(other)) }

// The states Graph accepts in a PATCH; the portal shows Reviewed as "Resolved
// through alternate mitigation" and Ignored as "Risk accepted".
const (
	StateDefault    ControlState = "Default"
	StateIgnored    ControlState = "Ignored"
	StateThirdParty ControlState = "ThirdParty"
	StateReviewed   ControlState = "Reviewed"
)

// Score is one secureScores entry: a tenant's Secure Score on one day.
type Score struct {
	TakenAt         time.Time
	EnabledServices []string // licences, e.g. HasExchange, HasAADP2
	CurrentScore    float64  // the tenant's Secure Score
	MaxScore        float64  // the tenant's Secure Score maximum
	// Comparisons are Graph's averageComparativeScores: the average score,
	// in percent, of tenants alike by a basis (all tenants, seats, industry).
	Comparisons   []Comparison
	ControlScores map[string]float64 // each control's score, by control id
}

// Comparison is one of Graph's averageComparativeScores.
type Comparison struct {
	Basis        string  // AllTenants, TotalSeats, IndustryTypes
	AverageScore float64 // percent
}

// Snapshot is one tenant's Secure Score as one sweep saw it: the latest
// secureScores entry and every control profile.
type Snapshot struct {
	Score
	Controls []Control
	Requests int // Graph calls this snapshot took: 1 + the number of profile pages
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
	StateComment       string        // the comment of the latest state update
	StateUpdates       []StateUpdate // Graph's record of state changes, oldest first
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

// Open reports whether the control is a recommendation to act on
// (docs/lifecycle.md, "Detected"): scored below its maximum, not deprecated,
// and not marked Ignored, ThirdParty or Reviewed. Graph's writers spell the
// states in different cases (Default, default).
func (c Control) Open() bool {
	return c.Scored && !c.Deprecated && c.Score < c.MaxScore && (c.State.Is(StateDefault) || c.State == "")
}

// LatestUpdate is the most recent state update; none at all is Default,
// with no comment.
func (c Control) LatestUpdate() StateUpdate {
	if len(c.StateUpdates) == 0 {
		return StateUpdate{State: StateDefault}
	}
	return c.StateUpdates[len(c.StateUpdates)-1]
}

// StateWritable reports whether Graph takes state updates for the control:
// Defender for Endpoint's controls (scid_*) are handled as exceptions in
// Defender Vulnerability Management instead.
func StateWritable(controlID string) bool { return !strings.HasPrefix(controlID, "scid_") }

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
