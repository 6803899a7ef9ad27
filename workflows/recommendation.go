// Package workflows holds scoreflow's deterministic workflow code: no I/O,
// no clocks, no randomness outside the workflow APIs.
package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// maxHistoryEvents bounds one run's history: a recommendation waiting months
// for detection continues as new before its history grows past this.
const maxHistoryEvents = 800

// maxAppliedEvents is how many message ids are remembered to ignore redeliveries.
const maxAppliedEvents = 64

// maxHandledPerRun continues as new after this many messages and observations.
const maxHandledPerRun = 100

// RecommendationWorkflow drives one Secure Score recommendation of one tenant
// through SPEC.md's lifecycle, from detection to one of its ends.
func RecommendationWorkflow(ctx workflow.Context, input lifecycle.RecommendationInput) (lifecycle.RecommendationState, error) {
	r := newRecommendation(input)
	if err := r.setup(ctx); err != nil {
		return r.state, err
	}
	return r.run(ctx, input)
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
	// onboardedInOneTask is set when this run onboarded the recommendation in
	// one task (triage.go): its input says so, or its history has the
	// "onboard-in-one-task" version.
	onboardedInOneTask bool
	logger             log.Logger
}

type message struct {
	eventID  string
	verdict  *lifecycle.SpecialistVerdict
	decision *lifecycle.CustomerDecision
	applied  bool
	err      error
}

func newRecommendation(input lifecycle.RecommendationInput) *recommendation {
	r := &recommendation{timings: input.Timings.WithDefaults()}
	if input.Resume != nil {
		r.state = *input.Resume
		return r
	}
	r.state = lifecycle.RecommendationState{
		TenantID: input.TenantID, TenantName: input.TenantName, ControlID: input.ControlID,
		ControlTitle: input.ControlTitle, Facts: input.Facts, Regression: input.Regression,
		PreviousRunID: input.PreviousRunID, GraphState: "Default", PreAssessment: input.PreAssessment,
	}
	if input.Observation != nil {
		r.receiveObservation(*input.Observation)
	}
	return r
}

// setup registers the query first, so the state is readable from the first
// task, then the message handlers.
func (r *recommendation) setup(ctx workflow.Context) error {
	r.logger = log.With(workflow.GetLogger(ctx), "TenantId", r.state.TenantID, "ControlId", r.state.ControlID)
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryState, func() (lifecycle.RecommendationState, error) {
		return r.state, nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateSpecialistVerdict,
		func(ctx workflow.Context, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error) {
			return r.deliver(ctx, &message{eventID: v.EventID, verdict: &v})
		},
		workflow.UpdateHandlerOptions{Validator: func(v lifecycle.SpecialistVerdict) error {
			if r.applied(v.EventID) {
				return nil
			}
			return checkVerdict(r.state, v)
		}},
	); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateCustomerDecision,
		func(ctx workflow.Context, d lifecycle.CustomerDecision) (lifecycle.MessageResult, error) {
			return r.deliver(ctx, &message{eventID: d.EventID, decision: &d})
		},
		workflow.UpdateHandlerOptions{Validator: func(d lifecycle.CustomerDecision) error {
			if r.applied(d.EventID) {
				return nil
			}
			return checkDecision(r.state, d)
		}},
	); err != nil {
		return err
	}
	observations := workflow.GetSignalChannel(ctx, lifecycle.SignalObservation)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var o lifecycle.ControlObservation
			observations.Receive(ctx, &o)
			r.receiveObservation(o)
		}
	})
	return nil
}

// deliver queues an accepted message and returns once the main loop applied it,
// so Jira's and Slack's handlers learn the resulting stage.
func (r *recommendation) deliver(ctx workflow.Context, m *message) (lifecycle.MessageResult, error) {
	if r.applied(m.eventID) {
		return lifecycle.MessageResult{Stage: r.state.Stage, Duplicate: true}, nil
	}
	r.inbox = append(r.inbox, m)
	r.handledThisRun++
	if err := workflow.Await(ctx, func() bool { return m.applied }); err != nil {
		return lifecycle.MessageResult{}, err
	}
	return lifecycle.MessageResult{Stage: r.state.Stage}, m.err
}

