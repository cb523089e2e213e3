package docgen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
)

// Text layout for the PDF writer: fpdf's MultiCell knows one style per
// paragraph and cannot justify UTF-8 text, so paragraphs are broken into
// lines here and every word is placed by hand.

// hAlign is a paragraph alignment.
type hAlign int

const (
	hLeft hAlign = iota
	hCenter
	hRight
	hJustify
)

func (a Align) h() hAlign {
	switch a {
	case AlignCenter:
		return hCenter
	case AlignRight:
		return hRight
	}
	return hLeft
}

// seg is a piece of a word in one style.
type seg struct {
	text         string
	bold, italic bool
	w            float64
}

// word is text between spaces; it may change style inside ("348đ").
type word struct {
	segs []seg
	w    float64
}

// line is one laid-out line.
type line struct {
	words  []word
	w      float64 // words' width, gaps excluded
	gap    float64 // natural gap between words
	hard   bool    // ended by a line break in the text, not by wrapping
	indent float64
}

// style is a font style and size.
type style struct {
	bold, italic bool
	size         float64
}

// measure returns the width of s in millimetres.
func (p *pdfw) measure(s string, st style) float64 {
	p.setFont(st)
	return p.f.GetStringWidth(s)
}

// layout breaks runs into lines at most width wide, the first indented by
// indent. Runs' Bold and Italic add to base's.
func (p *pdfw) layout(runs []Run, base style, width, indent float64) []line {
	var lines []line
	var gb sfnt.Buffer
	cur := line{indent: indent}
	var w word
	gapW := p.measure(" ", base)
	avail := func() float64 { return width - cur.indent }
	pushWord := func() {
		if len(w.segs) == 0 {
			return
		}
		if len(cur.words) > 0 && cur.w+gapW*float64(len(cur.words))+w.w > avail() {
			lines = append(lines, cur)
			cur = line{gap: gapW}
		}
		// A word wider than the whole line is split where it stops fitting.
		if len(cur.words) == 0 && w.w > avail() {
			pieces := p.splitLong(w, avail(), width, base.size)
			for _, pc := range pieces[:len(pieces)-1] {
				cur.words = append(cur.words, pc)
				cur.w = pc.w
				cur.gap = gapW
				lines = append(lines, cur)
				cur = line{gap: gapW}
			}
			w = pieces[len(pieces)-1]
		}
		cur.words = append(cur.words, w)
		cur.w += w.w
		cur.gap = gapW
		w = word{}
	}
	for _, r := range runs {
		st := style{bold: base.bold || r.Bold, italic: base.italic || r.Italic, size: base.size}
		text := pdfSafe(strings.ReplaceAll(r.Text, "\r\n", "\n"), &gb)
		for len(text) > 0 {
			i := strings.IndexFunc(text, unicode.IsSpace)
			if i < 0 {
				i = len(text)
			}
			if i > 0 {
				s := seg{text: text[:i], bold: st.bold, italic: st.italic}
				s.w = p.measure(s.text, st)
				w.segs = append(w.segs, s)
				w.w += s.w
				text = text[i:]
				continue
			}
			sp, n := utf8.DecodeRuneInString(text)
			text = text[n:]
			pushWord()
			if sp == '\n' {
				cur.hard = true
				cur.gap = gapW
				lines = append(lines, cur)
				cur = line{}
			}
		}
	}
	pushWord()
	if len(cur.words) > 0 || len(lines) == 0 {
		cur.hard = true
		cur.gap = gapW
		lines = append(lines, cur)
	}
	lines[len(lines)-1].hard = true
	return lines
}

// splitLong cuts a word too wide for a line into pieces: the first at
// most first wide, the others at most rest, each at least one character.
// Every character is measured once.
func (p *pdfw) splitLong(w word, first, rest, size float64) []word {
	var out []word
	var cur word
	limit := first
	for _, s := range w.segs {
		st := style{bold: s.bold, italic: s.italic, size: size}
		start, pw := 0, 0.0
		flush := func(end int) {
			if end > start {
				cur.segs = append(cur.segs, seg{text: s.text[start:end], bold: s.bold, italic: s.italic, w: pw})
				cur.w += pw
			}
			start, pw = end, 0
		}
		for i, r := range s.text {
			rw := p.measure(string(r), st)
			if cur.w+pw+rw > limit && cur.w+pw > 0 {
				flush(i)
				out = append(out, cur)
				cur, limit = word{}, rest
			}
			pw += rw
		}
		flush(len(s.text))
	}
	if len(cur.segs) > 0 || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// lineHeight is the height of a line of text of the given size, in mm.
func lineHeight(size, factor float64) float64 { return size * ptMM * factor }

const ptMM = 25.4 / 72

// drawLines draws lines from the top y within [x, x+width], lh apart, and
// returns the y under the last. It does not break pages.
func (p *pdfw) drawLines(lines []line, x, y, width, lh float64, size float64, align hAlign) float64 {
	for _, l := range lines {
		p.drawLine(l, x, y, width, lh, size, align)
		y += lh
	}
	return y
}

// drawLine draws one line whose top is y.
func (p *pdfw) drawLine(l line, x, y, width, lh, size float64, align hAlign) {
	base := baseline(y, lh, size)
	avail := width - l.indent
	natural := l.w + l.gap*float64(max(0, len(l.words)-1))
	gap := l.gap
	x += l.indent
	switch align {
	case hCenter:
		x += (avail - natural) / 2
	case hRight:
		x += avail - natural
	case hJustify:
		if !l.hard && len(l.words) > 1 {
			gap = (avail - l.w) / float64(len(l.words)-1)
		}
	}
	for i, w := range l.words {
		if i > 0 {
			x += gap
		}
		for _, s := range w.segs {
			p.setFont(style{bold: s.bold, italic: s.italic, size: size})
			p.f.Text(x, base, s.text)
			x += s.w
		}
	}
}

// baseline is the baseline of a line of height lh whose top is y: the
// font's ascent and descent (Liberation Serif: 0,891 and 0,216 em) centred
// in the line.
func baseline(y, lh, size float64) float64 {
	em := size * ptMM
	return y + (lh-1.107*em)/2 + 0.891*em
}

// widest returns the width of the widest line.
func widest(lines []line) float64 {
	m := 0.0
	for _, l := range lines {
		w := l.indent + l.w + l.gap*float64(max(0, len(l.words)-1))
		m = max(m, w)
	}
	return m
}

// pdfSafe replaces what the embedded font cannot print: characters it has
// no glyph for (and all outside the Basic Multilingual Plane, which fpdf
// cannot map) become "?", control characters other than white space are
// dropped, invalid UTF-8 becomes "?".
func pdfSafe(s string, b *sfnt.Buffer) string {
	reg, _, err := parsedFonts()
	ok := func(r rune) bool {
		if r < 0x80 {
			return (r >= ' ' && r != 0x7f) || unicode.IsSpace(r)
		}
		if r > 0xFFFF || r == utf8.RuneError || err != nil {
			return false
		}
		g, e := reg.GlyphIndex(b, r)
		return e == nil && g != 0
	}
	clean := true
	for _, r := range s {
		if !ok(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var out strings.Builder
	for _, r := range s {
		switch {
		case ok(r):
			out.WriteRune(r)
		case r < ' ' || (r >= 0x7f && r < 0xa0):
			// a control character: dropped
		default:
			out.WriteByte('?')
		}
	}
	return out.String()
}
