// Package delivery is the client side of a recommendation workflow: it
// delivers what people decide, a specialist's verdict (from a Jira webhook,
// the Jira poll or the starter) and a customer's decision (from Slack or the
// starter), and reads a recommendation's state.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Client delivers messages to recommendation workflows as Temporal Updates:
// the workflow's validator accepts or refuses each one before anything is
// written to its history.
type Client struct {
	Temporal client.Client
	// ResultWait is how long a sender waits for the outcome after acceptance;
	// webhooks must answer in seconds even while an activity retries.
	ResultWait time.Duration
}

// SendVerdict delivers a specialist's verdict.
func (m Client) SendVerdict(ctx context.Context, tenantID, controlID string, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error) {
	return m.send(ctx, tenantID, controlID, lifecycle.UpdateSpecialistVerdict, v.EventID, v)
}

// SendDecision delivers a customer's decision.
func (m Client) SendDecision(ctx context.Context, tenantID, controlID string, d lifecycle.CustomerDecision) (lifecycle.MessageResult, error) {
	return m.send(ctx, tenantID, controlID, lifecycle.UpdateCustomerDecision, d.EventID, d)
}

func (m Client) send(ctx context.Context, tenantID, controlID, update, eventID string, message any) (lifecycle.MessageResult, error) {
	workflowID := lifecycle.RecommendationWorkflowID(tenantID, controlID)
	handle, err := m.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		// The event id as update id: Temporal itself ignores a second delivery.
		UpdateID: eventID, WorkflowID: workflowID, UpdateName: update, Args: []any{message},
		WaitForStage: client.WorkflowUpdateStageAccepted,
	})
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return lifecycle.MessageResult{}, lifecycle.ErrNoWorkflow
	}
	if err != nil {
		return lifecycle.MessageResult{}, fmt.Errorf("delivering to %s: %w", workflowID, err)
	}
	wait := m.ResultWait
	if wait == 0 {
		wait = 2 * time.Second
	}
	resultCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var result lifecycle.MessageResult
	err = handle.Get(resultCtx, &result)
	var refused *temporal.ApplicationError
	switch {
	case errors.As(err, &refused):
		return result, fmt.Errorf("%w: %s", lifecycle.ErrRefused, refused.Message())
	case err != nil && ctx.Err() == nil && waitEnded(resultCtx, err):
		// Accepted; the workflow is still carrying it out (an activity may be retrying).
		return result, nil
	case err != nil:
		return result, fmt.Errorf("delivering to %s: %w", workflowID, err)
	}
	return result, nil
}

// State asks a recommendation's run ("": the current one) for its whole state.
func (m Client) State(ctx context.Context, workflowID, runID string) (lifecycle.RecommendationState, error) {
	var state lifecycle.RecommendationState
	value, err := m.Temporal.QueryWorkflow(ctx, workflowID, runID, lifecycle.QueryState)
	if err == nil {
		err = value.Get(&state)
	}
	if err != nil {
		return state, fmt.Errorf("reading the state of %s: %w", workflowID, err)
	}
	return state, nil
}

// waitEnded tells whether the wait for an update's outcome ended because its
// time was up. The SDK reports that as its own timeout error, carrying the
// server's DeadlineExceeded, and that answer can arrive before this process's
// timer has marked the context done: the server's deadline is the same
// instant, and under load the timer runs late.
func waitEnded(wait context.Context, err error) bool {
	var timedOut *client.WorkflowUpdateServiceTimeoutOrCanceledError
	return wait.Err() != nil || errors.As(err, &timedOut)
}
