package docgen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// WriteDOCX writes d as a Word document (OOXML, written part by part: no
// Go library for DOCX is well kept) in the Nghị định 30 layout: A4, the
// decree's margins, Times New Roman 13 pt, the header block and the
// signature block as borderless tables, tables with a header row repeated
// on every page, page numbers centred at the top from page 2 on.
func WriteDOCX(w io.Writer, d Document) error {
	x := &docx{d: &d}
	x.header()
	x.title()
	for _, b := range d.Blocks {
		if err := x.block(b); err != nil {
			return err
		}
	}
	x.signature()
	return x.write(w)
}

// docx is the state of one DOCX being written.
type docx struct {
	d     *Document
	body  strings.Builder
	media [][]byte // word/media/image{i+1}.png
}

// Twentieths of a point from millimetres, and EMUs.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }
func emu(mm float64) int   { return int(math.Round(mm * 36000)) }

// halfPts is a font size in the half-points of w:sz.
func halfPts(pt float64) int { return int(math.Round(pt * 2)) }

// esc escapes s for XML text and attributes; characters XML cannot carry
// become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// rpr is run formatting.
type rpr struct {
	bold, italic bool
	size         float64 // points; 0 for the style's
}

func (r rpr) xml() string {
	var b strings.Builder
	if r.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.italic {
		b.WriteString(`<w:i/><w:iCs/>`)
	}
	if r.size > 0 {
		fmt.Fprintf(&b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPts(r.size), halfPts(r.size))
	}
	if b.Len() == 0 {
		return ""
	}
	return "<w:rPr>" + b.String() + "</w:rPr>"
}

// run writes text as runs; a line break in it becomes w:br, a tab w:tab.
func run(text string, f rpr) string {
	var b strings.Builder
	for i, ln := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<w:r>" + f.xml() + "<w:br/></w:r>")
		}
		for j, part := range strings.Split(ln, "\t") {
			if j > 0 {
				b.WriteString("<w:r>" + f.xml() + "<w:tab/></w:r>")
			}
			if part != "" {
				b.WriteString("<w:r>" + f.xml() + `<w:t xml:space="preserve">` + esc(part) + "</w:t></w:r>")
			}
		}
	}
	return b.String()
}

// ppr is paragraph formatting, written in the schema's element order.
type ppr struct {
	style      string
	keepNext   bool
	ruleTop    bool // a top border: the short rules of the header block
	before     int  // spacing, twips
	after      int
	line       int // line spacing in 240ths; 0 for the style's
	exact      bool
	indL, indR int
	firstLine  int
	jc         string
	size       float64 // paragraph mark size, points
}

