//go:build nodemo

package main

import "errors"

// The production build (-tags nodemo, as the Dockerfile builds it) links no
// demo and no simulator.
func startDemo(string, string, bool) (*demoRun, error) {
	return nil, errors.New("this build has no demo (built with -tags nodemo): go run ./worker --demo from the source")
}
