package lifecycle

import (
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// The custom search attributes (docs/operations.md): managers filter
// the Web UI by them and the starter's list and audit query them.
var (
	TenantIDKey  = temporal.NewSearchAttributeKeyKeyword("TenantId")
	ControlIDKey = temporal.NewSearchAttributeKeyKeyword("ControlId")
	StageKey     = temporal.NewSearchAttributeKeyKeyword("Stage")
	CriticalKey  = temporal.NewSearchAttributeKeyBool("Critical")
	// ObservedKey is what the sweep need not deliver again: the Digest of
	// the observation the recommendation has, or ObservedEverySweep.
	ObservedKey = temporal.NewSearchAttributeKeyKeyword("Observed")
)

// ObservedEverySweep is the Observed value of a recommendation that needs
// every sweep's observation, changed or not: one whose state write is to be
// checked, or that awaits a state recorded by hand.
const ObservedEverySweep = "every-sweep"

// SearchAttributes lists the attributes a namespace must have, with their types,
// for the embedded server and for registering them on a cluster.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	return map[string]enumspb.IndexedValueType{
		TenantIDKey.GetName():  enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		ControlIDKey.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		StageKey.GetName():     enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		CriticalKey.GetName():  enumspb.INDEXED_VALUE_TYPE_BOOL,
		ObservedKey.GetName():  enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	}
}

// SearchAttributeValues are a recommendation's attributes in a given stage,
// as the updates that set them: the same four at its start and at each
// upsert, in the same order.
func SearchAttributeValues(tenantID, controlID string, stage Stage, critical bool) []temporal.SearchAttributeUpdate {
	return []temporal.SearchAttributeUpdate{
		TenantIDKey.ValueSet(tenantID),
		ControlIDKey.ValueSet(controlID),
		StageKey.ValueSet(string(stage)),
		CriticalKey.ValueSet(critical),
	}
}

// InitialSearchAttributes are a recommendation's attributes when it starts,
// so it is listed by tenant, control and stage from its first moment, and,
// unless observed is empty (a namespace without the attribute), with the
// Digest of the observation it starts with.
func InitialSearchAttributes(tenantID, controlID, observed string) temporal.SearchAttributes {
	values := SearchAttributeValues(tenantID, controlID, StageDetected, false)
	if observed != "" {
		values = append(values, ObservedKey.ValueSet(observed))
	}
	return temporal.NewSearchAttributes(values...)
}

// ListedKeyword is a keyword attribute of a workflow as visibility lists it
// or a describe returns it; "" when the workflow has none.
func ListedKeyword(info *workflowpb.WorkflowExecutionInfo, key temporal.SearchAttributeKeyKeyword) string {
	var value string
	if payload := info.GetSearchAttributes().GetIndexedFields()[key.GetName()]; payload != nil {
		_ = converter.GetDefaultDataConverter().FromPayload(payload, &value)
	}
	return value
}

// RecommendationsQuery is the visibility query of recommendation workflows,
// narrowed by more clauses joined with AND, such as TenantQuery(tenantID).
// Its values must be checked first (tenant ids are slugs, stages a closed
// set): a query is text.
func RecommendationsQuery(clauses ...string) string {
	return strings.Join(append([]string{fmt.Sprintf("WorkflowType = '%s'", RecommendationWorkflowType)}, clauses...), " AND ")
}

// TenantQuery is the visibility clause of one tenant's workflows.
func TenantQuery(tenantID string) string {
	return fmt.Sprintf("%s = '%s'", TenantIDKey.GetName(), tenantID)
}

// RunningQuery is the visibility clause of running workflows.
const RunningQuery = "ExecutionStatus = 'Running'"
