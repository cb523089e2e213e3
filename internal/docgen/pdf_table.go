package docgen

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"

	"github.com/go-pdf/fpdf"
)

// pdfRow is a table row laid out for drawing.
type pdfRow struct {
	cells  [][]line
	aligns []hAlign
	h      float64
}

// tableRow lays out one row of cells.
func (p *pdfw) tableRow(t *Table, ws []float64, cells []Cell, header, total bool) pdfRow {
	lh := lineHeight(sizeTable, lhTight)
	r := pdfRow{}
	maxLines := 1
	for i, col := range t.Columns {
		c := cellAt(cells, i)
		st := style{bold: c.Bold || header || total, size: sizeTable}
		ls := p.layout([]Run{{Text: c.display(col)}}, st, ws[i]-2*cellPadX, 0)
		maxLines = max(maxLines, len(ls))
		r.cells = append(r.cells, ls)
		a := col.align().h()
		if header {
			a = hCenter
		}
		r.aligns = append(r.aligns, a)
	}
	r.h = float64(maxLines)*lh + 2*cellPadY
	return r
}

// drawRow draws a laid-out row at p.y with borders.
func (p *pdfw) drawRow(r pdfRow, ws []float64) {
	lh := lineHeight(sizeTable, lhTight)
	x := marginLeft
	for i, ls := range r.cells {
		p.f.SetLineWidth(0.2)
		p.f.Rect(x, p.y, ws[i], r.h, "D")
		top := p.y + (r.h-float64(len(ls))*lh)/2
		p.drawLines(ls, x+cellPadX, top, ws[i]-2*cellPadX, lh, sizeTable, r.aligns[i])
		x += ws[i]
	}
	p.y += r.h
}

// table draws a table; its header rows are drawn again at the top of every
// page it continues on.
func (p *pdfw) table(t *Table) {
	if len(t.Columns) == 0 {
		return
	}
	ws := t.widths(textW)
	var head []pdfRow
	if t.hasTitles() {
		titles := make([]Cell, len(t.Columns))
		for i, c := range t.Columns {
			titles[i] = Cell{Text: c.Title}
		}
		head = append(head, p.tableRow(t, ws, titles, true, false))
	}
	nh := t.headerCount()
	for _, row := range t.Rows[:nh] {
		head = append(head, p.tableRow(t, ws, row, true, false))
	}
	headH := 0.0
	for _, r := range head {
		headH += r.h
	}
	var capLines []line
	capLH := lineHeight(sizeCaption, lhTight)
	if c := strings.TrimSpace(t.Caption); c != "" {
		capLines = p.layout([]Run{{Text: c, Bold: true}}, style{size: sizeCaption}, textW, 0)
	}
	body := make([]pdfRow, 0, len(t.Rows)-nh)
	for i, row := range t.Rows[nh:] {
		body = append(body, p.tableRow(t, ws, row, false, t.isTotal(nh+i)))
	}
	first := 0.0
	if len(body) > 0 {
		first = body[0].h
	}
	// Keep the caption, the header and the first row together.
	p.ensure(float64(len(capLines))*capLH + 1 + headH + first)
	if len(capLines) > 0 {
		p.y = p.drawLines(capLines, marginLeft, p.y, textW, capLH, sizeCaption, hCenter) + 1
	}
	drawHead := func() {
		for _, r := range head {
			p.drawRow(r, ws)
		}
	}
	drawHead()
	for _, r := range body {
		if !p.room(r.h) {
			p.newPage()
			drawHead()
		}
		p.drawRow(r, ws)
	}
	p.y += paraGap
}

