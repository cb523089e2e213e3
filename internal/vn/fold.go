package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search form of s: what a user typed and what is stored
// fold to the same string when they name the same thing. People type
// without diacritics, with old tone placement (hoà/hòa), in NFD from some
// keyboards, or in capitals from bank transfer notes; all of these fold alike:
//
//	Fold("Đặng Thị Hoà")        == "dang thi hoa"
//	Fold("NGUYỄN  VĂN\tA")     == "nguyen van a"
//	Fold("Ia\u00a0Grai - Gia Lai") == "ia grai gia lai"
//
// The rules, in order:
//   - canonical decomposition (NFD), so NFC and NFD input fold alike;
//   - combining marks are dropped: all of unicode.Mn, and also Mc and Me
//     (spacing and enclosing marks), which would otherwise split words;
//   - đ/Đ become d; so do ð/Ð (U+00F0/U+00D0), which old fonts and
//     converters sometimes put in place of Đ;
//   - letters are lower-cased;
//   - every run of characters that is neither a letter nor a digit
//     (spaces, tabs, NBSP, hyphens, punctuation, symbols) becomes one space;
//     leading and trailing separators are dropped.
//
// Fold is idempotent. Display the original text; store and compare the
// folded one. Fold is meant for millions of rows: text that is already
// folded is returned without allocating, and Latin text (ASCII and
// Vietnamese letters, precomposed or not) takes a table-driven fast path with
// a single allocation.
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	if out, ok := foldFast(s); ok {
		return out
	}
	return foldSlow(s)
}

// FoldWords returns the words of Fold(s); nil when there are none.
func FoldWords(s string) []string {
	f := Fold(s)
	if f == "" {
		return nil
	}
	return strings.Split(f, " ")
}

// MatchAllWords reports whether every word of queryWords occurs in
// haystackFolded as a whole word or as the beginning of a word, in any
// order: "nguy" matches "nguyen", "van" matches "nguyen van a", but "yen"
// does not match "nguyen". haystackFolded must come from Fold and the query
// words from FoldWords; empty query words are ignored and an empty query
// matches everything.
func MatchAllWords(haystackFolded string, queryWords []string) bool {
	for _, q := range queryWords {
		if q != "" && !hasWordPrefix(haystackFolded, q) {
			return false
		}
	}
	return true
}

// hasWordPrefix reports whether q occurs in h at the start of a word (at the
// start of h or right after a space).
func hasWordPrefix(h, q string) bool {
	for i := 0; ; {
		j := strings.Index(h[i:], q)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || h[j-1] == ' ' {
			return true
		}
		i = j + 1
	}
}

// NFC returns s in Unicode normalisation form C with surrounding white
// space (including NBSP) and zero-width characters (BOM, ZWSP) trimmed.
// Every text a user types passes through it before it is stored, so that
// equal texts are equal bytes. It does not change tone placement: "hoà"
// stays "hoà" (search uses Fold, which ignores it).
func NFC(s string) string {
	return strings.TrimFunc(norm.NFC.String(s), isTrimmable)
}

func isTrimmable(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
}

// isFoldedASCII reports whether s is already in folded form and ASCII:
// lower-case letters and digits separated by single spaces.
func isFoldedASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ' && !prevSpace:
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

// Rune classes used by the fold table. Values >= 0 are the folded rune.
const (
	foldDrop    = -1 // combining mark: dropped
	foldSep     = -2 // separator: becomes one space
	foldComplex = -3 // needs the general path
)

// asciiFold maps an ASCII byte to its folded byte, or 0 for a separator.
var asciiFold [128]byte

// latinFold covers U+0000–U+024F (Latin-1, Latin Extended-A and -B);
// extFold covers U+1E00–U+1EFF (Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ …,
// most Vietnamese letters with tone marks); punctFold covers U+2000–U+206F
// (general punctuation: dashes, curly quotes, ellipsis, thin spaces). The
// combining diacritical marks U+0300–U+036F are all Mn and are dropped.
// Within these ranges no character has a non-zero combining class except
// the marks that are dropped, so folding rune by rune gives exactly the
// result of folding the NFD string (see TestFoldFastMatchesSlow).
var (
	latinFold [0x250]int32
	extFold   [0x100]int32
	punctFold [0x70]int32
)

func init() {
	for i := range asciiFold {
		c := byte(i)
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			asciiFold[i] = c
		case c >= 'A' && c <= 'Z':
			asciiFold[i] = c + 'a' - 'A'
		}
	}
	for i := range latinFold {
		latinFold[i] = classifyComposed(rune(i))
	}
	for i := range extFold {
		extFold[i] = classifyComposed(rune(0x1E00 + i))
	}
	for i := range punctFold {
		punctFold[i] = classifyComposed(rune(0x2000 + i))
	}
}

// classifyComposed folds a single rune the general way (decompose, then
// classify each rune of the decomposition) and summarises the result for
// the fast table.
func classifyComposed(r rune) int32 {
	kept, seps := 0, 0
	var k rune
	for _, d := range norm.NFD.String(string(r)) {
		switch c := classifyBase(d); c {
		case foldDrop:
		case foldSep:
			seps++
		default:
			kept++
			k = rune(c)
		}
	}
	switch {
	case kept == 1 && seps == 0:
		return int32(k)
	case kept == 0 && seps == 0:
		return foldDrop
	case kept == 0:
		return foldSep
	}
	return foldComplex
}

// classifyBase folds one rune of an already decomposed string.
func classifyBase(r rune) int32 {
	switch {
	case r < utf8.RuneSelf:
		if c := asciiFold[r]; c != 0 {
			return int32(c)
		}
		return foldSep
	case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð':
		return 'd'
	case unicode.Is(unicode.M, r):
		return foldDrop
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return int32(unicode.ToLower(r))
	}
	return foldSep
}

// foldWriter accumulates folded runes, collapsing separators.
type foldWriter struct {
	b       strings.Builder
	pending bool // a separator was seen since the last kept rune
}

func (w *foldWriter) keep(r rune) {
	if w.pending {
		if w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.pending = false
	}
	if r < utf8.RuneSelf {
		w.b.WriteByte(byte(r))
	} else {
		w.b.WriteRune(r)
	}
}

// foldFast folds s rune by rune through the tables. It reports false when s
// holds a rune outside them; the caller then uses foldSlow.
func foldFast(s string) (string, bool) {
	var w foldWriter
	w.b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if f := asciiFold[c]; f != 0 {
				w.keep(rune(f))
			} else {
				w.pending = true
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		var f int32
		switch {
		case r < 0x250:
			f = latinFold[r]
		case r >= 0x300 && r < 0x370:
			f = foldDrop
		case r >= 0x1E00 && r < 0x1F00:
			f = extFold[r-0x1E00]
		case r >= 0x2000 && r < 0x2070:
			f = punctFold[r-0x2000]
		default:
			return "", false
		}
		switch f {
		case foldDrop:
		case foldSep:
			w.pending = true
		case foldComplex:
			return "", false
		default:
			w.keep(rune(f))
		}
	}
	return w.b.String(), true
}

// foldSlow is the general path: it walks the NFD form of s segment by
// segment (without building the whole NFD string) and classifies each rune.
func foldSlow(s string) string {
	var w foldWriter
	w.b.Grow(len(s))
	var it norm.Iter
	it.InitString(norm.NFD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			switch f := classifyBase(r); f {
			case foldDrop:
			case foldSep:
				w.pending = true
			default:
				w.keep(rune(f))
			}
		}
	}
	return w.b.String()
}
