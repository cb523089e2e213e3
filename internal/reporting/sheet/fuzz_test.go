package sheet

import (
	"archive/zip"
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func fuzzRows() map[string]RowSpec {
	m := map[string]RowSpec{}
	for _, r := range testRows() {
		m[Key(r.IndicatorCode, r.Option)] = r
	}
	return m
}

// checkCanonical fails when a returned value is not in canonical form.
func checkCanonical(t *testing.T, rows map[string]RowSpec, cells []Cell) {
	t.Helper()
	for _, c := range cells {
		if c.Place == "" {
			t.Errorf("cell without a place: %+v", c)
		}
		spec, ok := rows[Key(c.IndicatorCode, c.Option)]
		if !ok || c.Raw == "" {
			continue
		}
		again, err := Normalize(spec, c.Raw)
		if err != nil || again != c.Raw {
			t.Errorf("%s: raw %q is not canonical (%q, %v)", c.Place, c.Raw, again, err)
		}
	}
}

var (
	nsAttr      = regexp.MustCompile(` (xmlns:\w+|mc:Ignorable|xr:uid|s)="[^"]*"`)
	droppedPart = regexp.MustCompile(`^(docProps/|xl/theme/|xl/styles\.xml|\[Content_Types\]\.xml)`)
	// Worksheet elements the reader ignores.
	ignoredXML = regexp.MustCompile(`<(sheetPr|dimension|sheetViews|sheetFormatPr|cols|sheetProtection|dataValidations|printOptions|pageMargins|pageSetup)\b.*?</(sheetPr|dimension|sheetViews|sheetFormatPr|cols|sheetProtection|dataValidations|printOptions|pageMargins|pageSetup)>`)
	// Workbook elements the reader ignores.
	ignoredWB = regexp.MustCompile(`<(fileVersion|workbookPr|workbookProtection|bookViews|definedNames|calcPr)\b.*?</(fileVersion|workbookPr|workbookProtection|bookViews|definedNames|calcPr)>`)
)

// compact is a real template made small, so that the fuzzer's
// minimization of interesting inputs stays quick: stored (not deflated)
// entries, so that mutations reach the XML; no theme, styles or document
// properties (the reader does not need them); no namespace clutter.
func compact(tb testing.TB, spec Spec) []byte {
	return rezip(tb, writeSpec(tb, spec), zip.Store, func(name string, body []byte) []byte {
		if droppedPart.MatchString(name) {
			return nil
		}
		body = nsAttr.ReplaceAll(body, nil)
		body = ignoredXML.ReplaceAll(body, nil)
		return ignoredWB.ReplaceAll(body, nil)
	}, nil)
}

func FuzzReadTemplate(f *testing.F) {
	small := testSpec(SheetPerUnit)
	small.Units = small.Units[:1]
	small.Rows = small.Rows[3:7]
	seed := compact(f, small)
	if _, errs, err := ReadTemplate(bytes.NewReader(seed), int64(len(seed)), Expect{AllUnits: true}); err != nil || len(errs) > 0 {
		f.Fatalf("compact seed: %v %v", err, errs)
	}
	f.Add(seed)
	cols := testSpec(UnitsAsColumns)
	cols.Rows = cols.Rows[:2]
	cols.Units[2].Values = map[string]Prefill{"TT_BUOI|": {Raw: "ba"}}
	f.Add(compact(f, cols))
	f.Add(writeSpec(f, small)) // as written: deflated
	f.Add([]byte("PK\x03\x04"))
	rows := fuzzRows()
	f.Fuzz(func(t *testing.T, data []byte) {
		cells, errs, err := ReadTemplate(bytes.NewReader(data), int64(len(data)), Expect{AllUnits: true})
		if err != nil {
			if cells != nil || errs != nil {
				t.Errorf("cells or errors with a fatal error")
			}
			if err.Error() == "" {
				t.Error("empty error")
			}
			return
		}
		if len(errs) > MaxErrors+1 {
			t.Errorf("%d errors", len(errs))
		}
		for _, e := range errs {
			if e.Message == "" {
				t.Errorf("error without a message: %+v", e)
			}
		}
		checkCanonical(t, rows, cells)
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add("unit_id,period,indicator,option,value,version\n7,2021Q3,TT_BUOI,,1.234,3\n8,2021Q3,TT_NGUOI,nu,\"1,5\",\n")
	f.Add("\ufeffunit_id;period;indicator;value\n7;2021q3;TY_LE;87,5\n7;2021Q3;KHAO_SAT;có\n")
	f.Add("unit_id,period,indicator,value\n7,2021Q3,GHI_CHU,\"a\"\"b\nc\"\n7,2021Q3,DIEN_TICH,1.234\n")
	f.Add("unit_id,period,indicator,value\n7,2021Q3,A,\"1\n")
	f.Add("")
	rows := fuzzRows()
	f.Fuzz(func(t *testing.T, in string) {
		for _, expect := range []Expect{{AllUnits: true}, {Period: "2021Q3", UnitIDs: []int64{7, 8}, Rows: testRows()}} {
			cells, errs, err := ReadCSV(strings.NewReader(in), expect)
			if err != nil {
				if cells != nil || errs != nil || err.Error() == "" {
					t.Errorf("fatal error %v with cells or errors", err)
				}
				continue
			}
			for _, e := range errs {
				if e.Line < 1 || e.Message == "" {
					t.Errorf("bad error %+v", e)
				}
			}
			if expect.Rows == nil {
				continue
			}
			checkCanonical(t, rows, cells)
			// What was read writes and reads back the same.
			var buf bytes.Buffer
			if err := WriteCSV(&buf, cells); err != nil {
				t.Fatal(err)
			}
			back, errs2, err := ReadCSV(&buf, expect)
			if err != nil || len(errs2) > 0 || len(back) != len(cells) {
				t.Fatalf("round trip: %v %v (%d of %d cells)\n%s", err, errs2, len(back), len(cells), buf.String())
			}
			for i := range cells {
				a, b := cells[i], back[i]
				if a.UnitID != b.UnitID || a.Period != b.Period || a.IndicatorCode != b.IndicatorCode || a.Option != b.Option || a.Raw != b.Raw ||
					(a.Version == nil) != (b.Version == nil) || (a.Version != nil && *a.Version != *b.Version) {
					t.Errorf("round trip: %+v became %+v", a, b)
				}
			}
		}
	})
}
