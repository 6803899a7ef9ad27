package lifecycle

// Workflow type names, registered explicitly so that starting by name (from
// an activity, a schedule or the CLI) and registering cannot drift apart.
const (
	RecommendationWorkflowType = "RecommendationWorkflow"
	TenantSweepWorkflowType    = "TenantSweep"
)
