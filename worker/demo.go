//go:build !nodemo

package main

import (
	"fmt"
	"os"

	"github.com/scoreflow/scoreflow/internal/app"
	"github.com/scoreflow/scoreflow/internal/demo"
)

// startDemo starts the demo's simulators; the worker then runs on its
// config and sweeps every tenant at once.
func startDemo(dataDir, mspLanguage string, encrypt bool) (*demoRun, error) {
	d, err := demo.Start(dataDir, mspLanguage, encrypt)
	if err != nil {
		return nil, err
	}
	return &demoRun{
		config: d.Config,
		options: app.Options{SweepAtStart: true, OnReady: func(ready app.Ready) {
			fmt.Fprint(os.Stderr, d.Banner(ready.UIAddress, ready.GatewayAddress, ready.DashboardAddress))
		}},
		logSimulators: d.LogSimulators,
		close:         d.Close,
	}, nil
}
