package graph

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	kiotaauth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/scoreflow/scoreflow/integrations/httppool"
)

// MaxConcurrentRequests is the per-tenant limit on requests to Graph in flight
// (docs/operations.md): Graph throttles per tenant and app.
const MaxConcurrentRequests = 4

// Credentials identify one customer's app registration. The secret is held
// here only; it never enters a workflow input or a log line.
type Credentials struct {
	AzureTenantID  string
	ClientID       string
	ClientSecret   string
	CertificatePEM []byte // certificate and private key, instead of ClientSecret
}

// Endpoints are the hosts of one cloud: the global one or a national cloud.
type Endpoints struct {
	BaseURL       string // e.g. https://graph.microsoft.com/v1.0
	AuthorityHost string // e.g. https://login.microsoftonline.com/
	// RootCAs, when set, replaces the system's trusted roots: a private
	// authority, a TLS-inspecting proxy, or the simulator in tests.
	RootCAs *x509.CertPool
}

// LoadRootCAs reads a PEM bundle for Endpoints.RootCAs.
func LoadRootCAs(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// Client is Graph for one tenant.
type Client struct {
	service    *msgraphsdk.GraphServiceClient
	credential azcore.TokenCredential
	scope      string // the token's scope: the Graph host's /.default
}

// NewClient builds the real SDK pipeline: azidentity for the token, the Graph
// middleware without its retry handler (Temporal retries, honouring
// Retry-After, so an activity never sleeps minutes inside the SDK), and at
// most MaxConcurrentRequests requests in flight.
func NewClient(creds Credentials, endpoints Endpoints) (*Client, error) {
	base, err := url.Parse(endpoints.BaseURL)
	if err != nil || base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("graph base URL %q: want https://host/version", endpoints.BaseURL)
	}
	transport := httppool.Transport(MaxConcurrentRequests)
	if endpoints.RootCAs != nil {
		transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: endpoints.RootCAs}
	}
	limited := newLimitedTransport(transport, MaxConcurrentRequests)

	credential, err := newCredential(creds, endpoints.AuthorityHost, &http.Client{Transport: limited, Timeout: time.Minute})
	if err != nil {
		return nil, err
	}
	// The token goes to the configured Graph host only: national clouds and
	// tests use other hosts than graph.microsoft.com.
	scope := base.Scheme + "://" + base.Host + "/.default"
	auth, err := kiotaauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(
		credential, []string{scope}, []string{base.Hostname()}) // kiota compares host names without ports
	if err != nil {
		return nil, err
	}
	middleware, err := khttp.GetDefaultMiddlewaresWithOptions(&khttp.RetryHandlerOptions{
		ShouldRetry: func(time.Duration, int, *http.Request, *http.Response) bool { return false },
	})
	if err != nil {
		return nil, err
	}
	httpClient := &http.Client{
		Transport:     khttp.NewCustomTransportWithParentTransport(limited, append(middleware, msgraphcore.NewGraphTelemetryHandler(&msgraphcore.GraphClientOptions{}))...),
		Timeout:       100 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(strings.TrimSuffix(endpoints.BaseURL, "/"))
	return &Client{service: msgraphsdk.NewGraphServiceClient(adapter), credential: credential, scope: scope}, nil
}

func newCredential(creds Credentials, authorityHost string, httpClient *http.Client) (azcore.TokenCredential, error) {
	options := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: authorityHost},
		Transport: httpClient,
	}
	// Instance discovery asks login.microsoftonline.com about the authority;
	// private authorities and national clouds must not depend on it.
	switch {
	case len(creds.CertificatePEM) > 0:
		certs, key, err := azidentity.ParseCertificates(creds.CertificatePEM, nil)
		if err != nil {
			return nil, fmt.Errorf("graph certificate: %w", err)
		}
		return azidentity.NewClientCertificateCredential(creds.AzureTenantID, creds.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: options, DisableInstanceDiscovery: true})
	case creds.ClientSecret != "":
		return azidentity.NewClientSecretCredential(creds.AzureTenantID, creds.ClientID, creds.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: options, DisableInstanceDiscovery: true})
	}
	return nil, errors.New("graph credentials: a client secret or a certificate is required")
}

// limitedTransport lets at most n requests of one tenant be in flight.
type limitedTransport struct {
	next  http.RoundTripper
	slots chan struct{}
}

func newLimitedTransport(next http.RoundTripper, n int) *limitedTransport {
	return &limitedTransport{next: next, slots: make(chan struct{}, n)}
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	defer func() { <-t.slots }()
	return t.next.RoundTrip(req)
}
