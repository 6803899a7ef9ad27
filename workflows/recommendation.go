// Package workflows holds scoreflow's deterministic workflow code: no I/O,
// no clocks, no randomness outside the workflow APIs.
package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"
)

// QueryState is the query that returns a recommendation's whole state.
const QueryState = "state"

// RecommendationInput starts the workflow of one control of one tenant. It
// carries IDs and the few facts the UI shows, never credentials.
type RecommendationInput struct {
	TenantID     string
	TenantName   string
	ControlID    string
	ControlTitle string
}

// RecommendationState is what the state query returns and the starter shows.
type RecommendationState struct {
	TenantID     string
	TenantName   string
	ControlID    string
	ControlTitle string
	Stage        Stage
	Critical     bool
	StageSince   time.Time
}

// RecommendationWorkflow drives one Secure Score recommendation through its lifecycle.
func RecommendationWorkflow(ctx workflow.Context, input RecommendationInput) (RecommendationState, error) {
	r := &recommendation{state: RecommendationState{
		TenantID: input.TenantID, TenantName: input.TenantName,
		ControlID: input.ControlID, ControlTitle: input.ControlTitle,
	}}
	if err := r.setup(ctx); err != nil {
		return r.state, err
	}
	return r.run(ctx)
}

type recommendation struct {
	state  RecommendationState
	logger interface{ Info(string, ...any) }
}

// setup registers the query first, so the state is readable from the first task.
func (r *recommendation) setup(ctx workflow.Context) error {
	r.logger = workflow.GetLogger(ctx)
	return workflow.SetQueryHandler(ctx, QueryState, func() (RecommendationState, error) { return r.state, nil })
}

func (r *recommendation) run(ctx workflow.Context) (RecommendationState, error) {
	if err := r.enter(ctx, StageDetected); err != nil {
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
func (r *recommendation) enter(ctx workflow.Context, stage Stage) error {
	r.state.Stage = stage
	r.state.StageSince = workflow.Now(ctx)
	err := workflow.UpsertTypedSearchAttributes(ctx,
		TenantIDKey.ValueSet(r.state.TenantID),
		ControlIDKey.ValueSet(r.state.ControlID),
		StageKey.ValueSet(string(stage)),
		CriticalKey.ValueSet(r.state.Critical),
	)
	if err != nil {
		return fmt.Errorf("recording stage %s: %w", stage, err)
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("**Stage:** %s since %s", stage, r.state.StageSince.Format(time.RFC3339)))
	r.logger.Info("stage entered", "stage", stage)
	return nil
}
