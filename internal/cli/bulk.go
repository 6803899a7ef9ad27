package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// runBulkVerdict gives one specialist verdict on one control across chosen
// tenants: it shows which recommendations take it now and which are
// skipped, and, with --yes, starts the BulkVerdict workflow that delivers
// it to the first, and waits for each tenant's outcome.
func runBulkVerdict(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("bulk-verdict")
	by := fs.String("by", "", "who gives the verdict (required): each tenant's audit trail names them")
	tenants := fs.String("tenants", "", "the tenants, comma-separated")
	all := fs.Bool("all", false, "every configured tenant")
	advice := fs.String("advice", "", "advice for the customers, with a decision verdict")
	yes := fs.Bool("yes", false, "deliver it; without, only show what would happen")
	positional, err := parseInterleaved(fs, args, 2)
	if err != nil || *by == "" || (*tenants == "") == !*all {
		return fmt.Errorf("%w: want CONTROL VERDICT (--tenants ID,ID | --all) --by NAME [--advice TEXT] [--yes] (verdicts: %v)",
			errUsage, lifecycle.Verdicts())
	}
	control, verdict := positional[0], lifecycle.Verdict(positional[1])
	if !verdict.Valid() {
		return fmt.Errorf("%w: unknown verdict %q (verdicts: %v)", errUsage, verdict, lifecycle.Verdicts())
	}
	chosen := env.tenantIDs()
	if !*all {
		chosen = strings.Split(*tenants, ",")
		for _, id := range chosen {
			if err := env.tenant(id); err != nil {
				return err
			}
		}
	}
	deliveries := delivery.Client{Temporal: env.client}
	preview, err := deliveries.PreviewBulkVerdict(ctx, control, verdict, chosen)
	if err != nil {
		return err
	}
	env.printBulk(preview)
	var takers []string
	for _, o := range preview {
		if o.Outcome == lifecycle.BulkToDeliver {
			takers = append(takers, o.TenantID)
		}
	}
	fmt.Fprintln(env.out, env.texts.T("cli.bulk.preview", "Deliver", len(takers), "Skip", len(preview)-len(takers)))
	if !*yes || len(takers) == 0 {
		return nil
	}
	in := lifecycle.BulkVerdictInput{BulkID: fmt.Sprintf("%s-%s-%d", control, verdict, time.Now().UnixNano()), ControlID: control,
		Verdict: verdict, TenantIDs: takers, By: lifecycle.Person{ID: *by, Name: *by}, Advice: *advice}
	if err := deliveries.StartBulkVerdict(ctx, env.cfg.Temporal.TaskQueue, in); err != nil {
		return err
	}
	workflowID := lifecycle.BulkVerdictWorkflowID(in.BulkID)
	fmt.Fprintln(env.out, env.texts.T("cli.bulk.started", "Workflow", workflowID))
	var outcomes []lifecycle.BulkOutcome
	if err := env.client.GetWorkflow(ctx, workflowID, "").Get(ctx, &outcomes); err != nil {
		return fmt.Errorf("%s: %w", workflowID, err)
	}
	env.printBulk(outcomes)
	return nil
}

// printBulk is a bulk verdict's table: each tenant's outcome, stage and why.
func (env *environment) printBulk(outcomes []lifecycle.BulkOutcome) {
	table := tabwriter.NewWriter(env.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "tenant\toutcome\tstage\twhy")
	for _, o := range outcomes {
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\n", o.TenantID, o.Outcome, o.Stage, o.Why)
	}
	_ = table.Flush()
}
