package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/indicator"
)

// TestLongNamesGetTallerRows: the template's rows kept 15 pt, so names
// wrapped in the 55-unit column ran over the rows below in LibreOffice
// (which does not measure rows on opening).
func TestLongNamesGetTallerRows(t *testing.T) {
	long := "Số lượt cán bộ, đoàn viên, hội viên và nhân dân tham dự tuyên truyền, giáo dục pháp luật, phổ biến các chủ trương của Đảng"
	short := "Số buổi tuyên truyền"
	for _, layout := range []Layout{SheetPerUnit, UnitsAsColumns} {
		spec := testSpec(layout)
		spec.Rows = append(spec.Rows,
			RowSpec{IndicatorCode: "DAI", Section: "Nông thôn mới", Name: long, UnitOfMeasure: "lượt người", ValueType: indicator.Integer},
			RowSpec{IndicatorCode: "NGAN", Section: "Nông thôn mới", Name: short, UnitOfMeasure: "buổi", ValueType: indicator.Integer})
		x, err := excelize.OpenReader(bytes.NewReader(writeSpec(t, spec)))
		if err != nil {
			t.Fatal(err)
		}
		sh := x.GetSheetName(0)
		rows, err := x.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		heights := map[string]float64{}
		for i, r := range rows {
			if len(r) > 1 {
				h, err := x.GetRowHeight(sh, i+1)
				if err != nil {
					t.Fatal(err)
				}
				heights[r[1]] = h
			}
		}
		x.Close()
		if h := heights[long]; h < 3*15 {
			t.Errorf("%v: a name of %d letters gets %v pt, want three lines at least", layout, len([]rune(long)), h)
		}
		if h := heights[short]; h > 16 {
			t.Errorf("%v: a short name gets %v pt", layout, h)
		}
		if layout == UnitsAsColumns {
			// The header names the units in 14-unit columns, in bold: the
			// longest test unit name takes more than the three lines of 45 pt.
			if h := heights["Chỉ tiêu"]; h <= 45 {
				t.Errorf("header with long unit names: %v pt", h)
			}
		}
	}
}
