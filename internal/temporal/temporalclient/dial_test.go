package temporalclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
)

func TestOptionsForTheEmbeddedServerAndForAClusterWithTLSAndAPIKey(t *testing.T) {
	embedded := config.Temporal{Namespace: "default", Embedded: config.Embedded{IP: "127.0.0.1", Port: 7233}}
	opts, err := Options(embedded, zerolog.Nop(), nil, nil)
	if err != nil || opts.HostPort != "127.0.0.1:7233" || opts.ConnectionOptions.TLS != nil || opts.Credentials != nil {
		t.Errorf("embedded: %+v, %v", opts, err)
	}

	dir := t.TempDir()
	certFile, keyFile := writeCertificate(t, dir)
	cloud := config.Temporal{
		Address: "scoreflow.a1b2c.tmprl.cloud:7233", Namespace: "scoreflow.a1b2c", APIKey: config.NewSecret("key"),
		TLS: config.TLS{CertFile: certFile, KeyFile: keyFile, CAFile: certFile, ServerName: "scoreflow.a1b2c.tmprl.cloud"},
	}
	opts, err = Options(cloud, zerolog.Nop(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tls := opts.ConnectionOptions.TLS
	if opts.HostPort != cloud.Address || tls == nil || len(tls.Certificates) != 1 || tls.RootCAs == nil ||
		tls.ServerName != "scoreflow.a1b2c.tmprl.cloud" || opts.Credentials == nil {
		t.Errorf("cloud: %+v", opts)
	}

	apiKeyOnly := config.Temporal{Address: "eu-west-1.aws.api.temporal.io:7233", Namespace: "ns", APIKey: config.NewSecret("key")}
	if opts, err := Options(apiKeyOnly, zerolog.Nop(), nil, nil); err != nil || opts.ConnectionOptions.TLS == nil {
		t.Errorf("an API key must travel over TLS: %+v, %v", opts.ConnectionOptions.TLS, err)
	}

	badCA := filepath.Join(dir, "empty.pem")
	_ = os.WriteFile(badCA, []byte("not a certificate"), 0o600)
	if _, err := Options(config.Temporal{Address: "t:7233", TLS: config.TLS{CAFile: badCA}}, zerolog.Nop(), nil, nil); err == nil || !strings.Contains(err.Error(), "temporal.tls.ca_file") {
		t.Errorf("a CA file without certificates: %v", err)
	}
}

func writeCertificate(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scoreflow"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}
