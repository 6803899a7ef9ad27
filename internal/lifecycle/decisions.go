package lifecycle

// Decision is a customer's answer to a decision request (docs/lifecycle.md).
type Decision string

const (
	DecisionApprove     Decision = "approve"
	DecisionAcceptRisk  Decision = "accept_risk"
	DecisionAlternative Decision = "alternative"
)

// DecisionStage is the one stage in which customers decide.
const DecisionStage = StageAwaitingDecision

// Decisions lists every decision, as the buttons show them.
func Decisions() []Decision {
	return []Decision{DecisionApprove, DecisionAcceptRisk, DecisionAlternative}
}

// Valid reports whether d is one of the lifecycle's decisions.
func (d Decision) Valid() bool {
	for _, known := range Decisions() {
		if d == known {
			return true
		}
	}
	return false
}

// NeedsReason reports whether the decision must say why (accepting a risk does).
func (d Decision) NeedsReason() bool { return d == DecisionAcceptRisk }
