package lifecycle

import (
	"fmt"
	"strings"
)

// RecommendationWorkflowID is SPEC.md's workflow ID for one control of one
// tenant: every sweep, Jira event and Slack click finds the workflow by it.
func RecommendationWorkflowID(tenantID, controlID string) string {
	return "scoreflow/" + tenantID + "/" + controlID
}

// ParseRecommendationWorkflowID splits a workflow ID back into tenant and control,
// refusing anything that is not one, such as a forged Slack button value.
func ParseRecommendationWorkflowID(id string) (tenantID, controlID string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || parts[0] != "scoreflow" || parts[1] == "" || parts[2] == "" {
		return "", "", fmt.Errorf("%q is not a scoreflow workflow ID (scoreflow/<tenant>/<control>)", id)
	}
	return parts[1], parts[2], nil
}

// SweepScheduleID names the daily sweep Schedule of a tenant.
func SweepScheduleID(tenantID string) string { return "scoreflow-sweep/" + tenantID }
