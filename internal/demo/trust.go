package demo

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

// trustInDefaultClient makes Go's default HTTP client trust the simulated
// Entra ID's certificate beside the system's roots. The Temporal Web UI
// server reaches its sign-in provider through that client and takes no CA
// of its own; the demo process trusts its own simulator there, and only it.
func trustInDefaultClient(cert *x509.Certificate) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AddCert(cert)
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// payloadKeys is the demo's payload key file in dataDir, made once: the
// workflows it encrypted need the same key at the next --demo.
func payloadKeys(dataDir string) (string, error) {
	file := filepath.Join(dataDir, "payload-keys")
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return file, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return file, os.WriteFile(file, []byte("demo-1:"+base64.StdEncoding.EncodeToString(key)+"\n"), 0o600)
}