func (p ppr) xml() string {
	var b strings.Builder
	b.WriteString("<w:pPr>")
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="` + p.style + `"/>`)
	}
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.ruleTop {
		b.WriteString(`<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	if p.before != 0 || p.after != 0 || p.line != 0 {
		fmt.Fprintf(&b, `<w:spacing w:before="%d" w:after="%d"`, p.before, p.after)
		if p.line != 0 {
			rule := "auto"
			if p.exact {
				rule = "exact"
			}
			fmt.Fprintf(&b, ` w:line="%d" w:lineRule="%s"`, p.line, rule)
		}
		b.WriteString(`/>`)
	}
	if p.indL != 0 || p.indR != 0 || p.firstLine != 0 {
		fmt.Fprintf(&b, `<w:ind w:left="%d" w:right="%d" w:firstLine="%d"/>`, p.indL, p.indR, p.firstLine)
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	if p.size > 0 {
		fmt.Fprintf(&b, `<w:rPr><w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>`, halfPts(p.size), halfPts(p.size))
	}
	b.WriteString("</w:pPr>")
	return b.String()
}

func para(p ppr, runs ...string) string {
	return "<w:p>" + p.xml() + strings.Join(runs, "") + "</w:p>"
}

// rulePara is a paragraph drawn as a centred rule ruleMM long in a column
// colMM wide (its top border, between indents).
func rulePara(colMM, ruleMM float64) string {
	in := max(0, twips((colMM-ruleMM)/2))
	return para(ppr{ruleTop: true, before: 60, line: 120, exact: true, indL: in, indR: in, jc: "center", size: 2})
}

// cellMarMM is the left and right margin of table cells (Word's 0,19 cm).
const cellMarMM = 1.9

// Table XML pieces.
const (
	bordersNone   = `<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`
	bordersSingle = `<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>`
)

// tableStart opens a table of fixed column widths (mm).
func tableStart(widths []float64, borders string, marMM float64) string {
	var b strings.Builder
	total := 0
	for _, w := range widths {
		total += twips(w)
	}
	fmt.Fprintf(&b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>%s<w:tblLayout w:type="fixed"/>`, total, borders)
	fmt.Fprintf(&b, `<w:tblCellMar><w:left w:w="%d" w:type="dxa"/><w:right w:w="%d" w:type="dxa"/></w:tblCellMar>`, twips(marMM), twips(marMM))
	b.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, twips(w))
	}
	b.WriteString(`</w:tblGrid>`)
	return b.String()
}

// cell is a table cell of the given width holding paragraphs.
func cell(wMM float64, vcenter bool, paras ...string) string {
	v := ""
	if vcenter {
		v = `<w:vAlign w:val="center"/>`
	}
	if len(paras) == 0 {
		paras = []string{"<w:p/>"}
	}
	return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s</w:tcPr>%s</w:tc>`, twips(wMM), v, strings.Join(paras, ""))
}

// row is a table row; header rows repeat on every page.
func row(header bool, cells ...string) string {
	pr := `<w:trPr><w:cantSplit/></w:trPr>`
	if header {
		pr = `<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`
	}
	return "<w:tr>" + pr + strings.Join(cells, "") + "</w:tr>"
}

// header writes the header block: a borderless table, the bodies and the
// motto in the first row, the number and the date line in the second.
func (x *docx) header() {
	h := x.d.Header
	m1, m2 := h.mottos()
	m1 = strings.ToUpper(m1)
	leftW, rightW := headerColumns(textWidthMM(true, sizeHeader, m1))
	if m1 == "" {
		leftW, rightW = headerColumns(0)
	}
	tight := ppr{jc: "center", line: 240}
	var left, right []string
	if s := strings.TrimSpace(h.ParentBody); s != "" {
		left = append(left, para(tight, run(strings.ToUpper(s), rpr{size: sizeHeader})))
	}
	if s := strings.TrimSpace(h.IssuingBody); s != "" {
		s = strings.ToUpper(s)
		left = append(left, para(tight, run(s, rpr{bold: true, size: sizeHeader})))
		lines := wrapMM(true, sizeHeader, s, leftW)
		wide := 0.0
		for _, l := range lines {
			wide = max(wide, textWidthMM(true, sizeHeader, l))
		}
		left = append(left, rulePara(leftW, max(15, wide*0.4)))
	}
	if m1 != "" {
		right = append(right, para(tight, run(m1, rpr{bold: true, size: sizeHeader})))
	}
	if m2 != "" {
		right = append(right, para(tight, run(m2, rpr{bold: true, size: sizeMotto2})))
		right = append(right, rulePara(rightW, textWidthMM(true, sizeMotto2, m2)))
	}
	num, date := x.d.numberLine(), x.d.dateLine()
	if len(left)+len(right) == 0 && num == "" && date == "" {
		return
	}
	x.body.WriteString(tableStart([]float64{leftW, rightW}, bordersNone, 0))
	x.body.WriteString(row(false, cell(leftW, false, left...), cell(rightW, false, right...)))
	if num != "" || date != "" {
		p := ppr{jc: "center", before: 120}
		x.body.WriteString(row(false,
			cell(leftW, false, para(p, run(num, rpr{}))),
			cell(rightW, false, para(p, run(date, rpr{italic: true})))))
	}
	x.body.WriteString("</w:tbl>")
}

// title writes the kind of document and the subject with its rule.
func (x *docx) title() {
	kind := strings.TrimSpace(x.d.Kind)
	subj := strings.TrimSpace(x.d.Subject)
	if kind == "" && subj == "" {
		x.body.WriteString(para(ppr{}))
		return
	}
	f := rpr{bold: true, size: sizeTitle}
	if kind != "" {
		x.body.WriteString(para(ppr{jc: "center", before: 360, keepNext: true}, run(strings.ToUpper(kind), f)))
	}
	if subj != "" {
		x.body.WriteString(para(ppr{jc: "center", keepNext: true, indL: twips(textW * 0.05), indR: twips(textW * 0.05)}, run(subj, f)))
		lines := wrapMM(true, sizeTitle, subj, textW*0.9)
		wide := 0.0
		for _, l := range lines {
			wide = max(wide, textWidthMM(true, sizeTitle, l))
		}
		x.body.WriteString(rulePara(textW, max(20, wide*0.4)))
	}
	x.body.WriteString(para(ppr{line: 240, size: 6}))
}

// block writes one body block.
func (x *docx) block(b Block) error {
	switch b := b.(type) {
	case Heading:
		lvl := min(max(b.Level, 1), 3)
		bold, italic := headingStyle(lvl)
		x.body.WriteString(para(ppr{style: "Heading" + strconv.Itoa(lvl)}, run(b.Text, rpr{bold: bold, italic: italic})))
	case *Heading:
		return x.block(*b)
	case Paragraph:
		var runs []string
		for _, r := range b.Runs {
			runs = append(runs, run(r.Text, rpr{bold: r.Bold, italic: r.Italic}))
		}
		x.body.WriteString(para(ppr{style: "BodyText"}, runs...))
	case *Paragraph:
		return x.block(*b)
	case List:
		for _, it := range b.Items {
			x.body.WriteString(para(ppr{style: "BodyText"}, run("- "+strings.TrimPrefix(strings.TrimSpace(it), "- "), rpr{})))
		}
	case *List:
		return x.block(*b)
	case Table:
		x.table(&b)
	case *Table:
		x.table(b)
	case Image:
		return x.image(&b)
	case *Image:
		return x.image(b)
	case PageBreak, *PageBreak:
		x.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
	return nil
}

// table writes a bordered table whose header rows repeat on every page.
func (x *docx) table(t *Table) {
	if len(t.Columns) == 0 {
		return
	}
	if c := strings.TrimSpace(t.Caption); c != "" {
		x.body.WriteString(para(ppr{style: "Caption"}, run(c, rpr{bold: true})))
	}
	ws := t.widths(textW)
	x.body.WriteString(tableStart(ws, bordersSingle, cellMarMM))
	cellXML := func(i int, c Cell, header, total bool) string {
		col := t.Columns[i]
		jc := map[Align]string{AlignLeft: "left", AlignCenter: "center", AlignRight: "right"}[col.align()]
		if header {
			jc = "center"
		}
		return cell(ws[i], true, para(ppr{style: "TableText", jc: jc}, run(c.display(col), rpr{bold: c.Bold || header || total})))
	}
	if t.hasTitles() {
		var cs []string
		for i, c := range t.Columns {
			cs = append(cs, cellXML(i, Cell{Text: c.Title}, true, false))
		}
		x.body.WriteString(row(true, cs...))
	}
	nh := t.headerCount()
	for r, cells := range t.Rows {
		var cs []string
		for i := range t.Columns {
			cs = append(cs, cellXML(i, cellAt(cells, i), r < nh, t.isTotal(r)))
		}
		x.body.WriteString(row(r < nh, cs...))
	}
	x.body.WriteString("</w:tbl>")
	x.body.WriteString(para(ppr{line: 240, after: 0, size: 6}))
}

// image writes a PNG as an inline picture, centred, with its caption.
func (x *docx) image(im *Image) error {
	cfg, err := png.DecodeConfig(bytes.NewReader(im.PNG))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return fmt.Errorf("docgen: docx: image %d is not a PNG: %v", len(x.media)+1, err)
	}
	x.media = append(x.media, im.PNG)
	n := len(x.media)
	w := im.WidthMM
	if w <= 0 || w > textW {
		w = textW
	}
	h := w * float64(cfg.Height) / float64(cfg.Width)
	if maxH := pageH - marginTop - marginBottom - 20; h > maxH {
		h, w = maxH, maxH*float64(cfg.Width)/float64(cfg.Height)
	}
	cx, cy := emu(w), emu(h)
	pic := fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Hình %d"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`,
		cx, cy, n, n, n, n, imageRel(n), cx, cy)
	x.body.WriteString(para(ppr{jc: "center", keepNext: im.Caption != "", before: 60, after: 60}, pic))
	if c := strings.TrimSpace(im.Caption); c != "" {
		x.body.WriteString(para(ppr{style: "Caption", after: 120}, run(c, rpr{italic: true})))
	}
	return nil
}

