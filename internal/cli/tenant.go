package cli

import (
	"context"
	"fmt"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/cli/doctor"
	"github.com/scoreflow/scoreflow/internal/config"
)

// runTenant onboards a tenant: the URL its admin consents at, and the check
// that scoreflow can reach everything it needs there.
func runTenant(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: tenant consent-url or tenant check", errUsage)
	}
	switch args[0] {
	case "consent-url":
		return runConsentURL(env, args[1:])
	case "check":
		return runCheck(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown tenant command %q", errUsage, args[0])
}

// runConsentURL prints where the tenant's admin consents to the app that serves it.
func runConsentURL(env *environment, args []string) error {
	fs := flagsFor("tenant consent-url")
	tenant := fs.String("tenant", "", "the tenant")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return fmt.Errorf("%w: --tenant is required", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return err
	}
	t, _ := env.cfg.Tenant(*tenant)
	consent, err := graph.AdminConsentURL(env.cfg.Graph.AuthorityHost, t.AzureTenantID, env.cfg.GraphApp(t).ClientID, env.cfg.Graph.BaseURL)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.out, consent)
	return nil
}

// errUnhealthy says a check failed: the lines above say which and how to fix it.
var errUnhealthy = fmt.Errorf("a check failed")

// runCheck checks one tenant or all, one line per check.
func runCheck(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("tenant check")
	tenant := fs.String("tenant", "", "the tenant to check")
	all := fs.Bool("all", false, "check every tenant")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*tenant == "") == !*all {
		return fmt.Errorf("%w: --tenant ID or --all", errUsage)
	}
	tenants := env.cfg.Tenants
	if !*all {
		if err := env.tenant(*tenant); err != nil {
			return err
		}
		t, _ := env.cfg.Tenant(*tenant)
		tenants = []config.Tenant{t}
	}
	// Each line is printed as soon as it is known (a thousand tenants take
	// minutes), so the columns are as wide as the longest tenant id.
	width := len(doctor.Installation)
	for _, t := range tenants {
		width = max(width, len(t.ID))
	}
	healthy := doctor.New(env.cfg).Check(ctx, tenants, func(r doctor.Result) {
		verdict := "ok"
		if !r.OK {
			verdict = "FAIL"
		}
		fmt.Fprintf(env.out, "%-*s  %-20s  %-4s  %s\n", width, r.Tenant, r.Check, verdict, r.Detail)
	})
	if !healthy {
		return errUnhealthy
	}
	return nil
}
