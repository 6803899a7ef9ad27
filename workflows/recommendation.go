// Package workflows holds scoreflow's deterministic workflow code: no I/O,
// no clocks, no randomness outside the workflow APIs.
//
// A recommendation's workflow is split by role: this file holds its state
// and main loop; messages.go receives verdicts, decisions and observations
// and dispatches them, to verdicts.go, decisions.go and observations.go;
// steps.go holds the writes to the ticket system, the chat and Graph;
// timers.go the deadlines; transition.go the one function every step of the
// audit trail goes through.
package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// maxHistoryEvents bounds one run's history: a recommendation waiting months
// for detection continues as new before its history grows past this.
const maxHistoryEvents = 800

// maxHandledPerRun continues as new after this many messages and observations.
const maxHandledPerRun = 100

// RecommendationWorkflow drives one Secure Score recommendation of one tenant
// through the lifecycle of docs/lifecycle.md, from detection to one of its ends.
func RecommendationWorkflow(ctx workflow.Context, input lifecycle.RecommendationInput) (lifecycle.RecommendationState, error) {
	r, err := newRecommendation(input)
	if err != nil {
		return lifecycle.RecommendationState{}, err
	}
	if err := r.setup(ctx); err != nil {
		return r.state, err
	}
	return r.run(ctx)
}

type recommendation struct {
	state   lifecycle.RecommendationState
	timings lifecycle.Timings
	// inbox holds accepted verdicts and decisions until the main loop applies them.
	inbox []*message
	// observation is the newest sweep observation not yet applied.
	observation *lifecycle.ControlObservation
	// handledThisRun counts messages and observations of this run, a history
	// bound that holds in tests too, where the server's history length is not known.
	handledThisRun int
	// recordsHistory: the run writes its audit trail to the store (history.go).
	recordsHistory bool
	// recorded is how many of the state's transitions this run has written.
	recorded int
	// stepContexts are the tickets and criticality at each step of this run.
	stepContexts map[int]stepContext
	// pendingSteps are writes to the store being retried.
	pendingSteps []workflow.Future
	// pendingShows are decisions being shown in their messages.
	pendingShows []workflow.Future
	logger       log.Logger
	// texts are the MSP's language, for the Web UI (texts.go).
	texts *texts.Texts
}

// awaitEach waits for work the run left going beside its loop (store
// writes being retried, decisions being shown), logging under lost each
// that failed for good: the run goes on to its end either way.
func (r *recommendation) awaitEach(ctx workflow.Context, pending []workflow.Future, lost string) {
	for _, p := range pending {
		if err := p.Get(ctx, nil); err != nil {
			logging.WriteSDK(r.logger.Error, lost, "Error", err)
		}
	}
}

// newRecommendation starts from the sweep's input, or from the state a run
// that continued as new carried over.
func newRecommendation(input lifecycle.RecommendationInput) (*recommendation, error) {
	r := &recommendation{timings: input.Timings.WithDefaults(), recordsHistory: input.RecordsHistory, stepContexts: map[int]stepContext{}}
	if input.Resume != nil {
		r.state = *input.Resume
		return r, nil
	}
	if input.Observation.SweepID == "" || !input.Observation.Present {
		return nil, temporal.NewNonRetryableApplicationError(
			"a new recommendation starts with the sweep's observation of its control", "BadInput", nil)
	}
	r.state = lifecycle.RecommendationState{
		TenantID: input.TenantID, TenantName: input.TenantName, ControlID: input.ControlID,
		ControlTitle: input.ControlTitle, Facts: input.Facts, PreAssessment: input.PreAssessment,
		Regression: input.Regression, PreviousRunID: input.PreviousRunID, GraphState: "Default",
	}
	r.receiveObservation(input.Observation)
	return r, nil
}

// setup registers the query first, so the state is readable from the first
// task, then the message handlers (messages.go).
func (r *recommendation) setup(ctx workflow.Context) error {
	r.logger = log.With(workflow.GetLogger(ctx), "TenantId", r.state.TenantID, "ControlId", r.state.ControlID)
	r.texts = mspTexts(ctx)
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryState, func() (lifecycle.RecommendationState, error) {
		return r.state, nil
	}); err != nil {
		return err
	}
	return r.receiveMessages(ctx)
}

