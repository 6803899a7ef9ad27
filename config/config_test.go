package config

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
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

func TestParseSpecExample(t *testing.T) {
	cfg, err := Parse([]byte(validYAML(t)), lookup)
	if err != nil {
		t.Fatalf("the SPEC.md example must load: %v", err)
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
	if cfg.Jira.Statuses.MitigatedElsewhere != "Mitigated Elsewhere" {
		t.Errorf("default Jira status = %q", cfg.Jira.Statuses.MitigatedElsewhere)
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
		{"uppercase tenant id", "  - id: contoso\n", "  - id: Contoso\n", "tenants[0].id"},
		{"bad listen address", "listen: 127.0.0.1:8080", "listen: localhost", "gateway.listen"},
		{"negative sticky cache", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  worker: {sticky_cache_size: -1}\n", "temporal.worker.sticky_cache_size"},
		{"sticky cache too small to run two tasks", "  task_queue: scoreflow\n", "  task_queue: scoreflow\n  worker: {sticky_cache_size: 3}\n", "temporal.worker.sticky_cache_size"},
		{"retention shorter than a day", "    ui_port: 8233\n", "    ui_port: 8233\n    retention: 12h\n", "temporal.embedded.retention"},
		{"bad digest day", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n    digest: {day: someday}", "tenants[0].digest.day"},
		{"duplicate tenant", "technical_lead: U0TECHLEAD", "technical_lead: U0TECHLEAD\n" + tenantBlock, "tenants[1].id"},
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
    azure_tenant_id: x
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
