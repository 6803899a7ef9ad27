package temporalclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// AwaitNamespace waits, for up to wait, until the namespace exists and the
// frontend's services know it: a worker started together with a new cluster
// may come up before the namespace is registered (by the cluster's own job,
// or by worker --temporal-server), and the frontend's namespace cache learns
// of a new one a moment after its database. waiting is called once if it has
// to wait. Any answer but "not found" ends the wait: a managed cluster may
// refuse an operator's call, and what fails later says why.
func AwaitNamespace(ctx context.Context, c client.Client, namespace string, wait time.Duration, waiting func()) error {
	deadline := time.Now().Add(wait)
	for told := false; ; told = true {
		_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
		if !notFound(err) {
			// Search attributes are read through the namespace cache.
			_, err = c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		}
		if !notFound(err) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s is not served after %s", namespace, wait)
		}
		if !told {
			waiting()
		}
		if err := pause(ctx, 500*time.Millisecond); err != nil {
			return err
		}
	}
}

func notFound(err error) bool {
	var namespace *serviceerror.NamespaceNotFound
	var other *serviceerror.NotFound
	return errors.As(err, &namespace) || errors.As(err, &other)
}
