// Package docgen writes documents in the layout of Nghị định 30/2020/NĐ-CP
// on administrative documents: one model (Document), three writers (PDF,
// DOCX, XLSX) and PNG charts to put in them.
//
// The layout, as the decree's Phụ lục I sets it and the writers follow it:
// A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
// Times New Roman 13 pt (the PDF embeds Liberation Serif, metric compatible
// with it, so every Vietnamese glyph prints on any machine); a two-column
// header block (left: the parent body, the issuing body in bold capitals over
// a short rule, "Số: …"; right: the national motto in bold capitals,
// "Độc lập - Tự do - Hạnh phúc" in bold over a rule as long as the line, and
// the place and date line in italics); the title in bold capitals and the
// subject line in bold, centred, over a short rule; a justified body with a
// first-line indent; the signature block on the right and "Nơi nhận:" on the
// left; page numbers centred in the top margin from page 2 on.
//
// A Document is plain data: callers (the consolidated report, the news draft,
// fund receipts and posters) build one and hand it to WritePDF, WriteDOCX or
// WriteXLSX.
package docgen

import (
	"strings"
	"time"

	"giaoban/internal/vn"
)

// Document is an administrative document: header block, title, body and
// signature. Every field may be left empty; the writers then leave its place
// out (or blank, for the number and the date, as on a draft to be signed).
type Document struct {
	Header Header
	// Number is the number and symbol, "45/BC-MTTQ" or "Số: 45/BC-MTTQ"
	// ("Số: " is added when missing). A draft leaves the number blank:
	// "Số:     /BC-MTTQ".
	Number string
	// Place is the place name of the date line: "Ia Grai".
	Place string
	// Date is the date of issue; its calendar date is used as it is (no
	// time-zone conversion). A zero Date prints "ngày … tháng … năm …".
	Date time.Time
	// Kind is the type of document, printed as the title: "BÁO CÁO".
	Kind string
	// Subject is the subject line under the title ("Kết quả công tác
	// Quý III năm 2021 …").
	Subject    string
	Blocks     []Block
	Signature  Signature
	Recipients []string // Nơi nhận, one line each: "Như trên;", "Lưu: VT."
	// Lang is the BCP 47 language of the text; "vi" when empty.
	Lang string
}

// Header is the header block of the first page.
type Header struct {
	// ParentBody is the body above the issuing one, in capitals:
	// "UBMTTQ VIỆT NAM TỈNH GIA LAI". Optional.
	ParentBody string
	// IssuingBody is the body that issues the document, printed in bold
	// capitals over a short rule: "BAN THƯỜNG TRỰC UBMTTQ HUYỆN IA GRAI".
	// A line break ("\n") in it is kept.
	IssuingBody string
	// Motto1 and Motto2 are the national motto; DefaultMotto1 and
	// DefaultMotto2 when both are empty. Set Motto1 to "-" for a document
	// without the motto block (the date line stays on the right).
	Motto1 string
	Motto2 string
}

// The national motto (Quốc hiệu và Tiêu ngữ).
const (
	DefaultMotto1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	DefaultMotto2 = "Độc lập - Tự do - Hạnh phúc"
)

// Signature is the signature block: "TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH",
// space for the signature and seal, then the name.
type Signature struct {
	OnBehalf string // "TM. BAN THƯỜNG TRỰC"; optional
	Title    string // "PHÓ CHỦ TỊCH"
	Name     string // "Nguyễn Văn A"
}

// Block is one element of the body: Heading, Paragraph, List, Table, Image
// or PageBreak.
type Block interface{ isBlock() }

// Heading is a section heading. Level 1 is bold ("I. KẾT QUẢ …"), level 2
// bold ("1. Công tác …"), level 3 and below bold italic.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is a body paragraph: justified, first line indented. Its runs
// follow each other without added spaces.
type Paragraph struct {
	Runs []Run
}

// Run is a piece of text in one style.
type Run struct {
	Text         string
	Bold, Italic bool
}

// List is a dash list, the way reports write enumerations: each item an
// indented paragraph that starts with "- ".
type List struct {
	Items []string
}

// Table is a table with a repeated header. Column titles make its first
// header row; HeaderRows more rows from the start of Rows belong to the
// header too (a row of column numbers "(1)", "(2)", a second title line).
// With TotalRow the last row is a total and is printed bold.
type Table struct {
	Caption    string
	Columns    []Column
	Rows       [][]Cell
	HeaderRows int
	TotalRow   bool
}

