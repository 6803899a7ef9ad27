package lifecycle

// Stage is where a recommendation is in its lifecycle (docs/lifecycle.md).
// The values are part of the contract: managers filter the Web UI by them.
type Stage string

const (
	StageDetected          Stage = "detected"
	StageTriage            Stage = "triage"
	StageAssessment        Stage = "assessment"
	StageAwaitingDecision  Stage = "awaiting_decision"
	StageRFC               Stage = "rfc"
	StagePlanned           Stage = "planned"
	StageAwaitingDetection Stage = "awaiting_detection"

	StageCompleted          Stage = "completed"
	StageRiskAccepted       Stage = "risk_accepted"
	StageResolvedAlternate  Stage = "resolved_alternate"
	StageResolvedThirdParty Stage = "resolved_third_party"
	StageResolvedExternally Stage = "resolved_externally"
	StageWithdrawn          Stage = "withdrawn"
)

// AllStages is every stage in lifecycle order, for validating operator input.
var AllStages = []Stage{
	StageDetected, StageTriage, StageAssessment, StageAwaitingDecision, StageRFC, StagePlanned,
	StageAwaitingDetection, StageCompleted, StageRiskAccepted, StageResolvedAlternate,
	StageResolvedThirdParty, StageResolvedExternally, StageWithdrawn,
}

// Terminal reports whether the workflow ends in this stage.
func (s Stage) Terminal() bool {
	switch s {
	case StageCompleted, StageRiskAccepted, StageResolvedAlternate, StageResolvedThirdParty,
		StageResolvedExternally, StageWithdrawn:
		return true
	}
	return false
}

// Closed reports whether a recommendation in this stage is done: an end
// stage, except a risk accepted, which waits for its re-review.
func (s Stage) Closed() bool { return s.Terminal() && s != StageRiskAccepted }

// CanBeOverdue reports whether what is due in this stage can be late: what
// falls due in an end stage (a risk's re-review) is never overdue.
func (s Stage) CanBeOverdue() bool { return !s.Terminal() }

// Valid reports whether s is one of the stages of docs/lifecycle.md.
func (s Stage) Valid() bool {
	for _, known := range AllStages {
		if s == known {
			return true
		}
	}
	return false
}
