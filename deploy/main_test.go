package deploy_test

import (
	"os"
	"testing"
)

// The tests read the deployment files as compose does: from the repository's
// root, where docker-compose.yaml names its paths from.
func TestMain(m *testing.M) {
	if err := os.Chdir(".."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
