package meeting

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/platform/i18n"
)

// Every message key the room uses exists in Vietnamese and English, and
// both catalogues have the same keys.
func TestEveryKeyIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	tpls, _ := filepath.Glob("templates/meeting/*.html")
	key := regexp.MustCompile(`"(meeting\.[a-z_]+(?:\.[a-z_]+)*)"`)
	used := map[string]bool{}
	for _, f := range append(files, tpls...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "meeting.manage" && !strings.HasSuffix(m[1], ".css") {
				used[m[1]] = true
			}
		}
	}
	for _, k := range Kinds {
		used["meeting.kind."+string(k)] = true
	}
	for _, s := range []Status{Planned, Held} {
		used["meeting.status."+string(s)] = true
	}
	for _, s := range TaskStatuses {
		used["meeting.task_status."+string(s)] = true
	}
	if len(used) < 150 {
		t.Fatalf("found only %d keys; is the pattern right?", len(used))
	}
	for k := range used {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %s message", k, lang)
			}
		}
	}
	vi, en := map[string]bool{}, map[string]bool{}
	for _, k := range i18n.Keys("vi") {
		vi[k] = true
	}
	for _, k := range i18n.Keys("en") {
		en[k] = true
	}
	for k := range vi {
		if strings.HasPrefix(k, "meeting.") && !en[k] {
			t.Errorf("%s: in vi, not in en", k)
		}
		if strings.HasPrefix(k, "meeting.") && !used[k] {
			t.Errorf("%s: defined, never used", k)
		}
	}
	for k := range en {
		if strings.HasPrefix(k, "meeting.") && !vi[k] {
			t.Errorf("%s: in en, not in vi", k)
		}
	}
}
