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
	"sync"
	"time"
	"unicode"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// Store is what the fleet's record is read from (internal/store).
type Store interface {
	FleetStages(ctx context.Context) ([]store.TenantStage, error)
}

// Summary is where every tenant stands on every control at one moment,
// from which each tenant's view of the others is cut.
type Summary map[string][]store.TenantStage // by control id

// Read is the summary of the store now: one read, whatever the fleet's size.
func Read(ctx context.Context, s Store) (Summary, error) {
	stages, err := s.FleetStages(ctx)
	if err != nil {
		return nil, err
	}
	summary := Summary{}
	for _, st := range stages {
		summary[st.ControlID] = append(summary[st.ControlID], st)
	}
	return summary, nil
}

// Record is what the tenants other than tenantID did with a control: how
// many implemented it, chose an alternative or accepted the risk, and the
// reasons for accepting it that at least lifecycle.FleetMinGroup of them
// gave in the same words.
func (s Summary) Record(controlID, tenantID string) lifecycle.FleetRecord {
	var record lifecycle.FleetRecord
	reasons := map[string]string{}
	for _, st := range s[controlID] {
		if st.TenantID == tenantID {
			continue
		}
		switch st.Stage {
		case lifecycle.StageCompleted:
			record.Implemented++
		case lifecycle.StageResolvedAlternate:
			record.Alternative++
		case lifecycle.StageRiskAccepted:
			record.RiskAccepted++
			if st.Reason != "" {
				reasons[st.TenantID] = st.Reason
			}
		}
	}
	record.Reasons = groupReasons(reasons)
	return record
}

// Records keeps the fleet's summary for a while (TTL; 0 reads it each
// time), and cuts each tenant's record of a control from it: the fleet
// changes by the day, a page or an onboarding asks many times a minute.
type Records struct {
	Store Store
	TTL   time.Duration

	mu      sync.Mutex
	read    time.Time
	summary Summary
}

// NewRecords reads the store's summary at most once a minute.
func NewRecords(s Store) *Records { return &Records{Store: s, TTL: time.Minute} }

// Records are what the tenants other than tenantID did with each of some
// controls, by control id, from one read of the fleet.
func (r *Records) Records(ctx context.Context, tenantID string, controlIDs ...string) (map[string]lifecycle.FleetRecord, error) {
	summary, err := r.current(ctx)
	if err != nil {
		return nil, err
	}
	records := make(map[string]lifecycle.FleetRecord, len(controlIDs))
	for _, controlID := range controlIDs {
		records[controlID] = summary.Record(controlID, tenantID)
	}
	return records, nil
}

func (r *Records) current(ctx context.Context) (Summary, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.summary != nil && time.Since(r.read) < r.TTL {
		return r.summary, nil
	}
	summary, err := Read(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	r.summary, r.read = summary, time.Now()
	return summary, nil
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