func imageRel(n int) string { return "rIdImg" + strconv.Itoa(n) }

// signature writes "Nơi nhận:" and the signature block side by side, in a
// borderless table whose row does not split across pages.
func (x *docx) signature() {
	sg := x.d.Signature
	recips := x.d.recipientLines()
	if sg.OnBehalf == "" && sg.Title == "" && sg.Name == "" && len(recips) == 0 {
		return
	}
	leftW := textW * 0.45
	rightW := textW - leftW
	var left, right []string
	if len(recips) > 0 {
		left = append(left, para(ppr{line: 240}, run("Nơi nhận:", rpr{bold: true, italic: true, size: sizeNoiNhan})))
		for _, r := range recips {
			left = append(left, para(ppr{line: 240}, run(r, rpr{size: sizeRecipient})))
		}
	}
	for _, s := range []string{sg.OnBehalf, sg.Title} {
		if s = strings.TrimSpace(s); s != "" {
			right = append(right, para(ppr{jc: "center", line: 240}, run(strings.ToUpper(s), rpr{bold: true})))
		}
	}
	if n := strings.TrimSpace(sg.Name); n != "" {
		right = append(right, para(ppr{jc: "center", before: twips(25), line: 240}, run(n, rpr{bold: true})))
	}
	x.body.WriteString(para(ppr{line: 240, size: 6}))
	x.body.WriteString(tableStart([]float64{leftW, rightW}, bordersNone, 0))
	x.body.WriteString(row(false, cell(leftW, false, left...), cell(rightW, false, right...)))
	x.body.WriteString("</w:tbl>")
}

