package delivery_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// acceptingClient is Temporal as the messenger sees it: every update is
// accepted, and reading its outcome ends with outcome.
type acceptingClient struct {
	client.Client // only UpdateWorkflow is called
	outcome       error
}

func (c acceptingClient) UpdateWorkflow(_ context.Context, options client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return acceptedUpdate{id: options.UpdateID, workflowID: options.WorkflowID, outcome: c.outcome}, nil
}

type acceptedUpdate struct {
	id, workflowID string
	outcome        error
}

func (u acceptedUpdate) WorkflowID() string             { return u.workflowID }
func (u acceptedUpdate) RunID() string                  { return "" }
func (u acceptedUpdate) UpdateID() string               { return u.id }
func (u acceptedUpdate) Get(context.Context, any) error { return u.outcome }

// An accepted message whose outcome is not known in time is delivered: the
// workflow has it, and a webhook must not be told to send it again. The
// server can answer the wait with its deadline before this process's timer
// has marked the wait's context done, so the answer alone must suffice.
// Anything else still fails the delivery.
func TestAcceptedMessageWhoseOutcomeIsLateIsDelivered(t *testing.T) {
	deadline := serviceerror.NewDeadlineExceeded("context deadline exceeded")
	for name, tc := range map[string]struct {
		outcome      error
		wantErr      error
		wantAnyError bool
	}{
		"the server's deadline, before the local timer": {outcome: client.NewWorkflowUpdateServiceTimeoutOrCanceledError(deadline)},
		"applied":                 {outcome: nil},
		"refused by the workflow": {outcome: temporal.NewApplicationError("not in triage", "Refused"), wantErr: lifecycle.ErrRefused},
		"Temporal unavailable":    {outcome: serviceerror.NewUnavailable("frontend down"), wantAnyError: true},
	} {
		t.Run(name, func(t *testing.T) {
			// The wait is long: its context is never done when the outcome comes.
			delivery := delivery.Client{Temporal: acceptingClient{outcome: tc.outcome}, ResultWait: time.Minute}
			_, err := delivery.SendVerdict(context.Background(), "contoso", "AdminMFAV2",
				lifecycle.SpecialistVerdict{EventID: "e1", Verdict: lifecycle.VerdictNeedsChange})
			switch {
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			case tc.wantAnyError && err == nil:
				t.Error("delivered, want an error")
			case tc.wantErr == nil && !tc.wantAnyError && err != nil:
				t.Errorf("err = %v, want the message delivered", err)
			}
		})
	}
}
