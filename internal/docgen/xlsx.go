package docgen

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// XLSXOptions chooses how tables are spread over sheets.
type XLSXOptions struct {
	// SheetPerTable puts every table on its own sheet, named after its
	// caption. Otherwise the tables of one section (the blocks under one
	// level-1 heading) share a sheet named after the heading.
	SheetPerTable bool
}

// WriteXLSX writes the tables of d as a workbook: on each sheet the title,
// the subject and the place and date line, then each table with its caption,
// a bold filled header (frozen and printed on every page when the sheet has
// one table), borders, numbers as numbers ("#,##0", money "#,##0 "đ""),
// column widths after the columns' relative widths, A4 fitted to the page
// width. A document without tables gives one sheet that says so.
func WriteXLSX(w io.Writer, d Document, opt XLSXOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsx{f: f, d: &d, styles: map[xlStyle]int{}}
	sheets := x.group(opt)
	first := ""
	for _, sh := range sheets {
		name := x.sheetName(sh.name)
		if first == "" {
			first = name
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := x.sheet(name, sh.tables); err != nil {
			return fmt.Errorf("docgen: xlsx: sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	created := d.Date
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	ts := created.Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{Title: d.title(), Creator: d.Header.IssuingBody,
		Language: d.lang(), Created: ts, Modified: ts}); err != nil {
		return err
	}
	return f.Write(w)
}

type xlsx struct {
	f      *excelize.File
	d      *Document
	styles map[xlStyle]int
	names  map[string]bool
}

// xlSheet is a sheet to write: a name and its tables.
type xlSheet struct {
	name   string
	tables []*Table
}

// group spreads the document's tables over sheets.
func (x *xlsx) group(opt XLSXOptions) []xlSheet {
	var out []xlSheet
	section := ""
	n := 0
	for _, b := range x.d.Blocks {
		var t *Table
		switch b := b.(type) {
		case Heading:
			if b.Level <= 1 {
				section = b.Text
				if !opt.SheetPerTable {
					out = append(out, xlSheet{name: section})
				}
			}
		case *Heading:
			if b.Level <= 1 {
				section = b.Text
				if !opt.SheetPerTable {
					out = append(out, xlSheet{name: section})
				}
			}
		case Table:
			t = &b
		case *Table:
			t = b
		}
		if t == nil || len(t.Columns) == 0 {
			continue
		}
		n++
		if opt.SheetPerTable || len(out) == 0 {
			name := t.Caption
			if !opt.SheetPerTable {
				name = x.d.Kind
			}
			if strings.TrimSpace(name) == "" {
				name = fmt.Sprintf("Bảng %d", n)
			}
			out = append(out, xlSheet{name: name})
		}
		out[len(out)-1].tables = append(out[len(out)-1].tables, t)
	}
	// Sections without tables get no sheet.
	kept := out[:0]
	for _, s := range out {
		if len(s.tables) > 0 {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		kept = append(kept, xlSheet{name: x.d.Kind})
	}
	return kept
}

// sheetName makes a valid, unique sheet name: at most 31 characters, none
// of : \ / ? * [ ], not empty.
func (x *xlsx) sheetName(s string) string {
	if x.names == nil {
		x.names = map[string]bool{}
	}
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, "'")
	if s == "" {
		s = "Bảng"
	}
	base := truncRunes(s, 31)
	name := base
	for i := 2; x.names[strings.ToLower(name)]; i++ {
		suf := fmt.Sprintf(" (%d)", i)
		name = truncRunes(base, 31-len(suf)) + suf
	}
	x.names[strings.ToLower(name)] = true
	return name
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

// sheet writes the title rows and the tables of one sheet.
func (x *xlsx) sheet(name string, tables []*Table) error {
	f := x.f
	ncol := 1
	for _, t := range tables {
		ncol = max(ncol, len(t.Columns))
	}
	r := 1
	titled := func(text string, st xlStyle, height float64) error {
		if strings.TrimSpace(text) == "" {
			return nil
		}
		a, b := cellName(1, r), cellName(ncol, r)
		if err := f.SetCellStr(name, a, text); err != nil {
			return err
		}
		if ncol > 1 {
			if err := f.MergeCell(name, a, b); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(name, a, b, x.style(st)); err != nil {
			return err
		}
		if height > 0 {
			if err := f.SetRowHeight(name, r, height); err != nil {
				return err
			}
		}
		r++
		return nil
	}
	if err := titled(strings.ToUpper(x.d.Kind), xlStyle{kind: xlTitle}, 0); err != nil {
		return err
	}
	subjH := 0.0
	if utf8.RuneCountInString(x.d.Subject) > 90 {
		subjH = 33
	}
	if err := titled(x.d.Subject, xlStyle{kind: xlSubject}, subjH); err != nil {
		return err
	}
	if err := titled(x.d.dateLine(), xlStyle{kind: xlDate}, 0); err != nil {
		return err
	}
	if r > 1 {
		r++
	}
	if len(tables) == 0 {
		return titled("(Không có bảng số liệu)", xlStyle{kind: xlDate}, 0)
	}
	// Column widths: the widest table's relative widths over about 95
	// characters, never under the header's needs.
	widths := make([]float64, ncol)
	for _, t := range tables {
		for i, w := range t.widths(95) {
			widths[i] = max(widths[i], w, 6)
		}
	}
	for i, w := range widths {
		c := colName(i + 1)
		if err := f.SetColWidth(name, c, c, w); err != nil {
			return err
		}
	}
	for _, t := range tables {
		headTop, headBottom, next, err := x.table(name, t, r, widths)
		if err != nil {
			return err
		}
		if len(tables) == 1 && headBottom >= headTop {
			if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headBottom,
				TopLeftCell: cellName(1, headBottom+1), ActivePane: "bottomLeft"}); err != nil {
				return err
			}
			if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
				RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(name, "'", "''"), headTop, headBottom)}); err != nil {
				return err
			}
		}
		r = next + 1
	}
	return x.printSetup(name, ncol)
}

