package temporalclient

import (
	"context"
	"fmt"
	"time"

	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Retention is how long the namespace keeps a closed workflow's history and
// visibility record. The sweep finds a regression through the completed run,
// and the audit reads closed runs, so neither reaches back further.
func Retention(ctx context.Context, c client.Client, namespace string) (time.Duration, error) {
	described, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	if err != nil {
		return 0, fmt.Errorf("describing namespace %s: %w", namespace, err)
	}
	return described.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(), nil
}

// EnsureRetention makes the namespace keep closed workflows for retention.
// It changes nothing when the namespace already does, so every start of the
// embedded server may call it, and a changed config reaches an existing
// database. Runs already closed keep the retention they closed with.
func EnsureRetention(ctx context.Context, c client.Client, namespace string, retention time.Duration) error {
	current, err := Retention(ctx, c, namespace)
	if err != nil {
		return err
	}
	if current == retention {
		return nil
	}
	_, err = c.WorkflowService().UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{
		Namespace: namespace,
		Config:    &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(retention)},
	})
	if err != nil {
		return fmt.Errorf("setting the retention of namespace %s to %s: %w", namespace, retention, err)
	}
	return nil
}
