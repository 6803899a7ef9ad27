// Package assessment is scoreflow's automatic pre-assessment of a
// recommendation's impact, from the control profile and the tenant's
// licences, driven by the rule set in rules.yaml.
package assessment

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

//go:embed rules.yaml
var rulesYAML []byte

// Rules is the rule set; rules.yaml is its source.
type Rules struct {
	UserImpact           map[string]string `yaml:"user_impact"`
	CostlyImplementation []string          `yaml:"costly_implementation"`
	Licences             []struct {
		Controls []string `yaml:"controls"`
		AnyOf    []string `yaml:"any_of"`
		Name     string   `yaml:"name"`
	} `yaml:"licences"`
	Critical struct {
		Tiers       []string `yaml:"tiers"`
		Threats     []string `yaml:"threats"`
		MinMaxScore float64  `yaml:"min_max_score"`
	} `yaml:"critical"`
}

// Default returns the built-in rules.
func Default() (Rules, error) {
	var rules Rules
	decoder := yaml.NewDecoder(strings.NewReader(string(rulesYAML)))
	decoder.KnownFields(true)
	if err := decoder.Decode(&rules); err != nil {
		return rules, fmt.Errorf("assessment rules: %w", err)
	}
	return rules, nil
}

// Assess applies the rules to one control of one tenant.
func (r Rules) Assess(controlID string, facts lifecycle.ControlFacts) lifecycle.PreAssessment {
	var out lifecycle.PreAssessment
	out.UserImpact = r.UserImpact[strings.ToLower(facts.UserImpact)]
	if out.UserImpact == "" {
		out.UserImpact = "unknown"
	}
	out.Reasons = append(out.Reasons, fmt.Sprintf("user impact %s (Microsoft's estimate)", out.UserImpact))
	out.ImplementationEst = strings.ToLower(facts.ImplementationCost)
	if slices.Contains(r.CostlyImplementation, out.ImplementationEst) {
		out.FinancialImpact = true
		out.Reasons = append(out.Reasons, "implementation cost "+out.ImplementationEst)
	}
	for _, licence := range r.Licences {
		if !slices.Contains(licence.Controls, controlID) {
			continue
		}
		if !slices.ContainsFunc(licence.AnyOf, func(l string) bool { return slices.Contains(facts.EnabledServices, l) }) {
			out.FinancialImpact = true
			out.MissingLicences = append(out.MissingLicences, licence.Name)
			out.Reasons = append(out.Reasons, "needs "+licence.Name+", which the tenant lacks")
		}
	}
	c := r.Critical
	if slices.Contains(c.Tiers, facts.Tier) && facts.MaxScore >= c.MinMaxScore &&
		slices.ContainsFunc(facts.Threats, func(t string) bool { return slices.Contains(c.Threats, t) }) {
		out.SuggestCritical = true
		out.Reasons = append(out.Reasons, fmt.Sprintf("%s control worth %.0f points against %s: suggested critical",
			facts.Tier, facts.MaxScore, strings.Join(facts.Threats, ", ")))
	}
	return out
}
