package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// transition is the one function through which a recommendation's audit
// trail grows: every change of stage, and every step that keeps the stage
// (an RFC scheduled, an escalation), is recorded here with who, how and why,
// and from here reaches the store (history.go).
// A change of stage restarts the stage's clock, clears its deadline and
// gives visibility the new stage; the Web UI's details show the step.
func (r *recommendation) transition(ctx workflow.Context, to lifecycle.Stage, by lifecycle.Person, source lifecycle.Source, reason string) error {
	now := workflow.Now(ctx)
	step := lifecycle.Transition{At: now, From: r.state.Stage, To: to, By: by, Source: source, Reason: reason}
	r.state.Transitions = append(r.state.Transitions, step)
	r.stepContexts[len(r.state.Transitions)-1] = r.currentStepContext()
	if step.To != step.From {
		r.state.Stage, r.state.StageSince = to, now
		r.state.Deadline, r.state.DeadlineFor = time.Time{}, ""
		if err := r.recordSearchAttributes(ctx); err != nil {
			return fmt.Errorf("recording stage %s: %w", to, err)
		}
	}
	r.refreshDetails(ctx)
	logging.WriteSDK(r.logger.Info, "log.workflow.transition", "From", step.From, "To", to, "By", by.String(), "Source", source, "Reason", reason)
	return nil
}

// recordSearchAttributes gives visibility the current stage. Each upsert
// rewrites the workflow's whole visibility row, the costliest write of an
// onboarding (BENCHMARKS.md), so one that would change nothing, such as the
// detected stage the sweep set at the start, is left out.
func (r *recommendation) recordSearchAttributes(ctx workflow.Context) error {
	if r.searchAttributesCurrent(workflow.GetTypedSearchAttributes(ctx)) {
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

// refreshDetails writes what the Web UI shows of the workflow: the stage,
// the tickets, the last step and the next deadline.
func (r *recommendation) refreshDetails(ctx workflow.Context) {
	t := r.texts
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — %s\n\n", r.state.ControlTitle, r.state.TenantName)
	b.WriteString(t.T("ui.details.stage", "Stage", t.Stage(r.state.Stage), "Since", r.state.StageSince.Format(time.RFC3339)))
	if r.state.Critical {
		b.WriteString(" " + t.T("ui.details.critical"))
	}
	if r.state.TicketKey != "" {
		b.WriteString("\n\n" + t.T("ui.details.ticket", "Ticket", r.state.TicketKey))
	}
	if r.state.RFCKey != "" {
		b.WriteString(" · " + t.T("ui.details.rfc", "RFC", r.state.RFCKey))
	}
	if n := len(r.state.Transitions); n > 0 {
		last := r.state.Transitions[n-1]
		b.WriteString("\n\n" + t.T("ui.details.last_step", "Stage", t.Stage(last.To), "By", last.By.String(),
			"Source", string(last.Source), "Reason", last.Reason))
	}
	if !r.state.Deadline.IsZero() {
		b.WriteString("\n\n" + t.T("ui.details.next", "What", r.deadlineName(), "At", r.state.Deadline.Format(time.RFC3339)))
	}
	workflow.SetCurrentDetails(ctx, b.String())
}
