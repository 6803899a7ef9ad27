package dashboard

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/scoreflow/scoreflow/internal/testutil/golden"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// A tenant's page and meeting report are in the tenant's language; the
// golden files show Contoso's, in English and in Dutch, as the customer
// gets them.
func TestTheCustomerPagesSpeakTheTenantsLanguage(t *testing.T) {
	for _, language := range texts.Languages {
		t.Run(string(language), func(t *testing.T) {
			h := newHarnessOf(t, "", fmt.Sprintf(`
  - {id: contoso, name: Contoso, azure_tenant_id: %s, products: [AzureAD, Exchange], jira_project: CON, slack_channel: C0CONTOSO, approvers: [U0CHRIS], language: %s}
  - {id: fabrikam, name: Fabrikam, azure_tenant_id: %s, products: [AzureAD], jira_project: FAB, slack_channel: C0FABRIKAM, approvers: [U0FAB]}
`, contosoDirectory, language, fabrikamDirectory))
			h.seed()
			client := h.browser(true)
			h.signIn(client, 0)
			for _, page := range []string{"tenant", "report"} {
				path := map[string]string{"tenant": "/tenants/contoso", "report": "/tenants/contoso/report"}[page]
				response, body := h.get(client, h.web.URL+path)
				if response.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d", path, response.StatusCode)
				}
				golden.Check(t, filepath.Join("testdata", "golden", page+"."+string(language)+".html"), []byte(body))
			}
		})
	}
}
