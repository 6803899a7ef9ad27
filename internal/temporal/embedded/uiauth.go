package embedded

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/labstack/echo/v4"
	"github.com/temporalio/ui-server/v2/server/api"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
)

// UIAuth is the Web UI's sign-in: the UI server's own OpenID Connect
// provider (the MSP's directory, single-tenant), which verifies the ID
// token of every API call, and Allow, which decides who among the signed-in
// may use it.
type UIAuth struct {
	ProviderURL  string // the directory's issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0
	ClientID     string
	ClientSecret string
	CallbackURL  string // <the UI's public URL>/auth/sso/callback
	// Allow returns 0 for a request from someone who may use the UI, else
	// the status to refuse it with.
	Allow func(*http.Request) (int, error)
}

func (a *UIAuth) config() uiconfig.Auth {
	return uiconfig.Auth{
		Enabled: true,
		Providers: []uiconfig.AuthProvider{{
			Label: "Microsoft", Type: "oidc", ProviderURL: a.ProviderURL, IssuerUrl: a.ProviderURL,
			ClientID: a.ClientID, ClientSecret: a.ClientSecret, CallbackURL: a.CallbackURL,
			Scopes: []string{"openid", "profile", "email"},
		}},
	}
}

// reachable looks the provider up as the UI server will: through Go's
// default HTTP client.
func (a *UIAuth) reachable() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := oidc.NewProvider(ctx, a.ProviderURL); err != nil {
		return fmt.Errorf("the Web UI's sign-in provider %s: %w", a.ProviderURL, err)
	}
	return nil
}

// middleware puts Allow in front of every Temporal API call the UI server
// forwards. The UI server has checked the token's signature, issuer and
// audience before; Allow reads who it names.
func (a *UIAuth) middleware() []api.Middleware {
	allow := func(next runtime.HandlerFunc) runtime.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
			if status, err := a.Allow(r); status != 0 {
				http.Error(w, err.Error(), status)
				return
			}
			next(w, r, params)
		}
	}
	return []api.Middleware{func(echo.Context) runtime.ServeMuxOption { return runtime.WithMiddlewares(allow) }}
}
