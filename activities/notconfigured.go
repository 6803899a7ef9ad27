package activities

import "go.temporal.io/sdk/temporal"

// notConfigured is returned while an outside system has no client in this
// worker. It is retryable on purpose: the workflow waits in its stage, the
// Web UI shows why, and a worker started with the system configured carries on.
func notConfigured(system string) error {
	return temporal.NewApplicationError(system+" is not configured in this worker", "NotConfigured")
}
