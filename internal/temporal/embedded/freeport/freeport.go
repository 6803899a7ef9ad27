// Package freeport finds TCP ports for servers that a process starts and
// binds a moment later, such as the embedded Temporal server's services.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// The ports are drawn from below Linux's default ephemeral range (32768 and
// up), which outgoing connections take their local ports from. A port the
// kernel hands out for "listen on port 0" lies inside that range: between
// closing it and the server binding it, a client connection could take it,
// or the next request could be handed the same port. A benchmark run lost
// its worker that way ("bind: address already in use" for the matching
// service). Ports below the range are taken only by listeners.
const (
	lowest  = 20000
	highest = 32767
	// attempts bounds the search when many ports of the range are in use.
	attempts = 200
)

// claims records, across the processes of this machine, which ports Take
// has handed out: a file per port in dir, locked by the process that took
// it. Between a check and a bind another process could be handed the same
// port (the tests start many servers at once, each in its own process, and
// restart killed ones on their old ports); a claimed port is never handed
// out again while its process lives.
type claims struct{ dir string }

// taker draws ports from lowest to highest, claimed in claims.
type taker struct {
	lowest, highest int
	claims          claims
}

var machineWide = taker{lowest: lowest, highest: highest, claims: claims{dir: filepath.Join(os.TempDir(), "scoreflow-ports")}}

// Take returns n distinct ports on ip that nothing listens on and no process
// of this machine was handed before (see claims). They are checked by
// listening on each and closed together on return, so the caller should
// bind them soon. Ports in reserved are never returned: they are promised to
// servers that may not listen yet (the frontend port a config names, while
// the embedded server picks its internal ones).
func Take(ip string, n int, reserved ...int) ([]int, error) {
	return machineWide.take(ip, n, reserved...)
}

func (t taker) take(ip string, n int, reserved ...int) ([]int, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	var lastErr error
	for try := 0; len(ports) < n && try < attempts; try++ {
		port := t.lowest + rand.IntN(t.highest-t.lowest+1)
		if slices.Contains(reserved, port) {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			lastErr = err // in use, or taken by an earlier pick of this call
			continue
		}
		if !t.claims.claim(port) {
			l.Close()
			lastErr = fmt.Errorf("port %d was handed out before", port)
			continue
		}
		held = append(held, l)
		ports = append(ports, port)
	}
	if len(ports) < n {
		return nil, fmt.Errorf("freeport: found %d of %d free ports on %s in %d attempts (last: %v)",
			len(ports), n, ip, attempts, lastErr)
	}
	return ports, nil
}
