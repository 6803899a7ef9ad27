package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunRefusesWrongCallsBeforeDialing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("tenants: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "commands:"},
		{"unknown command", []string{"--config", bad, "launch"}, `unknown command "launch"`},
		{"no config", []string{"list"}, "no config"},
		{"bad config", []string{"--config", bad, "list"}, "tenants"},
		{"help", []string{"--help"}, "audit --tenant ID --since 90d"},
	}
	t.Setenv("SCOREFLOW_CONFIG", "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(tc.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit = %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
		})
	}
}
