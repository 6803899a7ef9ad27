package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
)

// doctorSetup is Contoso on the three simulators, set up as a healthy
// tenant is, and a config pointing at them.
type doctorSetup struct {
	contoso  *sim.Tenant
	msp      *sim.Tenant // the MSP's directory, with its mailbox
	graph    *sim.Server
	jira     *jirasim.Server
	slack    *slacksim.Server
	config   string
	secrets  map[string]string
	approver string
}

func newDoctorSetup(t *testing.T, configEdits ...func(string) string) doctorSetup {
	t.Helper()
	d := doctorSetup{contoso: sim.Contoso(), msp: sim.MSP()}
	d.graph = sim.New(d.contoso, d.msp)
	d.jira = jirasim.New("ops@example.com", "jira-token-value")
	d.jira.AddProject("CON", "Contoso Security")
	d.slack = slacksim.New("xoxb-slack-token-value")
	d.slack.AddChannel("C0CONTOSO", slacksim.Channel{Name: "contoso-security", BotMember: true})
	d.slack.AddUser("U0CUSTOMER1", "chris.customer")
	d.slack.AddUser("U0TECHLEAD", "tina.techlead")
	t.Cleanup(func() { d.graph.Close(); d.jira.Close(); d.slack.Close() })
	dir := t.TempDir()
	caFile, err := d.graph.WriteCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.secrets = map[string]string{"GRAPH_SECRET": d.contoso.ClientSecret, "JIRA_TOKEN": "jira-token-value",
		"JIRA_WEBHOOK": "jira-webhook-value", "SLACK_TOKEN": "xoxb-slack-token-value", "SLACK_SIGNING": "slack-signing-value",
		"MSP_SECRET": d.msp.ClientSecret}
	yaml := fmt.Sprintf(`graph: {base_url: %s, authority_host: %s, ca_file: %s}
jira: {base_url: %s, email: ops@example.com, api_token: "${JIRA_TOKEN}", webhook_secret: "${JIRA_WEBHOOK}"}
slack: {api_url: %s, bot_token: "${SLACK_TOKEN}", signing_secret: "${SLACK_SIGNING}"}
tenants:
  - {id: contoso, azure_tenant_id: %s, client_id: %s, client_secret: "${GRAPH_SECRET}",
     products: [AzureAD, Exchange, SharePoint, Teams, DefenderForOffice], jira_project: CON, slack_channel: C0CONTOSO,
     approvers: [U0CUSTOMER1], technical_lead: U0TECHLEAD}
`, d.graph.GraphURL(), d.graph.AuthorityURL(), caFile, d.jira.URL(), d.slack.APIURL(), d.contoso.AzureTenantID, d.contoso.ClientID)
	for _, edit := range configEdits {
		yaml = edit(yaml)
	}
	d.config = filepath.Join(dir, "scoreflow.yaml")
	if err := os.WriteFile(d.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, value := range d.secrets {
		t.Setenv(name, value)
	}
	return d
}

// check runs `starter tenant check --all` and returns its exit status and output.
func (d doctorSetup) check(t *testing.T) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run([]string{"--config", d.config, "tenant", "check", "--all"}, &out, &errOut)
	for name, secret := range d.secrets {
		if strings.Contains(out.String()+errOut.String(), secret) {
			t.Errorf("the check printed the secret %s", name)
		}
	}
	return code, out.String() + errOut.String()
}

// withMail tells Contoso by e-mail too, from the MSP's mailbox through the MSP's app.
func withMail(y string) string {
	msp := sim.MSP()
	y = strings.Replace(y, "ca_file:", fmt.Sprintf(`client_id: %s, client_secret: "${MSP_SECRET}", ca_file:`, msp.ClientID), 1)
	y = strings.Replace(y, "technical_lead: U0TECHLEAD}", "technical_lead: U0TECHLEAD, mail_to: [chris@contoso.example]}", 1)
	return fmt.Sprintf("notify: {mail_from: %s, tenant_id: %s, outside_mailbox: %s}\n", sim.MSPMailbox, msp.AzureTenantID, sim.MSPOtherMailbox) + y
}

