package i18n

import "testing"

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	vi, en := map[string]bool{}, map[string]bool{}
	for _, k := range Keys("vi") {
		vi[k] = true
	}
	for _, k := range Keys("en") {
		en[k] = true
	}
	for k := range vi {
		if !en[k] {
			t.Errorf("key %q has no English text", k)
		}
	}
	for k := range en {
		if !vi[k] {
			t.Errorf("key %q has no Vietnamese text", k)
		}
	}
	if len(vi) == 0 {
		t.Fatal("no messages registered")
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"vi": "vi", "EN": "en", "en-US": "en", "fr": "vi", "": "vi", "vi_VN": "vi"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTFallsBackToVietnameseThenKey(t *testing.T) {
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key rendered %q", got)
	}
	if got := T("vi", "app.name"); got != "Giao ban" {
		t.Errorf("app.name = %q", got)
	}
}
