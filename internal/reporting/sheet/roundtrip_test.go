package sheet

import (
	"fmt"
	"strings"
	"testing"
)

type want struct {
	raw     string
	version int64
}

func checkCells(t *testing.T, cells []Cell, wants map[string]want) {
	t.Helper()
	got := cellMap(t, cells)
	for k, w := range wants {
		c, ok := got[k]
		if !ok {
			t.Errorf("missing cell %s (want %q)", k, w.raw)
			continue
		}
		if c.Raw != w.raw {
			t.Errorf("%s: raw %q, want %q", k, c.Raw, w.raw)
		}
		if c.Version == nil || *c.Version != w.version {
			t.Errorf("%s: version %v, want %d", k, c.Version, w.version)
		}
		if c.Period != "2021Q3" || !strings.Contains(c.Place, "!") {
			t.Errorf("%s: period %q place %q", k, c.Period, c.Place)
		}
	}
	for k, c := range got {
		if _, ok := wants[k]; !ok {
			t.Errorf("unexpected cell %s = %q at %s", k, c.Raw, c.Place)
		}
	}
}

var layouts = []Layout{SheetPerUnit, UnitsAsColumns}

// An untouched template gives back exactly the stored values, in
// canonical form, with their versions.
func TestRoundTripUnchanged(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			data := writeSpec(t, testSpec(layout))
			cells, errs, err := readBytes(data, allUnits())
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, errs %v", err, errs)
			}
			checkCells(t, cells, map[string]want{
				"7|TT_BUOI|":     {"12", 3},
				"7|TT_NGUOI|nam": {"1234567", 1},
				"7|QUY_COVID|":   {"348000000", 9},
				"7|TY_LE|":       {"87,50", 2},
				"7|DIEN_TICH|":   {"1,250", 4},
				"7|KHAO_SAT|":    {"1", 5},
				"7|GHI_CHU|":     {"Đã bàn giao 7 nhà Tình nghĩa", 6},
				"7|NHIET_DO|":    {"-5,0", 7},
				"8|TT_NGUOI|nu":  {"250", 11},
				"8|KHAO_SAT|":    {"0", 12},
				"8|DIEN_TICH|":   {"0,001", 13},
			})
		})
	}
}

// A template filled as a user would (numbers, numbers typed as
// Vietnamese text, choices, text, a cleared value) reads back exactly.
func TestRoundTripFilled(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			wb := openWB(t, writeSpec(t, testSpec(layout)))
			// Unit 9 had nothing stored.
			wb.set(9, "TT_BUOI", "", 5)
			wb.set(9, "TT_NGUOI", "nam", "1.234")
			wb.set(9, "TT_NGUOI", "nu", 300.0)
			wb.set(9, "QUY_COVID", "", "14.000.000 đ")
			wb.set(9, "TY_LE", "", 33.33)
			wb.set(9, "DIEN_TICH", "", "2,5")
			wb.set(9, "KHAO_SAT", "", "Không")
			wb.set(9, "GHI_CHU", "", "  Tổ chức 3 buổi   ")
			wb.set(9, "NHIET_DO", "", -100)
			// Unit 7: one change, one cleared value, the rest untouched.
			wb.set(7, "TT_BUOI", "", 13)
			wb.set(7, "QUY_COVID", "", nil)
			wb.set(7, "TT_NGUOI", "nu", int64(9_000_000_000_000_000_000))
			// Unit 8: Excel's binary leftovers and booleans.
			wb.set(8, "DIEN_TICH", "", 0.1+0.2) // 0.30000000000000004
			wb.set(8, "KHAO_SAT", "", true)
			wb.set(8, "TT_NGUOI", "nu", "")

			cells, errs, err := readBytes(wb.bytes(), allUnits())
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, errs %v", err, errs)
			}
			checkCells(t, cells, map[string]want{
				"9|TT_BUOI|":     {"5", 0},
				"9|TT_NGUOI|nam": {"1234", 0},
				"9|TT_NGUOI|nu":  {"300", 0},
				"9|QUY_COVID|":   {"14000000", 0},
				"9|TY_LE|":       {"33,33", 0},
				"9|DIEN_TICH|":   {"2,500", 0},
				"9|KHAO_SAT|":    {"0", 0},
				"9|GHI_CHU|":     {"Tổ chức 3 buổi", 0},
				"9|NHIET_DO|":    {"-100,0", 0},

				"7|TT_BUOI|":     {"13", 3},
				"7|TT_NGUOI|nam": {"1234567", 1},
				"7|TT_NGUOI|nu":  {"9000000000000000000", 0},
				"7|QUY_COVID|":   {"", 9}, // cleared
				"7|TY_LE|":       {"87,50", 2},
				"7|DIEN_TICH|":   {"1,250", 4},
				"7|KHAO_SAT|":    {"1", 5},
				"7|GHI_CHU|":     {"Đã bàn giao 7 nhà Tình nghĩa", 6},
				"7|NHIET_DO|":    {"-5,0", 7},

				"8|TT_NGUOI|nu": {"", 11}, // cleared with an empty string
				"8|KHAO_SAT|":   {"1", 12},
				"8|DIEN_TICH|":  {"0,300", 13},
			})
		})
	}
}

