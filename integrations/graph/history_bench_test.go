package graph

import (
	"context"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
)

// BenchmarkScoreHistory reads a tenant of 80 controls' 90 days of
// secureScores from the simulator, as the first sweep does, beside the same
// pages decoded into the SDK's models (the baseline, which ScoreHistory
// once was). BENCHMARKS.md holds the results:
//
//	go test ./integrations/graph -run '^$' -bench ScoreHistory
func BenchmarkScoreHistory(b *testing.B) {
	tenant := sim.Synthetic(1, 80)
	server := sim.New(tenant)
	defer server.Close()
	client, err := NewClient(Credentials{AzureTenantID: tenant.AzureTenantID, ClientID: tenant.ClientID, ClientSecret: tenant.ClientSecret},
		Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("sdk-models", func(b *testing.B) {
		for b.Loop() {
			scores := client.service.Security().SecureScores()
			page, err := scores.Get(ctx, nil)
			days := 0
			for err == nil {
				for _, s := range page.GetValue() {
					_ = toScore(s)
					days++
				}
				next := page.GetOdataNextLink()
				if next == nil || *next == "" {
					break
				}
				page, err = scores.WithUrl(*next).Get(ctx, nil)
			}
			if err != nil || days != sim.HistoryDays {
				b.Fatalf("%d days, %v", days, err)
			}
		}
	})
	b.Run("bytes", func(b *testing.B) {
		for b.Loop() {
			if history, err := client.ScoreHistory(ctx); err != nil || len(history) != sim.HistoryDays {
				b.Fatalf("%d days, %v", len(history), err)
			}
		}
	})
}
