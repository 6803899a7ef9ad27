package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

var testEnv = map[string]string{
	"TEMPORAL_PORT":         "7233",
	"JIRA_API_TOKEN":        "jira-token: with a colon",
	"JIRA_WEBHOOK_SECRET":   "0123456789",
	"SLACK_BOT_TOKEN":       "xoxb-test",
	"SLACK_SIGNING_SECRET":  "signing",
	"CONTOSO_CLIENT_SECRET": "graph-secret",
}

func lookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

func validYAML(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestParseTheDocumentedExample(t *testing.T) {
	cfg, err := Parse([]byte(validYAML(t)), lookup)
	if err != nil {
		t.Fatalf("the documented example must load: %v", err)
	}
	if cfg.Temporal.Embedded.Port != 7233 {
		t.Errorf("port from ${TEMPORAL_PORT} = %d, want 7233", cfg.Temporal.Embedded.Port)
	}
	if got := cfg.Jira.APIToken.Reveal(); got != "jira-token: with a colon" {
		t.Errorf("api_token = %q: a secret with a colon must survive expansion", got)
	}
	if got := cfg.Jira.WebhookSecret.Reveal(); got != "0123456789" {
		t.Errorf("webhook_secret = %q: digits must stay text", got)
	}
	tenant, ok := cfg.Tenant("contoso")
	if !ok || tenant.ClientSecret.Reveal() != "graph-secret" || tenant.Digest.Day != "monday" {
		t.Errorf("tenant contoso = %+v, %v", tenant, ok)
	}
	if cfg.Lifecycle.RiskReviewAfter.D() != 180*24*time.Hour || cfg.Lifecycle.EscalationAfter.D() != 72*time.Hour {
		t.Errorf("lifecycle defaults = %+v", cfg.Lifecycle)
	}
	if cfg.Temporal.Embedded.Retention.D() != DefaultRetention {
		t.Errorf("embedded retention = %s, want the default %s", cfg.Temporal.Embedded.Retention.D(), DefaultRetention.String())
	}
	if got := cfg.Jira.VerdictStatuses()[lifecycle.VerdictMitigatedElsewhere]; got != "Mitigated Elsewhere" || cfg.Jira.DoneStatus() != "Done" {
		t.Errorf("default Jira statuses: mitigated elsewhere %q, done %q", got, cfg.Jira.DoneStatus())
	}
}

// A PostgreSQL store's password comes from the environment and never prints.
func TestTheStoresPasswordComesFromTheEnvironmentAndNeverPrints(t *testing.T) {
	yaml := validYAML(t) + "store:\n  dsn: postgres://scoreflow:${JIRA_WEBHOOK_SECRET}@db:5432/scoreflow\n"
	cfg, err := Parse([]byte(yaml), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store.DSN.Reveal() != "postgres://scoreflow:0123456789@db:5432/scoreflow" || cfg.Store.Retention.D() != DefaultStoreRetention {
		t.Errorf("store = %q, retention %s", cfg.Store.DSN.Reveal(), cfg.Store.Retention.D())
	}
	asJSON, _ := json.Marshal(cfg)
	if printed := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, asJSON); strings.Contains(printed, "0123456789") {
		t.Error("the store's password prints")
	}
	if cfg.StoreFile() != "data/scoreflow.db" {
		t.Errorf("the default store file is %s, want beside Temporal's", cfg.StoreFile())
	}
}

// The MSP's multi-tenant app serves a tenant that names no app of its own;
// a tenant's own app overrides it.
func TestTheMSPsAppServesTenantsWithoutTheirOwn(t *testing.T) {
	yaml := strings.Replace(validYAML(t), "  authority_host: https://login.microsoftonline.com/\n",
		"  authority_host: https://login.microsoftonline.com/\n  client_id: msp-app\n  certificate_file: msp-app.pem\n", 1)
	yaml += tenantBlock + "\n  - {id: fabrikam, azure_tenant_id: 66666666-6666-6666-6666-666666666666, products: [AzureAD], jira_project: FAB, slack_channel: C2, approvers: [U2]}\n"
	yaml = strings.Replace(yaml, "  - id: contoso\n    azure_tenant_id: 44444444", "  - id: northwind\n    azure_tenant_id: 44444444", 1)
	cfg, err := Parse([]byte(yaml), lookup)
	if err != nil {
		t.Fatal(err)
	}
	contoso, _ := cfg.Tenant("contoso")
	fabrikam, _ := cfg.Tenant("fabrikam")
	if app := cfg.GraphApp(fabrikam); app.ClientID != "msp-app" || app.CertificateFile != "msp-app.pem" {
		t.Errorf("fabrikam's app = %+v, want the MSP's", app)
	}
	if app := cfg.GraphApp(contoso); app.ClientID != "11111111-1111-1111-1111-111111111111" || app.ClientSecret.Reveal() != "graph-secret" {
		t.Errorf("contoso's app = %+v, want its own", app)
	}
}

// Renaming some statuses keeps the defaults of the others.
func TestTheDashboardListensByDefaultAndEmptyTurnsItOff(t *testing.T) {
	cfg, err := Parse([]byte(validYAML(t)), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dashboard.Address() != DefaultDashboardListen || cfg.Dashboard.Authority != DefaultAuthority ||
		cfg.Dashboard.BaseURL() != "http://"+DefaultDashboardListen || cfg.Dashboard.SessionLifetime.D() != 12*time.Hour {
		t.Errorf("dashboard defaults = %+v", cfg.Dashboard)
	}
	off, err := Parse([]byte(validYAML(t)+"dashboard: {listen: \"\"}\n"), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if off.Dashboard.Address() != "" {
		t.Errorf("dashboard.listen \"\" gives %q, want off", off.Dashboard.Address())
	}
}

func TestJiraStatusesOverrideTheDefaultsOneByOne(t *testing.T) {
	yaml := strings.Replace(validYAML(t), "  rfc_issue_type: Change\n",
		"  rfc_issue_type: Change\n  statuses: {rfc_implemented: Deployed, done: Closed}\n", 1)
	cfg, err := Parse([]byte(yaml), lookup)
	if err != nil {
		t.Fatal(err)
	}
	statuses := cfg.Jira.VerdictStatuses()
	if statuses[lifecycle.VerdictRFCImplemented] != "Deployed" || statuses[lifecycle.VerdictNeedsChange] != "Needs Change" ||
		cfg.Jira.DoneStatus() != "Closed" || len(statuses) != len(lifecycle.Verdicts()) {
		t.Errorf("statuses = %v, done %q", statuses, cfg.Jira.DoneStatus())
	}
}

// The starter loads a config whose secrets its environment lacks: they are
// unavailable, say which variable would give them, and print as nothing.
func TestLoadForOperatorLeavesUnsetSecretsUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scoreflow.yaml")
	if err := os.WriteFile(path, []byte(validYAML(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_PORT", "7233")
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "JIRA_API_TOKEN") {
		t.Fatalf("the worker's Load accepted unset secrets: %v", err)
	}
	cfg, err := LoadForOperator(path)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Jira.APIToken.IsSet() || cfg.Jira.APIToken.Available() == nil || !strings.Contains(cfg.Jira.APIToken.Available().Error(), "JIRA_API_TOKEN") {
		t.Errorf("an unset secret: set %v, available %v", cfg.Jira.APIToken.IsSet(), cfg.Jira.APIToken.Available())
	}
	if cfg.Jira.APIToken.Reveal() != "" {
		t.Error("an unavailable secret revealed a value")
	}
	if cfg.Slack.BotToken.Available() != nil || cfg.Slack.BotToken.Reveal() != "xoxb-from-the-environment" {
		t.Errorf("a secret the environment holds is not available: %v", cfg.Slack.BotToken.Available())
	}
	if printed := fmt.Sprintf("%+v", cfg); strings.Contains(printed, "xoxb-from-the-environment") {
		t.Error("the operator's config prints a secret")
	}
}

func TestParseRefusesBadConfigNamingTheKey(t *testing.T) {
	cases := []struct {
		name, from, to, wantKey string
	}{
		{"missing tenant id", "  - id: contoso\n", "  - id: \"\"\n", "tenants[0].id"},
		{"unknown key", "  timezone: Europe/Brussels\n", "  timezone: Europe/Brussels\n  colour: blue\n", "colour"},
		{"bad cron", `cron: "0 10 * * *"`, `cron: "every day at ten"`, "sweep.cron"},
		{"bad timezone", "timezone: Europe/Brussels", "timezone: Mars/Olympus", "sweep.timezone"},
		{"secret written in the file", "bot_token: ${SLACK_BOT_TOKEN}", "bot_token: xoxb-literal", "slack.bot_token"},
		{"secret half from the environment", "bot_token: ${SLACK_BOT_TOKEN}", "bot_token: xoxb-${SLACK_BOT_TOKEN}", "slack.bot_token"},
		{"unset variable", "${CONTOSO_CLIENT_SECRET}", "${NOT_SET_ANYWHERE}", "tenants[0].client_secret"},
		{"graph over http", "base_url: https://graph.microsoft.com/v1.0", "base_url: http://graph.microsoft.com/v1.0", "graph.base_url"},
		{"no approvers", "approvers: [U0CUSTOMER1]", "approvers: []", "tenants[0].approvers"},
		{"an Entra approver without a GUID", "approvers: [U0CUSTOMER1]", "approvers: [U0CUSTOMER1, entra:jan@contoso.com]", "tenants[0].approvers[1]"},
		{"an approver of an unknown kind", "approvers: [U0CUSTOMER1]", "approvers: [\"mail:jan@contoso.com\"]", "tenants[0].approvers[0]"},
		{"uppercase tenant id", "  - id: contoso\n", "  - id: Contoso\n", "tenants[0].id"},
		{"bad listen address", "listen: 127.0.0.1:8080", "listen: localhost", "gateway.listen"},
		{"negative sticky cache", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  worker: {sticky_cache_size: -1}\n", "temporal.worker.sticky_cache_size"},
		{"sticky cache too small to run two tasks", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  worker: {sticky_cache_size: 3}\n", "temporal.worker.sticky_cache_size"},
		{"retention shorter than a day", "    ui_port: 8233\n", "    ui_port: 8233\n    retention: 12h\n", "temporal.embedded.retention"},
		{"bad digest day", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    digest: {day: someday}", "tenants[0].digest.day"},
		{"a language without a catalogue", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    language: fr", "tenants[0].language"},
		{"an MSP language without a catalogue", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nmsp_language: de\n", "msp_language"},
		{"duplicate tenant", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n" + tenantBlock, "tenants[1].id"},
		{"a tenant without any app", "    client_id: 11111111-1111-1111-1111-111111111111\n    client_secret: ${CONTOSO_CLIENT_SECRET}\n", "", "tenants[0].client_id"},
		{"an app with a secret and a certificate", "    client_secret: ${CONTOSO_CLIENT_SECRET}\n", "    client_secret: ${CONTOSO_CLIENT_SECRET}\n    certificate_file: app.pem\n", "tenants[0].certificate_file"},
		{"the MSP's app without its secret", "  authority_host: https://login.microsoftonline.com/\n", "  authority_host: https://login.microsoftonline.com/\n  client_id: msp-app\n", "graph.client_secret"},
		{"a database password in the file", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nstore:\n  dsn: postgres://scoreflow:hunter2@db:5432/scoreflow\n", "store.dsn"},
		{"a SQLite store path with a #", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nstore: {dsn: \"data/run#2/scoreflow.db\"}\n", "store.dsn"},
		{"a Temporal database path with a ?", "    db_file: data/temporal.db\n", "    db_file: \"data/temporal?.db\"\n", "temporal.embedded.db_file"},
		{"a store retention under a day", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nstore: {retention: 1h}\n", "store.retention"},
		{"a dashboard app without its secret", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\ndashboard: {client_id: dash-app}\n", "dashboard.client_secret"},
		{"a dashboard authority over http", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\ndashboard:\n  client_id: dash-app\n  client_secret: ${SLACK_SIGNING_SECRET}\n  authority: http://login.example/organizations/v2.0\n", "dashboard.authority"},
		{"a dashboard without the store", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nstore: {disabled: true}\ndashboard:\n  client_id: dash-app\n  client_secret: ${SLACK_SIGNING_SECRET}\n", "dashboard.listen"},
		{"a directory that is not a GUID", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n" + strings.Replace(strings.Replace(tenantBlock, "id: contoso", "id: northwind", 1), "44444444-4444-4444-4444-444444444444", "contoso.onmicrosoft.com", 1), "tenants[1].azure_tenant_id"},
		{"one directory for two tenants", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n" + strings.Replace(strings.Replace(tenantBlock, "id: contoso", "id: northwind", 1), "44444444-4444-4444-4444-444444444444", "00000000-0000-0000-0000-000000000000", 1), "tenants[1].azure_tenant_id"},
		{"the MSP's directory without a staff group or role", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\ndashboard:\n  client_id: dash-app\n  client_secret: ${SLACK_SIGNING_SECRET}\n  msp_tenant_id: 55555555-5555-5555-5555-555555555555\n", "dashboard.msp_group"},
		{"the embedded frontend off loopback", "    db_file: data/temporal.db\n", "    db_file: data/temporal.db\n    ip: 0.0.0.0\n", "temporal.embedded.ip"},
		{"the Web UI off loopback without sign-in", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  ui: {ip: 0.0.0.0}\n", "temporal.ui.client_id"},
		{"the Web UI's sign-in without the MSP's staff", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  ui: {client_id: ui-app, client_secret: \"${SLACK_SIGNING_SECRET}\"}\n", "temporal.ui.client_id"},
		{"a cluster without payload keys", "  address: \"\"\n", "  address: temporal.msp.internal:7233\n", "temporal.encryption.keys"},
		{"payload keys twice", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  encryption: {keys: \"${SLACK_SIGNING_SECRET}\", keys_file: keys}\n", "temporal.encryption.keys_file"},
		{"an MSP group without the MSP's directory", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\ndashboard:\n  client_id: dash-app\n  client_secret: ${SLACK_SIGNING_SECRET}\n  msp_group: g1\n", "dashboard.msp_tenant_id"},
		{"a dashboard listen address without a port", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\ndashboard:\n  listen: localhost\n  client_id: dash-app\n  client_secret: ${SLACK_SIGNING_SECRET}\n", "dashboard.listen"},
		{"unknown status key", "  rfc_issue_type: Change\n", "  rfc_issue_type: Change\n  statuses: {implemented: Deployed}\n", "jira.statuses.implemented"},
		{"one status meaning two verdicts", "  rfc_issue_type: Change\n", "  rfc_issue_type: Change\n  statuses: {no_impact: Needs Change}\n", "jira.statuses.needs_change"},
		{"empty status", "  rfc_issue_type: Change\n", "  rfc_issue_type: Change\n  statuses: {done: \"\"}\n", "jira.statuses.done"},
		{"a customer told nowhere", "    slack_channel: C0CONTOSO\n", "", "tenants[0].notify"},
		{"told by e-mail without addresses", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    notify: [slack, email]", "tenants[0].mail_to"},
		{"told by e-mail without the MSP's mailbox", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    notify: [email]\n    mail_to: [jan@contoso.example]", "notify.mail_from"},
		{"a channel scoreflow has not", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    notify: [teams]", "tenants[0].notify[0]"},
		{"a channel twice", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    notify: [slack, slack]", "tenants[0].notify[1]"},
		{"a mail_to that is no address", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    mail_to: [jan]", "tenants[0].mail_to[0]"},
		{"mail without the MSP's own app", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nnotify: {mail_from: scoreflow@msp.example, tenant_id: 55555555-5555-5555-5555-555555555555}\n", "notify.mail_from"},
		{"mail without the MSP's directory", "  signing_secret: ${SLACK_SIGNING_SECRET}\n", "  signing_secret: ${SLACK_SIGNING_SECRET}\nnotify: {mail_from: scoreflow@msp.example}\n", "notify.tenant_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			yaml := validYAML(t)
			if !strings.Contains(yaml, tc.from) {
				t.Fatalf("fixture lacks %q", tc.from)
			}
			_, err := Parse([]byte(strings.Replace(yaml, tc.from, tc.to, 1)), lookup)
			if err == nil {
				t.Fatal("a bad config was accepted")
			}
			if !strings.Contains(err.Error(), tc.wantKey) {
				t.Errorf("error %q does not name %q", err, tc.wantKey)
			}
			for name, secret := range testEnv {
				if strings.Contains(name, "TOKEN") || strings.Contains(name, "SECRET") {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q reveals %s", err, name)
					}
				}
			}
		})
	}
}

const tenantBlock = `  - id: contoso
    azure_tenant_id: 44444444-4444-4444-4444-444444444444
    client_id: y
    client_secret: ${CONTOSO_CLIENT_SECRET}
    products: [AzureAD]
    jira_project: CON
    slack_channel: C1
    approvers: [U1]`

func TestSecretsNeverPrint(t *testing.T) {
	cfg, err := Parse([]byte(validYAML(t)), lookup)
	if err != nil {
		t.Fatal(err)
	}
	asJSON, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	printed := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, asJSON)
	for name, value := range testEnv {
		if name != "TEMPORAL_PORT" && strings.Contains(printed, value) {
			t.Errorf("%s leaks when the config is printed or marshalled", name)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "36h": 36 * time.Hour, "0d": 0} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "1.5d", "-3d", "-1h", "soon"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestApproversAreSlackIDsOrEntraObjectIDs(t *testing.T) {
	tenant := Tenant{Approvers: []string{"U0CUSTOMER1", "entra:3F2504E0-4F89-11D3-9A0C-0305E82C3301"}}
	if got := tenant.SlackApprovers(); len(got) != 1 || got[0] != "U0CUSTOMER1" {
		t.Errorf("SlackApprovers = %v, want [U0CUSTOMER1]", got)
	}
	for objectID, want := range map[string]bool{
		"3f2504e0-4f89-11d3-9a0c-0305e82c3301": true, // Entra's tokens spell object ids in lower case
		"U0CUSTOMER1":                          false,
		"":                                     false,
		"11111111-1111-1111-1111-111111111111": false,
	} {
		if got := tenant.ApprovesInEntra(objectID); got != want {
			t.Errorf("ApprovesInEntra(%q) = %v, want %v", objectID, got, want)
		}
	}
}

// A tenant is told through what is configured for it, unless it says otherwise.
func TestChannelsDefaultToWhatIsConfigured(t *testing.T) {
	cfg := &Config{Notify: Notify{MailFrom: "scoreflow@msp.example"}}
	for _, tc := range []struct {
		name   string
		tenant Tenant
		want   []string
	}{
		{"Slack only", Tenant{SlackChannel: "C1"}, []string{ChannelSlack}},
		{"both", Tenant{SlackChannel: "C1", MailTo: []string{"jan@contoso.example"}}, []string{ChannelSlack, ChannelEmail}},
		{"e-mail only", Tenant{MailTo: []string{"jan@contoso.example"}}, []string{ChannelEmail}},
		{"said otherwise", Tenant{SlackChannel: "C1", MailTo: []string{"jan@contoso.example"}, Notify: []string{ChannelEmail}}, []string{ChannelEmail}},
	} {
		if got := cfg.Channels(tc.tenant); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	cfg.Notify.MailFrom = ""
	if got := cfg.Channels(Tenant{SlackChannel: "C1", MailTo: []string{"jan@contoso.example"}}); !slices.Equal(got, []string{ChannelSlack}) {
		t.Errorf("without the MSP's mailbox a tenant is told by %v", got)
	}
}
