package demo

import (
	"fmt"
	"strings"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// tenant is one of the demo's customers: its Graph data, where its tickets
// go, how it is told (its Slack channel and approver there, or the
// addresses it is mailed at), and the person who signs in to its dashboard
// and may decide there.
type tenant struct {
	id, name    string
	language    texts.Language
	graph       *sim.Tenant
	jiraProject string
	jiraName    string
	channel     string // "": not told in Slack
	channelName string
	approver    slacksim.User
	mailTo      []string // the people told by e-mail; none: not told by e-mail
	viewer      entrasim.User
	// secretVariable is the environment variable of its Graph app's secret.
	secretVariable string
}

// demoTenants are Contoso, of the seed webinar, in English, told in Slack,
// and Van Dijk Bouw, in Dutch, told by e-mail and deciding on the
// dashboard, so both languages and both ways can be seen.
func demoTenants() []*tenant {
	contoso, vanDijk, fabrikam, northwind := sim.Contoso(), sim.VanDijk(), sim.Fabrikam(), sim.Northwind()
	chris, daan, fiona, nina := chrisCustomer, daanDeKlant, fionaFabrikam, ninaNorthwind
	chris.TenantID, daan.TenantID, fiona.TenantID, nina.TenantID = contoso.AzureTenantID, vanDijk.AzureTenantID, fabrikam.AzureTenantID, northwind.AzureTenantID
	return []*tenant{
		{id: "contoso", name: "Contoso", language: texts.English, graph: contoso, jiraProject: "CON", jiraName: "Contoso Security",
			channel: "C0CONTOSO", channelName: "contoso-security", approver: customer, viewer: chris, secretVariable: "DEMO_GRAPH_CLIENT_SECRET"},
		{id: "vandijk", name: "Van Dijk Bouw", language: texts.Dutch, graph: vanDijk, jiraProject: "VDB", jiraName: "Van Dijk Bouw Security",
			mailTo: []string{daan.Username}, viewer: daan, secretVariable: "DEMO_VANDIJK_GRAPH_CLIENT_SECRET"},
		// Two more customers, so that the MSP's fleet pages have a fleet.
		{id: "fabrikam", name: "Fabrikam", language: texts.English, graph: fabrikam, jiraProject: "FAB", jiraName: "Fabrikam Security",
			channel: "C0FABRIKAM", channelName: "fabrikam-security", approver: fabrikamApprover, viewer: fiona, secretVariable: "DEMO_FABRIKAM_GRAPH_CLIENT_SECRET"},
		{id: "northwind", name: "Northwind Traders", language: texts.English, graph: northwind, jiraProject: "NWT", jiraName: "Northwind Security",
			mailTo: []string{nina.Username}, viewer: nina, secretVariable: "DEMO_NORTHWIND_GRAPH_CLIENT_SECRET"},
	}
}

// entry is the tenant's entry in the demo's config: its people may decide
// on the dashboard as well as in Slack.
func (t *tenant) entry() string {
	var b strings.Builder
	fmt.Fprintf(&b, `  - id: %s
    name: %s
    language: %s
    azure_tenant_id: %s
    client_id: %s
    client_secret: ${%s}
    products: [AzureAD, Exchange, SharePoint, Teams, DefenderForOffice]
    jira_project: %s
`, t.id, t.name, t.language, t.graph.AzureTenantID, t.graph.ClientID, t.secretVariable, t.jiraProject)
	approvers := []string{fmt.Sprintf("%q", "entra:"+t.viewer.ObjectID)}
	if t.channel != "" {
		fmt.Fprintf(&b, "    slack_channel: %s\n    technical_lead: U0TECHLEAD\n", t.channel)
		approvers = append([]string{t.approver.ID}, approvers...)
	}
	if len(t.mailTo) > 0 {
		fmt.Fprintf(&b, "    mail_to: [%s]\n    technical_lead_mail: %s\n", strings.Join(t.mailTo, ", "), technicalLeadMail)
	}
	fmt.Fprintf(&b, "    approvers: [%s]\n", strings.Join(approvers, ", "))
	return b.String()
}

// tenant is the demo tenant with that id; empty is Contoso.
func (e *Environment) tenant(id string) (*tenant, bool) {
	for _, t := range e.tenants {
		if t.id == id || (id == "" && t.id == "contoso") {
			return t, true
		}
	}
	return nil, false
}
