package temporalclient

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// EnsureSearchAttributes registers the attributes the namespace lacks and
// returns once the namespace serves them, as it may not yet when another
// worker, or worker --temporal-server, has just added them. It is
// idempotent, so every worker start may call it.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string, want map[string]enumspb.IndexedValueType) error {
	existing, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("listing search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, kind := range want {
		have, ok := existing.CustomAttributes[name]
		if !ok {
			missing[name] = kind
		} else if have != kind {
			return fmt.Errorf("search attribute %s is %s in namespace %s, scoreflow needs %s", name, have, namespace, kind)
		}
	}
	if len(missing) > 0 {
		_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: namespace, SearchAttributes: missing,
		})
		if err != nil {
			return fmt.Errorf("adding search attributes: %w", err)
		}
	}
	return awaitSearchAttributes(ctx, c, namespace, slices.Sorted(maps.Keys(want)), len(missing) > 0)
}

// searchAttributesWait bounds the wait for attributes just added: a
// cluster's services learn of them at their namespace cache's next refresh
// (every 10 s by default).
const searchAttributesWait = time.Minute

// searchAttributesSettle is how long the wait goes on after the frontend
// serves the attributes: the history service, which checks a start's
// attributes, has a cache of namespaces of its own, refreshed on its own
// timer (every second under worker --temporal-server).
const searchAttributesSettle = 2 * time.Second

// awaitSearchAttributes waits until a visibility query naming the
// attributes is accepted, and then, if they were just added or the query
// was refused, searchAttributesSettle: on SQL visibility an attribute is an
// alias in the namespace's record, and a workflow or schedule started with
// it before the services' caches of namespaces have it is refused.
func awaitSearchAttributes(ctx context.Context, c client.Client, namespace string, names []string, settle bool) error {
	clauses := make([]string, len(names))
	for i, name := range names {
		clauses[i] = name + " IS NOT NULL"
	}
	query := strings.Join(clauses, " AND ")
	deadline := time.Now().Add(searchAttributesWait)
	for {
		_, err := c.WorkflowService().CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace, Query: query})
		if err == nil && !settle {
			return nil
		}
		if err == nil {
			return pause(ctx, searchAttributesSettle)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("search attributes %s not served after %s: %w", strings.Join(names, ", "), searchAttributesWait, err)
		}
		settle = true
		if err := pause(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
}
