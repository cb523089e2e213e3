package indicator

import "testing"

func TestIsOutlier(t *testing.T) {
	tests := []struct {
		name    string
		history []int64
		v       int64
		want    bool
	}{
		{"no history", nil, 1000, false},
		{"two values are not enough", []int64{10, 12}, 1000, false},
		{"zeros do not count as history", []int64{0, 0, 10, 12}, 1000, false},
		{"steady, normal", []int64{10, 12, 11, 9}, 13, false},
		{"steady, ten times", []int64{10, 12, 11, 9}, 110, true},
		{"steady, just over three times", []int64{10, 10, 10}, 31, true},
		{"steady, three times exactly", []int64{10, 10, 10}, 30, false},
		{"steady, far below", []int64{30, 33, 36}, 5, true},
		{"steady, a third", []int64{30, 30, 30}, 10, false},
		{"zero is never flagged", []int64{30, 33, 36}, 0, false},
		{"wild history absorbs the jump", []int64{2, 40, 5, 60, 3, 50}, 90, false},
		{"wild history, very far", []int64{2, 40, 5, 60, 3, 50}, 1000, true},
		{"small counts 1 to 4", []int64{1, 1, 1}, 4, true},
		{"small counts 1 to 3", []int64{1, 1, 1}, 3, false},
		{"money, typo with extra zeros", []int64{3_000_000, 4_500_000, 5_000_000, 3_800_000}, 400_000_000, true},
		{"money, a generous quarter", []int64{3_000_000, 4_500_000, 5_000_000, 3_800_000}, 12_000_000, false},
		{"negative median gives no ratio", []int64{-5, -6, -7}, 100, false},
		{"even count median", []int64{10, 20, 30, 40}, 70, false},
		{"even count median, far", []int64{10, 20, 30, 40}, 200, true},
	}
	for _, tc := range tests {
		if got := IsOutlier(tc.history, tc.v); got != tc.want {
			t.Errorf("%s: IsOutlier(%v, %d) = %v, want %v", tc.name, tc.history, tc.v, got, tc.want)
		}
	}
}
