package freeport

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

func TestTakeReturnsDistinctBindablePortsBelowTheEphemeralRange(t *testing.T) {
	ports, err := Take("127.0.0.1", 5)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, port := range ports {
		if port < lowest || port > highest {
			t.Errorf("port %d is outside %d-%d", port, lowest, highest)
		}
		if seen[port] {
			t.Errorf("port %d was returned twice in %v", port, ports)
		}
		seen[port] = true
		// Released on return: the caller can bind every one.
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatalf("port %d cannot be bound after Take: %v", port, err)
		}
		defer l.Close()
	}
	if len(ports) != 5 {
		t.Fatalf("want 5 ports, got %v", ports)
	}
}

func TestTakeFailsClearlyOnAnAddressItCannotListenOn(t *testing.T) {
	_, err := Take("192.0.2.1", 1) // TEST-NET-1: not an address of this machine
	if err == nil || !strings.Contains(err.Error(), "found 0 of 1 free ports on 192.0.2.1") {
		t.Fatalf("want an error naming the address, got %v", err)
	}
}

func TestTakeNeverReturnsAReservedPort(t *testing.T) {
	// With every port of the range reserved, none may be returned, free or not.
	var reserved []int
	for port := lowest; port <= highest; port++ {
		reserved = append(reserved, port)
	}
	ports, err := Take("127.0.0.1", 1, reserved...)
	if err == nil {
		t.Fatalf("Take returned reserved ports %v", ports)
	}
	if !strings.Contains(err.Error(), "found 0 of 1 free ports") {
		t.Fatalf("want an error saying none was found, got %v", err)
	}
}
