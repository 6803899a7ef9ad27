// Package workflows holds scoreflow's deterministic workflow code: no I/O,
// no clocks, no randomness outside the workflow APIs.
package workflows

import (
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"

	"go.temporal.io/sdk/workflow"
)

// RecommendationWorkflow drives one Secure Score recommendation through its lifecycle.
func RecommendationWorkflow(ctx workflow.Context, input lifecycle.RecommendationInput) (lifecycle.RecommendationState, error) {
	r := &recommendation{state: lifecycle.RecommendationState{
		TenantID: input.TenantID, TenantName: input.TenantName,
		ControlID: input.ControlID, ControlTitle: input.ControlTitle, Regression: input.Regression,
	}}
	if err := r.setup(ctx); err != nil {
		return r.state, err
	}
	return r.run(ctx)
}

type recommendation struct {
	state  lifecycle.RecommendationState
	logger interface{ Info(string, ...any) }
}

// setup registers the query first, so the state is readable from the first
// task, then starts listening for the sweep's observations.
func (r *recommendation) setup(ctx workflow.Context) error {
	r.logger = workflow.GetLogger(ctx)
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryState, func() (lifecycle.RecommendationState, error) { return r.state, nil }); err != nil {
		return err
	}
	observations := workflow.GetSignalChannel(ctx, lifecycle.SignalObservation)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var observation lifecycle.ControlObservation
			observations.Receive(ctx, &observation)
			r.observe(observation)
		}
	})
	return nil
}

// observe keeps the latest sweep's view of the control; the same sweep
// delivered twice (a retried delivery activity) counts once.
func (r *recommendation) observe(observation lifecycle.ControlObservation) {
	if last := r.state.LastObservation; last != nil && last.SweepID == observation.SweepID {
		return
	}
	r.state.LastObservation = &observation
}

func (r *recommendation) run(ctx workflow.Context) (lifecycle.RecommendationState, error) {
	if err := r.enter(ctx, lifecycle.StageDetected); err != nil {
		return r.state, err
	}
	// The lifecycle's messages (sweep snapshots, Jira verdicts, Slack decisions)
	// move the stage; until one ends the workflow it waits, durably.
	if err := workflow.Await(ctx, func() bool { return r.state.Stage.Terminal() }); err != nil {
		return r.state, err
	}
	return r.state, nil
}

// enter moves to a stage and keeps the search attributes and the UI details current.
func (r *recommendation) enter(ctx workflow.Context, stage lifecycle.Stage) error {
	r.state.Stage = stage
	r.state.StageSince = workflow.Now(ctx)
	err := workflow.UpsertTypedSearchAttributes(ctx,
		lifecycle.TenantIDKey.ValueSet(r.state.TenantID),
		lifecycle.ControlIDKey.ValueSet(r.state.ControlID),
		lifecycle.StageKey.ValueSet(string(stage)),
		lifecycle.CriticalKey.ValueSet(r.state.Critical),
	)
	if err != nil {
		return fmt.Errorf("recording stage %s: %w", stage, err)
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("**Stage:** %s since %s", stage, r.state.StageSince.Format(time.RFC3339)))
	r.logger.Info("stage entered", "stage", stage)
	return nil
}