// table writes one table from row r and returns its header's first and
// last rows and the row after it.
func (x *xlsx) table(name string, t *Table, r int, widths []float64) (int, int, int, error) {
	f := x.f
	n := len(t.Columns)
	if c := strings.TrimSpace(t.Caption); c != "" {
		if err := f.SetCellStr(name, cellName(1, r), c); err != nil {
			return 0, 0, 0, err
		}
		if n > 1 {
			if err := f.MergeCell(name, cellName(1, r), cellName(n, r)); err != nil {
				return 0, 0, 0, err
			}
		}
		if err := f.SetCellStyle(name, cellName(1, r), cellName(n, r), x.style(xlStyle{kind: xlCaption})); err != nil {
			return 0, 0, 0, err
		}
		r++
	}
	headTop := r
	hs := x.style(xlStyle{kind: xlHeader})
	if t.hasTitles() {
		for i, c := range t.Columns {
			if err := f.SetCellStr(name, cellName(i+1, r), c.Title); err != nil {
				return 0, 0, 0, err
			}
		}
		if err := f.SetCellStyle(name, cellName(1, r), cellName(n, r), hs); err != nil {
			return 0, 0, 0, err
		}
		titles := make([]string, n)
		for i, c := range t.Columns {
			titles[i] = c.Title
		}
		if err := x.fitRow(name, r, titles, widths, true); err != nil {
			return 0, 0, 0, err
		}
		r++
	}
	nh := t.headerCount()
	for ri, row := range t.Rows {
		header, total := ri < nh, t.isTotal(ri)
		texts := make([]string, n)
		for i, col := range t.Columns {
			c := cellAt(row, i)
			ref := cellName(i+1, r)
			var err error
			switch {
			case c.Int != nil:
				err = f.SetCellInt(name, ref, *c.Int)
			case c.Number != nil:
				err = f.SetCellFloat(name, ref, *c.Number, -1, 64)
			default:
				texts[i] = c.display(col)
				err = f.SetCellStr(name, ref, texts[i])
			}
			if err != nil {
				return 0, 0, 0, err
			}
			st := xlStyle{kind: xlBody, align: col.align(), bold: c.Bold || total, total: total}
			switch {
			case header:
				st = xlStyle{kind: xlHeader}
			case c.Int != nil || c.Number != nil:
				st.num = numFormat(col, c)
			}
			if err := f.SetCellStyle(name, ref, ref, x.style(st)); err != nil {
				return 0, 0, 0, err
			}
		}
		if err := x.fitRow(name, r, texts, widths, header); err != nil {
			return 0, 0, 0, err
		}
		r++
	}
	return headTop, headTop + boolInt(t.hasTitles()) + nh - 1, r, nil
}

// fitRow gives row r the height its wrapped text needs. Spreadsheet
// programs do not all measure rows on opening (LibreOffice keeps the default
// height), and wrapped lines then run over the next rows.
func (x *xlsx) fitRow(name string, r int, texts []string, widths []float64, bold bool) error {
	h := RowHeight(texts, widths, bold)
	if h == 0 {
		return nil
	}
	return x.f.SetRowHeight(name, r, h)
}

