package lifecycle

// Workflow type names, registered explicitly so that starting by name (from
// an activity, a schedule or the CLI) and registering cannot drift apart.
const (
	RecommendationWorkflowType = "RecommendationWorkflow"
	TenantSweepWorkflowType    = "TenantSweep"
	JiraPollWorkflowType       = "JiraPoll"
	TenantDigestWorkflowType   = "TenantDigest"
)

// DigestScheduleID names a tenant's regular-meeting digest Schedule.
func DigestScheduleID(tenantID string) string { return "scoreflow-digest/" + tenantID }

// JiraPollScheduleID names a tenant's Jira polling Schedule.
func JiraPollScheduleID(tenantID string) string { return "scoreflow-jira-poll/" + tenantID }
