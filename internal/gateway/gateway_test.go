package gateway_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/gateway"
)

// An oversized body or header is refused with 413 or 431 before a handler
// sees it all, and the gateway goes on answering.
func TestOversizedRequestsAreRefusedAndTheGatewayStaysUp(t *testing.T) {
	gw := gateway.New(prometheus.NewRegistry(), func(context.Context) error { return nil }, zerolog.Nop())
	var handled int
	gw.Handle("POST /hook", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		handled++
		w.WriteHeader(http.StatusNoContent)
	}))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gw.Serve(listener)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = gw.Shutdown(ctx)
	})
	base := "http://" + listener.Addr().String()

	post := func(body []byte, header string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/hook", bytes.NewReader(body))
		if header != "" {
			req.Header.Set("X-Padding", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(make([]byte, gateway.MaxRequestBody+1), ""); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit got %d, want 413", code)
	}
	if code := post([]byte("{}"), strings.Repeat("x", 128<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a header over the limit got %d, want 431", code)
	}
	if handled != 0 {
		t.Errorf("%d oversized requests were handled", handled)
	}
	if code := post([]byte("{}"), ""); code != http.StatusNoContent || handled != 1 {
		t.Errorf("a normal request after them got %d", code)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz after oversized requests: %v %v", resp, err)
	}
	resp.Body.Close()
}

// Anyone may ask /healthz: it says Temporal is down, not why (an address,
// a certificate's name); the log says why.
func TestHealthSaysWhatIsDownButNotWhy(t *testing.T) {
	var logs bytes.Buffer
	cause := "dial tcp 10.1.2.3:7233: x509: certificate is valid for temporal.internal.msp.example"
	gw := gateway.New(prometheus.NewRegistry(), func(context.Context) error { return errors.New(cause) }, zerolog.New(&logs))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gw.Serve(listener)
	t.Cleanup(func() { _ = gw.Shutdown(context.Background()) })
	resp, err := http.Get("http://" + listener.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"temporal":"unavailable"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "10.1.2.3") || strings.Contains(string(body), "x509") {
		t.Errorf("healthz tells anyone why: %s", body)
	}
	if !strings.Contains(logs.String(), "10.1.2.3") {
		t.Errorf("the log does not say why: %s", logs.String())
	}
}
