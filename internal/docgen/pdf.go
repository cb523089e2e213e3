package docgen

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"giaoban/internal/docgen/fonts"
)

// WritePDF writes d as an A4 PDF in the Nghị định 30 layout. The four
// styles of Liberation Serif are embedded (subset), so every Vietnamese
// glyph prints and the text can be extracted and searched.
func WritePDF(w io.Writer, d Document) (err error) {
	defer func() {
		// fpdf panics on some input it does not expect; report it as an
		// error rather than take the server down.
		if r := recover(); r != nil {
			err = fmt.Errorf("docgen: pdf: %v", r)
		}
	}()
	p := newPDF(&d)
	p.header()
	p.title()
	for _, b := range d.Blocks {
		p.block(b)
	}
	p.signature()
	if p.f.Err() {
		return fmt.Errorf("docgen: pdf: %w", p.f.Error())
	}
	return p.f.Output(w)
}

// pdfw is the state of one PDF being written.
type pdfw struct {
	f     *fpdf.Fpdf
	d     *Document
	y     float64 // top of the next line
	cur   style
	imgNo int
}

const family = "LiberationSerif"

// Line-height factors: body text and the tighter header block and tables.
const (
	lhBody   = 1.25
	lhTight  = 1.15
	paraGap  = 6 * ptMM // space after a paragraph, 6 pt
	cellPadX = 1.5
	cellPadY = 1.0
	ruleGap  = 1.6 // from the line box above to a rule under it
)

func newPDF(d *Document) *pdfw {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(false, marginBottom)
	f.AddUTF8FontFromBytes(family, "", fonts.SerifRegular)
	f.AddUTF8FontFromBytes(family, "B", fonts.SerifBold)
	f.AddUTF8FontFromBytes(family, "I", fonts.SerifItalic)
	f.AddUTF8FontFromBytes(family, "BI", fonts.SerifBoldItalic)
	f.SetTitle(strings.ToValidUTF8(d.title(), "?"), true)
	f.SetLang(strings.ToValidUTF8(d.lang(), "?"))
	f.SetCreator("giaoban", true)
	f.SetProducer("giaoban", true)

	f.SetCatalogSort(true)
	created := d.Date
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetLineWidth(0.3)
	f.SetDrawColor(0, 0, 0)
	p := &pdfw{f: f, d: d}
	// Page numbers: centred in the top margin, Arabic numerals, from page 2
	// on (Nghị định 30, Phụ lục I, mục II.4).
	f.SetHeaderFunc(func() {
		if n := f.PageNo(); n > 1 {
			p.setFont(style{size: sizeBody})
			s := strconv.Itoa(n)
			f.Text(marginLeft+(textW-f.GetStringWidth(s))/2, marginTop/2+2, s)
		}
	})
	f.AddPage()
	p.y = marginTop
	return p
}

func (p *pdfw) setFont(st style) {
	if st == p.cur && p.f.PageNo() > 0 {
		return
	}
	s := ""
	if st.bold {
		s += "B"
	}
	if st.italic {
		s += "I"
	}
	p.f.SetFont(family, s, st.size)
	p.cur = st
}

// newPage starts a page and puts y at its top.
func (p *pdfw) newPage() {
	p.f.AddPage()
	p.cur = style{} // AddPage may reset the font
	p.y = marginTop
}

// room reports whether h more millimetres fit on the page.
func (p *pdfw) room(h float64) bool { return p.y+h <= pageH-marginBottom+0.01 }

// ensure starts a new page unless h more millimetres fit (a block taller
// than a page is started at the top of one).
func (p *pdfw) ensure(h float64) {
	if !p.room(h) && p.y > marginTop+0.01 {
		p.newPage()
	}
}

// rule draws a horizontal line centred on cx.
func (p *pdfw) rule(cx, y, length float64) {
	p.f.SetLineWidth(0.3)
	p.f.Line(cx-length/2, y, cx+length/2, y)
}

