package staffing

import (
	"math"
	"slices"
)

// Percentile is the nearest-rank percentile of xs: the smallest value such that at least p percent
// of the values are at or below it (p in (0, 100]; p = 50 is the lower median of an even count).
// It is always one of the values, so a report's "p90 wait 12 min" is a wait someone had. An empty
// slice gives NaN. xs is not changed.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 || math.IsNaN(p) || p <= 0 || p > 100 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return percentileSorted(s, p)
}

func percentileSorted(s []float64, p float64) float64 {
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

// Percentiles returns p50 and p90 of xs with one sort.
func Percentiles(xs []float64) (p50, p90 float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return percentileSorted(s, 50), percentileSorted(s, 90)
}