// Places name the sheet and the cell; UnitsAsColumns puts units side by
// side on one sheet.
func TestPlaces(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			wb := openWB(t, writeSpec(t, testSpec(layout)))
			sheet, ref := wb.locate(8, "TT_NGUOI", "nu")
			cells, _, err := readBytes(wb.bytes(), allUnits())
			if err != nil {
				t.Fatal(err)
			}
			c := cellMap(t, cells)["8|TT_NGUOI|nu"]
			if c.Place != sheet+"!"+ref {
				t.Errorf("place %q, want %q", c.Place, sheet+"!"+ref)
			}
			sheets := wb.f.GetSheetList()
			wantSheets := 2
			if layout == SheetPerUnit {
				wantSheets = 4
			}
			if len(sheets) != wantSheets || sheets[len(sheets)-1] != metaSheetName {
				t.Errorf("sheets %q", sheets)
			}
			for _, s := range sheets {
				if n := len([]rune(s)); n > 31 {
					t.Errorf("sheet name %q has %d characters", s, n)
				}
			}
		})
	}
}

// The template is what the brief asks for: protected sheets, hidden key
// columns, frozen panes, validation, number formats, A4 fit to width, a
// very hidden metadata sheet.
func TestTemplateShape(t *testing.T) {
	wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
	f := wb.f
	sheet := f.GetSheetList()[1]
	if v, _ := f.GetSheetVisible(metaSheetName); v {
		t.Error("metadata sheet is visible")
	}
	if v, _ := f.GetColVisible(sheet, "E"); v {
		t.Error("code column E is visible")
	}
	if v, _ := f.GetColVisible(sheet, "D"); !v {
		t.Error("value column D is hidden")
	}
	if v, _ := f.GetRowVisible(sheet, rowKeys); v {
		t.Error("key row is visible")
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.XSplit != 3 || panes.YSplit != rowKeys {
		t.Errorf("panes %+v %v", panes, err)
	}
	dvs, err := f.GetDataValidations(sheet)
	if err != nil || len(dvs) < 4 {
		t.Fatalf("data validations %d %v", len(dvs), err)
	}
	types := map[string]bool{}
	for _, dv := range dvs {
		types[dv.Type] = true
	}
	for _, ty := range []string{"whole", "decimal", "list", "textLength"} {
		if !types[ty] {
			t.Errorf("no %s validation (have %v)", ty, types)
		}
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Size == nil || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v %v", layout, err)
	}
	// Stored numbers are numbers, formatted #,##0.
	_, ref := wb.locate(7, "QUY_COVID", "")
	sheet7, _ := wb.locate(7, "QUY_COVID", "")
	typ, _ := f.GetCellType(sheet7, ref)
	if typ != 0 && typ != 2 { // unset or number
		t.Errorf("money cell type %v", typ)
	}
	formatted, _ := f.GetCellValue(sheet7, ref)
	if formatted != "348,000,000" { // excelize formats #,##0 the English way
		t.Errorf("money cell shows %q", formatted)
	}
	styleID, _ := f.GetCellStyle(sheet7, ref)
	style, err := f.GetStyle(styleID)
	if err != nil || style.Protection == nil || style.Protection.Locked || style.NumFmt != 3 {
		t.Errorf("value style %+v %v", style, err)
	}
	nameStyleID, _ := f.GetCellStyle(sheet7, "B"+ref[1:])
	nameStyle, _ := f.GetStyle(nameStyleID)
	if nameStyle.Protection != nil && !nameStyle.Protection.Locked {
		t.Error("name cell unlocked")
	}
	if v, _ := f.GetCellValue(sheet7, "A3"); !strings.Contains(v, "Quý III/2021") {
		t.Errorf("period row %q", v)
	}
	if v, _ := f.GetCellValue(sheet7, "A2"); !strings.Contains(v, "Hội Nông dân") {
		t.Errorf("unit row %q", v)
	}
}

// Sheet names are safe, short and unique.
func TestSheetNames(t *testing.T) {
	n := newSheetNamer(metaSheetName)
	got := []string{
		n.name("Hội Nông dân xã Ia Dreh: tổ 1/2 [cũ]", "x"),
		n.name("Hội Nông dân xã Ia Dreh: tổ 1/2 [cũ]", "x"),
		n.name("hội nông dân xã ia dreh: tổ 1/2 [cũ]", "x"),
		n.name("'History'", "Đơn vị 4"),
		n.name("   ", "Đơn vị 5"),
		n.name("_giaoban", "Đơn vị 6"),
	}
	want := []string{
		"Hội Nông dân xã Ia Dreh- tổ 1-2",
		"Hội Nông dân xã Ia Dreh- tổ (2)",
		"hội nông dân xã ia dreh- tổ (3)",
		"Đơn vị 4",
		"Đơn vị 5",
		"_giaoban (2)",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func TestWriteTemplateRefuses(t *testing.T) {
	base := testSpec(SheetPerUnit)
	cases := map[string]func(*Spec){
		"bad period":     func(s *Spec) { s.Period = "2021Q5" },
		"no units":       func(s *Spec) { s.Units = nil },
		"no rows":        func(s *Spec) { s.Rows = nil },
		"duplicate unit": func(s *Spec) { s.Units = append(s.Units, s.Units[0]) },
		"duplicate row":  func(s *Spec) { s.Rows = append(s.Rows, s.Rows[0]) },
		"bad type":       func(s *Spec) { s.Rows[0].ValueType = "float" },
		"bad layout":     func(s *Spec) { s.Layout = "diagonal" },
		"too large": func(s *Spec) {
			for i := range 2000 {
				s.Rows = append(s.Rows, RowSpec{IndicatorCode: fmt.Sprintf("X%d", i), ValueType: "integer"})
			}
			for i := range 200 {
				s.Units = append(s.Units, UnitSpec{ID: int64(100 + i), Name: fmt.Sprint(i)})
			}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			spec := base
			spec.Units = append([]UnitSpec(nil), base.Units...)
			spec.Rows = append([]RowSpec(nil), base.Rows...)
			mutate(&spec)
			var sb strings.Builder
			if err := WriteTemplate(&sb, spec); err == nil {
				t.Error("no error")
			}
		})
	}
}

// English labels, and yes/no choices of the row.
func TestEnglishAndChoices(t *testing.T) {
	spec := testSpec(UnitsAsColumns)
	spec.Lang = "en"
	spec.Rows[6].Choices = []string{"Đạt", "Chưa đạt"}
	wb := openWB(t, writeSpec(t, spec))
	sheet := wb.f.GetSheetList()[0]
	if sheet != "Data" {
		t.Errorf("sheet %q", sheet)
	}
	_, ref := wb.locate(7, "KHAO_SAT", "")
	if v, _ := wb.f.GetCellValue(sheet, ref); v != "Đạt" {
		t.Errorf("yes/no prefill %q", v)
	}
	wb.set(9, "KHAO_SAT", "", "chưa đạt")
	cells, errs, err := readBytes(wb.bytes(), allUnits())
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	m := cellMap(t, cells)
	if m["9|KHAO_SAT|"].Raw != "0" || m["7|KHAO_SAT|"].Raw != "1" {
		t.Errorf("choices: %s", describe(cells))
	}
}

// A stored value that no longer fits its indicator is written as text, so
// that the user sees it, and is named when read back unless corrected.
func TestInvalidPrefill(t *testing.T) {
	spec := testSpec(SheetPerUnit)
	spec.Title = "BIỂU SỐ LIỆU QUÝ"
	spec.Units[2].Values = map[string]Prefill{"TT_BUOI|": {Raw: "nhiều", Version: 4}, "GHI_CHU|": {Raw: "=1+1", Version: 5}}
	wb := openWB(t, writeSpec(t, spec))
	sheet, ref := wb.locate(9, "TT_BUOI", "")
	if v, _ := wb.f.GetCellValue(sheet, ref); v != "nhiều" {
		t.Errorf("prefill shows %q", v)
	}
	if v, _ := wb.f.GetCellValue(sheet, "A1"); v != "BIỂU SỐ LIỆU QUÝ" {
		t.Errorf("title %q", v)
	}
	cells, errs, err := readBytes(wb.bytes(), allUnits())
	if err != nil {
		t.Fatal(err)
	}
	wantErrors(t, errs, fmt.Sprintf("Trang tính '%s', ô %s: 'nhiều' không phải là số", sheet, ref))
	// Text that looks like a formula stays text.
	if c := cellMap(t, cells)["9|GHI_CHU|"]; c.Raw != "=1+1" || *c.Version != 5 {
		t.Errorf("%+v", c)
	}
}
