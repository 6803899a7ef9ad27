package lifecycle

// ControlFacts are the profile's fields the pre-assessment and the ticket
// need; the sweep passes them at start so no workflow calls Graph. Empty
// fields stay out of payloads: the store's copy of a snapshot (ForStore)
// carries only Service.
type ControlFacts struct {
	Category           string   `json:",omitempty"`
	Service            string   `json:",omitempty"`
	Tier               string   `json:",omitempty"`
	UserImpact         string   `json:",omitempty"`
	ImplementationCost string   `json:",omitempty"`
	Threats            []string `json:",omitempty"`
	MaxScore           float64  `json:",omitempty"`
	Score              float64  `json:",omitempty"`
	TenantMaxScore     float64  `json:",omitempty"` // the tenant's Secure Score maximum, for the % impact
	ActionURL          string   `json:",omitempty"`
	Remediation        string   `json:",omitempty"` // Microsoft's remediation text, at most MaxRemediation bytes
	EnabledServices    []string `json:",omitempty"` // the tenant's licences when the control was detected
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
