// Package httppool is the HTTP transport of scoreflow's clients of Graph,
// Jira and Slack.
package httppool

import "net/http"

// Transport is Go's default transport, keeping up to idlePerHost idle
// connections to each host instead of its default of two. The worker runs
// many activities against one Jira or Slack host at once: with two, every
// call beyond the second opened, and TLS-handshaked, a connection of its own
// and closed it after.
func Transport(idlePerHost int) *http.Transport {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = idlePerHost
	transport.MaxIdleConns = max(transport.MaxIdleConns, idlePerHost)
	return transport
}
