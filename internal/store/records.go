package store

import (
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TenantDay is a tenant's Secure Score on one day.
type TenantDay struct {
	Day             time.Time // UTC midnight
	CurrentScore    float64
	MaxScore        float64
	EnabledServices []string
	Comparisons     []lifecycle.Comparison
	Demo            bool // seeded by the demo, not read from Graph
}

// Percent is the score in percent of the maximum.
func (d TenantDay) Percent() float64 {
	if d.MaxScore <= 0 {
		return 0
	}
	return 100 * d.CurrentScore / d.MaxScore
}

// ControlDay is a control's values on one day.
type ControlDay struct {
	ControlID  string
	Day        time.Time
	Title      string
	Service    string
	Score      float64
	MaxScore   float64
	State      string
	Deprecated bool
	Demo       bool
}

// same reports whether two days of a control hold the same values: the
// store keeps a row only where one changed.
func (c ControlDay) same(other ControlDay) bool {
	return c.Score == other.Score && c.MaxScore == other.MaxScore && c.State == other.State && c.Deprecated == other.Deprecated
}

// StateUpdate is one entry of Graph's controlStateUpdates.
type StateUpdate struct {
	ControlID string
	At        time.Time
	State     string
	By        string
	Comment   string
}

// ChangeKind says what a Change is.
type ChangeKind string

const (
	ChangeScore      ChangeKind = "score"      // a control's score, maximum, state or deprecation changed
	ChangeState      ChangeKind = "state"      // Graph recorded a state update
	ChangeTransition ChangeKind = "transition" // a step of the recommendation's lifecycle
)

// Change is one entry of a tenant's change list: a control's change as the
// sweep saw it, Graph's record of a state set, or a lifecycle step.
type Change struct {
	At        time.Time
	Kind      ChangeKind
	ControlID string
	Title     string // the control's title, where the store knows it
	// Score changes: the values before (zero for a control's first day) and after.
	Before, After ControlDay `json:",omitzero"`
	// State updates: Graph's record.
	Update StateUpdate `json:",omitzero"`
	// Transitions: the step.
	Step lifecycle.TransitionRecord `json:",omitzero"`
}