// receiveObservation keeps the newest observation; the same sweep delivered
// twice (a retried delivery activity) counts once.
func (r *recommendation) receiveObservation(o lifecycle.ControlObservation) {
	if last := r.state.LastObservation; last != nil && last.SweepID == o.SweepID {
		return
	}
	// Shown at once; acted on by the main loop when it is free.
	r.state.LastObservation, r.observation = &o, &o
	r.handledThisRun++
}

func (r *recommendation) applied(eventID string) bool {
	return eventID != "" && slices.Contains(r.state.AppliedEvents, eventID)
}

func (r *recommendation) markApplied(eventID string) {
	if eventID == "" {
		return
	}
	r.state.AppliedEvents = append(r.state.AppliedEvents, eventID)
	if n := len(r.state.AppliedEvents); n > maxAppliedEvents {
		r.state.AppliedEvents = r.state.AppliedEvents[n-maxAppliedEvents:]
	}
}

// run is the lifecycle's loop: act in the transient stages, wait for the next
// message, observation or deadline in the others, and end in a terminal stage.
func (r *recommendation) run(ctx workflow.Context, input lifecycle.RecommendationInput) (lifecycle.RecommendationState, error) {
	if r.state.Stage == "" {
		r.onboardedInOneTask = input.OnboardInOneTask || workflow.GetVersion(ctx, onboardInOneTask, workflow.DefaultVersion, 1) == 1
		reason := "the daily sweep found the control open"
		if r.state.Regression {
			reason = "regression: the control lost points after it was completed (previous run " + r.state.PreviousRunID + ")"
		}
		if err := r.enter(ctx, lifecycle.StageDetected, scoreflow, lifecycle.SourceSweep, reason); err != nil {
			return r.state, err
		}
	}
	for {
		var err error
		switch stage := r.state.Stage; {
		case stage == lifecycle.StageDetected:
			err = r.openRecommendationTicket(ctx)
		case stage == lifecycle.StageRFC:
			err = r.openRFC(ctx)
		case stage.Terminal() && stage != lifecycle.StageRiskAccepted:
			return r.state, r.finish(ctx)
		case r.shouldContinueAsNew(ctx):
			return r.state, r.continueAsNew(ctx, input)
		default:
			err = r.handleNext(ctx)
		}
		if err != nil {
			return r.state, err
		}
	}
}

// handleNext waits for what comes first and applies it.
func (r *recommendation) handleNext(ctx workflow.Context) error {
	ready := func() bool {
		return len(r.inbox) > 0 || r.observation != nil || r.shouldContinueAsNew(ctx)
	}
	if r.state.Deadline.IsZero() {
		if err := workflow.Await(ctx, ready); err != nil {
			return err
		}
	} else if wait := r.state.Deadline.Sub(workflow.Now(ctx)); wait > 0 {
		ok, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
			Timeout: wait, TimerOptions: workflow.TimerOptions{Summary: r.state.DeadlineFor},
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

func (r *recommendation) apply(ctx workflow.Context, m *message) error {
	// The stage may have moved since the validator accepted the message.
	if m.verdict != nil {
		if err := checkVerdict(r.state, *m.verdict); err != nil {
			return err
		}
		return r.applyVerdict(ctx, *m.verdict)
	}
	if err := checkDecision(r.state, *m.decision); err != nil {
		return err
	}
	return r.applyDecision(ctx, *m.decision)
}

func (r *recommendation) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	return len(r.inbox) == 0 && r.observation == nil && (info.GetContinueAsNewSuggested() ||
		info.GetCurrentHistoryLength() > maxHistoryEvents || r.handledThisRun > maxHandledPerRun)
}

// continueAsNew starts a fresh run with the whole state, after every message
// handler has finished, so no accepted message is lost.
func (r *recommendation) continueAsNew(ctx workflow.Context, input lifecycle.RecommendationInput) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	r.state.Runs++
	state := r.state
	next := input
	next.Resume, next.PreAssessment, next.Observation = &state, nil, nil
	return workflow.NewContinueAsNewError(ctx, lifecycle.RecommendationWorkflowType, next)
}

