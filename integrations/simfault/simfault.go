// Package simfault makes the local simulators of Graph, Jira and Slack fail
// the way the real services do: throttling with Retry-After, server errors,
// connections dropped before or after the request took effect, and answers
// slower than the client waits. It is a test double's tool, never used by
// scoreflow itself.
package simfault

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fault is one way a request goes wrong.
type Fault struct {
	// Status answers with this HTTP status (and RetryAfter, when set) instead of handling the request.
	Status     int
	RetryAfter string
	// Drop closes the connection without an answer: before handling the
	// request, or, with AfterEffect, once it took effect (the client cannot
	// know that its write happened).
	Drop        bool
	AfterEffect bool
	// Delay holds the answer this long, then handles the request: a client
	// that gave up meanwhile never learns that its write happened.
	Delay time.Duration
	// Method and Path, when set, make a queued fault wait for a request of
	// that method and path (a write, say); other requests pass it by.
	// PathPrefix does the same for every path under it (an API's version
	// root, so that sign-in requests pass).
	Method, Path, PathPrefix string
}

func (f Fault) matches(r *http.Request) bool {
	return (f.Method == "" || f.Method == r.Method) && (f.Path == "" || f.Path == r.URL.Path) &&
		strings.HasPrefix(r.URL.Path, f.PathPrefix)
}

// Throttled is a 429 with Retry-After, as all three services send when throttling.
func Throttled(retryAfterSeconds string) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfterSeconds}
}

// ErrorBody writes a service's own error shape for a status.
type ErrorBody func(w http.ResponseWriter, status int)

// Injector holds the faults due; its Wrap puts them in front of a simulator.
type Injector struct {
	body ErrorBody

	mu       sync.Mutex
	queue    []Fault
	until    time.Time // the outage of FailFor lasts until then
	outage   Fault
	injected int
	// perSecond is the rate limit (0: none): requests beyond it in a
	// second are answered 429 with Retry-After, as Graph and Jira throttle.
	perSecond int
	second    time.Time
	inSecond  int
}

// RateLimit answers the requests beyond perSecond in any one second with
// 429 and Retry-After: 1; 0 lifts the limit.
func (i *Injector) RateLimit(perSecond int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.perSecond = perSecond
}

// overLimit counts a request against the rate limit; the caller holds i.mu.
func (i *Injector) overLimit(now time.Time) bool {
	if i.perSecond == 0 {
		return false
	}
	if second := now.Truncate(time.Second); !second.Equal(i.second) {
		i.second, i.inSecond = second, 0
	}
	i.inSecond++
	return i.inSecond > i.perSecond
}

// New returns an injector answering status faults with body.
func New(body ErrorBody) *Injector { return &Injector{body: body} }

// FailNext makes the next requests fail, one fault each, in order.
func (i *Injector) FailNext(faults ...Fault) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.queue = append(i.queue, faults...)
}

// FailFor makes every request fail with f for d: an outage.
func (i *Injector) FailFor(d time.Duration, f Fault) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.until, i.outage = time.Now().Add(d), f
}

// Injected is how many requests have failed so far.
func (i *Injector) Injected() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.injected
}

// Pending is how many queued faults have not yet been used.
func (i *Injector) Pending() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return len(i.queue)
}

func (i *Injector) next(r *http.Request) (Fault, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	now := time.Now()
	switch {
	case now.Before(i.until):
		i.injected++
		return i.outage, true
	case i.overLimit(now):
		i.injected++
		return Throttled("1"), true
	case len(i.queue) > 0 && i.queue[0].matches(r):
		f := i.queue[0]
		i.queue = i.queue[1:]
		i.injected++
		return f, true
	}
	return Fault{}, false
}

// Wrap serves next, failing requests while faults are due.
func (i *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := i.next(r)
		switch {
		case !ok:
			next.ServeHTTP(w, r)
		case f.Status != 0:
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			i.body(w, f.Status)
		case f.Drop && f.AfterEffect:
			next.ServeHTTP(httptest.NewRecorder(), r)
			drop(w)
		case f.Drop:
			drop(w)
		default:
			// With the body read, the server notices at once when the client gives up.
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done(): // the client gave up; the request still takes effect
			}
			next.ServeHTTP(w, r)
		}
	})
}

// drop closes the client's connection without writing a response.
func drop(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler) // HTTP/2: net/http resets the stream
}
