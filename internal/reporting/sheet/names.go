package sheet

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"giaoban/internal/vn"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 code units.
const maxSheetName = 31

// sheetNamer gives safe, unique sheet names.
type sheetNamer struct {
	used map[string]bool // lower-cased: Excel compares names case-insensitively
}

func newSheetNamer(reserved ...string) *sheetNamer {
	n := &sheetNamer{used: map[string]bool{}}
	for _, r := range reserved {
		n.used[strings.ToLower(r)] = true
	}
	return n
}

// name returns a sheet name made from want: NFC, characters Excel forbids
// ([]:*?/\ and control characters) replaced, no apostrophe at either end,
// at most 31 UTF-16 units, unique (" (2)", " (3)"… when needed), never
// "History" (reserved by Excel). An empty name becomes fallback.
func (n *sheetNamer) name(want, fallback string) string {
	base := cleanSheetName(want)
	if base == "" || strings.EqualFold(base, "History") {
		base = cleanSheetName(fallback)
	}
	if base == "" {
		base = "Sheet"
	}
	for i := 1; ; i++ {
		cand := base
		if i > 1 {
			suffix := " (" + strconv.Itoa(i) + ")"
			cand = strings.TrimRight(truncUTF16(base, maxSheetName-len(suffix)), " '") + suffix
		}
		if key := strings.ToLower(cand); !n.used[key] {
			n.used[key] = true
			return cand
		}
	}
}

func cleanSheetName(s string) string {
	s = vn.NFC(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			r = '-'
		case unicode.IsControl(r) || unicode.IsSpace(r) || r == '\ufffd':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	out := strings.Trim(b.String(), " '")
	out = strings.Trim(truncUTF16(out, maxSheetName), " '")
	return out
}

// truncUTF16 cuts s to at most n UTF-16 code units, on a rune boundary.
func truncUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}