// RowHeight is the height in points of a spreadsheet row of 12 pt Times
// New Roman whose cells wrap texts[i] in a column widths[i] wide (in
// units of one digit of the default font), or 0 when every text fits on
// one line and the default height will do. Set it on rows whose text may
// wrap: LibreOffice does not measure rows on opening.
func RowHeight(texts []string, widths []float64, bold bool) float64 {
	lines := 1
	for i, t := range texts {
		if i < len(widths) {
			lines = max(lines, wrappedLines(t, widths[i], bold))
		}
	}
	if lines == 1 {
		return 0
	}
	return min(409, float64(lines)*xlLineHeight+3)
}

// xlLineHeight is the height in points of one line of 12 pt Times New Roman.
const xlLineHeight = 15.75

// wrappedLines is the number of lines text takes when wrapped at word
// boundaries in a column width units wide. The unit is one digit of the
// default font; 12 pt Times New Roman fits about 1.4 letters in it, 1.2
// in bold (as LibreOffice lays out the consolidated report), and the
// estimate errs on the side of a taller row.
func wrappedLines(text string, width float64, bold bool) int {
	perUnit := 1.3
	if bold {
		perUnit = 1.1
	}
	capacity := max(1, int(width*perUnit))
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n, used := 1, 0
		for _, w := range strings.Fields(para) {
			l := utf8.RuneCountInString(w)
			switch {
			case used == 0:
				used = l
			case used+1+l <= capacity:
				used += 1 + l
			default:
				n++
				used = l
			}
			for used > capacity { // a word longer than the line breaks anywhere
				n++
				used -= capacity
			}
		}
		lines += n
	}
	return max(1, lines)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// numFormat is the number format of a numeric cell.
func numFormat(col Column, c Cell) string {
	f := "#,##0"
	if c.Number != nil && col.Decimals > 0 {
		f += "." + strings.Repeat("0", min(col.Decimals, 6))
	}
	if col.Money {
		f += ` "đ"`
	}
	return f
}

// printSetup sets A4, fit to the page width, the decree's margins.
func (x *xlsx) printSetup(name string, ncol int) error {
	size, wide, tall := 9, 1, 0
	orient := "portrait"
	if ncol > 7 {
		orient = "landscape"
	}
	if err := x.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
	if err := x.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	in := func(mm float64) *float64 { v := mm / 25.4; return &v }
	return x.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Top: in(marginTop), Bottom: in(marginBottom), Left: in(marginLeft), Right: in(marginRight),
		Header: in(8), Footer: in(8)})
}

// xlStyle keys the workbook's cell styles.
type xlStyle struct {
	kind  int
	align Align
	bold  bool
	total bool
	num   string
}

const (
	xlBody = iota
	xlTitle
	xlSubject
	xlDate
	xlCaption
	xlHeader
)

// style returns the id of a cell style, made on first use.
func (x *xlsx) style(k xlStyle) int {
	if id, ok := x.styles[k]; ok {
		return id
	}
	const fontName = "Times New Roman"
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	s := &excelize.Style{Font: &excelize.Font{Family: fontName, Size: 12}}
	switch k.kind {
	case xlTitle:
		s.Font.Bold, s.Font.Size = true, 14
		s.Alignment = &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	case xlSubject:
		s.Font.Bold, s.Font.Size = true, 13
		s.Alignment = &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	case xlDate:
		s.Font.Italic = true
		s.Alignment = &excelize.Alignment{Horizontal: "center"}
	case xlCaption:
		s.Font.Bold = true
		s.Alignment = &excelize.Alignment{Horizontal: "left"}
	case xlHeader:
		s.Font.Bold = true
		s.Border = border
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}}
		s.Alignment = &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	default:
		s.Font.Bold = k.bold
		s.Border = border
		h := map[Align]string{AlignLeft: "left", AlignCenter: "center", AlignRight: "right"}[k.align]
		s.Alignment = &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: k.num == ""}
		if k.total {
			s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
		}
		if k.num != "" {
			nf := k.num
			s.CustomNumFmt = &nf
		}
	}
	id, err := x.f.NewStyle(s)
	if err != nil {
		id = 0 // a style excelize refuses leaves the cell unstyled
	}
	x.styles[k] = id
	return id
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i)
	return n
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}
