package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// runVerdict sends a specialist's verdict by hand, as when Jira is unreachable;
// it is recorded as manual, with who sent it.
func runVerdict(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("verdict")
	by := fs.String("by", "", "who decided (required)")
	advice := fs.String("advice", "", "advice for the customer, with a decision verdict")
	positional, err := parseInterleaved(fs, args, 3)
	if err != nil || *by == "" {
		return fmt.Errorf("%w: want TENANT CONTROL VERDICT --by NAME (verdicts: %v)", errUsage, lifecycle.Verdicts())
	}
	verdict := lifecycle.Verdict(positional[2])
	if !verdict.Valid() {
		return fmt.Errorf("%w: unknown verdict %q (verdicts: %v)", errUsage, verdict, lifecycle.Verdicts())
	}
	message := lifecycle.SpecialistVerdict{
		EventID: manualEventID(), Verdict: verdict, By: lifecycle.Person{ID: *by, Name: *by},
		Source: lifecycle.SourceOperator, Advice: *advice,
	}
	return env.deliver(ctx, positional[0], positional[1], func(m delivery.Client) (lifecycle.MessageResult, error) {
		return m.SendVerdict(ctx, positional[0], positional[1], message)
	})
}

// runDecide records a customer's decision taken outside Slack (a meeting, a phone call).
func runDecide(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("decide")
	by := fs.String("by", "", "who decided for the customer (required)")
	reason := fs.String("reason", "", "why, required to accept the risk")
	positional, err := parseInterleaved(fs, args, 3)
	if err != nil || *by == "" {
		return fmt.Errorf("%w: want TENANT CONTROL DECISION --by NAME [--reason TEXT] (decisions: %v)", errUsage, lifecycle.Decisions())
	}
	decision := lifecycle.Decision(positional[2])
	if !decision.Valid() {
		return fmt.Errorf("%w: unknown decision %q (decisions: %v)", errUsage, decision, lifecycle.Decisions())
	}
	message := lifecycle.CustomerDecision{
		EventID: manualEventID(), Decision: decision, Reason: *reason,
		By: lifecycle.Person{ID: *by, Name: *by}, Source: lifecycle.SourceOperator,
	}
	return env.deliver(ctx, positional[0], positional[1], func(m delivery.Client) (lifecycle.MessageResult, error) {
		return m.SendDecision(ctx, positional[0], positional[1], message)
	})
}

// deliver hands a verdict or decision to the recommendation the way the
// Jira and Slack handlers do (delivery.Client: the event id as update id,
// refusals as lifecycle.ErrRefused) and reports the stage it reached.
func (env *environment) deliver(ctx context.Context, tenant, control string,
	send func(delivery.Client) (lifecycle.MessageResult, error)) error {
	if err := env.tenant(tenant); err != nil {
		return err
	}
	workflowID := lifecycle.RecommendationWorkflowID(tenant, control)
	// Carrying a step out may wait on Jira, Slack or Graph being down; the
	// operator learns that instead of waiting with them.
	result, err := send(delivery.Client{Temporal: env.client, ResultWait: resultWait})
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", workflowID, err)
	case result.Stage == "":
		fmt.Fprintln(env.out, env.texts.T("cli.verdict.pending", "Workflow", workflowID, "Tenant", tenant, "Control", control))
	default:
		fmt.Fprintln(env.out, env.texts.T("cli.verdict.stage", "Workflow", workflowID, "Stage", string(result.Stage)))
	}
	return nil
}

// resultWait is how long verdict and decide wait for the step to be carried out.
const resultWait = 15 * time.Second

func manualEventID() string { return fmt.Sprintf("operator-%d", time.Now().UnixNano()) }

type flagParser interface {
	Parse([]string) error
	Args() []string
}

// parseInterleaved accepts flags before, between or after n positional arguments.
func parseInterleaved(fs flagParser, args []string, n int) ([]string, error) {
	positional, err := positionalArgs(fs, args)
	if err == nil && len(positional) != n {
		err = fmt.Errorf("want %d arguments, got %d", n, len(positional))
	}
	return positional, err
}

// positionalArgs parses the flags wherever they stand and returns the other arguments.
func positionalArgs(fs flagParser, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
