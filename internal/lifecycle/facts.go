package lifecycle

// ControlFacts are the profile's fields the pre-assessment and the ticket
// need; the sweep passes them at start so no workflow calls Graph.
type ControlFacts struct {
	Category           string
	Service            string
	Tier               string
	UserImpact         string
	ImplementationCost string
	Threats            []string
	MaxScore           float64
	Score              float64
	TenantMaxScore     float64 // the tenant's Secure Score maximum, for the % impact
	ActionURL          string
	Remediation        string   // Microsoft's remediation text, at most MaxRemediation bytes
	EnabledServices    []string // the tenant's licences when the control was detected
}

// MaxRemediation bounds the remediation text kept in a workflow input.
const MaxRemediation = 2000

// ScoreImpact is the control's weight in the tenant's Secure Score, in percent.
func (f ControlFacts) ScoreImpact() float64 {
	if f.TenantMaxScore <= 0 {
		return 0
	}
	return 100 * f.MaxScore / f.TenantMaxScore
}

// PreAssessment is scoreflow's automatic first opinion on impact (the rules
// of assessment/rules.yaml), formed by the sweep when it starts a recommendation.
type PreAssessment struct {
	UserImpact        string   // low, moderate, high
	FinancialImpact   bool     // a licence is missing or the change costs money
	MissingLicences   []string // prerequisite licences the tenant lacks
	ImplementationEst string   // the profile's implementation cost
	SuggestCritical   bool
	Reasons           []string
}
