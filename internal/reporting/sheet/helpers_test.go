package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/indicator"
)

func i64(v int64) *int64 { return &v }

// testRows has every value type, options, sections and bounds.
func testRows() []RowSpec {
	return []RowSpec{
		{IndicatorCode: "TT_BUOI", Section: "Tuyên truyền, vận động", Name: "Số buổi tuyên truyền pháp luật", UnitOfMeasure: "buổi", ValueType: indicator.Integer},
		{IndicatorCode: "TT_NGUOI", Option: "nam", OptionName: "Nam", Section: "Tuyên truyền, vận động", Name: "Số người tham dự", UnitOfMeasure: "người", ValueType: indicator.Integer},
		{IndicatorCode: "TT_NGUOI", Option: "nu", OptionName: "Nữ", Section: "Tuyên truyền, vận động", Name: "Số người tham dự", UnitOfMeasure: "người", ValueType: indicator.Integer},
		{IndicatorCode: "QUY_COVID", Section: "Vận động ủng hộ, quỹ", Name: "Tiền ủng hộ phòng, chống Covid-19", UnitOfMeasure: "đồng", ValueType: indicator.Money},
		{IndicatorCode: "TY_LE", Section: "Vận động ủng hộ, quỹ", Name: "Tỷ lệ hộ tham gia", UnitOfMeasure: "%", ValueType: indicator.Decimal, Scale: 2, Min: i64(0), Max: i64(10000)},
		{IndicatorCode: "DIEN_TICH", Section: "Nông thôn mới", Name: "Diện tích mô hình", UnitOfMeasure: "ha", ValueType: indicator.Decimal, Scale: 3},
		{IndicatorCode: "KHAO_SAT", Section: "Nông thôn mới", Name: "Đã khảo sát tảo hôn", ValueType: indicator.YesNo},
		{IndicatorCode: "GHI_CHU", Section: "Nông thôn mới", Name: "Ghi chú", ValueType: indicator.Text},
		{IndicatorCode: "NHIET_DO", Section: "Nông thôn mới", Name: "Chênh lệch nhiệt độ", UnitOfMeasure: "°C", ValueType: indicator.Decimal, Scale: 1, Min: i64(-1000), Max: i64(1000)},
	}
}

var testUnits = []struct {
	id   int64
	name string
}{
	{7, "Hội Nông dân xã Ia Dreh (hư cấu): một tên rất dài để thử"},
	{8, "Hội LHPN xã Ia Dreh"},
	{9, "Huyện đoàn"},
}

// testSpec prefills a different subset of values for each unit.
func testSpec(layout Layout) Spec {
	spec := Spec{Period: "2021Q3", Layout: layout, Rows: testRows()}
	prefills := []map[string]Prefill{
		{
			"TT_BUOI|": {Raw: "12", Version: 3}, "TT_NGUOI|nam": {Raw: "1234567", Version: 1}, "QUY_COVID|": {Raw: "348000000", Version: 9},
			"TY_LE|": {Raw: "87,5", Version: 2}, "DIEN_TICH|": {Raw: "1,25", Version: 4}, "KHAO_SAT|": {Raw: "1", Version: 5},
			"GHI_CHU|": {Raw: "Đã bàn giao 7 nhà Tình nghĩa", Version: 6}, "NHIET_DO|": {Raw: "-5", Version: 7},
		},
		{"TT_NGUOI|nu": {Raw: "250", Version: 11}, "KHAO_SAT|": {Raw: "0", Version: 12}, "DIEN_TICH|": {Raw: "0,001", Version: 13}},
		nil,
	}
	for i, u := range testUnits {
		spec.Units = append(spec.Units, UnitSpec{ID: u.id, Name: u.name, Values: prefills[i]})
	}
	return spec
}

func writeSpec(t testing.TB, spec Spec) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, spec); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	return buf.Bytes()
}

