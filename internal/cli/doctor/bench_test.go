package doctor_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/cli/doctor"
	"github.com/scoreflow/scoreflow/internal/config"
)

// BenchmarkTenantCheck checks SCOREFLOW_BENCH_DOCTOR_TENANTS (default 1,000)
// synthetic tenants of 80 controls each against the three simulators, as
// `starter tenant check --all` does, and reports the time per tenant and the
// whole run. The simulators run in this process on the same cores.
func BenchmarkTenantCheck(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("SCOREFLOW_BENCH_DOCTOR_TENANTS")); err == nil && v > 0 {
		n = v
	}
	var tenants []*sim.Tenant
	for i := range n {
		tenants = append(tenants, sim.Synthetic(i+1, 80))
	}
	graphSim := sim.New(tenants...)
	jiraSim := jirasim.New("ops@example.com", "jira-token")
	slackSim := slacksim.New("xoxb-token")
	defer func() { graphSim.Close(); jiraSim.Close(); slackSim.Close() }()
	slackSim.AddUser("U0CUSTOMER1", "chris.customer")
	caFile, err := graphSim.WriteCA(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var yaml strings.Builder
	fmt.Fprintf(&yaml, `graph: {base_url: %s, authority_host: %s, ca_file: %s}
jira: {base_url: %s, email: ops@example.com, api_token: "${JIRA_TOKEN}", poll_interval: 5m}
slack: {api_url: %s, bot_token: "${SLACK_TOKEN}", signing_secret: "${SLACK_SIGNING}"}
tenants:
`, graphSim.GraphURL(), graphSim.AuthorityURL(), caFile, jiraSim.URL(), slackSim.APIURL())
	for i, t := range tenants {
		project, channel := fmt.Sprintf("T%04d", i+1), fmt.Sprintf("C%04d", i+1)
		jiraSim.AddProject(project, "Tenant "+project)
		slackSim.AddChannel(channel, slacksim.Channel{Name: "tenant-" + project, BotMember: true})
		fmt.Fprintf(&yaml, "  - {id: t%04d, azure_tenant_id: %s, client_id: %s, client_secret: \"${GRAPH_SECRET}\", products: [AzureAD],"+
			" jira_project: %s, slack_channel: %s, approvers: [U0CUSTOMER1]}\n", i+1, t.AzureTenantID, t.ClientID, project, channel)
	}
	secrets := map[string]string{"JIRA_TOKEN": "jira-token", "SLACK_TOKEN": "xoxb-token", "SLACK_SIGNING": "s", "GRAPH_SECRET": sim.SyntheticSecret}
	path := filepath.Join(b.TempDir(), "scoreflow.yaml")
	if err := os.WriteFile(path, []byte(yaml.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Parse([]byte(yaml.String()), func(name string) (string, bool) { v, ok := secrets[name]; return v, ok })
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		start := time.Now()
		var failed []doctor.Result
		healthy := doctor.New(cfg).Check(context.Background(), cfg.Tenants, func(r doctor.Result) {
			if !r.OK {
				failed = append(failed, r)
			}
		})
		if !healthy {
			b.Fatalf("%d checks failed, the first: %+v", len(failed), failed[0])
		}
		elapsed := time.Since(start)
		b.ReportMetric(elapsed.Seconds(), "s_all_tenants")
		b.ReportMetric(float64(elapsed.Milliseconds())/float64(n), "ms/tenant")
	}
	b.ReportMetric(float64(graphSim.Requests(tenants[0].AzureTenantID))/float64(b.N), "graph_requests/tenant")
}
