package activities

import (
	"context"

	"github.com/scoreflow/scoreflow/assessment"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// Assessment runs the pre-assessment rules. It is an activity, not workflow
// code, so a change of the rules reaches new assessments only and never
// changes how a running recommendation replays.
type Assessment struct {
	Rules assessment.Rules
}

// PreAssess returns the automatic first opinion on a control's impact.
func (a *Assessment) PreAssess(_ context.Context, controlID string, facts lifecycle.ControlFacts) (lifecycle.PreAssessment, error) {
	return a.Rules.Assess(controlID, facts), nil
}
