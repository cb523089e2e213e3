// Package i18n holds the message catalogues. Every text a user sees is a
// key looked up here; Vietnamese is the default, English the second language.
//
// Each room ships its own catalogue files (locales/vi.json, locales/en.json,
// flat maps of key → fmt template) and registers them with Register at init,
// so rooms add messages without touching each other's files.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Languages the product speaks, the default first.
var Languages = []string{"vi", "en"}

// Default is the language used when none is chosen.
const Default = "vi"

var (
	mu       sync.RWMutex
	messages = map[string]map[string]string{"vi": {}, "en": {}}
	origin   = map[string]string{} // key → file that defined it, to refuse duplicates
)

// Register loads dir/vi.json and dir/en.json from fsys. A key defined twice
// is a programming error and panics at start.
func Register(fsys fs.FS, dir string) {
	for _, lang := range Languages {
		name := path.Join(dir, lang+".json")
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		mu.Lock()
		for k, v := range m {
			if prev, dup := origin[lang+":"+k]; dup {
				mu.Unlock()
				panic(fmt.Sprintf("i18n: key %q in %s already defined in %s", k, name, prev))
			}
			origin[lang+":"+k] = name
			messages[lang][k] = v
		}
		mu.Unlock()
	}
}

// Normalize returns a supported language for a user's choice.
func Normalize(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return Default
}

// T renders key in lang with args. A key missing in lang falls back to the
// default language, then to the key itself (tests catch missing keys).
func T(lang, key string, args ...any) string {
	mu.RLock()
	s, ok := messages[lang][key]
	if !ok {
		s, ok = messages[Default][key]
	}
	mu.RUnlock()
	if !ok {
		s = key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Has tells whether key exists in lang.
func Has(lang, key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := messages[lang][key]
	return ok
}

// Keys lists the keys of lang, sorted.
func Keys(lang string) []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(messages[lang]))
	for k := range messages[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Printer renders messages in one language.
type Printer struct{ Lang string }

// T renders key with args in the printer's language.
func (p Printer) T(key string, args ...any) string { return T(p.Lang, key, args...) }
