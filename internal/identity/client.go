package identity

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
)

// AuthorityClient is the HTTP client that reaches the OpenID provider
// (Entra ID): it trusts dashboard.ca_file instead of the system's roots,
// as graph.ca_file does for Graph, when it is set.
func AuthorityClient(caFile string) (*http.Client, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	if caFile == "" {
		return client, nil
	}
	pool, err := graph.LoadRootCAs(caFile)
	if err != nil {
		return nil, fmt.Errorf("dashboard.ca_file: %w", err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	client.Transport = transport
	return client, nil
}
