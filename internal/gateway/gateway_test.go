package gateway_test

import (
	"bytes"
	"context"
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
