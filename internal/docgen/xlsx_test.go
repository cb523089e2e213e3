package docgen

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func openXLSX(t *testing.T, d Document, opt XLSXOptions) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, d, opt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// findCell returns the reference of the first cell whose value is s.
func findCell(t *testing.T, f *excelize.File, sheet, s string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == s {
				return cellName(c+1, r+1)
			}
		}
	}
	t.Fatalf("sheet %q has no cell %q", sheet, s)
	return ""
}

// numberAt checks that ref holds a numeric cell of value want.
func numberAt(t *testing.T, f *excelize.File, sheet, ref string, want float64) {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: type %v, want a number", sheet, ref, typ)
	}
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := strconv.ParseFloat(raw, 64)
	if err != nil || got != want {
		t.Errorf("%s!%s = %q, want %v", sheet, ref, raw, want)
	}
}

func TestXLSXNumbersAreNumbers(t *testing.T) {
	f := openXLSX(t, allBlocks(t), XLSXOptions{SheetPerTable: true})
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets %q, want one per table", sheets)
	}
	s1 := sheets[0]
	if !strings.HasPrefix(s1, "Bảng 1. Kết quả vận động") || len([]rune(s1)) > 31 {
		t.Errorf("sheet name %q", s1)
	}
	// Title rows above the table.
	for _, want := range []string{"BÁO CÁO", "Ia Grai, ngày 26 tháng 8 năm 2021", "Bảng 1. Kết quả vận động và hỗ trợ Quý III năm 2021"} {
		findCell(t, f, s1, want)
	}
	head := findCell(t, f, s1, "Kết quả")
	col, row, _ := excelize.CellNameToCoordinates(head)
	numberAt(t, f, s1, cellName(col, row+1), 348_000_000)
	numberAt(t, f, s1, cellName(col, row+2), 14_250_000)
	numberAt(t, f, s1, cellName(col, row+3), 7)
	if v, _ := f.GetCellValue(s1, cellName(col, row+1)); v != "348,000,000" && v != "348.000.000" {
		t.Errorf("formatted value %q, want thousands grouped", v)
	}
	// The header is bold, filled and frozen.
	id, _ := f.GetCellStyle(s1, head)
	st, err := f.GetStyle(id)
	if err != nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 {
		t.Errorf("header style %+v", st)
	}
	panes, _ := f.GetPanes(s1)
	if !panes.Freeze || panes.YSplit != row {
		t.Errorf("panes %+v, want frozen under row %d", panes, row)
	}
	lay, _ := f.GetPageLayout(s1)
	if lay.Size == nil || *lay.Size != 9 || lay.FitToWidth == nil || *lay.FitToWidth != 1 {
		t.Errorf("page layout %+v, want A4 fitted to width", lay)
	}

	// The money column of the second table, and its total row.
	s2 := sheets[1]
	total := findCell(t, f, s2, "Tổng cộng")
	_, tr, _ := excelize.CellNameToCoordinates(total)
	numberAt(t, f, s2, cellName(3, tr), 1_293_750_000)
	id, _ = f.GetCellStyle(s2, cellName(3, tr))
	st, _ = f.GetStyle(id)
	if st.CustomNumFmt == nil || *st.CustomNumFmt != `#,##0 "đ"` {
		t.Errorf("money format %v", st.CustomNumFmt)
	}
	if st.Font == nil || !st.Font.Bold {
		t.Error("total row not bold")
	}
}

func TestXLSXSheetPerSection(t *testing.T) {
	d := allBlocks(t)
	f := openXLSX(t, d, XLSXOptions{})
	sheets := f.GetSheetList()
	// Both tables sit under heading I (heading II has none after them in
	// q3Report; allBlocks appends its table after heading II).
	if len(sheets) != 2 {
		t.Fatalf("sheets %q", sheets)
	}
	if !strings.HasPrefix(sheets[0], "I. KẾT QUẢ") || !strings.HasPrefix(sheets[1], "II. CHƯƠNG TRÌNH") {
		t.Errorf("sheets %q, want named after the sections", sheets)
	}
}

