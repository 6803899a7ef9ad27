package graph

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/security"
)

// Snapshot reads the latest secureScores entry and every control profile,
// following @odata.nextLink: 1 + (number of profile pages) requests.
func (c *Client) Snapshot(ctx context.Context) (Snapshot, error) {
	top := int32(1)
	scores, err := c.service.Security().SecureScores().Get(ctx, &security.SecureScoresRequestBuilderGetRequestConfiguration{
		QueryParameters: &security.SecureScoresRequestBuilderGetQueryParameters{Top: &top},
	})
	if err != nil {
		return Snapshot{}, classify("listing secureScores", err)
	}
	snapshot := Snapshot{Requests: 1}
	latest := map[string]float64{}
	if values := scores.GetValue(); len(values) > 0 {
		score := values[0]
		if t := score.GetCreatedDateTime(); t != nil {
			snapshot.TakenAt = *t
		}
		snapshot.EnabledServices = score.GetEnabledServices()
		if m := score.GetMaxScore(); m != nil {
			snapshot.MaxScore = *m
		}
		if current := score.GetCurrentScore(); current != nil {
			snapshot.CurrentScore = *current
		}
		for _, cs := range score.GetControlScores() {
			if name := cs.GetControlName(); name != nil && cs.GetScore() != nil {
				latest[*name] = *cs.GetScore()
			}
		}
	}

	profiles := c.service.Security().SecureScoreControlProfiles()
	page, err := profiles.Get(ctx, nil)
	snapshot.Requests++
	for {
		if err != nil {
			return Snapshot{}, classify("listing secureScoreControlProfiles", err)
		}
		for _, p := range page.GetValue() {
			snapshot.Controls = append(snapshot.Controls, toControl(p, latest))
		}
		next := page.GetOdataNextLink()
		if next == nil || *next == "" {
			return snapshot, nil
		}
		page, err = profiles.WithUrl(*next).Get(ctx, nil)
		snapshot.Requests++
	}
}

func toControl(p models.SecureScoreControlProfileable, latest map[string]float64) Control {
	c := Control{
		ID: str(p.GetId()), Title: str(p.GetTitle()), Service: str(p.GetService()),
		Category: str(p.GetControlCategory()), Tier: str(p.GetTier()), UserImpact: str(p.GetUserImpact()),
		ImplementationCost: str(p.GetImplementationCost()), Threats: p.GetThreats(),
		Remediation: str(p.GetRemediation()), RemediationImpact: str(p.GetRemediationImpact()),
		ActionURL: str(p.GetActionUrl()),
	}
	if v := p.GetMaxScore(); v != nil {
		c.MaxScore = *v
	}
	if v := p.GetDeprecated(); v != nil {
		c.Deprecated = *v
	}
	if v := p.GetRank(); v != nil {
		c.Rank = int(*v)
	}
	c.Score, c.Scored = latest[c.ID]
	update := latestUpdate(p.GetControlStateUpdates())
	c.State, c.StateComment = update.State, update.Comment
	return c
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
