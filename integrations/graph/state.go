package graph

import (
	"context"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
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
	return latestUpdate(profile.GetControlStateUpdates()), nil
}

// latestUpdate picks the most recent of a profile's controlStateUpdates;
// none at all means Default, with no comment.
func latestUpdate(updates []models.SecureScoreControlStateUpdateable) StateUpdate {
	latest := StateUpdate{State: StateDefault}
	var latestAt time.Time
	found := false
	for _, u := range updates {
		var at time.Time
		if t := u.GetUpdatedDateTime(); t != nil {
			at = *t
		}
		if !found || at.After(latestAt) {
			found, latestAt = true, at
			latest = StateUpdate{State: ControlState(str(u.GetState())), Comment: str(u.GetComment())}
		}
	}
	return latest
}
