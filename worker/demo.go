package main

import (
	"path/filepath"

	"github.com/scoreflow/scoreflow/config"
)

// demoConfig is the built-in demo: the Contoso tenant of the seed webinar on
// an embedded Temporal server with its Web UI, on the default ports.
func demoConfig(dataDir string) (*config.Config, error) {
	yaml := `
temporal:
  embedded: {db_file: ` + filepath.Join(dataDir, "temporal.db") + `, port: 7233, ui_port: 8233}
jira:
  base_url: http://127.0.0.1:8081
slack:
  api_url: http://127.0.0.1:8082/api/
tenants:
  - id: contoso
    name: Contoso
    azure_tenant_id: 69997834-fa40-45da-bad8-382c3bdc66c3
    client_id: 11111111-1111-1111-1111-111111111111
    certificate_file: demo
    products: [AzureAD, Exchange, SharePoint, Teams, DefenderForOffice]
    jira_project: CON
    slack_channel: C0CONTOSO
    approvers: [U0CUSTOMER1]
    technical_lead: U0TECHLEAD
`
	return config.Parse([]byte(yaml), func(string) (string, bool) { return "", false })
}
