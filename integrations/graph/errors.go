package graph

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
)

// ThrottledError is Graph saying "not now": 429, or 503 with Retry-After.
// RetryAfter is how long Graph asked us to wait.
type ThrottledError struct {
	Status     int
	RetryAfter time.Duration
	Op         string
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("%s: Graph answered %d, retry after %s", e.Op, e.Status, e.RetryAfter)
}

// StatusError is any other error status from Graph.
type StatusError struct {
	Status int
	Op     string
	Err    error
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: Graph answered %d: %v", e.Op, e.Status, e.Err)
}
func (e *StatusError) Unwrap() error { return e.Err }

// Permanent reports whether retrying cannot help: bad request, bad
// credentials, missing permission or unknown control.
func (e *StatusError) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusRequestTimeout
}

// defaultRetryAfter is used when Graph throttles without saying for how long.
const defaultRetryAfter = 30 * time.Second

func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var api abstractions.ApiErrorable
	if !errors.As(err, &api) {
		return fmt.Errorf("%s: %w", op, err)
	}
	status := api.GetStatusCode()
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		return &ThrottledError{Status: status, RetryAfter: retryAfter(api.GetResponseHeaders()), Op: op}
	}
	return &StatusError{Status: status, Op: op, Err: err}
}

// retryAfter reads Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3).
func retryAfter(headers *abstractions.ResponseHeaders) time.Duration {
	if headers == nil {
		return defaultRetryAfter
	}
	for _, key := range headers.ListKeys() {
		if !strings.EqualFold(key, "Retry-After") {
			continue
		}
		for _, value := range headers.Get(key) {
			if seconds, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && seconds >= 0 {
				return time.Duration(seconds) * time.Second
			}
			if at, err := http.ParseTime(value); err == nil {
				return max(time.Until(at), time.Second)
			}
		}
	}
	return defaultRetryAfter
}
