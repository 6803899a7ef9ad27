package store

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Graph's averageComparativeScores are kept as one small JSON object,
// {"AllTenants": 52.86, ...}: the store holds one a tenant a day, and field
// names repeated in every row would be most of its size.

func encodeComparisons(comparisons []lifecycle.Comparison) (string, error) {
	byBasis := make(map[string]float64, len(comparisons))
	for _, c := range comparisons {
		byBasis[c.Basis] = c.AverageScore
	}
	raw, err := json.Marshal(byBasis)
	return string(raw), err
}

// decodeComparisons returns them in the order of their bases.
func decodeComparisons(raw string) ([]lifecycle.Comparison, error) {
	var byBasis map[string]float64
	if err := json.Unmarshal([]byte(raw), &byBasis); err != nil {
		return nil, err
	}
	var out []lifecycle.Comparison
	for _, basis := range slices.SortedFunc(maps.Keys(byBasis), cmp.Compare[string]) {
		out = append(out, lifecycle.Comparison{Basis: basis, AverageScore: byBasis[basis]})
	}
	return out, nil
}