// header draws the two-column header block of the first page.
func (p *pdfw) header() {
	h := p.d.Header
	m1, m2 := h.mottos()
	st1 := style{bold: true, size: sizeHeader}
	st2 := style{bold: true, size: sizeMotto2}
	leftW, rightW := headerColumns(p.measure(strings.ToUpper(m1), st1))
	lx, rx := marginLeft, marginLeft+leftW
	lh := lineHeight(sizeHeader, lhTight)

	// Left: parent body, issuing body, rule.
	yl := marginTop
	if s := strings.TrimSpace(h.ParentBody); s != "" {
		ls := p.layout([]Run{{Text: strings.ToUpper(s)}}, style{size: sizeHeader}, leftW, 0)
		yl = p.drawLines(ls, lx, yl, leftW, lh, sizeHeader, hCenter)
	}
	if s := strings.TrimSpace(h.IssuingBody); s != "" {
		ls := p.layout([]Run{{Text: strings.ToUpper(s)}}, st1, leftW, 0)
		yl = p.drawLines(ls, lx, yl, leftW, lh, sizeHeader, hCenter)
		p.rule(lx+leftW/2, yl+ruleGap, max(15, widest(ls)*0.4))
		yl += ruleGap
	}
	// Right: the motto, with a rule as long as its second line.
	yr := marginTop
	if m1 != "" {
		ls := p.layout([]Run{{Text: strings.ToUpper(m1)}}, st1, rightW, 0)
		yr = p.drawLines(ls, rx, yr, rightW, lh, sizeHeader, hCenter)
	}
	if m2 != "" {
		lh2 := lineHeight(sizeMotto2, lhTight)
		ls := p.layout([]Run{{Text: m2}}, st2, rightW, 0)
		yr = p.drawLines(ls, rx, yr, rightW, lh2, sizeMotto2, hCenter)
		p.rule(rx+rightW/2, yr+ruleGap, widest(ls))
		yr += ruleGap
	}
	// The number and the date line share a row.
	y := max(yl, yr)
	if y > marginTop {
		y += 3
	}
	lhb := lineHeight(sizeBody, lhTight)
	ynum, ydate := y, y
	if s := p.d.numberLine(); s != "" {
		ls := p.layout([]Run{{Text: s}}, style{size: sizeBody}, leftW, 0)
		ynum = p.drawLines(ls, lx, y, leftW, lhb, sizeBody, hCenter)
	}
	if s := p.d.dateLine(); s != "" {
		ls := p.layout([]Run{{Text: s, Italic: true}}, style{size: sizeBody}, rightW, 0)
		ydate = p.drawLines(ls, rx, y, rightW, lhb, sizeBody, hCenter)
	}
	p.y = max(ynum, ydate)
}

// title draws the kind of document and the subject line.
func (p *pdfw) title() {
	kind := strings.TrimSpace(p.d.Kind)
	subj := strings.TrimSpace(p.d.Subject)
	if kind == "" && subj == "" {
		p.y += 6
		return
	}
	p.y += 8
	st := style{bold: true, size: sizeTitle}
	lh := lineHeight(sizeTitle, lhTight)
	if kind != "" {
		ls := p.layout([]Run{{Text: strings.ToUpper(kind)}}, st, textW, 0)
		p.y = p.drawLines(ls, marginLeft, p.y, textW, lh, sizeTitle, hCenter)
	}
	if subj != "" {
		ls := p.layout([]Run{{Text: subj}}, st, textW*0.9, 0)
		p.y = p.drawLines(ls, marginLeft+textW*0.05, p.y, textW*0.9, lh, sizeTitle, hCenter)
		p.rule(marginLeft+textW/2, p.y+ruleGap, max(20, widest(ls)*0.4))
		p.y += ruleGap
	}
	p.y += 6
}

// block draws one body block.
func (p *pdfw) block(b Block) {
	switch b := b.(type) {
	case Heading:
		bold, italic := headingStyle(b.Level)
		p.paragraph([]Run{{Text: b.Text, Bold: bold, Italic: italic}}, hJustify, true)
	case *Heading:
		p.block(*b)
	case Paragraph:
		p.paragraph(b.Runs, hJustify, false)
	case *Paragraph:
		p.block(*b)
	case List:
		for _, it := range b.Items {
			p.paragraph([]Run{{Text: "- " + strings.TrimPrefix(strings.TrimSpace(it), "- ")}}, hJustify, false)
		}
	case *List:
		p.block(*b)
	case Table:
		p.table(&b)
	case *Table:
		p.table(b)
	case Image:
		p.image(&b)
	case *Image:
		p.image(b)
	case PageBreak, *PageBreak:
		p.newPage()
	}
}

// paragraph draws a justified body paragraph with a first-line indent,
// breaking pages between lines. keepNext keeps a heading with the two
// lines after it.
func (p *pdfw) paragraph(runs []Run, align hAlign, keepNext bool) {
	base := style{size: sizeBody}
	ls := p.layout(runs, base, textW, indentMM)
	lh := lineHeight(sizeBody, lhBody)
	need := lh * float64(min(len(ls), 2))
	if keepNext {
		need = lh * float64(len(ls)+2)
	}
	p.ensure(need)
	for _, l := range ls {
		p.ensure(lh)
		p.drawLine(l, marginLeft, p.y, textW, lh, sizeBody, align)
		p.y += lh
	}
	p.y += paraGap
}
