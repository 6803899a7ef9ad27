package texts

import "github.com/scoreflow/scoreflow/lifecycle"

// mspStageNames are the stages as the MSP's people read them: in tickets
// and the Temporal Web UI. The starter's output keeps the stage codes,
// which its --stage flag takes back.
var mspStageNames = map[lifecycle.Stage]string{
	lifecycle.StageDetected: "msp.stage.detected", lifecycle.StageTriage: "msp.stage.triage",
	lifecycle.StageAssessment: "msp.stage.assessment", lifecycle.StageAwaitingDecision: "msp.stage.awaiting_decision",
	lifecycle.StageRFC: "msp.stage.rfc", lifecycle.StagePlanned: "msp.stage.planned",
	lifecycle.StageAwaitingDetection: "msp.stage.awaiting_detection", lifecycle.StageCompleted: "msp.stage.completed",
	lifecycle.StageRiskAccepted: "msp.stage.risk_accepted", lifecycle.StageResolvedAlternate: "msp.stage.resolved_alternate",
	lifecycle.StageResolvedThirdParty: "msp.stage.resolved_third_party",
	lifecycle.StageResolvedExternally: "msp.stage.resolved_externally", lifecycle.StageWithdrawn: "msp.stage.withdrawn",
}

// Stage is a stage's name for the MSP's people; a stage it does not know
// is shown by its code.
func (t *Texts) Stage(stage lifecycle.Stage) string {
	id, ok := mspStageNames[stage]
	if !ok {
		return string(stage)
	}
	return t.T(id)
}