// Column describes one column of a table.
type Column struct {
	Title string
	Align Align
	// Width is relative to the other columns' (2 and 1 make two thirds and
	// one third); 0 counts as 1.
	Width float64
	// Numeric columns are right-aligned; their cells' numbers are written as
	// numbers in XLSX with the format "#,##0".
	Numeric bool
	// Money columns are numeric, in đồng: XLSX format "#,##0 \"đ\"".
	Money bool
	// Decimals is the number of decimals shown for Number cells.
	Decimals int
}

// Align is a horizontal alignment.
type Align int

// Alignments. AlignAuto is right for numeric columns, left otherwise.
const (
	AlignAuto Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Cell is one table cell. Text is what PDF and DOCX print; when it is empty
// a number is formatted the Vietnamese way (1.234.567; 12,5). Int or Number
// make the XLSX cell numeric.
type Cell struct {
	Text   string
	Bold   bool
	Int    *int64
	Number *float64
}

// Image is a PNG picture (a chart, a photo) centred on the text width.
type Image struct {
	PNG     []byte
	WidthMM float64 // 0: the full text width (165 mm)
	Caption string
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) isBlock()   {}
func (Paragraph) isBlock() {}
func (List) isBlock()      {}
func (Table) isBlock()     {}
func (Image) isBlock()     {}
func (PageBreak) isBlock() {}

// Text is a paragraph of one plain run.
func Text(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// TextCell is a cell of text.
func TextCell(s string) Cell { return Cell{Text: s} }

// IntCell is a cell holding a whole number (a count, an amount of đồng).
func IntCell(v int64) Cell { return Cell{Int: &v} }

// NumberCell is a cell holding a decimal number.
func NumberCell(v float64) Cell { return Cell{Number: &v} }

// Page geometry in millimetres (A4, Nghị định 30 margins).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	textW        = pageW - marginLeft - marginRight
	indentMM     = 12.7 // first-line indent, 1,27 cm
)

// Font sizes in points.
const (
	sizeBody      = 13.0
	sizeHeader    = 12.0 // parent and issuing body, Quốc hiệu
	sizeMotto2    = 13.0
	sizeTitle     = 14.0
	sizeTable     = 12.0
	sizeNoiNhan   = 12.0
	sizeRecipient = 11.0
	sizeCaption   = 12.0
)

// numberLine is the "Số: …" line.
func (d *Document) numberLine() string {
	n := strings.TrimSpace(d.Number)
	if n == "" {
		return ""
	}
	if strings.HasPrefix(n, "Số") {
		return n
	}
	return "Số: " + n
}

// dateLine is the place and date line: "Ia Grai, ngày 26 tháng 8 năm 2021".
func (d *Document) dateLine() string {
	date := "ngày     tháng     năm     "
	if !d.Date.IsZero() {
		date = vn.FormatDateLong(d.Date)
	}
	if p := strings.TrimSpace(d.Place); p != "" {
		return p + ", " + date
	}
	if d.Date.IsZero() {
		return ""
	}
	return date
}

// mottos returns the two motto lines, the defaults when both are empty and
// none when Motto1 is "-".
func (h Header) mottos() (string, string) {
	if h.Motto1 == "-" {
		return "", ""
	}
	if h.Motto1 == "" && h.Motto2 == "" {
		return DefaultMotto1, DefaultMotto2
	}
	return h.Motto1, h.Motto2
}

func (d *Document) lang() string {
	if d.Lang == "" {
		return "vi"
	}
	return d.Lang
}

// recipientLines prefixes each recipient with "- " unless it has a dash.
func (d *Document) recipientLines() []string {
	out := make([]string, 0, len(d.Recipients))
	for _, r := range d.Recipients {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if !strings.HasPrefix(r, "-") {
			r = "- " + r
		}
		out = append(out, r)
	}
	return out
}

// headerColumns splits the text width between the header's columns: the
// right one takes 58 % or the motto's width and a little, at most 66 %.
func headerColumns(motto1W float64) (left, right float64) {
	right = textW * 0.58
	if motto1W > 0 {
		right = max(right, motto1W+4)
	}
	right = min(right, textW*0.66)
	return textW - right, right
}

// headingStyle is the style of a heading level.
func headingStyle(level int) (bold, italic bool) {
	if level >= 3 {
		return true, true
	}
	return true, false
}

// title returns the document's title and subject for metadata.
func (d *Document) title() string {
	t := strings.TrimSpace(d.Kind)
	if s := strings.TrimSpace(d.Subject); s != "" {
		if t != "" {
			t += " "
		}
		t += s
	}
	return t
}
