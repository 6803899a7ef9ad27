//go:build nodemo

package cli

import (
	"fmt"
	"io"
)

// The production build (-tags nodemo, as the Dockerfile builds it) links no
// demo and no simulator, so it has no demo to drive.
func runDemo(_ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "starter: this build has no demo (built with -tags nodemo)")
	return 2
}