// run is the lifecycle's loop: act in the stages where scoreflow acts
// (detected: open the ticket; rfc: open the RFC), wait for the next message,
// observation or deadline in the others, and end in a terminal stage. A
// risk accepted waits for its re-review.
func (r *recommendation) run(ctx workflow.Context) (lifecycle.RecommendationState, error) {
	if r.state.Stage == "" {
		if err := r.transition(ctx, lifecycle.StageDetected, scoreflow, lifecycle.SourceSweep, r.detectionReason()); err != nil {
			return r.state, err
		}
	}
	for {
		var err error
		switch stage := r.state.Stage; {
		case stage == lifecycle.StageDetected:
			err = r.openRecommendationTicket(ctx)
		case stage == lifecycle.StageRFC:
			r.recordDecisionBeforeRFC(ctx)
			err = r.openRFC(ctx)
		case stage.Closed():
			if !r.state.Finished {
				if err := r.finish(ctx); err != nil {
					return r.state, err
				}
				r.state.Finished = true
			}
			if err := r.awaitWriteCheck(ctx); err != nil {
				return r.state, err
			}
			if err := r.awaitStateByHand(ctx); err != nil {
				return r.state, err
			}
			r.awaitShownDecisions(ctx)
			return r.state, r.awaitRecordedSteps(ctx)
		case r.shouldContinueAsNew(ctx):
			return r.state, r.continueAsNew(ctx)
		default:
			err = r.handleNext(ctx)
		}
		if err != nil {
			return r.state, err
		}
	}
}

func (r *recommendation) detectionReason() string {
	if r.state.Regression {
		return "regression: the control lost points after it was completed (previous run " + r.state.PreviousRunID + ")"
	}
	return "the daily sweep found the control open"
}

// handleNext waits for what comes first, a message, an observation or the
// deadline, and applies it.
func (r *recommendation) handleNext(ctx workflow.Context) error {
	r.recordSteps(ctx)
	r.recordObserved(ctx)
	ready := func() bool {
		return len(r.inbox) > 0 || r.observation != nil || r.shouldContinueAsNew(ctx)
	}
	if r.state.Deadline.IsZero() {
		if err := workflow.Await(ctx, ready); err != nil {
			return err
		}
	} else if wait := r.state.Deadline.Sub(workflow.Now(ctx)); wait > 0 {
		ok, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
			Timeout: wait, TimerOptions: workflow.TimerOptions{Summary: r.deadlineName()},
		}, ready)
		if err != nil {
			return err
		}
		if !ok {
			return r.onDeadline(ctx)
		}
	} else {
		return r.onDeadline(ctx)
	}
	switch {
	case len(r.inbox) > 0:
		m := r.inbox[0]
		r.inbox = r.inbox[1:]
		m.err = r.apply(ctx, m)
		m.applied = true
		r.markApplied(m.eventID)
		return nil
	case r.observation != nil:
		o := *r.observation
		r.observation = nil
		return r.observe(ctx, o)
	}
	return nil // continue-as-new is suggested: the loop takes it
}

func (r *recommendation) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	return len(r.inbox) == 0 && r.observation == nil && (info.GetContinueAsNewSuggested() ||
		info.GetCurrentHistoryLength() > maxHistoryEvents || r.handledThisRun > maxHandledPerRun)
}

// continueAsNew starts a fresh run with the whole state, after every message
// handler has finished, so no accepted message is lost.
func (r *recommendation) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	r.awaitShownDecisions(ctx)
	if err := r.awaitRecordedSteps(ctx); err != nil {
		return err
	}
	r.state.Runs++
	state := r.state
	next := lifecycle.RecommendationInput{
		TenantID: r.state.TenantID, TenantName: r.state.TenantName, ControlID: r.state.ControlID,
		ControlTitle: r.state.ControlTitle, Timings: r.timings, Resume: &state, RecordsHistory: true,
	}
	return workflow.NewContinueAsNewError(ctx, lifecycle.RecommendationWorkflowType, next)
}

// scoreflow is who acts when no person does: opening tickets, the sweep's
// findings, timers.
var scoreflow = lifecycle.Person{ID: "scoreflow", Name: "scoreflow"}
