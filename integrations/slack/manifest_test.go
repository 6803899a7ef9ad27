package slack_test

import (
	"maps"
	"net/url"
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scoreflow/scoreflow/integrations/slack"
)

// The app manifest an MSP pastes into Slack asks for exactly the scopes
// scoreflow's calls need, and sends interactions to the gateway's route.
func TestTheAppManifestAsksForEveryScopeAndTheInteractionsRoute(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		OAuthConfig struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Interactivity struct {
				IsEnabled  bool   `yaml:"is_enabled"`
				RequestURL string `yaml:"request_url"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	got, want := slices.Sorted(slices.Values(manifest.OAuthConfig.Scopes.Bot)), slices.Sorted(maps.Keys(slack.RequiredScopes))
	if !slices.Equal(got, want) {
		t.Errorf("the manifest's bot scopes are %v, the calls need %v", got, want)
	}
	interactivity := manifest.Settings.Interactivity
	request, err := url.Parse(interactivity.RequestURL)
	if !interactivity.IsEnabled || err != nil || request.Scheme != "https" || request.Path != "/slack/interactions" || manifest.Settings.SocketMode {
		t.Errorf("interactivity = %+v, socket mode %v", interactivity, manifest.Settings.SocketMode)
	}
}