func readBytes(data []byte, expect Expect) ([]Cell, []CellError, error) {
	return ReadTemplate(bytes.NewReader(data), int64(len(data)), expect)
}

func allUnits() Expect { return Expect{Period: "2021Q3", UnitIDs: []int64{7, 8, 9}} }

// workbook is a template opened with excelize, as a user's spreadsheet
// program would.
type workbook struct {
	t *testing.T
	f *excelize.File
}

func openWB(t *testing.T, data []byte) *workbook {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize.OpenReader: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return &workbook{t: t, f: f}
}

func (w *workbook) bytes() []byte {
	w.t.Helper()
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		w.t.Fatalf("WriteToBuffer: %v", err)
	}
	return buf.Bytes()
}

// locate finds the sheet and value cell of a unit's indicator/option by
// reading the hidden key row and key columns.
func (w *workbook) locate(unit int64, code, option string) (string, string) {
	w.t.Helper()
	for _, name := range w.f.GetSheetList() {
		if name == metaSheetName {
			continue
		}
		rows, err := w.f.GetRows(name)
		if err != nil {
			w.t.Fatal(err)
		}
		if len(rows) < rowKeys {
			continue
		}
		keys := rows[rowKeys-1]
		valueCol, codeCol, optCol := -1, -1, -1
		for i, k := range keys {
			switch k {
			case fmt.Sprintf("value:%d", unit):
				valueCol = i
			case roleCode:
				codeCol = i
			case roleOpt:
				optCol = i
			}
		}
		if valueCol < 0 {
			continue
		}
		for r := firstDataRow - 1; r < len(rows); r++ {
			at := func(i int) string {
				if i < len(rows[r]) {
					return rows[r][i]
				}
				return ""
			}
			if at(codeCol) == code && at(optCol) == option {
				return name, refName(valueCol+1, r+1)
			}
		}
	}
	w.t.Fatalf("no cell for unit %d %s|%s", unit, code, option)
	return "", ""
}

func (w *workbook) set(unit int64, code, option string, v any) (string, string) {
	w.t.Helper()
	sheet, ref := w.locate(unit, code, option)
	if err := w.f.SetCellValue(sheet, ref, v); err != nil {
		w.t.Fatal(err)
	}
	return sheet, ref
}

// cellMap indexes cells by "unit|code|option".
func cellMap(t *testing.T, cells []Cell) map[string]Cell {
	t.Helper()
	m := map[string]Cell{}
	for _, c := range cells {
		k := fmt.Sprintf("%d|%s|%s", c.UnitID, c.IndicatorCode, c.Option)
		if _, dup := m[k]; dup {
			t.Errorf("cell %s twice", k)
		}
		m[k] = c
	}
	return m
}

func describe(cells []Cell) string {
	var out []string
	for _, c := range cells {
		v := "nil"
		if c.Version != nil {
			v = fmt.Sprint(*c.Version)
		}
		out = append(out, fmt.Sprintf("%d|%s|%s=%q v%s @%s", c.UnitID, c.IndicatorCode, c.Option, c.Raw, v, c.Place))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// wantFileErr checks a fatal error's kind and that its message contains
// every part.
func wantFileErr(t *testing.T, err error, kind error, parts ...string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FileError (%v), got %T %v", kind, err, err)
	}
	if !errors.Is(err, kind) {
		t.Errorf("want kind %v, got %v (%s)", kind, fe.Kind, fe.Msg)
	}
	for _, p := range parts {
		if !strings.Contains(fe.Msg, p) {
			t.Errorf("message %q lacks %q", fe.Msg, p)
		}
	}
}

// rezip copies a zip, letting edit replace (or drop, with nil) entries
// and add some; method is the compression of the copies.
func rezip(t testing.TB, data []byte, method uint16, edit func(name string, body []byte) []byte, extra func(zw *zip.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			body = edit(f.Name, body)
			if body == nil {
				continue
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if extra != nil {
		extra(zw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
