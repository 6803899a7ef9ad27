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
	gw := gateway.New(prometheus.NewRegistry(), nil, zerolog.Nop())
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

// Anyone may ask /readyz: it says which dependency is down, not why (an
// address, a certificate's name); the log says why. Liveness stays up
// meanwhile: an outage of Temporal must not have every worker restarted.
func TestReadinessSaysWhatIsDownButNotWhy(t *testing.T) {
	var logs bytes.Buffer
	cause := "dial tcp 10.1.2.3:7233: x509: certificate is valid for temporal.internal.msp.example"
	gw := gateway.New(prometheus.NewRegistry(), map[string]gateway.HealthCheck{
		"temporal": func(context.Context) error { return errors.New(cause) },
		"store":    func(context.Context) error { return nil },
	}, zerolog.New(&logs))
	base := serve(t, gw)
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"temporal":"unavailable"`) ||
		!strings.Contains(body, `"store":"ok"`) || !strings.Contains(body, `"status":"unready"`) {
		t.Errorf("readyz: %d %s", code, body)
	}
	if strings.Contains(body, "10.1.2.3") || strings.Contains(body, "x509") {
		t.Errorf("readyz tells anyone why: %s", body)
	}
	if !strings.Contains(logs.String(), "10.1.2.3") {
		t.Errorf("the log does not say why: %s", logs.String())
	}
	if code, body := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("liveness with Temporal down: %d %s", code, body)
	}
}

// A worker that is stopping is unready, though everything it needs answers,
// so that no new work is sent to it while it drains.
func TestAStoppingWorkerIsUnready(t *testing.T) {
	gw := gateway.New(prometheus.NewRegistry(), map[string]gateway.HealthCheck{"temporal": func(context.Context) error { return nil }}, zerolog.Nop())
	base := serve(t, gw)
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"status":"ready"`) {
		t.Fatalf("readyz: %d %s", code, body)
	}
	gw.Stopping()
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"status":"stopping"`) {
		t.Errorf("readyz while stopping: %d %s", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("liveness while stopping: %d", code)
	}
}

func serve(t *testing.T, gw *gateway.Gateway) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gw.Serve(listener)
	t.Cleanup(func() { _ = gw.Shutdown(context.Background()) })
	return "http://" + listener.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
