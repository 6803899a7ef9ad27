package demo

import (
	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// tenant is one of the demo's customers: its Graph data, where its tickets
// and decisions go, the approver who decides in Slack, and the person who
// signs in to its dashboard.
type tenant struct {
	id, name    string
	language    texts.Language
	graph       *sim.Tenant
	jiraProject string
	jiraName    string
	channel     string
	channelName string
	approver    slacksim.User
	viewer      entrasim.User
	// secretVariable is the environment variable of its Graph app's secret.
	secretVariable string
}

// demoTenants are Contoso, of the seed webinar, in English, and Van Dijk
// Bouw, in Dutch, so both languages can be seen.
func demoTenants() []*tenant {
	contoso, vanDijk := sim.Contoso(), sim.VanDijk()
	chris, daan := chrisCustomer, daanDeKlant
	chris.TenantID, daan.TenantID = contoso.AzureTenantID, vanDijk.AzureTenantID
	return []*tenant{
		{id: "contoso", name: "Contoso", language: texts.English, graph: contoso, jiraProject: "CON", jiraName: "Contoso Security",
			channel: "C0CONTOSO", channelName: "contoso-security", approver: customer, viewer: chris, secretVariable: "DEMO_GRAPH_CLIENT_SECRET"},
		{id: "vandijk", name: "Van Dijk Bouw", language: texts.Dutch, graph: vanDijk, jiraProject: "VDB", jiraName: "Van Dijk Bouw Security",
			channel: "C0VANDIJK", channelName: "vandijk-beveiliging", approver: klant, viewer: daan, secretVariable: "DEMO_VANDIJK_GRAPH_CLIENT_SECRET"},
	}
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