func TestXLSXWithoutTables(t *testing.T) {
	f := openXLSX(t, Document{Kind: "Báo cáo", Blocks: []Block{Text("x")}}, XLSXOptions{})
	findCell(t, f, f.GetSheetList()[0], "(Không có bảng số liệu)")
}

func TestSheetNames(t *testing.T) {
	x := &xlsx{}
	for _, c := range []struct{ in, want string }{
		{"Bảng 1: Thu/chi [Quý III]?", "Bảng 1 Thu chi Quý III"},
		{"Bảng 1 Thu chi Quý III", "Bảng 1 Thu chi Quý III (2)"},
		{"", "Bảng"},
		{strings.Repeat("Đ", 40), strings.Repeat("Đ", 31)},
		{strings.Repeat("Đ", 40), strings.Repeat("Đ", 27) + " (2)"},
	} {
		if got := x.sheetName(c.in); got != c.want {
			t.Errorf("sheetName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Rows whose text wraps get the height it needs: LibreOffice keeps the
// default height of a row on opening, and long indicator names ran over the
// rows below.
func TestXLSXWrappedRowsAreTallEnough(t *testing.T) {
	long := "Số lượt đoàn viên, hội viên và nhân dân tham dự tuyên truyền, vận động về chủ trương của Đảng, chính sách, pháp luật của Nhà nước"
	cols := []Column{{Title: "Chỉ tiêu", Width: 2.5}, {Title: "Hội Liên hiệp Phụ nữ"}}
	row1, row2 := []Cell{TextCell(long), TextCell("lượt")}, []Cell{TextCell("Số buổi"), TextCell("buổi")}
	for range 8 {
		cols = append(cols, Column{Title: "Hội", Numeric: true})
		row1, row2 = append(row1, IntCell(22524)), append(row2, IntCell(517))
	}
	d := Document{Kind: "Báo cáo", Blocks: []Block{Table{Columns: cols, Rows: [][]Cell{row1, row2}}}}
	f := openXLSX(t, d, XLSXOptions{})
	s := f.GetSheetList()[0]
	ref := findCell(t, f, s, long)
	_, r, _ := excelize.CellNameToCoordinates(ref)
	col, _ := f.GetColWidth(s, "A")
	h, _ := f.GetRowHeight(s, r)
	lines := wrappedLines(long, col, false)
	if lines < 3 || h < float64(lines)*xlLineHeight {
		t.Errorf("row of a %d-line name (column %.1f wide) is %.1f pt high", lines, col, h)
	}
	if h, _ := f.GetRowHeight(s, r+1); h > 2*xlLineHeight {
		t.Errorf("one-line row is %.1f pt high", h)
	}
	head, _ := f.GetRowHeight(s, r-1)
	if head < 2*xlLineHeight {
		t.Errorf("header row with a wrapped title is %.1f pt high", head)
	}
}

func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text  string
		width float64
		bold  bool
		want  int
	}{
		{"", 10, false, 1},
		{"Toàn khối", 10, false, 1},
		{"Hội Nông dân", 7.9, true, 2},
		{"Đoàn Thanh niên", 7.9, true, 3},
		{"Ủy ban MTTQ", 7.9, false, 2},
		{"một hai ba bốn năm sáu bảy", 7, false, 4},
		{"abcdefghijklmnopqrst", 5, false, 4},
		{"dòng một\ndòng hai", 40, false, 2},
		// The first indicator of the consolidated report, as LibreOffice
		// shows it in a 22.6 wide column: 3 lines.
		{"Số buổi tuyên truyền, vận động về chủ trương của Đảng, chính sách, pháp luật của Nhà nước", 22.6, false, 4},
	} {
		if got := wrappedLines(c.text, c.width, c.bold); got != c.want {
			t.Errorf("wrappedLines(%q, %v, %v) = %d, want %d", c.text, c.width, c.bold, got, c.want)
		}
	}
}
