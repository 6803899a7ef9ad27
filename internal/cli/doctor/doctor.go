// Package doctor checks that scoreflow can do its work for a tenant before
// a workflow finds out days later: Graph issues a token with the permissions
// scoreflow needs and answers; Jira has the project, the issue types and the
// statuses the config names; Slack has the channel, the bot in it, and the
// people. It backs `starter tenant check`.
package doctor

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/clients"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Result is one check: ok, or what is wrong and how to fix it. It never
// holds a secret.
type Result struct {
	Tenant string // Installation for a check of the whole installation
	Check  string
	OK     bool
	Detail string
}

// Installation is the Tenant of the checks that are not a tenant's.
const Installation = "*"

// TenantsAtOnce bounds how many tenants are checked at the same time, so a
// check of a thousand tenants does not throttle Graph, Jira or Slack.
const TenantsAtOnce = 4

// checkTimeout bounds each system's checks of one tenant.
const checkTimeout = 45 * time.Second

// Doctor holds the clients the checks use, built from the config as the
// worker builds them. A system the config leaves out, or whose secret the
// environment lacks, fails its checks with that error.
type Doctor struct {
	cfg      *config.Config
	texts    *texts.Texts // the MSP's language (msp_language)
	graph    *graph.Clients
	scopes   map[string]graph.Scope
	graphErr error
	jira     *jira.Client
	jiraErr  error
	slack    *slack.Client
	slackErr error

	mu       sync.Mutex
	projects map[string]*projectLookup // Jira projects by key: tenants may share one
	users    map[string]*userLookup    // Slack users by id: approvers serve many tenants
}

// New builds the clients of the config.
func New(cfg *config.Config) *Doctor {
	d := &Doctor{cfg: cfg, texts: texts.For(cfg.MSPLanguage), projects: map[string]*projectLookup{}, users: map[string]*userLookup{}}
	d.graph, d.scopes, d.graphErr = clients.Graph(cfg)
	d.jira, d.jiraErr = clients.Jira(cfg)
	d.slack, d.slackErr = clients.Slack(cfg)
	return d
}

// Check runs the installation's checks, then every tenant's, at most
// TenantsAtOnce tenants at a time, and reports each result in that order.
// It returns whether every check passed.
func (d *Doctor) Check(ctx context.Context, tenants []config.Tenant, report func(Result)) bool {
	healthy := true
	emit := func(results []Result) {
		for _, r := range results {
			healthy = healthy && r.OK
			report(r)
		}
	}
	emit(d.checkInstallation(ctx))
	done := make([]chan []Result, len(tenants))
	slots := make(chan struct{}, TenantsAtOnce)
	for i, t := range tenants {
		done[i] = make(chan []Result, 1)
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			done[i] <- d.checkTenant(ctx, t)
		}()
	}
	for _, results := range done {
		emit(<-results)
	}
	return healthy
}

// checkTenant runs the systems' checks of one tenant side by side.
func (d *Doctor) checkTenant(ctx context.Context, t config.Tenant) []Result {
	checks := []func(context.Context, config.Tenant) []Result{d.checkGraph, d.checkJira, d.checkSlack, d.checkMail}
	found := make([][]Result, len(checks))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Go(func() {
			checkCtx, cancel := context.WithTimeout(ctx, checkTimeout)
			defer cancel()
			found[i] = check(checkCtx, t)
		})
	}
	wg.Wait()
	var out []Result
	for _, results := range found {
		out = append(out, results...)
	}
	return out
}

// checkInstallation checks what all tenants share: that each system's
// client could be built (configured, its secret in the environment), and
// the Slack app's scopes and signing secret. A system that fails here is
// not checked again for each tenant.
func (d *Doctor) checkInstallation(ctx context.Context) []Result {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var results []Result
	for system, err := range map[string]error{"graph": d.graphErr, "jira": d.jiraErr} {
		if err != nil {
			results = append(results, fail(Installation, system, err.Error()))
		}
	}
	slices.SortFunc(results, func(a, b Result) int { return strings.Compare(a.Check, b.Check) })
	results = append(results, d.checkSlackApp(ctx)...)
	return append(results, d.checkMailbox(ctx)...)
}

func ok(tenant, check, detail string) Result {
	return Result{Tenant: tenant, Check: check, OK: true, Detail: detail}
}
func fail(tenant, check, detail string) Result {
	return Result{Tenant: tenant, Check: check, Detail: detail}
}
