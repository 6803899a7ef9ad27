package workflows

import (
	"fmt"
	"slices"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// verdictsByStage is SPEC.md's lifecycle as a table: which specialist
// verdicts each stage accepts. A verdict for another stage is rejected
// before it is written to history.
var verdictsByStage = map[lifecycle.Stage][]lifecycle.Verdict{
	lifecycle.StageTriage: {lifecycle.VerdictMitigatedElsewhere, lifecycle.VerdictThirdParty, lifecycle.VerdictNeedsChange},
	lifecycle.StageAssessment: {lifecycle.VerdictNoImpact, lifecycle.VerdictCustomerDecision,
		lifecycle.VerdictCriticalDecision},
	lifecycle.StagePlanned: {lifecycle.VerdictRFCScheduled, lifecycle.VerdictRFCImplemented, lifecycle.VerdictRFCCancelled},
}

// decisionsByStage: customers decide only while a decision is awaited.
var decisionsByStage = map[lifecycle.Stage][]lifecycle.Decision{
	lifecycle.StageAwaitingDecision: {lifecycle.DecisionApprove, lifecycle.DecisionAcceptRisk, lifecycle.DecisionAlternative},
}

// rfcVerdicts come from the RFC ticket; the others from the recommendation ticket.
var rfcVerdicts = []lifecycle.Verdict{lifecycle.VerdictRFCScheduled, lifecycle.VerdictRFCImplemented, lifecycle.VerdictRFCCancelled}

func checkVerdict(state lifecycle.RecommendationState, v lifecycle.SpecialistVerdict) error {
	if !slices.Contains(verdictsByStage[state.Stage], v.Verdict) {
		return fmt.Errorf("the recommendation is in stage %s, which does not take the verdict %q", state.Stage, v.Verdict)
	}
	if v.TicketKey == "" {
		return nil // an operator's verdict names no ticket
	}
	want := state.TicketKey
	if slices.Contains(rfcVerdicts, v.Verdict) {
		want = state.RFCKey
	}
	if v.TicketKey != want {
		return fmt.Errorf("the verdict %q comes from ticket %s, but this step belongs to %s", v.Verdict, v.TicketKey, want)
	}
	return nil
}

func checkDecision(state lifecycle.RecommendationState, d lifecycle.CustomerDecision) error {
	if !slices.Contains(decisionsByStage[state.Stage], d.Decision) {
		return fmt.Errorf("the recommendation is in stage %s and awaits no decision", state.Stage)
	}
	if d.Decision == lifecycle.DecisionAcceptRisk && d.Reason == "" {
		return fmt.Errorf("accepting the risk needs a reason")
	}
	if d.By.ID == "" {
		return fmt.Errorf("a decision must name who decided")
	}
	return nil
}

// attribution names who gave a verdict and where: the Jira ticket, or "manual"
// for an operator's verdict sent with the starter.
func attribution(v lifecycle.SpecialistVerdict) string {
	if v.TicketKey == "" || v.Source == lifecycle.SourceOperator {
		return fmt.Sprintf("%s (manual, via %s)", v.By, v.Source)
	}
	return fmt.Sprintf("%s (%s)", v.By, v.TicketKey)
}
