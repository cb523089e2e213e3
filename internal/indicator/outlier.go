package indicator

import "slices"

// OutlierMinHistory is how many past non-zero values IsOutlier needs.
const OutlierMinHistory = 3

// IsOutlier tells whether v lies far outside a unit's history of the same
// indicator (its values in earlier periods of the same type). It is a flag
// shown beside the value, never a reason to refuse it.
//
// The rule: take the past values that are not zero (a zero usually means
// "nothing reported"); with fewer than OutlierMinHistory of them there is
// no history to compare with, and nothing is flagged. Let m be their median
// and MAD the median of |x − m|. v is an outlier when both hold:
//
//   - it is more than 3 times m, or less than a third of m (v = 0 is not
//     flagged: an empty period is common and not suspicious); and
//   - it lies more than 3 robust standard deviations from m, that is
//     |v − m| > 3 × 1,4826 × MAD (when MAD is 0, any v passing the first
//     test does).
//
// The first test alone would flag ordinary swings in small counts (1 → 4
// sessions) only when the history is steady; the second keeps a unit whose
// numbers always vary widely from being flagged every period. A median that
// is not positive gives no ratio, so nothing is flagged.
func IsOutlier(history []int64, v int64) bool {
	xs := make([]int64, 0, len(history))
	for _, x := range history {
		if x != 0 {
			xs = append(xs, x)
		}
	}
	if len(xs) < OutlierMinHistory || v == 0 {
		return false
	}
	m := median(xs)
	if m <= 0 {
		return false
	}
	fv := float64(v)
	if fv <= 3*m && 3*fv >= m {
		return false
	}
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = abs(float64(x) - m)
	}
	mad := medianF(dev)
	diff := fv - m
	if diff < 0 {
		diff = -diff
	}
	return diff > 3*1.4826*mad
}

// median of xs (not empty), as a float: the mean of the two middle values
// for an even count.
func median(xs []int64) float64 {
	f := make([]float64, len(xs))
	for i, x := range xs {
		f[i] = float64(x)
	}
	return medianF(f)
}

func medianF(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1]/2 + s[n/2]/2
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
