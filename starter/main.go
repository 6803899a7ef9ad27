// Command starter is scoreflow's command-line tool.
//
//	go run ./starter --config scoreflow.yaml <command> [flags]
//	go run ./starter --help
package main

import (
	"os"

	"github.com/scoreflow/scoreflow/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
