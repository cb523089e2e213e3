package org

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"giaoban/internal/platform/i18n"
)

// Every message key the room uses exists in Vietnamese and English.
func TestEveryKeyIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	tpls, _ := filepath.Glob("templates/org/*.html")
	key := regexp.MustCompile(`"(org\.[a-z_]+(?:\.[a-z_]+)*)"`)
	used := map[string]bool{}
	for _, f := range append(files, tpls...) {
		if filepath.Ext(f) == ".go" && len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "org.admin" { // a permission, not a message
				used[m[1]] = true
			}
		}
	}
	for _, k := range BodyKinds {
		used["org.kind."+k] = true
	}
	for _, a := range []string{ActionCreate, ActionUpdate, ActionUnchanged} {
		used["org.import.action."+a] = true
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys; is the pattern right?", len(used))
	}
	for k := range used {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %s message", k, lang)
			}
		}
	}
	// Both catalogues have the same keys.
	vi, en := map[string]bool{}, map[string]bool{}
	for _, k := range i18n.Keys("vi") {
		vi[k] = true
	}
	for _, k := range i18n.Keys("en") {
		en[k] = true
	}
	for k := range vi {
		if len(k) > 4 && k[:4] == "org." && !en[k] {
			t.Errorf("%s: in vi, not in en", k)
		}
	}
	for k := range en {
		if len(k) > 4 && k[:4] == "org." && !vi[k] {
			t.Errorf("%s: in en, not in vi", k)
		}
	}
}
