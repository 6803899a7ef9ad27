package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// simulatorsFile keeps the simulators' state in the demo's data dir. The
// workflows carry on at the next --demo from the Temporal database beside
// it, so the services they talk to must too: a Graph that forgot
// Microsoft's detections reopens completed controls as regressions, and a
// Jira that forgot its tickets hands out their keys again.
const simulatorsFile = "simulators.json"

// saveEvery bounds what a demo killed without a chance to save loses.
const saveEvery = 2 * time.Second

type simulatorStates struct {
	Graph, Jira, Slack json.RawMessage
}

// loadSimulators restores the simulators as the last run left them, if it
// left them anywhere.
func (e *Environment) loadSimulators(dataDir string) error {
	raw, err := os.ReadFile(filepath.Join(dataDir, simulatorsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var saved simulatorStates
	if err := json.Unmarshal(raw, &saved); err != nil {
		return fmt.Errorf("%s: %w (move it away to start the simulators afresh)", simulatorsFile, err)
	}
	return errors.Join(e.graph.LoadState(saved.Graph), e.jira.LoadState(saved.Jira), e.slack.LoadState(saved.Slack))
}

// saveSimulators writes the simulators' state, whole or not at all.
func (e *Environment) saveSimulators() error {
	var saved simulatorStates
	var errs [3]error
	saved.Graph, errs[0] = e.graph.SaveState()
	saved.Jira, errs[1] = e.jira.SaveState()
	saved.Slack, errs[2] = e.slack.SaveState()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	raw, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	file := filepath.Join(e.dataDir, simulatorsFile)
	if err := os.WriteFile(file+".tmp", raw, 0o600); err != nil {
		return err
	}
	return os.Rename(file+".tmp", file)
}

// keepSaving saves the simulators every saveEvery until stop is closed,
// then once more.
func (e *Environment) keepSaving(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ticker := time.NewTicker(saveEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			_ = e.saveSimulators() // the next tick, or the last save, tries again
		case <-stop:
			_ = e.saveSimulators()
			return
		}
	}
}
