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
			// A value expanded into an ordinary key (an address, say) is echoed
			// to help fix it; one expanded into a secret key never is.
			for _, line := range strings.Split(err.Error(), "\n") {
				key, _, _ := strings.Cut(strings.TrimSpace(line), ":")
				if strings.Contains(line, secret) && isSecretKey(key) {
					t.Fatalf("an error reveals the secret of %s: %v", key, err)
				}
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("Parse accepted a config that Validate refuses: %v", err)
		}
	})
}

// isSecretKey reports whether a key path names a secret (README: *_token, *_secret, api_key).
func isSecretKey(path string) bool {
	name := path[strings.LastIndex(path, ".")+1:]
	return strings.HasSuffix(name, "_token") || strings.HasSuffix(name, "_secret") || name == "api_key"
}
