package activities

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/assessment"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// Sweep delivers a sweep's observations to the recommendation workflows.
type Sweep struct {
	Client    client.Client
	TaskQueue string
	// TenantNames are the tenants' display names, for the workflows' summaries.
	TenantNames map[string]string
	// Timings are the lifecycle's waiting periods from the config, given to each new workflow.
	Timings lifecycle.Timings
	// Rules pre-assess each control a new workflow is started for.
	Rules assessment.Rules
	// RecordsHistory makes new workflows write their steps to the store
	// (false when store.disabled).
	RecordsHistory bool
	// MSPLanguage is the language of the new workflows' Web UI (config msp_language).
	MSPLanguage string
	// Namespace is asked whether it has the Observed search attribute.
	Namespace string
}

// DeliverObservations starts the workflow of every open control that has
// none running, with the observation and the rules' pre-assessment in its
// input, feeds the observation to every running one that does not have it
// already, and tells running workflows whose control is no longer in the
// snapshot. Delivering twice is harmless: a workflow counts one observation
// per sweep.
//
// Most controls are as they were the day before: a workflow's Observed
// search attribute says what it has (ObservedKey), and an observation equal
// to it is left out, which spares the server a signal and a workflow task
// for each (BENCHMARKS.md). Visibility lags its workflows by moments; a
// sweep comes a day after the one before.
func (s *Sweep) DeliverObservations(ctx context.Context, snapshot lifecycle.TenantSnapshot, sweepID string) (lifecycle.DeliveryReport, error) {
	var report lifecycle.DeliveryReport
	digests, err := s.observedAttribute(ctx)
	if err != nil {
		return report, err
	}
	running, listed, observed, err := s.listedControls(ctx, snapshot.TenantID, digests)
	if err != nil {
		return report, err
	}
	seen := map[string]bool{}
	for i, control := range snapshot.Controls {
		seen[control.ID] = true
		observation := lifecycle.ControlObservation{
			SweepID: sweepID, ObservedAt: snapshot.TakenAt, Present: true, Score: control.Score,
			MaxScore: control.MaxScore, State: control.State, StateComment: control.StateComment, Deprecated: control.Deprecated, Open: control.Open,
		}
		switch {
		case control.Open && !running[control.ID]:
			started, err := s.start(ctx, snapshot.TenantID, snapshot.EnabledServices, control, observation, listed[control.ID], digests)
			if err != nil {
				return report, err
			}
			if started {
				report.Started = append(report.Started, control.ID)
			} else {
				report.Fed = append(report.Fed, control.ID)
			}
		case observed[control.ID] == observation.Digest():
			report.Unchanged = append(report.Unchanged, control.ID)
		case control.Open:
			if err := s.signal(ctx, snapshot.TenantID, control.ID, observation); err != nil {
				return report, err
			}
			report.Fed = append(report.Fed, control.ID)
		case running[control.ID]:
			if err := s.signal(ctx, snapshot.TenantID, control.ID, observation); err != nil {
				return report, err
			}
			report.Closed = append(report.Closed, control.ID)
		}
		activity.RecordHeartbeat(ctx, i)
	}
	// A running workflow whose control left the snapshot: gone from Graph, or out of scope.
	gone := lifecycle.ControlObservation{SweepID: sweepID, ObservedAt: snapshot.TakenAt, Present: false}
	for controlID := range running {
		switch {
		case seen[controlID]:
		case observed[controlID] == gone.Digest():
			report.Unchanged = append(report.Unchanged, controlID)
		default:
			if err := s.signal(ctx, snapshot.TenantID, controlID, gone); err != nil {
				return report, err
			}
			report.Closed = append(report.Closed, controlID)
		}
	}
	return report, nil
}

