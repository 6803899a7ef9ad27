package lifecycle

import (
	"fmt"
	"strings"
)

// Workflow type names, registered explicitly so that starting by name (from
// an activity, a schedule or the starter) and registering cannot drift apart.
const (
	RecommendationWorkflowType = "RecommendationWorkflow"
	TenantSweepWorkflowType    = "TenantSweep"
	TicketPollWorkflowType     = "TicketPoll"
	TenantDigestWorkflowType   = "TenantDigest"
	PruneHistoryWorkflowType   = "PruneHistory"
)

// RecommendationWorkflowID is the workflow ID of one control of one tenant:
// every sweep, ticket event and chat click finds the workflow by it.
func RecommendationWorkflowID(tenantID, controlID string) string {
	return "scoreflow/" + tenantID + "/" + controlID
}

// ParseRecommendationWorkflowID splits a workflow ID back into tenant and control,
// refusing anything that is not one, such as a forged button value.
func ParseRecommendationWorkflowID(id string) (tenantID, controlID string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || parts[0] != "scoreflow" || parts[1] == "" || parts[2] == "" {
		return "", "", fmt.Errorf("%q is not a scoreflow workflow ID (scoreflow/<tenant>/<control>)", id)
	}
	return parts[1], parts[2], nil
}

// The Schedules scoreflow keeps per tenant. Their IDs start with these
// prefixes, by which the worker also finds the ones the config no longer wants.
const (
	SweepSchedulePrefix      = "scoreflow-sweep/"
	DigestSchedulePrefix     = "scoreflow-digest/"
	TicketPollSchedulePrefix = "scoreflow-ticket-poll/"
	// PruneScheduleID names the daily Schedule that prunes the store.
	PruneScheduleID = "scoreflow-store-prune"
)

// ManagedSchedulePrefixes are the prefixes of every Schedule scoreflow owns.
var ManagedSchedulePrefixes = []string{SweepSchedulePrefix, DigestSchedulePrefix, TicketPollSchedulePrefix, PruneScheduleID}

// SweepScheduleID names the daily sweep Schedule of a tenant; the sweeps it
// starts, and those an operator starts, have workflow IDs below it.
func SweepScheduleID(tenantID string) string { return SweepSchedulePrefix + tenantID }

// DigestScheduleID names a tenant's regular-meeting digest Schedule.
func DigestScheduleID(tenantID string) string { return DigestSchedulePrefix + tenantID }

// TicketPollScheduleID names a tenant's ticket polling Schedule.
func TicketPollScheduleID(tenantID string) string { return TicketPollSchedulePrefix + tenantID }
