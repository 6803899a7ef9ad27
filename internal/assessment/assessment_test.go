package assessment

import (
	"testing"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func TestAssessContosoControls(t *testing.T) {
	rules, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	licences := []string{"HasAADP2", "HasExchange", "HasSPOP1"}
	admin := rules.Assess("AdminMFAV2", lifecycle.ControlFacts{Tier: "Core", UserImpact: "Low", ImplementationCost: "Low",
		MaxScore: 10, Threats: []string{"Password Cracking", "Account Breach"}, EnabledServices: licences})
	if !admin.SuggestCritical || admin.FinancialImpact || admin.UserImpact != "low" {
		t.Errorf("AdminMFAV2 = %+v", admin)
	}
	lockbox := rules.Assess("CustomerLockBoxEnabled", lifecycle.ControlFacts{Tier: "Advanced", UserImpact: "Low",
		ImplementationCost: "Moderate", MaxScore: 1, Threats: []string{"Data Exfiltration"}, EnabledServices: licences})
	if lockbox.SuggestCritical || !lockbox.FinancialImpact || len(lockbox.MissingLicences) != 1 {
		t.Errorf("CustomerLockBoxEnabled = %+v", lockbox)
	}
	risk := rules.Assess("UserRiskPolicy", lifecycle.ControlFacts{Tier: "Defense in Depth", UserImpact: "Moderate",
		ImplementationCost: "Low", MaxScore: 7, EnabledServices: []string{"HasAADP1"}})
	if !risk.FinancialImpact || risk.MissingLicences[0] != "Microsoft Entra ID P2 (Identity Protection)" || risk.UserImpact != "moderate" {
		t.Errorf("UserRiskPolicy without P2 = %+v", risk)
	}
}
