package period

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"202108", "2021Q3", "2021S1", "2021S2", "2021N9", "2021", "2021q3",
		" 2021s2 ", "2021Q5", "202113", "2021S3", "21Q1", "", "0999", "9999N9",
		"2021-08", "2021Q03", "２０２１", "2021\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if p != (Period{}) {
				t.Fatalf("Parse(%q) returned %#v with error %v", s, p, err)
			}
			return
		}
		if !p.Valid() {
			t.Fatalf("Parse(%q) = %#v, not valid", s, p)
		}
		code := p.Code()
		if !strings.EqualFold(strings.TrimSpace(s), code) {
			t.Fatalf("Parse(%q) = %s: code differs from input beyond case and spaces", s, code)
		}
		again, err := Parse(code)
		if err != nil || again != p {
			t.Fatalf("Parse(%q) = %v, %v; want %v", code, again, err, p)
		}
		// Everything else on a valid period is defined.
		if p.LabelVI() == "" || p.LabelEN() == "" || p.Start().IsZero() || p.End().IsZero() {
			t.Fatalf("%s: empty label or date", p)
		}
		from, to := p.Window(DefaultCutoff)
		if from.After(to) {
			t.Fatalf("%s: window %v after %v", p, from, to)
		}
		if !p.Contains(p) || len(p.YearToDate()) != p.Index || (p.Year < MaxYear && p.Next().Prev() != p) {
			t.Fatalf("%s: navigation inconsistent", p)
		}
	})
}
