package sim

// ControlProfile is a secureScoreControlProfile as Graph returns it.
type ControlProfile struct {
	ID                  string        `json:"id"`
	AzureTenantID       string        `json:"azureTenantId"`
	Title               string        `json:"title"`
	Service             string        `json:"service"`
	ControlCategory     string        `json:"controlCategory"`
	ActionType          string        `json:"actionType"`
	ActionURL           string        `json:"actionUrl"`
	MaxScore            float64       `json:"maxScore"`
	Rank                int           `json:"rank"`
	Tier                string        `json:"tier"`
	UserImpact          string        `json:"userImpact"`
	ImplementationCost  string        `json:"implementationCost"`
	Threats             []string      `json:"threats"`
	Deprecated          bool          `json:"deprecated"`
	Remediation         string        `json:"remediation"`
	RemediationImpact   string        `json:"remediationImpact"`
	ControlStateUpdates []StateUpdate `json:"controlStateUpdates"`
	VendorInformation   Vendor        `json:"vendorInformation"`
}

// StateUpdate is one entry of a profile's controlStateUpdates.
type StateUpdate struct {
	AssignedTo      string `json:"assignedTo"`
	Comment         string `json:"comment"`
	State           string `json:"state"`
	UpdatedBy       string `json:"updatedBy"`
	UpdatedDateTime string `json:"updatedDateTime"`
}

// Vendor is Graph's securityVendorInformation.
type Vendor struct {
	Provider        string `json:"provider"`
	ProviderVersion string `json:"providerVersion,omitempty"`
	SubProvider     string `json:"subProvider,omitempty"`
	Vendor          string `json:"vendor"`
}

// Tenant is one simulated customer: its app registration and its Secure Score.
type Tenant struct {
	AzureTenantID   string
	ClientID        string
	ClientSecret    string
	CertificatePEM  []byte // public certificate accepted for client assertions
	EnabledServices []string
	// Roles are the application permissions the tenant's admin consented to
	// (nil: SecurityEvents.ReadWrite.All).
	Roles    []string
	Profiles []ControlProfile
	// Story is how the scores came to be today's: the history Graph serves.
	Story  []ScoreChange
	Scores map[string]float64 // latest controlScores by control id
	// Mailboxes are the directory's mailboxes (the MSP's, in the demo).
	Mailboxes []string
	// MailPolicy, if set, is the Exchange application access policy: the
	// only mailboxes the app may send from and read.
	MailPolicy []string
}

// contosoStory is Contoso's year: its Secure Score rose from 21.3 % a year
// ago to 28.7 % today (20.87 and 28.13 of 98 points), the webinar's two
// figures, as the MSP completed these controls.
var contosoStory = []ScoreChange{
	{"OneAdmin", 300, 0},
	{"exo_mailtipsenabled", 250, 0},
	{"meeting_pstnusersbypasslobby_v1", 200, 0},
	{"meeting_externalrequestcontrol_v1", 150, 0},
	{"meeting_anonymousstartmeeting_v1", 120, 0},
	{"meeting_autoadmitusers_v1", 75, 0},
	{"SelfServicePasswordReset", 40, 0},
	{"11770.MDA_Google_EnableTwoFactorAuth", 20, 5.87},
	{"scid_25", 10, 7},
}

type seedControl struct {
	id, title, service, category string
	achieved, max                float64
	tier, userImpact, cost       string
	threats                      []string
}

