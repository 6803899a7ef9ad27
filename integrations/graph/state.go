package graph

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/security"
)

// StateUpdate is the latest entry of a profile's controlStateUpdates.
type StateUpdate struct {
	State   ControlState
	Comment string
}

// LatestStateUpdate reads one control profile's most recent state update
// (Default with no comment when there is none).
func (c *Client) LatestStateUpdate(ctx context.Context, controlID string) (StateUpdate, error) {
	profile, err := c.service.Security().SecureScoreControlProfiles().BySecureScoreControlProfileId(controlID).
		Get(ctx, &security.SecureScoreControlProfilesSecureScoreControlProfileItemRequestBuilderGetRequestConfiguration{})
	if err != nil {
		return StateUpdate{}, classify("reading control "+controlID, err)
	}
	latest := StateUpdate{State: StateDefault}
	var latestUpdate stateUpdate
	for _, u := range profile.GetControlStateUpdates() {
		update := stateUpdate{state: ControlState(str(u.GetState()))}
		if t := u.GetUpdatedDateTime(); t != nil {
			update.at = *t
		}
		if latestUpdate.state == "" || update.at.After(latestUpdate.at) {
			latestUpdate = update
			latest = StateUpdate{State: update.state, Comment: str(u.GetComment())}
		}
	}
	return latest, nil
}
