// Package freeport finds TCP ports for servers that a process starts and
// binds a moment later, such as the embedded Temporal server's services.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
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

// Take returns n distinct ports on ip that nothing listens on. They are
// checked by listening on each and closed together on return, so the caller
// should bind them soon. Ports in reserved are never returned: they are
// promised to servers that may not listen yet (the frontend port a config
// names, while the embedded server picks its internal ones).
func Take(ip string, n int, reserved ...int) ([]int, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	var lastErr error
	for try := 0; len(ports) < n && try < attempts; try++ {
		port := lowest + rand.IntN(highest-lowest+1)
		if slices.Contains(reserved, port) {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			lastErr = err // in use, or taken by an earlier pick of this call
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
