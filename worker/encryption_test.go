package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// With temporal.encryption on, what people wrote and who they are reach
// the Temporal database encrypted: its file holds no decision reason,
// advice or person's name, while the workflow, through the codec, reads
// them as ever.
func TestWithEncryptionTheTemporalDatabaseHoldsNoDecisionInPlainText(t *testing.T) {
	keysFile := filepath.Join(t.TempDir(), "payload-keys")
	writePayloadKeys(t, keysFile, "test-1")
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, fmt.Sprintf("  worker: {sticky_cache_size: %d}\n", testStickyCacheSize),
			fmt.Sprintf("  worker: {sticky_cache_size: %d}\n  encryption: {keys_file: %s}\n", testStickyCacheSize, keysFile))
	})
	s, ctx := e.setup, e.ctx
	c := dialWithCodec(t, s.temporal(), keysFile)
	secrets := []string{"Jane Specialistova", "rotate the break-glass account first", "Chris Customerson",
		"the payroll tooling of 2009 cannot do MFA"}

	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", secrets[0])
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "customer_decision", "--by", secrets[0], "--advice", secrets[1])
	starter(t, s, "decide", "contoso", "AdminMFAV2", "accept_risk", "--by", secrets[2], "--reason", secrets[3])
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageRiskAccepted)
	if st := state(t, ctx, c, "AdminMFAV2"); !strings.Contains(fmt.Sprint(st.Transitions), secrets[3]) {
		t.Errorf("through the codec the workflow does not read the reason: %+v", st.Transitions)
	}
	e.stop(t)

	files, _ := filepath.Glob(s.dbFile + "*")
	if len(files) == 0 {
		t.Fatalf("no Temporal database at %s", s.dbFile)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s holds %q in plain text", filepath.Base(file), secret)
			}
		}
	}
}

// writePayloadKeys writes a file of new payload keys with these ids, the last newest.
func writePayloadKeys(t testing.TB, file string, ids ...string) {
	t.Helper()
	var lines []string
	for _, id := range ids {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		lines = append(lines, id+":"+base64.StdEncoding.EncodeToString(key))
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// dialWithCodec is a client that reads and writes payloads as the worker does.
func dialWithCodec(t *testing.T, address, keysFile string) client.Client {
	t.Helper()
	payloads, err := temporalclient.Codec(config.Encryption{KeysFile: keysFile})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: address, DataConverter: payloads.DataConverter()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
