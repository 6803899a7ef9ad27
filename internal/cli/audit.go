package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// auditRow is one transition of one recommendation.
type auditRow struct {
	At         time.Time
	Tenant     string
	Control    string
	From       lifecycle.Stage
	To         lifecycle.Stage
	ByID       string
	ByName     string
	Source     lifecycle.Source
	Reason     string
	WorkflowID string
	RunID      string
	TicketKey  string
	RFCKey     string
}

// key identifies a step in the store and in Temporal alike: the store keeps
// instants to the microsecond.
func (r auditRow) key() string {
	return fmt.Sprintf("%s|%d|%s|%s", r.WorkflowID, r.At.Truncate(time.Microsecond).UnixMicro(), r.From, r.To)
}

// runAudit prints every transition of the tenant's recommendations since a
// moment, who and when, for the managers' audit. The store holds them past
// Temporal's retention; Temporal adds the steps the store does not hold
// yet: a row still waiting for its retry, or a run started before the
// store existed, whose steps reach the store when it continues as new.
func runAudit(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("audit")
	storeOnly := fs.Bool("store-only", false, "read the store alone, without asking Temporal")
	r, err := env.parseReport(fs, args, "90d")
	if err != nil {
		return err
	}
	var rows []auditRow
	if !env.cfg.Store.Disabled || *storeOnly {
		if rows, err = env.storedAudit(ctx, r); err != nil {
			return err
		}
	}
	if !*storeOnly {
		c, _ := dial(ctx, env.cfg, env.errOut)
		switch {
		case c == nil && env.cfg.Store.Disabled:
			return errors.New("no audit to read: Temporal does not answer and the store is disabled")
		case c == nil:
			fmt.Fprintln(env.errOut, "starter:", env.texts.T("cli.audit.store_only"))
		default:
			defer c.Close()
			open, err := temporalTransitions(ctx, c, r.tenant, r.since)
			if err != nil {
				return err
			}
			rows = mergeAudit(rows, open)
		}
	}
	return table[auditRow]{
		header: []string{"time", "tenant", "control", "from", "to", "by_id", "by_name", "source", "reason",
			"workflow_id", "run_id", "ticket_key", "rfc_key"},
		rows: rows,
		cells: func(r auditRow) []string {
			return []string{r.At.UTC().Format(time.RFC3339), r.Tenant, r.Control, string(r.From), string(r.To),
				r.ByID, r.ByName, string(r.Source), r.Reason, r.WorkflowID, r.RunID, r.TicketKey, r.RFCKey}
		},
	}.write(env.out, r.format)
}

// storedAudit reads the report's steps from the store.
func (env *environment) storedAudit(ctx context.Context, r report) ([]auditRow, error) {
	steps, err := readStore(ctx, env, func(db *store.DB) ([]lifecycle.TransitionRecord, error) {
		return db.Transitions(ctx, r.tenant, r.since)
	})
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, len(steps))
	for i, s := range steps {
		rows[i] = auditRow{At: s.At, Tenant: s.TenantID, Control: s.ControlID, From: s.From, To: s.To,
			ByID: s.By.ID, ByName: s.By.Name, Source: s.Source, Reason: s.Reason,
			WorkflowID: s.WorkflowID, RunID: s.RunID, TicketKey: s.TicketKey, RFCKey: s.RFCKey}
	}
	return rows, nil
}

// mergeAudit adds Temporal's steps the store lacks, in time order.
func mergeAudit(stored, fromTemporal []auditRow) []auditRow {
	known := make(map[string]bool, len(stored))
	for _, r := range stored {
		known[r.key()] = true
	}
	for _, r := range fromTemporal {
		if !known[r.key()] {
			stored = append(stored, r)
		}
	}
	slices.SortStableFunc(stored, func(a, b auditRow) int { return a.At.Compare(b.At) })
	return stored
}

// temporalTransitions reads every run of the tenant's recommendations that
// was open after from, and keeps their transitions since then.
func temporalTransitions(ctx context.Context, c client.Client, tenant string, from time.Time) ([]auditRow, error) {
	recommendations := delivery.Client{Temporal: c}
	var rows []auditRow
	query := lifecycle.RecommendationsQuery(lifecycle.TenantQuery(tenant),
		fmt.Sprintf("(%s OR CloseTime >= '%s')", lifecycle.RunningQuery, from.UTC().Format(time.RFC3339)))
	err := temporalclient.EachWorkflow(ctx, c, query, func(e *workflowpb.WorkflowExecutionInfo) error {
		if e.Status == enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
			return nil // its transitions travelled to the next run, which is listed too
		}
		state, err := recommendations.State(ctx, e.Execution.WorkflowId, e.Execution.RunId)
		if err != nil {
			return err
		}
		for _, t := range state.Transitions {
			if !t.At.Before(from) {
				rows = append(rows, auditRow{At: t.At, Tenant: tenant, Control: state.ControlID, From: t.From, To: t.To,
					ByID: t.By.ID, ByName: t.By.Name, Source: t.Source, Reason: t.Reason,
					WorkflowID: e.Execution.WorkflowId, RunID: e.Execution.RunId, TicketKey: state.TicketKey, RFCKey: state.RFCKey})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing recommendations in Temporal: %w", err)
	}
	return rows, nil
}
