package simfault_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/simfault"
)

// Each fault fails exactly the request it should, and a write dropped after
// its effect still happened.
func TestFaultsFailTheRequestsTheyShould(t *testing.T) {
	var writes int
	faults := simfault.New(func(w http.ResponseWriter, status int) { http.Error(w, "simulated", status) })
	server := httptest.NewServer(faults.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writes++
		}
		w.WriteHeader(http.StatusNoContent)
	})))
	defer server.Close()
	client := &http.Client{Timeout: 200 * time.Millisecond}
	send := func(method string) (int, string, error) {
		req, _ := http.NewRequest(method, server.URL+"/x", strings.NewReader("{}"))
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After"), nil
	}

	faults.FailNext(simfault.Throttled("7"), simfault.Fault{Drop: true, AfterEffect: true, Method: http.MethodPost},
		simfault.Fault{Drop: true}, simfault.Fault{Delay: time.Second})
	if code, retryAfter, err := send(http.MethodGet); code != http.StatusTooManyRequests || retryAfter != "7" || err != nil {
		t.Errorf("throttled: %d %q %v", code, retryAfter, err)
	}
	if code, _, err := send(http.MethodGet); code != http.StatusNoContent || err != nil {
		t.Errorf("a GET passes a fault waiting for a POST: %d %v", code, err)
	}
	if _, _, err := send(http.MethodPost); err == nil || writes != 1 {
		t.Errorf("dropped after the effect: err %v, %d writes", err, writes)
	}
	if _, _, err := send(http.MethodPost); err == nil || writes != 1 {
		t.Errorf("dropped before: err %v, %d writes", err, writes)
	}
	if _, _, err := send(http.MethodPost); err == nil {
		t.Error("an answer slower than the client waits did not time out")
	}
	time.Sleep(100 * time.Millisecond)
	if writes != 2 || faults.Pending() != 0 || faults.Injected() != 4 {
		t.Errorf("after the slow answer: %d writes, %d pending, %d injected", writes, faults.Pending(), faults.Injected())
	}

	faults.FailFor(time.Hour, simfault.Fault{Status: http.StatusServiceUnavailable})
	for range 3 {
		if code, _, _ := send(http.MethodGet); code != http.StatusServiceUnavailable {
			t.Errorf("during an outage: %d", code)
		}
	}
}
