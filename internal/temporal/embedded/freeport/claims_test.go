//go:build unix

package freeport

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// smallRange is a taker over eight ports of the range, with claims of its own.
func smallRange(t *testing.T, dir string) taker {
	t.Helper()
	base := lowest + 4000
	if env := os.Getenv("FREEPORT_TEST_BASE"); env != "" {
		base, _ = strconv.Atoi(env)
	}
	return taker{lowest: base, highest: base + 7, claims: claims{dir: dir}}
}

// Ports found free one call at a time are each free when found, and a port
// handed out but not bound yet is free too: the claims keep a second call
// from being handed it.
func TestAPortHandedOutIsNotHandedOutAgain(t *testing.T) {
	ranged := smallRange(t, t.TempDir())
	seen := map[int]bool{}
	for range ranged.highest - ranged.lowest + 2 { // one call more than the range has ports
		ports, err := ranged.take("127.0.0.1", 1)
		if err != nil {
			break
		}
		if seen[ports[0]] {
			t.Fatalf("port %d was handed out twice", ports[0])
		}
		seen[ports[0]] = true
	}
	if len(seen) == 0 {
		t.Fatal("no port of the range was handed out")
	}
}

// Another process's claims hold while it runs and end with it, however it ends.
func TestAClaimLastsAsLongAsItsProcess(t *testing.T) {
	dir := t.TempDir()
	ranged := smallRange(t, dir)
	holder := exec.Command(os.Args[0], "-test.run=^TestHelperHoldsEveryPort$")
	holder.Env = append(os.Environ(), "FREEPORT_HOLD_DIR="+dir, "FREEPORT_TEST_BASE="+strconv.Itoa(ranged.lowest))
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "holding ") {
		t.Fatalf("the holder did not start: %q, %v", line, err)
	}
	if ports, err := ranged.take("127.0.0.1", 1); err == nil {
		t.Fatalf("handed out %v, which the holder %s", ports, strings.TrimSpace(line))
	}

	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	if _, err := ranged.take("127.0.0.1", 1); err != nil {
		t.Fatalf("the holder's claims outlived it: %v", err)
	}
}

// TestHelperHoldsEveryPort is the other process of the test above: it
// claims what it can of the small range, says which, and waits to be killed.
func TestHelperHoldsEveryPort(t *testing.T) {
	dir := os.Getenv("FREEPORT_HOLD_DIR")
	if dir == "" {
		t.Skip("runs as the holder process of TestAClaimLastsAsLongAsItsProcess")
	}
	ranged := smallRange(t, dir)
	var ports []int
	for range ranged.highest - ranged.lowest + 1 {
		got, err := ranged.take("127.0.0.1", 1)
		if err != nil {
			break
		}
		ports = append(ports, got...)
	}
	fmt.Printf("holding %v\n", ports)
	select {}
}
