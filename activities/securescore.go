package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// GraphAPI is what the activities need of one tenant's Graph client.
type GraphAPI interface {
	Snapshot(ctx context.Context) (graph.Snapshot, error)
	ScoreHistory(ctx context.Context) ([]graph.Score, error)
	LatestStateUpdate(ctx context.Context, controlID string) (graph.StateUpdate, error)
	SetState(ctx context.Context, controlID string, state graph.ControlState, comment string) error
}

// GraphClients finds a tenant's Graph client; graph.Clients is the real one.
type GraphClients interface {
	For(tenantID string) (GraphAPI, error)
}

// SecureScore holds the activities that read and write a tenant's Secure
// Score in Microsoft Graph.
type SecureScore struct {
	Clients GraphClients
	Scopes  map[string]graph.Scope // each tenant's product scope
}

// FetchSnapshot reads a tenant's Secure Score once (1 + profile pages
// requests) and keeps the in-scope controls, without Graph's long texts, so
// the sweep's history stays small. It warns of a product in the tenant's
// scope that Graph lists no control of.
func (g *SecureScore) FetchSnapshot(ctx context.Context, tenantID string) (lifecycle.TenantSnapshot, error) {
	out, err := g.Snapshot(ctx, tenantID)
	if err == nil && len(out.UnseenProducts) > 0 {
		logging.WriteSDK(activity.GetLogger(ctx).Warn, "log.sweep.unseen_products",
			"TenantId", tenantID, "Unseen", out.UnseenProducts)
	}
	return out, err
}

// Snapshot is FetchSnapshot's read, which needs no activity to run in
// (starter history import).
func (g *SecureScore) Snapshot(ctx context.Context, tenantID string) (lifecycle.TenantSnapshot, error) {
	scope, ok := g.Scopes[tenantID]
	if !ok {
		return lifecycle.TenantSnapshot{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("tenant %q is not configured", tenantID), "UnknownTenant", nil)
	}
	client, err := g.Clients.For(tenantID)
	if err != nil {
		return lifecycle.TenantSnapshot{}, temporal.NewNonRetryableApplicationError(err.Error(), "GraphClient", err)
	}
	snapshot, err := client.Snapshot(ctx)
	if err != nil {
		return lifecycle.TenantSnapshot{}, graphActivityError(err)
	}
	out := lifecycle.TenantSnapshot{
		TenantID: tenantID, TakenAt: snapshot.TakenAt, CurrentScore: snapshot.CurrentScore, MaxScore: snapshot.MaxScore,
		EnabledServices: snapshot.EnabledServices, GraphRequests: snapshot.Requests, UnseenProducts: scope.Unseen(snapshot.Controls),
	}
	for _, c := range snapshot.Comparisons {
		out.Comparisons = append(out.Comparisons, lifecycle.Comparison{Basis: c.Basis, AverageScore: c.AverageScore})
	}
	for _, c := range snapshot.InScope(scope) {
		if !c.Scored {
			continue // not applicable to this tenant: Secure Score does not count it
		}
		out.Controls = append(out.Controls, lifecycle.ControlSummary{
			ID: c.ID, Title: c.Title, Score: c.Score, MaxScore: c.MaxScore,
			State: string(c.State), StateComment: c.StateComment, Deprecated: c.Deprecated, Open: c.Open(),
			StateUpdates: stateUpdates(c.StateUpdates),
			Facts: lifecycle.ControlFacts{
				Category: c.Category, Service: c.Service, Tier: c.Tier, UserImpact: c.UserImpact,
				ImplementationCost: c.ImplementationCost, Threats: c.Threats, MaxScore: c.MaxScore, Score: c.Score,
				TenantMaxScore: snapshot.MaxScore, ActionURL: c.ActionURL, Remediation: truncate(c.Remediation, lifecycle.MaxRemediation),
			},
		})
	}
	return out, nil
}

// stateUpdates are Graph's dated state updates of a control; the undated
// one of the state a profile starts in is no one's doing.
func stateUpdates(updates []graph.StateUpdate) []lifecycle.StateUpdate {
	var out []lifecycle.StateUpdate
	for _, u := range updates {
		if !u.At.IsZero() {
			out = append(out, lifecycle.StateUpdate{At: u.At, State: string(u.State), By: u.By, Comment: u.Comment})
		}
	}
	return out
}

// truncate cuts s to at most n bytes on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// graphActivityError tells Temporal how to retry: after Graph's Retry-After
// when throttled, never when the request itself is wrong.
func graphActivityError(err error) error {
	var throttled *graph.ThrottledError
	if errors.As(err, &throttled) {
		return temporal.NewApplicationErrorWithOptions(throttled.Error(), "GraphThrottled", temporal.ApplicationErrorOptions{
			NextRetryDelay: throttled.RetryAfter, Cause: err,
		})
	}
	var status *graph.StatusError
	if errors.As(err, &status) && status.Permanent() {
		return temporal.NewNonRetryableApplicationError(status.Error(), "GraphRejected", err)
	}
	return err
}

// SetControlState records a decision in Secure Score. It reads the profile
// first and skips the PATCH when the latest update already says the same, so
// a retry after a crash never sends a second PATCH for the same step. A
// control whose state Graph does not take (Defender for Endpoint's scid_*,
// or a PATCH refused with 400 or 403) is no error: the result says why, and
// the workflow asks for the state to be recorded by hand instead of retrying.
func (g *SecureScore) SetControlState(ctx context.Context, change lifecycle.ControlStateChange) (lifecycle.StateWrite, error) {
	if !graph.StateWritable(change.ControlID) {
		return lifecycle.StateWrite{Refused: "Graph takes no state updates for Defender for Endpoint's controls (scid_*)",
			Portal: lifecycle.PortalVulnerabilityManagement}, nil
	}
	client, err := g.Clients.For(change.TenantID)
	if err != nil {
		return lifecycle.StateWrite{}, temporal.NewNonRetryableApplicationError(err.Error(), "GraphClient", err)
	}
	latest, err := client.LatestStateUpdate(ctx, change.ControlID)
	if err != nil {
		return lifecycle.StateWrite{}, graphActivityError(err)
	}
	if latest.State.Is(graph.ControlState(change.State)) && latest.Comment == change.Comment {
		return lifecycle.StateWrite{}, nil
	}
	err = client.SetState(ctx, change.ControlID, graph.ControlState(change.State), change.Comment)
	var status *graph.StatusError
	if errors.As(err, &status) && (status.Status == http.StatusBadRequest || status.Status == http.StatusForbidden) {
		return lifecycle.StateWrite{Refused: status.Error(), Portal: lifecycle.PortalSecureScore}, nil
	}
	return lifecycle.StateWrite{}, graphActivityError(err)
}