// The MSP's mailbox: the app's mail permissions, the mailbox, and the
// access policy that keeps the app out of every other mailbox.
func TestTenantCheckChecksTheMSPsMailbox(t *testing.T) {
	d := newDoctorSetup(t, withMail)
	code, out := d.check(t)
	if code != 0 || strings.Contains(out, "FAIL") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, line := range []string{
		`\*\s+mail permissions\s+ok\s+Mail.Send, Mail.ReadBasic`, `\*\s+mail mailbox\s+ok\s+the MSP's app may send from and read scoreflow@msp.example`,
		`\*\s+mail access policy\s+ok\s+the application access policy keeps the app out of finance@msp.example`,
		`contoso\s+mail recipients\s+ok\s+decisions, digests and reports to chris@contoso.example`,
	} {
		if !regexp.MustCompile(`(?m)^` + line).MatchString(out) {
			t.Errorf("no line /%s/ in\n%s", line, out)
		}
	}
	for name, tc := range map[string]struct {
		break_ func(d doctorSetup)
		line   string
	}{
		"an app that cannot read its mailbox": {break_: func(d doctorSetup) { d.msp.Roles = []string{"Mail.Send"} },
			line: `\*\s+mail permissions\s+FAIL\s+the MSP app's token lacks Mail.ReadBasic \(it has: Mail.Send\)`},
		"no application access policy": {break_: func(d doctorSetup) { d.msp.MailPolicy = nil },
			line: `\*\s+mail access policy\s+FAIL\s+the MSP's app can read finance@msp.example: without an Exchange application access policy`},
	} {
		t.Run(name, func(t *testing.T) {
			d := newDoctorSetup(t, withMail)
			tc.break_(d)
			code, out := d.check(t)
			if code != 1 || !regexp.MustCompile(`(?m)^`+tc.line).MatchString(out) || strings.Count(out, " FAIL ") != 1 {
				t.Errorf("exit %d, want 1 and only the line /%s/ failing:\n%s", code, tc.line, out)
			}
		})
	}
}

func TestTenantCheckPassesOnAHealthyTenantWithOneLinePerCheck(t *testing.T) {
	d := newDoctorSetup(t)
	code, out := d.check(t)
	if code != 0 || strings.Contains(out, "FAIL") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, line := range []string{
		`\*\s+slack scopes\s+ok`, `contoso\s+graph token\s+ok`, `contoso\s+graph permissions\s+ok\s+SecurityEvents.ReadWrite.All`,
		`contoso\s+graph secure score\s+ok\s+28.13 of 98.00 points \(28.7 %\)`, `contoso\s+graph scope\s+ok\s+18 of 22 profiles in scope .*, 12 open`,
		`contoso\s+jira project\s+ok\s+CON \(Contoso Security\)`, `contoso\s+jira statuses\s+ok`, `contoso\s+jira issue types\s+ok\s+Task and Change`,
		`contoso\s+slack channel\s+ok\s+#contoso-security`, `contoso\s+slack approvers\s+ok\s+U0CUSTOMER1 \(chris.customer\)`,
	} {
		if !regexp.MustCompile(`(?m)^` + line).MatchString(out) {
			t.Errorf("no line /%s/ in\n%s", line, out)
		}
	}
	// At most one Graph list per tenant: the latest score and the profile pages, as a sweep reads them.
	pages := (len(d.contoso.Profiles) + d.graph.PageSize - 1) / d.graph.PageSize
	if got := d.graph.Requests(d.contoso.AzureTenantID); got != 1+pages {
		t.Errorf("the check made %d Graph requests, want 1 + %d pages", got, pages)
	}
}