var scoreflow = lifecycle.Person{ID: "scoreflow", Name: "scoreflow"}

// enter moves to a stage, records who and why, and keeps the search
// attributes and the Web UI's details current.
func (r *recommendation) enter(ctx workflow.Context, stage lifecycle.Stage, by lifecycle.Person, source lifecycle.Source, reason string) error {
	now := workflow.Now(ctx)
	r.state.Transitions = append(r.state.Transitions, lifecycle.Transition{
		At: now, From: r.state.Stage, To: stage, By: by, Source: source, Reason: reason,
	})
	r.state.Stage, r.state.StageSince = stage, now
	r.state.Deadline, r.state.DeadlineFor = time.Time{}, ""
	if err := r.recordSearchAttributes(ctx); err != nil {
		return fmt.Errorf("recording stage %s: %w", stage, err)
	}
	r.refreshDetails(ctx)
	r.logger.Info("stage entered", "Stage", stage, "By", by.String(), "Reason", reason)
	return nil
}

// recordSearchAttributes gives visibility the current stage. Each upsert
// rewrites the workflow's whole visibility row, the costliest write of the
// onboarding fan-out (BENCHMARKS.md), so a run onboarded in one task leaves
// out an upsert that would change nothing, such as the detected stage the
// sweep set at start. Older runs upsert every time, as they were recorded.
func (r *recommendation) recordSearchAttributes(ctx workflow.Context) error {
	if r.onboardedInOneTask && r.searchAttributesCurrent(workflow.GetTypedSearchAttributes(ctx)) {
		return nil
	}
	return workflow.UpsertTypedSearchAttributes(ctx,
		lifecycle.SearchAttributeValues(r.state.TenantID, r.state.ControlID, r.state.Stage, r.state.Critical)...)
}

func (r *recommendation) searchAttributesCurrent(recorded temporal.SearchAttributes) bool {
	tenant, _ := recorded.GetKeyword(lifecycle.TenantIDKey)
	control, _ := recorded.GetKeyword(lifecycle.ControlIDKey)
	stage, _ := recorded.GetKeyword(lifecycle.StageKey)
	critical, criticalSet := recorded.GetBool(lifecycle.CriticalKey)
	return tenant == r.state.TenantID && control == r.state.ControlID && stage == string(r.state.Stage) &&
		criticalSet && critical == r.state.Critical
}

// setDeadline arms the next timer; the Web UI shows it in the details.
func (r *recommendation) setDeadline(ctx workflow.Context, at time.Time, what string) {
	r.state.Deadline, r.state.DeadlineFor = at, what
	r.refreshDetails(ctx)
}

func (r *recommendation) refreshDetails(ctx workflow.Context) {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — %s\n\n**Stage:** %s since %s", r.state.ControlTitle, r.state.TenantName,
		r.state.Stage, r.state.StageSince.Format(time.RFC3339))
	if r.state.Critical {
		b.WriteString(" (critical)")
	}
	if r.state.TicketKey != "" {
		fmt.Fprintf(&b, "\n\n**Ticket:** %s", r.state.TicketKey)
	}
	if r.state.RFCKey != "" {
		fmt.Fprintf(&b, " · **RFC:** %s", r.state.RFCKey)
	}
	if n := len(r.state.Transitions); n > 0 {
		last := r.state.Transitions[n-1]
		fmt.Fprintf(&b, "\n\n**Last step:** %s by %s (%s): %s", last.To, last.By, last.Source, last.Reason)
	}
	if !r.state.Deadline.IsZero() {
		fmt.Fprintf(&b, "\n\n**Next:** %s at %s", r.state.DeadlineFor, r.state.Deadline.Format(time.RFC3339))
	}
	workflow.SetCurrentDetails(ctx, b.String())
}
