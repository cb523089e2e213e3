package vn

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestMoneyWords(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		// The examples of the domain notes.
		{"article total", 348000000, "Ba trăm bốn mươi tám triệu đồng"},
		{"linh", 105, "Một trăm linh năm đồng"},
		{"mốt", 21, "Hai mươi mốt đồng"},
		{"mười lăm", 15, "Mười lăm đồng"},
		{"mươi lăm", 25, "Hai mươi lăm đồng"},
		{"không trăm linh", 1005000, "Một triệu không trăm linh năm nghìn đồng"},

		{"zero", 0, "Không đồng"},
		{"one", 1, "Một đồng"},
		{"five", 5, "Năm đồng"},
		{"ten", 10, "Mười đồng"},
		{"mười một", 11, "Mười một đồng"},
		{"mười bốn", 14, "Mười bốn đồng"},
		{"mười chín", 19, "Mười chín đồng"},
		{"hai mươi", 20, "Hai mươi đồng"},
		{"mươi tư", 24, "Hai mươi tư đồng"},
		{"năm mươi lăm", 55, "Năm mươi lăm đồng"},
		{"chín mươi chín", 99, "Chín mươi chín đồng"},
		{"trăm", 100, "Một trăm đồng"},
		{"linh một", 101, "Một trăm linh một đồng"},
		{"linh bốn", 104, "Một trăm linh bốn đồng"},
		{"trăm mười", 110, "Một trăm mười đồng"},
		{"trăm mười lăm", 115, "Một trăm mười lăm đồng"},
		{"trăm mươi mốt", 121, "Một trăm hai mươi mốt đồng"},
		{"nghìn", 1000, "Một nghìn đồng"},
		{"nghìn không trăm linh", 1001, "Một nghìn không trăm linh một đồng"},
		{"nghìn không trăm mười", 1010, "Một nghìn không trăm mười đồng"},
		{"nghìn không trăm hai mươi", 1020, "Một nghìn không trăm hai mươi đồng"},
		{"nghìn trăm", 1100, "Một nghìn một trăm đồng"},
		{"mười lăm nghìn", 15000, "Mười lăm nghìn đồng"},
		{"hai mươi mốt nghìn", 21000, "Hai mươi mốt nghìn đồng"},
		{"gifts total", 14000000, "Mười bốn triệu đồng"},
		{"empty thousands group skipped", 2000001, "Hai triệu không trăm linh một đồng"},
		{"empty units group skipped", 2001000, "Hai triệu không trăm linh một nghìn đồng"},
		{"triệu nghìn", 1250500, "Một triệu hai trăm năm mươi nghìn năm trăm đồng"},
		{"tỷ", 1000000000, "Một tỷ đồng"},
		{"tỷ linh", 1000000005, "Một tỷ không trăm linh năm đồng"},
		{"tỷ không trăm triệu", 1005000000, "Một tỷ không trăm linh năm triệu đồng"},
		{"tỷ rưỡi", 1500000000, "Một tỷ năm trăm triệu đồng"},
		{"mười hai tỷ", 12345678901, "Mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một đồng"},
		{"nghìn tỷ", 1000000000000, "Một nghìn tỷ đồng"},
		{"nghìn năm trăm tỷ", 1500000000000, "Một nghìn năm trăm tỷ đồng"},
		{"nghìn không trăm linh năm tỷ", 1005000000000, "Một nghìn không trăm linh năm tỷ đồng"},
		{"triệu tỷ", 1000000000000000, "Một triệu tỷ đồng"},
		{"tỷ tỷ", 1000000000000000000, "Một tỷ tỷ đồng"},
		{"tỷ tỷ and units", 1000000000000000001, "Một tỷ tỷ không trăm linh một đồng"},
		{"int64 max", math.MaxInt64, "Chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ tám trăm năm mươi tư triệu bảy trăm bảy mươi lăm nghìn tám trăm linh bảy đồng"},
		{"negative", -21000, "Âm hai mươi mốt nghìn đồng"},
		{"int64 min", math.MinInt64, "Âm chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ tám trăm năm mươi tư triệu bảy trăm bảy mươi lăm nghìn tám trăm linh tám đồng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MoneyWords(tt.in); got != tt.want {
				t.Errorf("MoneyWords(%d) =\n  %q\nwant\n  %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNumberWords(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "không"},
		{105, "một trăm linh năm"},
		{348000000, "ba trăm bốn mươi tám triệu"},
		{-5, "âm năm"},
		{-1005000, "âm một triệu không trăm linh năm nghìn"},
		{7, "bảy"},
	}
	for _, tt := range tests {
		if got := NumberWords(tt.in); got != tt.want {
			t.Errorf("NumberWords(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMoneyWordsChan(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{348000000, "Ba trăm bốn mươi tám triệu đồng chẵn"},
		{1000, "Một nghìn đồng chẵn"},
		{1005000, "Một triệu không trăm linh năm nghìn đồng chẵn"},
		{1500, "Một nghìn năm trăm đồng"},
		{105, "Một trăm linh năm đồng"},
		{0, "Không đồng"},
		{-2000, "Âm hai nghìn đồng chẵn"},
	}
	for _, tt := range tests {
		if got := MoneyWordsChan(tt.in); got != tt.want {
			t.Errorf("MoneyWordsChan(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMoneyWordsSmallNumbers checks the tens rules over 0–999 against an
// independent statement of them.
func TestMoneyWordsSmallNumbers(t *testing.T) {
	for n := int64(1); n < 1000; n++ {
		w := NumberWords(n)
		h, te, u := n/100, n/10%10, n%10
		switch {
		case te == 0 && u != 0 && h > 0:
			if !strings.Contains(w, "linh "+digitWords[u]) {
				t.Errorf("%d: %q lacks linh", n, w)
			}
		case te == 1 && u == 5, te >= 2 && u == 5:
			if !strings.HasSuffix(w, " lăm") {
				t.Errorf("%d: %q does not end in lăm", n, w)
			}
		case te >= 2 && u == 1:
			if !strings.HasSuffix(w, "mươi mốt") {
				t.Errorf("%d: %q does not end in mươi mốt", n, w)
			}
		case te >= 2 && u == 4:
			if !strings.HasSuffix(w, "mươi tư") {
				t.Errorf("%d: %q does not end in mươi tư", n, w)
			}
		case te == 1 && u == 4:
			if !strings.HasSuffix(w, "mười bốn") {
				t.Errorf("%d: %q does not end in mười bốn", n, w)
			}
		}
		if strings.Contains(w, "lẻ") || strings.Contains(w, "mươi một") || strings.Contains(w, "mười mốt") || strings.Contains(w, "linh lăm") {
			t.Errorf("%d: %q", n, w)
		}
		if h == 0 && strings.Contains(w, "trăm") {
			t.Errorf("%d: leading group reads zero hundreds: %q", n, w)
		}
	}
}

func FuzzMoneyWords(f *testing.F) {
	for _, n := range []int64{0, 1, 15, 21, 105, 1005000, 2000001, 348000000, 1e12, math.MaxInt64} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if n < 0 {
			n = -(n + 1) // every int64 ≥ 0, MaxInt64 included
		}
		w := MoneyWords(n)
		if !strings.HasSuffix(w, " đồng") {
			t.Fatalf("MoneyWords(%d) = %q does not end in đồng", n, w)
		}
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			t.Fatalf("MoneyWords(%d) = %q is not capitalised", n, w)
		}
		if strings.Contains(w, "  ") || (n != 0 && strings.Contains(w, "không nghìn")) || strings.Contains(w, "không triệu") {
			t.Fatalf("MoneyWords(%d) = %q", n, w)
		}
		c := MoneyWordsChan(n)
		if (n != 0 && n%1000 == 0) != strings.HasSuffix(c, " đồng chẵn") || !strings.HasPrefix(c, w) {
			t.Fatalf("MoneyWordsChan(%d) = %q", n, c)
		}
	})
}