// start starts the control's workflow with the observation, or, when it turns
// out to be running already (visibility lists new workflows with a delay),
// just delivers the observation. It reports whether it started one. Only a
// control that visibility lists with an earlier run is described first, to
// learn whether that run completed (a regression) or is running after all;
// for one never seen, starting it does the right thing, and an onboarding of
// thousands saves as many calls.
//
// A plain start rather than signal-with-start: the server then neither looks
// up a current run first nor writes a signal event, and the workflow gets
// its first observation and the rules' pre-assessment from its input, so its
// first task needs no step for either (BENCHMARKS.md). Should a run have
// started since the listing, the start fails and the observation goes to
// that run as a signal.
func (s *Sweep) start(ctx context.Context, tenantID string, enabledServices []string, control lifecycle.ControlSummary, observation lifecycle.ControlObservation, hadRun, digests bool) (bool, error) {
	workflowID := lifecycle.RecommendationWorkflowID(tenantID, control.ID)
	var previous previousRun
	if hadRun {
		var err error
		if previous, err = s.previousRun(ctx, workflowID); err != nil {
			return false, err
		}
	}
	if previous.running {
		return false, s.signal(ctx, tenantID, control.ID, observation)
	}
	facts := control.Facts
	facts.EnabledServices = enabledServices
	input := lifecycle.RecommendationInput{
		TenantID: tenantID, TenantName: s.TenantNames[tenantID], ControlID: control.ID, ControlTitle: control.Title,
		Facts: facts, PreAssessment: s.Rules.Assess(control.ID, facts), Observation: observation, Timings: s.Timings,
		RecordsHistory: s.RecordsHistory,
	}
	if previous.completed {
		input.Regression, input.PreviousRunID = true, previous.runID
	}
	var digest string
	if digests {
		digest = observation.Digest()
	}
	_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        workflowID,
		TaskQueue: s.TaskQueue,
		// A closed run may be followed by a new one (a regression); a
		// running one is told by signal below.
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		// The sweep runs in the worker that runs the workflow: when it has a
		// free workflow-task slot, the server hands the first task back with
		// the start, sparing the trip through matching (BENCHMARKS.md).
		EnableEagerStart:      true,
		StaticSummary:         fmt.Sprintf("%s — %s", control.Title, input.TenantName),
		TypedSearchAttributes: lifecycle.InitialSearchAttributes(tenantID, control.ID, digest),
		Memo:                  lifecycle.MSPMemo(s.MSPLanguage),
	}, lifecycle.RecommendationWorkflowType, input)
	var alreadyRunning *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &alreadyRunning) {
		return false, s.signal(ctx, tenantID, control.ID, observation)
	}
	if err != nil {
		return false, fmt.Errorf("starting %s: %w", workflowID, err)
	}
	return true, nil
}

func (s *Sweep) signal(ctx context.Context, tenantID, controlID string, observation lifecycle.ControlObservation) error {
	workflowID := lifecycle.RecommendationWorkflowID(tenantID, controlID)
	err := s.Client.SignalWorkflow(ctx, workflowID, "", lifecycle.SignalObservation, observation)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil // it ended since the list was read: nothing left to tell
	}
	if err != nil {
		return fmt.Errorf("signalling %s: %w", workflowID, err)
	}
	return nil
}

// listedControls lists the tenant's recommendation workflows that visibility
// knows, running or closed within the namespace's retention, by control id:
// which have a run running, which have any run, and the Observed attribute
// of the running ones that have it.
func (s *Sweep) listedControls(ctx context.Context, tenantID string, digests bool) (running, listed map[string]bool, observed map[string]string, err error) {
	running, listed, observed = map[string]bool{}, map[string]bool{}, map[string]string{}
	err = temporalclient.EachWorkflow(ctx, s.Client, lifecycle.RecommendationsQuery(lifecycle.TenantQuery(tenantID)),
		func(e *workflowpb.WorkflowExecutionInfo) error {
			_, controlID, err := lifecycle.ParseRecommendationWorkflowID(e.Execution.WorkflowId)
			if err != nil {
				return nil
			}
			listed[controlID] = true
			if e.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
				return nil
			}
			running[controlID] = true
			if digest := lifecycle.ListedKeyword(e, lifecycle.ObservedKey); digests && digest != "" {
				observed[controlID] = digest
			}
			return nil
		})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listing the recommendations of %s: %w", tenantID, err)
	}
	return running, listed, observed, nil
}

// observedAttribute says whether the namespace has the Observed search
// attribute, which a worker adds at its start (or an operator, on a managed
// cluster): without it, workflows start without it and every running one
// gets every observation.
func (s *Sweep) observedAttribute(ctx context.Context) (bool, error) {
	attributes, err := s.Client.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: s.Namespace})
	if err != nil {
		return false, fmt.Errorf("listing the namespace's search attributes: %w", err)
	}
	_, ok := attributes.GetCustomAttributes()[lifecycle.ObservedKey.GetName()]
	return ok, nil
}

type previousRun struct {
	runID     string
	running   bool
	completed bool
}

// previousRun describes the latest run of a workflow ID: running, or closed
// (and completed: the new run is a regression).
func (s *Sweep) previousRun(ctx context.Context, workflowID string) (previousRun, error) {
	description, err := s.Client.DescribeWorkflowExecution(ctx, workflowID, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return previousRun{}, nil
	}
	if err != nil {
		return previousRun{}, fmt.Errorf("describing %s: %w", workflowID, err)
	}
	info := description.WorkflowExecutionInfo
	stage := lifecycle.ListedKeyword(info, lifecycle.StageKey)
	running := info.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
	return previousRun{
		runID:     info.Execution.RunId,
		running:   running,
		completed: !running && lifecycle.Stage(stage) == lifecycle.StageCompleted,
	}, nil
}
