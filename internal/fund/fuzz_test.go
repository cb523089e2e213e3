package fund_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"giaoban/internal/fund"
)

// FuzzParseQuery: whatever a visitor puts in the URL, the query is bounded
// and only text: valid UTF-8, no control characters, at most
// MaxQueryWords folded words of at most MaxWordBytes bytes.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"nguyen van an", "<script>alert(1)</script>", "'; DROP TABLE fund_entries; --", "500.000", "31/02/2021",
		"2021-08-15.123", "\x00\xff", strings.Repeat("nguyễn ", 100), "%_\\", "Đặng Thị Hoà"} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, q, amount, after string) {
		query, _ := fund.ParseQuery(url.Values{"q": {q}, "amount": {amount}, "min": {amount}, "from": {amount}, "to": {after}, "ref": {q}, "after": {after}})
		if !utf8.ValidString(query.Name) || !utf8.ValidString(query.Ref) {
			t.Fatalf("invalid UTF-8 kept: %q %q", query.Name, query.Ref)
		}
		if utf8.RuneCountInString(query.Name) > fund.MaxQueryChars || utf8.RuneCountInString(query.Ref) > 100 {
			t.Fatalf("query too long: %d %d", len(query.Name), len(query.Ref))
		}
		for _, s := range []string{query.Name, query.Ref} {
			for _, r := range s {
				if r < 0x20 || r == 0x7f {
					t.Fatalf("control character kept in %q", s)
				}
			}
		}
		if query.Amount < 0 || query.MinAmount < 0 {
			t.Fatalf("negative amount %d", query.Amount)
		}
		words := fund.QueryWords(query.Name)
		if len(words) > fund.MaxQueryWords {
			t.Fatalf("%d words", len(words))
		}
		for _, w := range words {
			if w == "" || len(w) > fund.MaxWordBytes || !utf8.ValidString(w) || strings.ContainsAny(w, " %_\\'\"<>") {
				t.Fatalf("bad word %q", w)
			}
		}
		if query.After != nil {
			back, ok := fund.ParseCursor(query.After.String())
			if !ok || *back != *query.After {
				t.Fatalf("cursor %v does not round-trip", query.After)
			}
		}
	})
}

func FuzzMaskPhones(f *testing.F) {
	for _, s := range []string{"LE THI D - 0912345678", "+84912345678", "0905.123.456", "FT21182001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fund.MaskPhones(s)
		if len(out) > len(s)+3 {
			t.Fatalf("MaskPhones(%q) grew to %q", s, out)
		}
		if fund.MaskPhones(out) != out {
			t.Fatalf("MaskPhones is not idempotent on %q: %q then %q", s, out, fund.MaskPhones(out))
		}
	})
}
