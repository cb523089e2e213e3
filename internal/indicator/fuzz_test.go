package indicator

import (
	"slices"
	"testing"
)

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"A", "A + B - 2", "-A", "nha_ban_giao+1", "A ++ B", "2A", "(A)", "", " ", "A−B", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpr(s)
		if err != nil {
			if _, ok := err.(*ExprError); !ok {
				t.Fatalf("error %T is not an *ExprError", err)
			}
			return
		}
		if len(e.Terms) == 0 {
			t.Fatalf("ParseExpr(%q) gave no terms", s)
		}
		// The canonical form parses back to the same expression.
		again, err := ParseExpr(e.String())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", e.String(), s, err)
		}
		if !slices.Equal(again.Terms, e.Terms) {
			t.Fatalf("canonical %q of %q parses to %+v, not %+v", e.String(), s, again.Terms, e.Terms)
		}
		for _, c := range e.Codes() {
			if !validCode(c) && len(c) <= maxCode {
				t.Fatalf("code %q from %q is not a valid code", c, s)
			}
		}
	})
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"12", "1.234", "348.000.000 đ", "1,5", "-3", "có", "Không", "x", "ba", "", "1,000,000.00", "9.223.372.036.854.775.807"} {
		f.Add(s)
	}
	inds := []Indicator{
		{Code: "I", ValueType: Integer},
		{Code: "B", ValueType: Integer, Min: i64(0), Max: i64(100)},
		{Code: "M", ValueType: Money},
		{Code: "D1", ValueType: Decimal, Scale: 1},
		{Code: "D3", ValueType: Decimal, Scale: 3, Min: i64(-1000), Max: i64(1_000_000)},
		{Code: "Y", ValueType: YesNo},
		{Code: "T", ValueType: Text},
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, ind := range inds {
			num, text, err := ParseValue(ind, raw)
			if err != nil {
				if _, ok := err.(*ValueError); !ok {
					t.Fatalf("%s: error %T is not a *ValueError", ind.Code, err)
				}
				if num != nil || text != nil {
					t.Fatalf("%s: error with a value", ind.Code)
				}
				continue
			}
			if num == nil && text == nil {
				continue // empty input
			}
			if (ind.ValueType == Integer || ind.ValueType == Money) && *num < 0 {
				t.Fatalf("%s: negative %d accepted from %q", ind.Code, *num, raw)
			}
			if ind.Max != nil && *num > *ind.Max || ind.Min != nil && *num < *ind.Min {
				t.Fatalf("%s: %d out of bounds accepted from %q", ind.Code, *num, raw)
			}
			// What is shown in an input reads back to the same value.
			shown := FormatInput(ind, num, text)
			n2, t2, err := ParseValue(ind, shown)
			if err != nil {
				t.Fatalf("%s: %q from %q does not parse back: %v", ind.Code, shown, raw, err)
			}
			if text != nil && (t2 == nil || *t2 != *text) || num != nil && (n2 == nil || *n2 != *num) {
				t.Fatalf("%s: %q → %q does not round-trip", ind.Code, raw, shown)
			}
		}
	})
}
