package dashboard

import (
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// dueAfter is how long a recommendation may stand in a stage before
// something is due, from the lifecycle's timings: a risk's re-review, a
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

// overdueIn: a risk accepted waits for its re-review, which falls due but
// is never overdue; in other stages a passed due date is.
func overdueIn(stage lifecycle.Stage) bool { return stage != lifecycle.StageRiskAccepted }

// deadlines are dueAfter's overdue dates now, for the store to count by.
func (s *Server) deadlines() []store.Deadline {
	var deadlines []store.Deadline
	for _, stage := range lifecycle.AllStages {
		if !overdueIn(stage) {
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
