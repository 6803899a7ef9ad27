// Package fleet is what the MSP learned across its customers: for one
// control, how many implemented it, chose an alternative or accepted the
// risk, and the reasons they gave, as a customer may read it (counts, and
// a reason only once enough tenants gave it) beside their own decision.
package fleet

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// Store is what the record is read from (internal/store).
type Store interface {
	FleetControl(ctx context.Context, controlID string) ([]store.FleetControl, error)
	ControlDecisions(ctx context.Context, controlID string) ([]lifecycle.TransitionRecord, error)
}

// Record is what the tenants other than tenantID did with a control.
func Record(ctx context.Context, s Store, controlID, tenantID string) (lifecycle.FleetRecord, error) {
	var record lifecycle.FleetRecord
	controls, err := s.FleetControl(ctx, controlID)
	if err != nil {
		return record, err
	}
	for _, c := range controls {
		if c.TenantID == tenantID {
			continue
		}
		switch c.Stage {
		case lifecycle.StageCompleted:
			record.Implemented++
		case lifecycle.StageResolvedAlternate:
			record.Alternative++
		case lifecycle.StageRiskAccepted:
			record.RiskAccepted++
		}
	}
	decisions, err := s.ControlDecisions(ctx, controlID)
	if err != nil {
		return record, err
	}
	record.Reasons = groupReasons(acceptedRisks(decisions, tenantID))
	return record, nil
}

// acceptedRisks are the reasons of the other tenants whose latest decision
// on the control accepted the risk: one reason per tenant.
func acceptedRisks(decisions []lifecycle.TransitionRecord, tenantID string) map[string]string {
	reasons := map[string]string{}
	for _, d := range decisions { // oldest first: the latest decision stays
		if d.TenantID == tenantID {
			continue
		}
		if d.To == lifecycle.StageRiskAccepted && d.Reason != "" {
			reasons[d.TenantID] = d.Reason
		} else {
			delete(reasons, d.TenantID)
		}
	}
	return reasons
}

// groupReasons groups the reasons by their words (Normalize) and keeps the
// groups at least FleetMinGroup tenants gave, most given first; a group
// reads as the first of its reasons in order of the tenants' ids.
func groupReasons(byTenant map[string]string) []lifecycle.GroupedReason {
	groups := map[string]*lifecycle.GroupedReason{}
	var keys []string
	for _, tenant := range slices.Sorted(maps.Keys(byTenant)) {
		reason := byTenant[tenant]
		key := Normalize(reason)
		if key == "" {
			continue
		}
		if g, seen := groups[key]; seen {
			g.Tenants++
			continue
		}
		groups[key] = &lifecycle.GroupedReason{Text: strings.TrimSpace(reason), Tenants: 1}
		keys = append(keys, key)
	}
	var shown []lifecycle.GroupedReason
	for _, key := range keys {
		if g := groups[key]; g.Tenants >= lifecycle.FleetMinGroup {
			shown = append(shown, *g)
		}
	}
	slices.SortStableFunc(shown, func(a, b lifecycle.GroupedReason) int { return cmp.Compare(b.Tenants, a.Tenants) })
	return shown
}

// Normalize is what two reasons must share to count as the same: their
// words, in lower case, without punctuation at either end and with single
// spaces between them. "Legacy kiosks cannot enrol." and "legacy kiosks
// cannot  enrol" are one reason; any other difference makes two.
func Normalize(reason string) string {
	words := strings.Fields(strings.ToLower(reason))
	for i, w := range words {
		words[i] = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) })
	}
	return strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "" }), " ")
}

// Records reads the fleet's records from a store, for the activities that
// tell a customer.
type Records struct{ Store Store }

// Record is what the tenants other than tenantID did with a control.
func (r Records) Record(ctx context.Context, controlID, tenantID string) (lifecycle.FleetRecord, error) {
	return Record(ctx, r.Store, controlID, tenantID)
}
