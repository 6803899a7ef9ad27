package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A database without its visibility file was made by a development version
// whose workflows do not replay on this release: it is refused, naming the
// file, and nothing is written to it.
func TestADatabaseWithoutItsVisibilityFileIsRefused(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	if err := os.WriteFile(dbFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Start(Options{DBFile: dbFile, Namespace: "default", Port: 7233})
	if err == nil || !strings.Contains(err.Error(), dbFile) || !strings.Contains(err.Error(), "v0.1.0") {
		t.Fatalf("Start = %v, want a refusal naming %s", err, dbFile)
	}
	if info, _ := os.Stat(dbFile); info.Size() != 0 {
		t.Errorf("the refused database was written: %d bytes", info.Size())
	}
	if _, err := os.Stat(visibilityFile(dbFile)); !os.IsNotExist(err) {
		t.Errorf("a visibility file was created beside the refused database: %v", err)
	}
}
