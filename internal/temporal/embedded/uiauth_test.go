package embedded_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/identity"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
	"github.com/scoreflow/scoreflow/internal/testutil/webui"
)

const (
	mspDirectory      = "99999999-9999-9999-9999-999999999999"
	customerDirectory = "11111111-1111-1111-1111-111111111111"
	staffGroup        = "staff-group"
	uiClientID        = "temporal-ui-app"
	uiClientSecret    = "temporal-ui-secret"
)

// The people on the simulator's login page, in order.
var people = []entrasim.User{
	{TenantID: mspDirectory, ObjectID: "oid-sam", Name: "Sam Specialist", Groups: []string{staffGroup}},
	{TenantID: customerDirectory, ObjectID: "oid-chris", Name: "Chris Customer"},
	{TenantID: mspDirectory, ObjectID: "oid-greta", Name: "Greta Guest", Groups: []string{staffGroup}, HomeTenantID: customerDirectory},
	{TenantID: mspDirectory, ObjectID: "oid-nora", Name: "Nora Notstaff"},
}

// The Web UI signs in through the MSP's directory with the UI server's own
// OpenID Connect provider; its API answers 401 without a sign-in, 200 to
// staff, 401 to a customer (another directory's token) and 403 to a guest
// or a member outside the staff group.
func TestTheWebUIServesTheMSPsStaffOnly(t *testing.T) {
	entra := entrasim.New(entrasim.Client{ID: "dashboard", Secret: "unused"}, people...)
	t.Cleanup(entra.Close)
	trustInDefaultClient(t, entra.Certificate())
	ports, err := freeport.Take("127.0.0.1", 2)
	if err != nil {
		t.Fatal(err)
	}
	ui := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	entra.AddClient(entrasim.Client{ID: uiClientID, Secret: uiClientSecret, RedirectURIs: []string{ui + "/auth/sso/callback"}})
	client, err := identity.AuthorityClient("")
	if err != nil {
		t.Fatal(err)
	}
	staff := identity.NewStaffVerifier(entra.Authority(), uiClientID, identity.Staff{TenantID: mspDirectory, Group: staffGroup}, client)
	server, err := embedded.Start(embedded.Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"), IP: "127.0.0.1",
		Port: ports[0], UIPort: ports[1], Namespace: "default", Logger: zerolog.Nop(),
		UIAuth: &embedded.UIAuth{ProviderURL: staff.Issuer(), ClientID: uiClientID, ClientSecret: uiClientSecret,
			CallbackURL: ui + "/auth/sso/callback", Allow: staff.Authorize}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(server.Stop)
	api := ui + "/api/v1/namespaces/default/workflows"
	waitForUI(t, ui)

	if status, err := webui.Call(api, ""); err != nil || status != http.StatusUnauthorized {
		t.Errorf("without sign-in the UI's API answered %d, want 401", status)
	}
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized, http.StatusForbidden, http.StatusForbidden} {
		token, err := webui.SignIn(http.DefaultTransport, ui, i)
		if i == 1 && err != nil {
			t.Logf("%s: %v", people[i].Name, err)
			continue // the UI server refuses another directory's token at its callback already
		}
		if err != nil {
			t.Fatalf("%s's sign-in: %v", people[i].Name, err)
		}
		status, err := webui.Call(api, token)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d", people[i].Name, status)
		if status != want {
			t.Errorf("%s: the UI's API answered %d, want %d", people[i].Name, status, want)
		}
	}
}

func waitForUI(t *testing.T, ui string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if response, err := http.Get(ui + "/api/v1/settings"); err == nil {
			response.Body.Close()
			return
		}
	}
	t.Fatal("the Web UI did not answer")
}

// trustInDefaultClient makes Go's default HTTP client, through which the
// UI server reaches its provider, trust the simulator's certificate too.
func trustInDefaultClient(t *testing.T, cert *x509.Certificate) {
	transport := http.DefaultTransport.(*http.Transport)
	before := transport.TLSClientConfig
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AddCert(cert)
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	t.Cleanup(func() { transport.TLSClientConfig = before })
}
