package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// observe applies what the daily sweep saw (docs/lifecycle.md): Microsoft's
// detection, or a change made outside scoreflow, ends the recommendation.
func (r *recommendation) observe(ctx workflow.Context, o lifecycle.ControlObservation) error {
	writeShowing, err := r.checkWrite(ctx, o)
	if err != nil {
		return err
	}
	if r.state.ByHandState != "" && strings.EqualFold(o.State, r.state.ByHandState) {
		r.state.GraphState, r.state.ByHandState = o.State, ""
		if err := r.transition(ctx, r.state.Stage, scoreflow, lifecycle.SourceSweep, "the state "+o.State+" was recorded by hand"); err != nil {
			return err
		}
	}
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
	case writeShowing && o.State != "" && !strings.EqualFold(o.State, r.state.GraphState):
		return r.end(ctx, lifecycle.StageResolvedExternally, "the control's state was set to "+o.State+" outside scoreflow")
	}
	return nil
}

// end enters a terminal stage decided by an observation. What the sweep saw
// supersedes scoreflow's last write, which is left unchecked, and a state
// asked for by hand, which is no longer awaited.
func (r *recommendation) end(ctx workflow.Context, stage lifecycle.Stage, reason string) error {
	r.state.Outcome, r.state.WriteCheck, r.state.ByHandState = reason, nil, ""
	return r.transition(ctx, stage, scoreflow, lifecycle.SourceSweep, reason)
}

// checkWrite checks scoreflow's latest state write on the first observation
// after its due time: Graph's latest state update must be what scoreflow
// wrote. If it is not, the ticket gets one note and the audit trail a step,
// and the state Graph shows becomes the one later sweeps are compared with.
// Before its due time, Graph still showing the state from before the write
// is the write not showing yet, not an outside change: showing says whether
// the observed state may be compared with the one scoreflow wrote.
func (r *recommendation) checkWrite(ctx workflow.Context, o lifecycle.ControlObservation) (showing bool, err error) {
	check := r.state.WriteCheck
	if check == nil || !o.Present {
		return true, nil
	}
	stuck := strings.EqualFold(o.State, check.State) && o.StateComment == check.Comment
	if workflow.Now(ctx).Before(check.Due) {
		return stuck || !strings.EqualFold(o.State, check.Before), nil
	}
	r.state.WriteCheck = nil
	if stuck {
		return true, nil
	}
	r.state.GraphState = o.State
	// The note asks for the state by hand, so the sweep showing it later is
	// that record, not an outside change.
	r.state.ByHandState = check.State
	note := lifecycle.TicketNote{Kind: lifecycle.NoteWriteDidNotStick, State: check.State, Comment: check.Comment,
		After: r.timings.WriteCheckAfter, SeenState: o.State, SeenComment: o.StateComment}
	if err := r.note(ctx, r.state.TicketKey, "write-check-"+check.Due.UTC().Format("20060102T150405"), note); err != nil {
		return false, err
	}
	return true, r.transition(ctx, r.state.Stage, scoreflow, lifecycle.SourceSweep,
		"the state "+check.State+" scoreflow wrote did not stick: Graph shows "+o.State)
}

// awaitWriteCheck keeps a recommendation that ended with a write of its own
// open until the first sweep after the write's due time has checked it.
// Should no sweep come for as long again, it ends unchecked.
func (r *recommendation) awaitWriteCheck(ctx workflow.Context) error {
	for check := r.state.WriteCheck; check != nil; check = r.state.WriteCheck {
		giveUp := check.Due.Add(r.timings.WriteCheckAfter)
		r.recordSteps(ctx)
		r.recordObserved(ctx)
		arrived, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
			Timeout: giveUp.Sub(workflow.Now(ctx)), TimerOptions: workflow.TimerOptions{Summary: r.texts.T("ui.timer.write_check")},
		}, func() bool { return r.observation != nil })
		if err != nil {
			return err
		}
		if !arrived {
			logging.WriteSDK(r.logger.Warn, "log.workflow.write_unchecked", "State", check.State)
			r.state.WriteCheck = nil
			return nil
		}
		o := *r.observation
		r.observation = nil
		if _, err := r.checkWrite(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// awaitStateByHand keeps a recommendation that ended with a state Graph did
// not take, or that did not stick, open in its end stage until a sweep shows
// the control settled: the state recorded by hand, another state recorded,
// the maximum score, or the control gone. Meanwhile each sweep feeds this
// run instead of starting a new recommendation for a control still open in
// Graph. A long wait continues as new like any other.
func (r *recommendation) awaitStateByHand(ctx workflow.Context) error {
	for r.state.ByHandState != "" {
		r.recordSteps(ctx)
		r.recordObserved(ctx)
		if err := workflow.Await(ctx, func() bool { return r.observation != nil || r.shouldContinueAsNew(ctx) }); err != nil {
			return err
		}
		if r.observation == nil {
			return r.continueAsNew(ctx)
		}
		o := *r.observation
		r.observation = nil
		r.handledThisRun++
		if err := r.observeSettling(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// observeSettling records, once, how a control still open in Graph after
// its recommendation ended got settled.
func (r *recommendation) observeSettling(ctx workflow.Context, o lifecycle.ControlObservation) error {
	var reason string
	switch {
	case !o.Present:
		reason = "the control left the tenant's Secure Score before the state " + r.state.ByHandState + " was recorded by hand"
	case strings.EqualFold(o.State, r.state.ByHandState):
		reason = "the state " + o.State + " was recorded by hand"
	case o.Deprecated:
		reason = "Microsoft deprecated the control before the state " + r.state.ByHandState + " was recorded by hand"
	case o.Open:
		return nil // not recorded yet: the ticket's note still stands
	case o.MaxScore > 0 && o.Score >= o.MaxScore:
		reason = fmt.Sprintf("the control reached its maximum score (%.2f/%.0f) before the state %s was recorded by hand", o.Score, o.MaxScore, r.state.ByHandState)
	default:
		reason = "the state " + o.State + " was recorded by hand instead of " + r.state.ByHandState
	}
	r.state.ByHandState = ""
	if o.Present {
		r.state.GraphState = o.State
	}
	return r.transition(ctx, r.state.Stage, scoreflow, lifecycle.SourceSweep, reason)
}
