package dashboard

import (
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// A recommendation's step carries when its workflow will next act on it by
// itself, by the timings it was started with (lifecycle.TransitionRecord's
// Due). Steps written before scoreflow recorded that carry none; for them
// the due date is worked out from the config's timings now.

// due is when something is due after a step, and whether it is late now.
func (s *Server) due(step lifecycle.TransitionRecord) (at time.Time, overdue bool) {
	at = step.Due
	if wait, ok := s.dueAfter(step.To, step.Critical); ok && at.IsZero() {
		at = step.At.Add(wait)
	}
	return at, !at.IsZero() && step.To.CanBeOverdue() && s.now().After(at)
}

// dueAfter is how long a recommendation may stand in a stage before
// something is due, from the config's timings: a risk's re-review, a
// critical decision's escalation, Microsoft's detection warning. ok is
// false when nothing is due in the stage.
func (s *Server) dueAfter(stage lifecycle.Stage, critical bool) (wait time.Duration, ok bool) {
	timings := s.cfg.Lifecycle
	switch stage {
	case lifecycle.StageRiskAccepted:
		return timings.RiskReviewAfter.D(), true
	case lifecycle.StageAwaitingDecision:
		return timings.EscalationAfter.D(), critical
	case lifecycle.StageAwaitingDetection:
		return timings.DetectionWarningAfter.D(), true
	}
	return 0, false
}

// deadlines are dueAfter's overdue dates now, for the store to count the
// steps that carry no due date by.
func (s *Server) deadlines() []store.Deadline {
	var deadlines []store.Deadline
	for _, stage := range lifecycle.AllStages {
		if !stage.CanBeOverdue() {
			continue // dueAfter has nothing due in the other end stages
		}
		if wait, ok := s.dueAfter(stage, false); ok {
			deadlines = append(deadlines, store.Deadline{Stage: stage, Before: s.now().Add(-wait)})
		} else if wait, ok := s.dueAfter(stage, true); ok {
			deadlines = append(deadlines, store.Deadline{Stage: stage, CriticalOnly: true, Before: s.now().Add(-wait)})
		}
	}
	return deadlines
}
