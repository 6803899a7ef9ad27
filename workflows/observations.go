package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// observe applies what the daily sweep saw (docs/lifecycle.md): Microsoft's
// detection, or a change made outside scoreflow, ends the recommendation.
func (r *recommendation) observe(ctx workflow.Context, o lifecycle.ControlObservation) error {
	switch {
	case !o.Present:
		return r.end(ctx, lifecycle.StageWithdrawn, "the control is no longer in the tenant's Secure Score")
	case o.Deprecated:
		return r.end(ctx, lifecycle.StageWithdrawn, "Microsoft deprecated the control")
	case o.MaxScore > 0 && o.Score >= o.MaxScore:
		if r.state.Stage == lifecycle.StageAwaitingDetection {
			return r.end(ctx, lifecycle.StageCompleted, fmt.Sprintf("Microsoft detected the change: %.2f/%.0f points", o.Score, o.MaxScore))
		}
		return r.end(ctx, lifecycle.StageCompleted, fmt.Sprintf("the control reached its maximum score outside scoreflow (%.2f/%.0f)", o.Score, o.MaxScore))
	case o.State != "" && o.State != r.state.GraphState:
		return r.end(ctx, lifecycle.StageResolvedExternally, "the control's state was set to "+o.State+" outside scoreflow")
	}
	return nil
}

// end enters a terminal stage decided by an observation.
func (r *recommendation) end(ctx workflow.Context, stage lifecycle.Stage, reason string) error {
	r.state.Outcome = reason
	return r.transition(ctx, stage, scoreflow, lifecycle.SourceSweep, reason)
}
