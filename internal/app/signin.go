package app

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/identity"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/codec"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded"
)

// staffVerifier checks that the Web UI's callers (its API, the codec
// endpoint) are the MSP's staff, signed in through the UI's app in the
// MSP's directory; nil when temporal.ui asks for no sign-in.
func staffVerifier(cfg *config.Config) (*identity.StaffVerifier, error) {
	ui := cfg.Temporal.UI
	if !ui.SignInConfigured() {
		return nil, nil
	}
	client, err := identity.AuthorityClient(cfg.Dashboard.CAFile)
	if err != nil {
		return nil, err
	}
	staff := identity.Staff{TenantID: cfg.Dashboard.MSPTenantID, Group: cfg.Dashboard.MSPGroup, Role: cfg.Dashboard.MSPRole}
	return identity.NewStaffVerifier(cfg.Dashboard.Authority, ui.ClientID, staff, client), nil
}

// uiAuth is the embedded Web UI's sign-in, or nil for none.
func uiAuth(cfg *config.Config, staff *identity.StaffVerifier) *embedded.UIAuth {
	if staff == nil {
		return nil
	}
	return &embedded.UIAuth{ProviderURL: staff.Issuer(), ClientID: cfg.Temporal.UI.ClientID,
		ClientSecret: cfg.Temporal.UI.ClientSecret.Reveal(), CallbackURL: cfg.UIPublicURL() + "/auth/sso/callback", Allow: staff.Authorize}
}

// codecEndpoint is where the Web UI decodes payloads: scoreflow's codec
// endpoint when payloads are encrypted and the UI signs its staff in.
func codecEndpoint(cfg *config.Config, staff *identity.StaffVerifier) string {
	if staff == nil || !cfg.Temporal.Encryption.On() {
		return ""
	}
	return cfg.CodecURL()
}

// codecRoutes serve the codec the worker encrypts with (nil: encryption is
// off) to the Web UI's signed-in staff. Without the UI's sign-in there is
// no one to serve it to: the UI then shows encrypted payloads as they are.
func codecRoutes(cfg *config.Config, payloads *codec.Codec, staff *identity.StaffVerifier, logger zerolog.Logger) (map[string]http.Handler, error) {
	if payloads == nil {
		return nil, nil
	}
	if staff == nil {
		logging.Write(logger.Warn(), "log.codec.no_ui_signin")
		return nil, nil
	}
	ui, err := url.Parse(cfg.UIPublicURL())
	if err != nil {
		return nil, fmt.Errorf("temporal.ui.public_url: %w", err)
	}
	handler := &codec.Handler{Codec: payloads, Namespace: cfg.Temporal.Namespace, Origin: ui.Scheme + "://" + ui.Host, Authorize: staff.Authorize}
	return handler.Routes(), nil
}
