package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// recordObserved tells the sweep, through the Observed search attribute,
// which observation this recommendation has, so that the sweep delivers
// only one that differs (activities.Sweep). While a state write is to be
// checked or a state by hand awaited, every sweep's observation matters,
// changed or not, and the attribute says so. It is called as an observation
// arrives, not when the main loop is free (an activity's retries may keep
// that busy past the next sweep), and before each wait, after the write
// check or the state by hand may have changed.
//
// Only a run that carries the attribute keeps it up to date: the sweep
// starts a recommendation with it on a namespace that has it, and a run
// continued as new inherits it. Runs started without it, such as every run
// recorded before the attribute existed, get each observation and replay
// as they ran: their histories never carry it, so this adds no command.
func (r *recommendation) recordObserved(ctx workflow.Context) {
	recorded, ok := workflow.GetTypedSearchAttributes(ctx).GetKeyword(lifecycle.ObservedKey)
	if !ok || r.state.LastObservation == nil {
		return
	}
	want := r.state.LastObservation.Digest()
	if r.state.WriteCheck != nil || r.state.ByHandState != "" {
		want = lifecycle.ObservedEverySweep
	}
	if want != recorded {
		// Refused only when given no attribute.
		_ = workflow.UpsertTypedSearchAttributes(ctx, lifecycle.ObservedKey.ValueSet(want))
	}
}
