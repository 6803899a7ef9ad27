// Command starter is the operator's CLI for scoreflow.
//
//	go run ./starter --config scoreflow.yaml <command> [flags]
//	go run ./starter --help
package main

import (
	"os"

	"github.com/scoreflow/scoreflow/operator"
)

func main() {
	os.Exit(operator.Run(os.Args[1:], os.Stdout, os.Stderr))
}
