package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse: no input makes the loader panic, and no error reveals a secret.
func FuzzParse(f *testing.F) {
	valid, _ := os.ReadFile("testdata/valid.yaml")
	f.Add(string(valid))
	f.Add("tenants: [{id: x}]")
	f.Add("temporal: {address: ':'}\n")
	f.Add("jira: {api_token: plain}")
	f.Add("a: ${UNSET}")
	f.Add("- not a mapping")
	f.Fuzz(func(t *testing.T, yaml string) {
		const secret = "fuzz-secret-value"
		cfg, err := Parse([]byte(yaml), func(string) (string, bool) { return secret, true })
		if err != nil {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("an error reveals a secret: %v", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("Parse accepted a config that Validate refuses: %v", err)
		}
	})
}
