package texts

import "github.com/scoreflow/scoreflow/internal/lifecycle"

// customerStageNames are the stages as a customer reads them: on the
// dashboard's pages.
var customerStageNames = map[lifecycle.Stage]string{
	lifecycle.StageDetected: "stage.detected", lifecycle.StageTriage: "stage.triage", lifecycle.StageAssessment: "stage.assessment",
	lifecycle.StageAwaitingDecision: "stage.awaiting_decision", lifecycle.StageRFC: "stage.rfc", lifecycle.StagePlanned: "stage.planned",
	lifecycle.StageAwaitingDetection: "stage.awaiting_detection", lifecycle.StageCompleted: "stage.completed",
	lifecycle.StageRiskAccepted: "stage.risk_accepted", lifecycle.StageResolvedAlternate: "stage.resolved_alternate",
	lifecycle.StageResolvedThirdParty: "stage.resolved_third_party", lifecycle.StageResolvedExternally: "stage.resolved_externally",
	lifecycle.StageWithdrawn: "stage.withdrawn",
}

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

// CustomerStage is a stage's name for a customer, Stage for the MSP's
// people; a stage neither knows is shown by its code.
func (t *Texts) CustomerStage(stage lifecycle.Stage) string {
	return t.stage(customerStageNames, stage)
}
func (t *Texts) Stage(stage lifecycle.Stage) string { return t.stage(mspStageNames, stage) }

func (t *Texts) stage(names map[lifecycle.Stage]string, stage lifecycle.Stage) string {
	id, ok := names[stage]
	if !ok {
		return string(stage)
	}
	return t.T(id)
}