// Each way a real estate is set up wrong fails its check with a line that
// names what is wrong and how to fix it, and the exit status is not zero.
func TestTenantCheckFailsWithAClearLineForEachMistake(t *testing.T) {
	for name, tc := range map[string]struct {
		edit   func(string) string
		break_ func(d doctorSetup)
		line   string
	}{
		"a missing role": {break_: func(d doctorSetup) { d.contoso.Roles = []string{"SecurityEvents.Read.All"} },
			line: `contoso\s+graph permissions\s+FAIL\s+the token lacks SecurityEvents.ReadWrite.All \(it has: SecurityEvents.Read.All\); add`},
		"a wrong Jira status name": {edit: func(y string) string {
			return strings.Replace(y, `webhook_secret: "${JIRA_WEBHOOK}"}`, `webhook_secret: "${JIRA_WEBHOOK}", statuses: {rfc_implemented: Deployed}}`, 1)
		}, line: `contoso\s+jira statuses\s+FAIL\s+not in CON's workflows: "Deployed" \(jira.statuses.rfc_implemented\)`},
		"a channel the bot is not in": {break_: func(d doctorSetup) {
			d.slack.AddChannel("C0CONTOSO", slacksim.Channel{Name: "contoso-security"})
		}, line: `contoso\s+slack channel\s+FAIL\s+the bot is not in #contoso-security \(C0CONTOSO\): invite it`},
		"an unknown approver": {edit: func(y string) string { return strings.Replace(y, "[U0CUSTOMER1]", "[U0CUSTOMER1, U0NOBODY]", 1) },
			line: `contoso\s+slack approvers\s+FAIL\s+no such Slack user: U0NOBODY \(.*user_not_found\)`},
		"a missing Slack scope": {break_: func(d doctorSetup) {
			d.slack.SetScopes("chat:write", "groups:history", "channels:read", "groups:read", "users:read")
		}, line: `\*\s+slack scopes\s+FAIL\s+the bot token lacks channels:history; add`},
		"a typo in products": {edit: func(y string) string {
			return strings.Replace(y, "DefenderForOffice]", "DefenderForOffice, MDA_Zooom]", 1)
		},
			line: `contoso\s+graph scope\s+FAIL\s+no control profile of the tenant has the service MDA_Zooom`},
		"a secret the environment lacks": {edit: func(y string) string { return strings.ReplaceAll(y, "${SLACK_TOKEN}", "${UNSET_SLACK_TOKEN}") },
			line: `\*\s+slack\s+FAIL\s+slack.bot_token: the environment variable UNSET_SLACK_TOKEN is not set`},
	} {
		t.Run(name, func(t *testing.T) {
			var edits []func(string) string
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			d := newDoctorSetup(t, edits...)
			if tc.break_ != nil {
				tc.break_(d)
			}
			code, out := d.check(t)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !regexp.MustCompile(`(?m)^` + tc.line).MatchString(out) {
				t.Errorf("no line /%s/ in\n%s", tc.line, out)
			}
			if fails := strings.Count(out, " FAIL "); fails != 1 {
				t.Errorf("%d checks failed, want only this one:\n%s", fails, out)
			}
		})
	}
}

// With msp_language: nl the starter's help and its checks speak Dutch,
// the fixes included; the check names and the ok and FAIL columns, which
// scripts read, stay the same.
func TestTheStarterSpeaksTheMSPsLanguage(t *testing.T) {
	d := newDoctorSetup(t, func(y string) string { return "msp_language: nl\n" + y })
	d.contoso.Roles = []string{"SecurityEvents.Read.All"}
	code, out := d.check(t)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, line := range []string{
		`contoso\s+graph secure score\s+ok\s+28,13 van 98,00 punten \(28,7 %\)`,
		`contoso\s+graph permissions\s+FAIL\s+het token mist SecurityEvents.ReadWrite.All \(het heeft: SecurityEvents.Read.All\); voeg`,
		`contoso\s+jira issue types\s+ok\s+Task en Change`,
		`contoso\s+slack channel\s+ok\s+#contoso-security \(C0CONTOSO\), de bot is lid`,
	} {
		if !regexp.MustCompile(`(?m)^` + line).MatchString(out) {
			t.Errorf("no line /%s/ in\n%s", line, out)
		}
	}
	var help, errOut bytes.Buffer
	Run([]string{"--config", d.config}, &help, &errOut)
	for _, want := range []string{"opdrachten:", "de Secure Score-controle van een tenant nu uitvoeren", "audit --tenant ID --since 90d"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("the help lacks %q:\n%s", want, errOut.String())
		}
	}
}

func TestConsentURLNamesTheTenantsDirectoryAndItsApp(t *testing.T) {
	d := newDoctorSetup(t)
	var out, errOut bytes.Buffer
	if code := Run([]string{"--config", d.config, "tenant", "consent-url", "--tenant", "contoso"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := d.graph.AuthorityURL() + d.contoso.AzureTenantID + "/v2.0/adminconsent?client_id=" + d.contoso.ClientID + "&scope="
	if !strings.HasPrefix(out.String(), want) {
		t.Errorf("consent URL %q, want it to start with %q", out.String(), want)
	}
}
