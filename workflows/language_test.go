package workflows

import (
	"slices"
	"strings"
	"testing"
	"time"

	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// summaries records the Web UI summary of every activity, local activity
// and timer a workflow starts, as the server would show them.
type summaries struct {
	interceptor.WorkerInterceptorBase
	shown []string
}

func (s *summaries) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &summariesInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, s: s}
}

type summariesInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	s *summaries
}

func (i *summariesInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&summariesOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, s: i.s})
}

type summariesOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	s *summaries
}

func (o *summariesOutbound) ExecuteActivity(ctx workflow.Context, activityType string, args ...any) workflow.Future {
	o.s.shown = append(o.s.shown, workflow.GetActivityOptions(ctx).Summary)
	return o.Next.ExecuteActivity(ctx, activityType, args...)
}

func (o *summariesOutbound) ExecuteLocalActivity(ctx workflow.Context, activityType string, args ...any) workflow.Future {
	o.s.shown = append(o.s.shown, workflow.GetLocalActivityOptions(ctx).Summary)
	return o.Next.ExecuteLocalActivity(ctx, activityType, args...)
}

func (o *summariesOutbound) NewTimerWithOptions(ctx workflow.Context, d time.Duration, options workflow.TimerOptions) workflow.Future {
	o.s.shown = append(o.s.shown, options.Summary)
	return o.Next.NewTimerWithOptions(ctx, d, options)
}

// The Web UI shows a recommendation in the language its memo names (the
// MSP's, msp_language): every summary of its activities and timers, and
// its details; a run without the memo, as v0.1.0 started them, in English.
func TestTheWebUIIsInTheMSPsLanguage(t *testing.T) {
	for _, c := range []struct {
		memo    map[string]any
		summary string // the critical decision's reminder
		details []string
	}{
		{nil, "Chat: reminder to the customer",
			[]string{"**Stage:** awaiting the customer's decision since", "(critical)", "**Ticket:** CON-1", "**Next:** reminder to the customer at"}},
		{lifecycle.MSPMemo("en"), "Chat: reminder to the customer",
			[]string{"**Stage:** awaiting the customer's decision since", "(critical)"}},
		{lifecycle.MSPMemo("nl"), "Chat: herinnering aan de klant",
			[]string{"**Fase:** wacht op het besluit van de klant sinds", "(kritiek)", "**Ticket:** CON-1",
				"**Laatste stap:** wacht op het besluit van de klant door Jane Specialist (jira-webhook)", "**Volgende:** herinnering aan de klant op"}},
	} {
		h := newHarness(t)
		recorded := &summaries{}
		h.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{recorded}})
		if c.memo != nil {
			if err := h.env.SetMemoOnStart(c.memo); err != nil {
				t.Fatal(err)
			}
		}
		var details string
		h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
		h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCriticalDecision, "CON-1", false)
		h.at(3*time.Hour, func() {
			value, err := h.env.QueryWorkflow("__temporal_workflow_metadata")
			if err != nil {
				t.Fatal(err)
			}
			var metadata sdkpb.WorkflowMetadata
			if err := value.Get(&metadata); err != nil {
				t.Fatal(err)
			}
			details = metadata.GetCurrentDetails()
		})
		h.decide(30*time.Hour, "dec-1", lifecycle.DecisionAcceptRisk, "legacy tooling", false)
		h.at(31*time.Hour, func() { h.env.CancelWorkflow() })
		h.env.ExecuteWorkflow(lifecycle.RecommendationWorkflowType, adminMFA)

		for _, want := range c.details {
			if !strings.Contains(details, want) {
				t.Errorf("memo %v: the details lack %q:\n%s", c.memo, want, details)
			}
		}
		if !slices.Contains(recorded.shown, c.summary) {
			t.Errorf("memo %v: no summary %q among %q", c.memo, c.summary, recorded.shown)
		}
		for _, summary := range recorded.shown {
			if summary == "" || strings.Contains(summary, ".") && !strings.Contains(summary, " ") {
				t.Errorf("memo %v: a summary is a message id or empty: %q", c.memo, summary)
			}
		}
	}
}
