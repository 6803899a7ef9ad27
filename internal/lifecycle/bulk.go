package lifecycle

// A bulk verdict: one specialist verdict on one control across chosen
// tenants, delivered by the BulkVerdict workflow as one Update per
// recommendation (docs/lifecycle.md, "Bulk verdicts").

// BulkVerdictWorkflowType is the bulk verdict's workflow.
const BulkVerdictWorkflowType = "BulkVerdict"

// QueryBulkOutcomes asks a bulk verdict for each tenant's outcome so far.
const QueryBulkOutcomes = "outcomes"

// BulkVerdictWorkflowID names a bulk verdict's workflow.
func BulkVerdictWorkflowID(bulkID string) string { return "scoreflow-bulk/" + bulkID }

// BulkVerdictInput is what a bulk verdict delivers, and to whom.
type BulkVerdictInput struct {
	BulkID    string
	ControlID string
	Verdict   Verdict
	TenantIDs []string
	By        Person // who started it: every tenant's audit trail names them
	Advice    string `json:",omitempty"`
}

// EventID is the verdict's event id in one tenant's recommendation: the
// same in every attempt, so the recommendation takes it once.
func (in BulkVerdictInput) EventID(tenantID string) string {
	return "bulk-" + in.BulkID + "-" + tenantID
}

// BulkDelivery is one tenant's part of a bulk verdict.
type BulkDelivery struct {
	BulkVerdictInput
	TenantID string
}

// The outcomes of a bulk verdict in a tenant.
const (
	BulkPending   = ""
	BulkToDeliver = "to deliver" // the preview: the recommendation takes the verdict now
	BulkDelivered = "delivered"  // the recommendation took the verdict
	BulkSkipped   = "skipped"    // it does not take it: no recommendation, or another stage
)

// BulkOutcome is what became of a bulk verdict in one tenant.
type BulkOutcome struct {
	TenantID string
	Outcome  string
	Stage    Stage  `json:",omitempty"` // where the recommendation stands after
	Why      string `json:",omitempty"` // why it was skipped
}
