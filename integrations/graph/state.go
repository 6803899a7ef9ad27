package graph

import (
	"context"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/security"
)

// StateUpdate is one entry of a profile's controlStateUpdates: who set
// which state, when, and why.
type StateUpdate struct {
	State   ControlState
	Comment string
	By      string
	At      time.Time // zero for the state a profile starts in
}

// LatestStateUpdate reads one control profile's most recent state update
// (Default with no comment when there is none).
func (c *Client) LatestStateUpdate(ctx context.Context, controlID string) (StateUpdate, error) {
	profile, err := c.service.Security().SecureScoreControlProfiles().BySecureScoreControlProfileId(controlID).
		Get(ctx, &security.SecureScoreControlProfilesSecureScoreControlProfileItemRequestBuilderGetRequestConfiguration{})
	if err != nil {
		return StateUpdate{}, classify("reading control "+controlID, err)
	}
	return Control{StateUpdates: stateUpdates(profile.GetControlStateUpdates())}.LatestUpdate(), nil
}
