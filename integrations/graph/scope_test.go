package graph_test

import (
	"slices"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/graph"
)

// Products map to the service values real profiles carry (Teams is "MS
// Teams"); other entries are raw service values, compared without regard to
// case; an entry no profile of the tenant has is reported, since a typo
// would otherwise narrow the scope without a word.
func TestScopeTakesProductsAndRawServiceValues(t *testing.T) {
	scope := graph.NewScope([]string{"Teams", "Exchange", "MDATP", "MDA_Zoomm"})
	for _, service := range []string{"MS Teams", "ms teams", "EXO", "mdatp"} {
		if !scope.Covers(service) {
			t.Errorf("the scope does not cover %q", service)
		}
	}
	if scope.Covers("MicrosoftTeams") || scope.Covers("AzureAD") {
		t.Error("the scope covers a service it does not name")
	}
	if got, want := scope.Services(), []string{"EXO", "MDATP", "MDA_Zoomm", "MS Teams"}; !slices.Equal(got, want) {
		t.Errorf("services = %v, want %v", got, want)
	}
	profiles := []graph.Control{{ID: "meeting_autoadmitusers_v1", Service: "MS Teams"}, {ID: "scid_2010", Service: "MDATP"},
		{ID: "11770.MDA_Zoom_EnableTwoFactorAuth", Service: "MDA_Zoom"}}
	if got := scope.Unseen(profiles); !slices.Equal(got, []string{"MDA_Zoomm"}) {
		t.Errorf("unseen = %v, want the misspelt MDA_Zoomm only", got)
	}
}

// Graph's writers spell states in different cases.
func TestStatesCompareWithoutRegardToCase(t *testing.T) {
	for _, state := range []graph.ControlState{"Default", "default", "DEFAULT", ""} {
		c := graph.Control{Scored: true, MaxScore: 2, State: state}
		if !c.Open() {
			t.Errorf("a control in state %q is not open", state)
		}
	}
	if (graph.Control{Scored: true, MaxScore: 2, State: "ignored"}).Open() {
		t.Error("a control in state \"ignored\" is open")
	}
	if graph.StateWritable("scid_2010") || !graph.StateWritable("AdminMFAV2") {
		t.Error("only Defender for Endpoint's scid_* controls take no state updates")
	}
}

func TestAdminConsentURLAsksForTheAppsPermissionsInTheCustomersDirectory(t *testing.T) {
	got, err := graph.AdminConsentURL("https://login.microsoftonline.com/", "69997834-fa40-45da-bad8-382c3bdc66c3",
		"a0a0a0a0-0000-4000-8000-000000000001", "https://graph.microsoft.com/v1.0")
	want := "https://login.microsoftonline.com/69997834-fa40-45da-bad8-382c3bdc66c3/v2.0/adminconsent" +
		"?client_id=a0a0a0a0-0000-4000-8000-000000000001&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
	if err != nil || got != want {
		t.Errorf("AdminConsentURL = %q, %v\nwant %q", got, err, want)
	}
}
