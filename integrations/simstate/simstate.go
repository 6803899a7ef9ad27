// Package simstate saves and loads a simulator's state, so a demo that
// stops and starts again finds the simulated services as it left them, as
// the real services would be.
package simstate

import (
	"encoding/json"
	"sync"
)

// Save encodes the state snapshot takes, under the simulator's lock, so it
// is the state of one moment.
func Save[T any](mu *sync.Mutex, snapshot func() T) ([]byte, error) {
	mu.Lock()
	defer mu.Unlock()
	return json.Marshal(snapshot())
}

// Load decodes a state Save encoded and hands it to restore, under the
// simulator's lock.
func Load[T any](saved []byte, mu *sync.Mutex, restore func(T)) error {
	var state T
	if err := json.Unmarshal(saved, &state); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	restore(state)
	return nil
}
