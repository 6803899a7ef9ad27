package lifecycle

// Verdict is what a specialist decides by moving a ticket (docs/lifecycle.md).
type Verdict string

const (
	VerdictMitigatedElsewhere Verdict = "mitigated_elsewhere"
	VerdictThirdParty         Verdict = "third_party"
	VerdictNeedsChange        Verdict = "needs_change"
	VerdictNoImpact           Verdict = "no_impact"
	VerdictCustomerDecision   Verdict = "customer_decision"
	VerdictCriticalDecision   Verdict = "critical_decision"
	VerdictRFCScheduled       Verdict = "rfc_scheduled"
	VerdictRFCImplemented     Verdict = "rfc_implemented"
	VerdictRFCCancelled       Verdict = "rfc_cancelled"
)

// verdictRule is one row of the lifecycle's verdict table.
type verdictRule struct {
	verdict Verdict
	stage   Stage // the one stage that takes it
	onRFC   bool  // given on the RFC ticket, not on the recommendation ticket
	status  string
}

// verdictTable is the lifecycle's verdicts in order: the workflow's
// validation, the ticket system's status map, the starter's help and the config's
// defaults all read it.
var verdictTable = []verdictRule{
	{VerdictMitigatedElsewhere, StageTriage, false, "Mitigated Elsewhere"},
	{VerdictThirdParty, StageTriage, false, "Third Party"},
	{VerdictNeedsChange, StageTriage, false, "Needs Change"},
	{VerdictNoImpact, StageAssessment, false, "No Impact"},
	{VerdictCustomerDecision, StageAssessment, false, "Customer Decision"},
	{VerdictCriticalDecision, StageAssessment, false, "Critical Decision"},
	{VerdictRFCScheduled, StagePlanned, true, "Scheduled"},
	{VerdictRFCImplemented, StagePlanned, true, "Implemented"},
	{VerdictRFCCancelled, StagePlanned, true, "Cancelled"},
}

// DoneStatus is the ticket status scoreflow closes tickets with, unless configured otherwise.
const DoneStatus = "Done"

// Verdicts lists every verdict in lifecycle order.
func Verdicts() []Verdict {
	out := make([]Verdict, len(verdictTable))
	for i, rule := range verdictTable {
		out[i] = rule.verdict
	}
	return out
}

// VerdictsOf lists the verdicts a stage takes, in lifecycle order.
func VerdictsOf(stage Stage) []Verdict {
	var out []Verdict
	for _, rule := range verdictTable {
		if rule.stage == stage {
			out = append(out, rule.verdict)
		}
	}
	return out
}

func (v Verdict) rule() (verdictRule, bool) {
	for _, rule := range verdictTable {
		if rule.verdict == v {
			return rule, true
		}
	}
	return verdictRule{}, false
}

// Valid reports whether v is one of the lifecycle's verdicts.
func (v Verdict) Valid() bool {
	_, ok := v.rule()
	return ok
}

// Stage is the stage that takes the verdict ("" for an unknown one).
func (v Verdict) Stage() Stage {
	rule, _ := v.rule()
	return rule.stage
}

// OnRFC reports whether the verdict is given on the RFC ticket.
func (v Verdict) OnRFC() bool {
	rule, _ := v.rule()
	return rule.onRFC
}

// DefaultStatus is the ticket status that means the verdict unless the
// config names another (jira.statuses).
func (v Verdict) DefaultStatus() string {
	rule, _ := v.rule()
	return rule.status
}

// DefaultStatuses is each verdict's default ticket status.
func DefaultStatuses() map[Verdict]string {
	out := make(map[Verdict]string, len(verdictTable))
	for _, rule := range verdictTable {
		out[rule.verdict] = rule.status
	}
	return out
}
