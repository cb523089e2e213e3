package sheet

import (
	"bytes"
	"strings"
	"testing"
)

func TestCSVRoundTrip(t *testing.T) {
	// The cells of a filled template go out as CSV and come back equal.
	wb := openWB(t, writeSpec(t, testSpec(UnitsAsColumns)))
	wb.set(9, "GHI_CHU", "", `Có dấu phẩy, "ngoặc kép" và xuống
dòng`)
	cells, errs, err := readBytes(wb.bytes(), allUnits())
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, cells); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "unit_id,period,indicator,option,value,version\n") {
		t.Fatalf("header: %q", buf.String()[:60])
	}
	for _, bom := range []string{"", "\ufeff"} {
		expect := allUnits()
		expect.Rows = testRows()
		back, errs, err := ReadCSV(strings.NewReader(bom+buf.String()), expect)
		if err != nil || len(errs) > 0 {
			t.Fatal(err, errs)
		}
		if len(back) != len(cells) {
			t.Fatalf("%d cells back, want %d", len(back), len(cells))
		}
		for i := range cells {
			a, b := cells[i], back[i]
			if a.UnitID != b.UnitID || a.Period != b.Period || a.IndicatorCode != b.IndicatorCode ||
				a.Option != b.Option || a.Raw != b.Raw || *a.Version != *b.Version {
				t.Errorf("line %d: %+v, want %+v", i+2, b, a)
			}
		}
	}
}

func TestCSVLines(t *testing.T) {
	in := "\ufeffUnit_ID;Period;Indicator;Option;Value;Version\n" +
		"7;2021Q3;TT_BUOI;;1.234;3\n" + // line 2: Vietnamese thousands
		"7;2021q3;QUY_COVID;;348.000.000 đ;\n" + // line 3: no version
		"8;2021Q3;TT_BUOI;;ba;\n" + // line 4
		"8;2021Q2;TT_BUOI;;1;\n" + // line 5
		"99;2021Q3;TT_BUOI;;1;\n" + // line 6
		"7;2021Q3;KHONG_CO;;1;\n" + // line 7
		"7;2021Q3;TT_BUOI;;5;\n" + // line 8: duplicate of line 2
		"x;2021Q3;TT_BUOI;;5;\n" + // line 9
		"7;2021Q9;TT_BUOI;;5;\n" + // line 10
		"7;2021Q3;TT_NGUOI;nu;5;-1\n" + // line 11
		"7;2021Q3;TT_NGUOI;nam;-5;\n" + // line 12
		"7;2021Q3;TT_NGUOI\n" + // line 13
		"\n" +
		"9;2021Q3;KHAO_SAT;;không;0\n" + // line 15
		"9;2021Q3;GHI_CHU;;;\n" // line 16: clear
	expect := allUnits()
	expect.Rows = testRows()
	cells, errs, err := ReadCSV(strings.NewReader(in), expect)
	if err != nil {
		t.Fatal(err)
	}
	wantErrors(t, errs,
		"Dòng 4: 'ba' không phải là số",
		"Dòng 5: số liệu của kỳ Quý II/2021, không phải kỳ đang nhập Quý III/2021",
		"Dòng 6: đơn vị mã 99 không thuộc các đơn vị bạn được nhập số liệu",
		"Dòng 7: chỉ tiêu 'KHONG_CO' không có trong biểu mẫu hiện hành; hãy tải lại mẫu",
		"Dòng 8: trùng với dòng 2 (cùng đơn vị, kỳ, chỉ tiêu và phân tổ)",
		"Dòng 9: mã đơn vị 'x' không hợp lệ",
		"Dòng 10: kỳ báo cáo '2021Q9' không hợp lệ",
		"Dòng 11: phiên bản '-1' không hợp lệ",
		"Dòng 12: Số âm không hợp lệ cho chỉ tiêu đếm",
		"Dòng 13: có 3 cột, dòng tiêu đề có 6 cột",
	)
	got := describe(cells)
	want := strings.Join([]string{
		`7|QUY_COVID|="348000000" vnil @dòng 3`,
		`7|TT_BUOI|="1234" v3 @dòng 2`,
		`9|GHI_CHU|="" vnil @dòng 16`,
		`9|KHAO_SAT|="0" v0 @dòng 15`,
	}, "\n")
	if got != want {
		t.Errorf("cells:\n%s\nwant:\n%s", got, want)
	}
}

// Without the form's rows, values pass through (NFC, trimmed) and only
// the keys are checked; optional columns may be left out.
func TestCSVWithoutRows(t *testing.T) {
	in := "period,unit_id,indicator,value\n2021Q3,7,A, 1.234 \n"
	cells, errs, err := ReadCSV(strings.NewReader(in), Expect{AllUnits: true})
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if len(cells) != 1 || cells[0].Raw != "1.234" || cells[0].Version != nil || cells[0].Option != "" {
		t.Errorf("%s", describe(cells))
	}
}

func TestCSVRefused(t *testing.T) {
	cases := map[string]struct {
		in   string
		kind error
		msg  string
	}{
		"empty":          {"", ErrBadCSV, "Tệp CSV trống"},
		"not utf-8":      {"unit_id,period,indicator,value\n7,2021Q3,A,H\xf4i\n", ErrBadCSV, "UTF-8"},
		"unknown column": {"unit_id,period,indicator,value,ghi_chu\n", ErrBadCSV, "Dòng 1: cột 'ghi_chu' không có trong định dạng"},
		"missing column": {"unit_id,period,value\n", ErrBadCSV, "Dòng 1: thiếu cột 'indicator'"},
		"double column":  {"unit_id,period,indicator,value,value\n", ErrBadCSV, "Dòng 1: cột 'value' có hai lần"},
		"bad quote":      {"unit_id,period,indicator,value\n7,2021Q3,A,1\n7,2021Q3,B,\"1\n", ErrBadCSV, "Dòng 3"},
		"too large":      {"unit_id,period,indicator,value\n" + strings.Repeat("7,2021Q3,A,1\n", MaxBytes/12+1), ErrTooLarge, "quá lớn"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := ReadCSV(strings.NewReader(c.in), Expect{AllUnits: true})
			wantFileErr(t, err, c.kind, c.msg)
		})
	}
	t.Run("too many lines", func(t *testing.T) {
		in := "unit_id,period,indicator,value\n" + strings.Repeat("1,2021,A,\n", MaxRows+1)
		_, _, err := ReadCSV(strings.NewReader(in), Expect{AllUnits: true})
		wantFileErr(t, err, ErrTooManyRows, "200.000")
	})
}
