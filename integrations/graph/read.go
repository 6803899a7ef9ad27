package graph

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/go-json-experiment/json"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
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
	if values := scores.GetValue(); len(values) > 0 {
		snapshot.Score = toScore(values[0])
	}

	profiles := c.service.Security().SecureScoreControlProfiles()
	page, err := profiles.Get(ctx, nil)
	snapshot.Requests++
	for {
		if err != nil {
			return Snapshot{}, classify("listing secureScoreControlProfiles", err)
		}
		for _, p := range page.GetValue() {
			snapshot.Controls = append(snapshot.Controls, toControl(p, snapshot.ControlScores))
		}
		next := page.GetOdataNextLink()
		if next == nil || *next == "" {
			return snapshot, nil
		}
		page, err = profiles.WithUrl(*next).Get(ctx, nil)
		snapshot.Requests++
	}
}

// ScoreHistory reads every secureScores entry Graph keeps (90 days), all
// pages, oldest first: a tenant's trend on its first day with scoreflow.
//
// Each entry holds a score for every control of the tenant, so the 90 days
// are thousands of small objects. Decoded into the SDK's models they cost
// some 50 ms of CPU a tenant, more than all the rest of its onboarding, so
// this one read takes the body as bytes through the same request adapter
// (authentication, retries, errors) and decodes just what scoreflow keeps,
// with the Go team's JSON v2 (go-json-experiment), which decodes in one pass
// what encoding/json first validates and then decodes: some 40 % less CPU.
func (c *Client) ScoreHistory(ctx context.Context) ([]Score, error) {
	builder := c.service.Security().SecureScores()
	errorMapping := abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}
	var history []Score
	for {
		request, err := builder.ToGetRequestInformation(ctx, nil)
		if err != nil {
			return nil, err
		}
		body, err := c.service.RequestAdapter.SendPrimitive(ctx, request, "[]byte", errorMapping)
		if err != nil {
			return nil, classify("listing secureScores", err)
		}
		raw, _ := body.([]byte)
		var page scoresPage
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, fmt.Errorf("listing secureScores: %w", err)
		}
		for _, entry := range page.Value {
			history = append(history, entry.score())
		}
		if page.NextLink == "" {
			break
		}
		builder = builder.WithUrl(page.NextLink)
	}
	slices.SortFunc(history, func(a, b Score) int { return a.TakenAt.Compare(b.TakenAt) })
	return history, nil
}

// scoresPage is a page of secureScores as Graph sends it, with the fields
// scoreflow keeps.
type scoresPage struct {
	Value    []scoreEntry `json:"value"`
	NextLink string       `json:"@odata.nextLink"`
}

type scoreEntry struct {
	CreatedDateTime          time.Time `json:"createdDateTime"`
	CurrentScore             float64   `json:"currentScore"`
	MaxScore                 float64   `json:"maxScore"`
	EnabledServices          []string  `json:"enabledServices"`
	AverageComparativeScores []struct {
		Basis        *string  `json:"basis"`
		AverageScore *float64 `json:"averageScore"`
	} `json:"averageComparativeScores"`
	ControlScores []struct {
		ControlName *string  `json:"controlName"`
		Score       *float64 `json:"score"`
	} `json:"controlScores"`
}

func (e scoreEntry) score() Score {
	score := Score{TakenAt: e.CreatedDateTime.UTC(), CurrentScore: e.CurrentScore, MaxScore: e.MaxScore,
		EnabledServices: e.EnabledServices, ControlScores: make(map[string]float64, len(e.ControlScores))}
	for _, average := range e.AverageComparativeScores {
		if average.Basis != nil && average.AverageScore != nil {
			score.Comparisons = append(score.Comparisons, Comparison{Basis: *average.Basis, AverageScore: *average.AverageScore})
		}
	}
	for _, cs := range e.ControlScores {
		if cs.ControlName != nil && cs.Score != nil {
			score.ControlScores[*cs.ControlName] = *cs.Score
		}
	}
	return score
}

// toScore decodes one secureScores entry.
func toScore(s models.SecureScoreable) Score {
	score := Score{EnabledServices: s.GetEnabledServices(), ControlScores: map[string]float64{}}
	if t := s.GetCreatedDateTime(); t != nil {
		score.TakenAt = t.UTC()
	}
	if v := s.GetCurrentScore(); v != nil {
		score.CurrentScore = *v
	}
	if v := s.GetMaxScore(); v != nil {
		score.MaxScore = *v
	}
	for _, average := range s.GetAverageComparativeScores() {
		if average.GetBasis() != nil && average.GetAverageScore() != nil {
			score.Comparisons = append(score.Comparisons, Comparison{Basis: *average.GetBasis(), AverageScore: *average.GetAverageScore()})
		}
	}
	for _, cs := range s.GetControlScores() {
		if name := cs.GetControlName(); name != nil && cs.GetScore() != nil {
			score.ControlScores[*name] = *cs.GetScore()
		}
	}
	return score
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
	c.StateUpdates = stateUpdates(p.GetControlStateUpdates())
	latestUpdate := c.LatestUpdate()
	c.State, c.StateComment = latestUpdate.State, latestUpdate.Comment
	return c
}

// stateUpdates are a profile's controlStateUpdates, oldest first. Graph
// writes an update without a date for the state a profile starts in.
func stateUpdates(updates []models.SecureScoreControlStateUpdateable) []StateUpdate {
	var out []StateUpdate
	for _, u := range updates {
		update := StateUpdate{State: ControlState(str(u.GetState())), Comment: str(u.GetComment()), By: str(u.GetUpdatedBy())}
		if t := u.GetUpdatedDateTime(); t != nil {
			update.At = t.UTC()
		}
		out = append(out, update)
	}
	slices.SortStableFunc(out, func(a, b StateUpdate) int { return a.At.Compare(b.At) })
	return out
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