// documentXML is word/document.xml.
func (x *docx) documentXML() string {
	return xmlHeader + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="` + nsWP + `"><w:body>` +
		x.body.String() +
		fmt.Sprintf(`<w:sectPr><w:headerReference w:type="default" r:id="rIdHdr"/><w:headerReference w:type="first" r:id="rIdHdrFirst"/><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:titlePg/></w:sectPr>`,
			twips(pageW), twips(pageH), twips(marginTop), twips(marginRight), twips(marginBottom), twips(marginLeft)) +
		`</w:body></w:document>`
}

// write zips the parts, [Content_Types].xml first, with fixed times so one
// document always gives the same bytes.
func (x *docx) write(w io.Writer) error {
	mod := x.d.Date
	if mod.IsZero() || mod.Year() < 1980 {
		mod = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", rootRelsXML},
		{"docProps/core.xml", x.coreXML()},
		{"docProps/app.xml", appXML},
		{"word/document.xml", x.documentXML()},
		{"word/styles.xml", stylesXML(x.d.lang())},
		{"word/settings.xml", settingsXML},
		{"word/header1.xml", headerPageXML},
		{"word/header2.xml", headerEmptyXML},
		{"word/_rels/document.xml.rels", x.documentRelsXML()},
	}
	zw := zip.NewWriter(w)
	add := func(name string, body []byte) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		_, err = fw.Write(body)
		return err
	}
	for _, p := range parts {
		if err := add(p.name, []byte(p.body)); err != nil {
			return err
		}
	}
	for i, m := range x.media {
		if err := add(fmt.Sprintf("word/media/image%d.png", i+1), m); err != nil {
			return err
		}
	}
	return zw.Close()
}

// documentRelsXML is word/_rels/document.xml.rels.
func (x *docx) documentRelsXML() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="` + relBase + `styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="` + relBase + `settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdHdr" Type="` + relBase + `header" Target="header1.xml"/>`)
	b.WriteString(`<Relationship Id="rIdHdrFirst" Type="` + relBase + `header" Target="header2.xml"/>`)
	for i := range x.media {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%simage" Target="media/image%d.png"/>`, imageRel(i+1), relBase, i+1)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// coreXML is docProps/core.xml.
func (x *docx) coreXML() string {
	when := x.d.Date
	if when.IsZero() {
		when = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	ts := time.Date(when.Year(), when.Month(), when.Day(), 0, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05Z")
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(x.d.title()) + `</dc:title><dc:creator>` + esc(x.d.Header.IssuingBody) + `</dc:creator>` +
		`<dc:language>` + esc(x.d.lang()) + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>` +
		`</cp:coreProperties>`
}