// image draws a PNG centred on the text width, with its caption under it.
func (p *pdfw) image(im *Image) {
	cfg, err := png.DecodeConfig(bytes.NewReader(im.PNG))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		p.f.SetError(fmt.Errorf("image %d: not a PNG: %v", p.imgNo+1, err))
		return
	}
	p.imgNo++
	name := fmt.Sprintf("img%d", p.imgNo)
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	p.f.RegisterImageOptionsReader(name, opts, bytes.NewReader(im.PNG))
	if p.f.Err() {
		// fpdf reads 8-bit PNGs only: re-encode others (16-bit, paletted
		// with transparency…) as 8-bit RGBA and try again.
		p.f.ClearError()
		img, err := png.Decode(bytes.NewReader(im.PNG))
		if err != nil {
			p.f.SetError(fmt.Errorf("image %d: %w", p.imgNo, err))
			return
		}
		rgba := image.NewNRGBA(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				rgba.Set(x, y, img.At(x, y))
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			p.f.SetError(err)
			return
		}
		p.f.RegisterImageOptionsReader(name, opts, &buf)
		if p.f.Err() {
			return
		}
	}
	w := im.WidthMM
	if w <= 0 || w > textW {
		w = textW
	}
	h := w * float64(cfg.Height) / float64(cfg.Width)
	maxH := pageH - marginTop - marginBottom - 12
	if h > maxH {
		h = maxH
		w = h * float64(cfg.Width) / float64(cfg.Height)
	}
	var capLines []line
	capLH := lineHeight(sizeCaption, lhTight)
	if c := strings.TrimSpace(im.Caption); c != "" {
		capLines = p.layout([]Run{{Text: c, Italic: true}}, style{size: sizeCaption}, textW, 0)
	}
	p.ensure(h + 2 + float64(len(capLines))*capLH)
	p.f.ImageOptions(name, marginLeft+(textW-w)/2, p.y, w, h, false, opts, 0, "")
	p.y += h + 2
	if len(capLines) > 0 {
		p.y = p.drawLines(capLines, marginLeft, p.y, textW, capLH, sizeCaption, hCenter)
	}
	p.y += paraGap
}

// signature draws "Nơi nhận:" on the left and the signature block on the
// right, side by side, on one page.
func (p *pdfw) signature() {
	sg := p.d.Signature
	recips := p.d.recipientLines()
	if sg.OnBehalf == "" && sg.Title == "" && sg.Name == "" && len(recips) == 0 {
		return
	}
	leftW := textW * 0.45
	rightW := textW - leftW
	lx, rx := marginLeft, marginLeft+leftW

	// Measure both columns first.
	lhN := lineHeight(sizeNoiNhan, lhTight)
	lhR := lineHeight(sizeRecipient, lhTight)
	var recLines []line
	for _, r := range recips {
		recLines = append(recLines, p.layout([]Run{{Text: r}}, style{size: sizeRecipient}, leftW-2, 0)...)
	}
	leftH := 0.0
	if len(recLines) > 0 {
		leftH = lhN + float64(len(recLines))*lhR
	}
	lh := lineHeight(sizeBody, lhTight)
	st := style{bold: true, size: sizeBody}
	var top []line
	for _, s := range []string{sg.OnBehalf, sg.Title} {
		if s = strings.TrimSpace(s); s != "" {
			top = append(top, p.layout([]Run{{Text: strings.ToUpper(s)}}, st, rightW, 0)...)
		}
	}
	const signSpace = 25.0 // for the signature and the seal
	rightH := float64(len(top))*lh + signSpace + lh

	p.y += 2
	p.ensure(max(leftH, rightH))
	y0 := p.y
	if len(recLines) > 0 {
		ls := p.layout([]Run{{Text: "Nơi nhận:", Bold: true, Italic: true}}, style{size: sizeNoiNhan}, leftW, 0)
		y := p.drawLines(ls[:1], lx, y0, leftW, lhN, sizeNoiNhan, hLeft)
		p.drawLines(recLines, lx, y, leftW, lhR, sizeRecipient, hLeft)
	}
	y := p.drawLines(top, rx, y0, rightW, lh, sizeBody, hCenter)
	if n := strings.TrimSpace(sg.Name); n != "" {
		ls := p.layout([]Run{{Text: n}}, st, rightW, 0)
		p.drawLines(ls, rx, y+signSpace, rightW, lh, sizeBody, hCenter)
	}
	p.y = y0 + max(leftH, rightH)
}

// TableTextMM is the width in millimetres that s takes on one line in a
// table cell of the printed documents (Liberation Serif at the table size,
// bold for headers), padding excluded; CellPadMM is the padding of each
// side. Callers that lay out wide tables size their columns with them.
func TableTextMM(s string, bold bool) float64 { return textWidthMM(bold, sizeTable, s) }

// CellPadMM is the horizontal padding of a table cell on each side.
const CellPadMM = cellPadX
