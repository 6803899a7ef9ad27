// Package temporalclient connects scoreflow to Temporal: the dial options for a
// self-hosted cluster, Temporal Cloud or the embedded dev server, and the
// search attributes every scoreflow namespace needs.
package temporalclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/codec"
)

// Address is where the configured cluster's frontend is: temporal.address, or
// the embedded server's port on its IP when the address is empty.
func Address(cfg config.Temporal) string {
	if cfg.Address != "" {
		return cfg.Address
	}
	return net.JoinHostPort(cfg.Embedded.IP, strconv.Itoa(cfg.Embedded.Port))
}

// Options builds the SDK client options for the configured cluster, with
// payloads through the codec (Codec; nil when encryption is off).
func Options(cfg config.Temporal, logger zerolog.Logger, metrics client.MetricsHandler, payloads *codec.Codec) (client.Options, error) {
	opts := client.Options{
		HostPort:       Address(cfg),
		Namespace:      cfg.Namespace,
		Logger:         logging.Temporal(logger),
		MetricsHandler: metrics,
	}
	tlsConfig, err := tlsConfig(cfg)
	if err != nil {
		return opts, err
	}
	opts.ConnectionOptions.TLS = tlsConfig
	if cfg.APIKey.IsSet() {
		opts.Credentials = client.NewAPIKeyStaticCredentials(cfg.APIKey.Reveal())
	}
	if payloads != nil {
		opts.DataConverter = payloads.DataConverter()
		// Failures' messages and stack traces go through the codec too: an
		// activity's error can quote what a customer wrote.
		opts.FailureConverter = temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
			DataConverter: opts.DataConverter, EncodeCommonAttributes: true,
		})
	}
	return opts, nil
}

// Codec is the payload codec of temporal.encryption, or nil when it is off.
func Codec(e config.Encryption) (*codec.Codec, error) {
	if !e.On() {
		return nil, nil
	}
	text := e.Keys.Reveal()
	if e.KeysFile != "" {
		raw, err := os.ReadFile(e.KeysFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.encryption.keys_file: %w", err)
		}
		text = string(raw)
	}
	keys, err := codec.ParseKeys(text)
	if err != nil {
		return nil, fmt.Errorf("temporal.encryption: %w", err)
	}
	return codec.New(keys), nil
}

func tlsConfig(cfg config.Temporal) (*tls.Config, error) {
	t := cfg.TLS
	// Temporal Cloud's API keys travel only over TLS.
	if !t.Enabled && t.CertFile == "" && t.CAFile == "" && !cfg.APIKey.IsSet() {
		return nil, nil
	}
	out := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CertFile != "" {
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls: %w", err)
		}
		out.Certificates = []tls.Certificate{pair}
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls.ca_file: %w", err)
		}
		out.RootCAs = x509.NewCertPool()
		if !out.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("temporal.tls.ca_file: no certificate in %s", t.CAFile)
		}
	}
	return out, nil
}

// Dial connects, retrying while the cluster comes up (an embedded server, or a
// worker container started before the Temporal container), until ctx ends.
func Dial(ctx context.Context, opts client.Options) (client.Client, error) {
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		if ctxErr := pause(ctx, 500*time.Millisecond); ctxErr != nil {
			return nil, fmt.Errorf("connecting to Temporal at %s: %w", opts.HostPort, errors.Join(err, ctxErr))
		}
	}
}
