package period

import "testing"

func TestLabelInLanguage(t *testing.T) {
	for _, c := range []struct{ code, lang, want string }{
		{"2021Q3", "vi", "Quý III/2021"},
		{"2021Q3", "en", "Q3 2021"},
		{"2021Q3", "", "Quý III/2021"},
		{"202108", "vi", "Tháng 8/2021"},
		{"2021", "en", "Year 2021"},
		{"2021Q7", "vi", "2021Q7"}, // not a period: shown as stored
		{"", "en", ""},
	} {
		if got := CodeLabel(c.code, c.lang); got != c.want {
			t.Errorf("CodeLabel(%q, %q) = %q, want %q", c.code, c.lang, got, c.want)
		}
	}
}