// Contoso is the demo tenant of the Secure Score webinar the service was
// conceived from: the 18
// recommended actions with their points, categories and products (Secure
// Score 14.06/66), plus profiles of products outside an MSP's IBI scope.
// Titles, points, categories and products come from the webinar's screens;
// the ids and service values are Microsoft's, as real tenants' profiles
// show them (the webinar's "Remove TLS 1.0/1.1" row, whose id no public
// profile shows, is replaced by another 1-point Exchange control).
func Contoso() *Tenant {
	seeds := []seedControl{
		// "To address", ranks 1-9 of the Recommended actions list.
		{"AdminMFAV2", "Require MFA for administrative roles", "AzureAD", "Identity", 0, 10, "Core", "Low", "Low", []string{"Password Cracking", "Account Breach", "Elevation of Privilege"}},
		{"MFARegistrationV2", "Ensure all users can complete multi-factor authentication for secure access", "AzureAD", "Identity", 0, 9, "Core", "Moderate", "Moderate", []string{"Password Cracking", "Account Breach"}},
		{"BlockLegacyAuthentication", "Enable policy to block legacy authentication", "AzureAD", "Identity", 0, 8, "Core", "Moderate", "Moderate", []string{"Password Spray", "Account Breach"}},
		{"UserRiskPolicy", "Turn on user risk policy", "AzureAD", "Identity", 0, 7, "Defense in Depth", "Moderate", "Moderate", []string{"Account Breach"}},
		{"SigninRiskPolicy", "Turn on sign-in risk policy", "AzureAD", "Identity", 0, 7, "Defense in Depth", "Moderate", "Moderate", []string{"Account Breach"}},
		{"IntegratedApps", "Do not allow users to grant consent to unmanaged applications", "AzureAD", "Identity", 0, 4, "Core", "Moderate", "Low", []string{"Data Exfiltration", "Elevation of Privilege"}},
		{"meeting_designatedpresenter_v1", "Configure which users are allowed to present in Teams meetings", "MS Teams", "Apps", 0, 2, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		{"meeting_autoadmitusers_v1", "Only invited users should be automatically admitted to Teams meetings", "MS Teams", "Apps", 1, 2, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		{"CustomerLockBoxEnabled", "Turn on customer lockbox feature", "EXO", "Apps", 0, 1, "Advanced", "Low", "Moderate", []string{"Data Exfiltration", "Malicious Insider"}},
		// Ranks 10-12 are off the webinar's screens; its History names the first two, and the
		// third is the one more 1-point control that makes the total 14.06/66.
		{"SelfServicePasswordReset", "Enable self-service password reset", "AzureAD", "Identity", 0.06, 1, "Core", "Low", "Low", []string{"Account Breach"}},
		{"RoleOverlap", "Use limited administrative roles", "AzureAD", "Identity", 0, 1, "Core", "Low", "Low", []string{"Elevation of Privilege"}},
		{"aad_admin_consent_workflow", "Turn on the admin consent workflow", "AzureAD", "Identity", 0, 1, "Core", "Low", "Low", []string{"Elevation of Privilege"}},
		// "Completed", ranks 13-18.
		{"PWAgePolicyNew", "Do not expire passwords", "AzureAD", "Identity", 8, 8, "Core", "Low", "Low", []string{"Password Cracking"}},
		{"exo_mailtipsenabled", "Ensure MailTips are enabled for end users", "EXO", "Apps", 1, 1, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		{"OneAdmin", "Designate more than one global admin", "AzureAD", "Identity", 1, 1, "Core", "Low", "Low", []string{"Account Breach"}},
		{"meeting_pstnusersbypasslobby_v1", "Restrict dial-in users from bypassing a meeting lobby", "MS Teams", "Apps", 1, 1, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		{"meeting_externalrequestcontrol_v1", "Limit external participants from having control in a Teams meeting", "MS Teams", "Apps", 1, 1, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		{"meeting_anonymousstartmeeting_v1", "Restrict anonymous users from starting Teams meetings", "MS Teams", "Apps", 1, 1, "Core", "Low", "Low", []string{"Data Exfiltration"}},
		// Outside the IBI scope: devices (Defender for Endpoint, whose scid_*
		// controls take no state updates) and a SaaS app connected to Defender
		// for Cloud Apps are other MSP services.
		{"scid_2010", "Turn on Microsoft Defender Antivirus", "MDATP", "Device", 0, 8, "Core", "Low", "Low", []string{"Malware"}},
		{"scid_2003", "Turn on Tamper Protection", "MDATP", "Device", 0, 9, "Core", "Low", "Low", []string{"Malware"}},
		{"scid_25", "Enable 'Local Security Authority (LSA) protection'", "MDATP", "Device", 8, 8, "Core", "Low", "Low", []string{"Credential Theft"}},
		{"11770.MDA_Google_EnableTwoFactorAuth", "Enable multi-factor authentication (MFA)", "MDA_Google", "Identity", 6.07, 7, "Core", "Unknown", "Unknown", []string{"Account Breach"}},
	}
	t := &Tenant{
		AzureTenantID:   "69997834-fa40-45da-bad8-382c3bdc66c3", // Contoso's Directory ID on the webinar's screen
		Story:           contosoStory,
		ClientID:        "11111111-1111-1111-1111-111111111111",
		ClientSecret:    "contoso-demo-secret",
		EnabledServices: []string{"HasAADP2", "HasExchange", "HasSPOP1", "HasOD4B", "HasTeams"},
		Scores:          map[string]float64{},
	}
	for i, s := range seeds {
		t.Profiles = append(t.Profiles, ControlProfile{
			ID: s.id, AzureTenantID: t.AzureTenantID, Title: s.title, Service: s.service,
			ControlCategory: s.category, ActionType: "Config", MaxScore: s.max, Rank: i + 1,
			Tier: s.tier, UserImpact: s.userImpact, ImplementationCost: s.cost, Threats: s.threats,
			ActionURL:           "https://security.microsoft.com/securescore?viewid=actions&actionId=" + s.id,
			Remediation:         "<p>" + s.title + ": follow the implementation steps in the Microsoft 365 Defender portal.</p>",
			RemediationImpact:   "Users affected: see the control's implementation status.",
			ControlStateUpdates: []StateUpdate{},
			VendorInformation:   Vendor{Provider: "SecureScore", Vendor: "Microsoft"},
		})
		t.Scores[s.id] = s.achieved
	}
	return t
}

// VanDijk is the demo's Dutch-speaking tenant, Van Dijk Bouw: Contoso's
// controls and story in a directory of its own.
func VanDijk() *Tenant {
	return contosoAs("7a4d1b2c-0000-4000-8000-00000000d1e5", "22222222-2222-2222-2222-222222222222", "vandijk-demo-secret")
}

// Fabrikam and Northwind are two more of the demo's customers, with
// Contoso's controls, so that the MSP's fleet pages have a fleet.
func Fabrikam() *Tenant {
	return contosoAs("fab0fab0-0000-4000-8000-00000000fab0", "44444444-4444-4444-4444-444444444444", "fabrikam-demo-secret")
}

func Northwind() *Tenant {
	return contosoAs("a0a0a0a0-0000-4000-8000-0000000a0a0a", "55555555-5555-5555-5555-555555555555", "northwind-demo-secret")
}

// contosoAs is Contoso's estate in another directory, with its own app.
func contosoAs(azureTenantID, clientID, secret string) *Tenant {
	t := Contoso()
	t.AzureTenantID, t.ClientID, t.ClientSecret = azureTenantID, clientID, secret
	for i := range t.Profiles {
		t.Profiles[i].AzureTenantID = t.AzureTenantID
	}
	return t
}

// MSPMailbox is the MSP's mailbox scoreflow mails customers from, in the
// simulated MSP directory; MSPOtherMailbox is one its access policy leaves out.
const (
	MSPMailbox      = "scoreflow@msp.example"
	MSPOtherMailbox = "finance@msp.example"
)

// MSP is the MSP's own directory: no Secure Score of its own to serve, a
// mailbox the MSP's app may send from (Mail.Send and Mail.ReadBasic,
// limited to it by an application access policy), and one it may not.
func MSP() *Tenant {
	return &Tenant{AzureTenantID: "0d3c5f8e-0000-4000-8000-000000000001", ClientID: "33333333-3333-3333-3333-333333333333",
		ClientSecret: "msp-demo-secret", Roles: []string{"Mail.Send", "Mail.ReadBasic"},
		Mailboxes: []string{MSPMailbox, MSPOtherMailbox}, MailPolicy: []string{MSPMailbox}}
}
