package sim

import "fmt"

// SyntheticSecret is the client secret of every Synthetic tenant.
const SyntheticSecret = "synthetic-tenant-secret"

// Synthetic is a made-up customer for load tests: controls open Azure AD
// recommendations, all in an MSP's scope, none scored yet. Index n gives a
// distinct Azure tenant id and app registration.
func Synthetic(n, controls int) *Tenant {
	t := &Tenant{
		AzureTenantID:   fmt.Sprintf("5e000000-0000-4000-8000-%012d", n),
		ClientID:        fmt.Sprintf("c1000000-0000-4000-8000-%012d", n),
		ClientSecret:    SyntheticSecret,
		EnabledServices: []string{"HasAADP2", "HasExchange"},
		Scores:          map[string]float64{},
	}
	for i := range controls {
		id := fmt.Sprintf("SyntheticControl%03d", i+1)
		t.Profiles = append(t.Profiles, ControlProfile{
			ID: id, AzureTenantID: t.AzureTenantID, Title: fmt.Sprintf("Synthetic recommendation %d", i+1),
			Service: "AzureAD", ControlCategory: "Identity", ActionType: "Config", MaxScore: float64(1 + i%10), Rank: i + 1,
			Tier: "Core", UserImpact: "Low", ImplementationCost: "Low", Threats: []string{"Account Breach"},
			ActionURL:           "https://security.microsoft.com/securescore?viewid=actions&actionId=" + id,
			Remediation:         "<p>Follow the implementation steps in the Microsoft 365 Defender portal.</p>",
			ControlStateUpdates: []StateUpdate{},
			VendorInformation:   Vendor{Provider: "SecureScore", Vendor: "Microsoft"},
		})
		t.Scores[id] = 0
	}
	return t
}
