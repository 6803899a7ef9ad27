package temporalclient

import (
	"context"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// EachWorkflow calls fn for every execution a visibility query lists, page
// by page, and stops at fn's first error. SQL visibility (SQLite,
// PostgreSQL) refuses ORDER BY and lists the newest first.
func EachWorkflow(ctx context.Context, c client.Client, query string, fn func(*workflowpb.WorkflowExecutionInfo) error) error {
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return err
		}
		for _, e := range resp.Executions {
			if err := fn(e); err != nil {
				return err
			}
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return nil
		}
	}
}
