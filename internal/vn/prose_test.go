package vn

import (
	"math"
	"testing"
)

func TestMoneyProse(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		// The examples of the domain notes and the seed article.
		{348000000, "348 triệu đồng"},
		{14250000, "hơn 14 triệu đồng"},
		{1200000000, "1,2 tỷ đồng"},
		{1250000000, "hơn 1,2 tỷ đồng"},
		{850000, "850 nghìn đồng"},
		{950, "950 đồng"},
		{15000000000, "15 tỷ đồng"},

		{0, "0 đồng"},
		{1, "1 đồng"},
		{999, "999 đồng"},
		{1000, "1 nghìn đồng"},
		{1500, "1,5 nghìn đồng"},
		{1050, "hơn 1 nghìn đồng"},
		{9999, "hơn 9,9 nghìn đồng"},
		{10000, "10 nghìn đồng"},
		{10500, "hơn 10 nghìn đồng"},
		{999999, "hơn 999 nghìn đồng"},
		{1000000, "1 triệu đồng"},
		{2500000, "2,5 triệu đồng"},
		{14000000, "14 triệu đồng"},
		{14000001, "hơn 14 triệu đồng"},
		{999999999, "hơn 999 triệu đồng"},
		{1000000000, "1 tỷ đồng"},
		{1050000000, "hơn 1 tỷ đồng"},
		{9900000000, "9,9 tỷ đồng"},
		{9999999999, "hơn 9,9 tỷ đồng"},
		{10000000000, "10 tỷ đồng"},
		{1500000000000, "1.500 tỷ đồng"},
		{math.MaxInt64, "hơn 9.223.372.036 tỷ đồng"},
		{-14250000, "âm hơn 14 triệu đồng"},
		{-950, "âm 950 đồng"},
		{math.MinInt64, "âm hơn 9.223.372.036 tỷ đồng"},
	}
	for _, tt := range tests {
		if got := MoneyProse(tt.in); got != tt.want {
			t.Errorf("MoneyProse(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
