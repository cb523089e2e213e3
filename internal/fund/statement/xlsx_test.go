package statement

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// makeXLSX builds a workbook like a bank's: a title block, the header on
// row 5, dates as real Excel dates and as text, numbers as numbers and as
// text, a total row.
func makeXLSX(t *testing.T, date1904 bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		v := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			t.Fatal(err)
		}
	}
	f.NewSheet("Hướng dẫn")
	sh := "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM")
	set("A2", "SAO KÊ TÀI KHOẢN")
	set("A3", "Từ ngày 01/08/2021 đến ngày 31/08/2021")
	for i, h := range []string{"STT", "Ngày giao dịch", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Mô tả giao dịch"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 5)
		set(cell, h)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm: the raw value is what is read
	row := func(r int, vals ...any) {
		for i, v := range vals {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, r)
			set(cell, v)
			if _, ok := v.(time.Time); ok {
				f.SetCellStyle(sh, cell, cell, dateStyle)
			}
		}
	}
	row(6, 1, time.Date(2021, 8, 1, 9, 30, 0, 0, time.UTC), "R1", nil, 1000000, 51000000, "NGUYEN VAN A ung ho")
	row(7, 2, "02/08/2021", "R2", nil, "500.000", "51.500.000", "Le Thi D")
	// row 8 left empty
	row(9, 3, time.Date(2021, 8, 3, 0, 0, 0, 0, time.UTC), 12345678901, 14000000, nil, 37500000, "Chi hỗ trợ chốt\nkiểm soát")
	row(10, 4, "04/08/2021", "R4", nil, "abc", nil, "bad")
	row(11, "Tổng cộng", nil, nil, 14000000, 1500000, nil, nil)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	for _, d1904 := range []bool{false, true} {
		data := makeXLSX(t, d1904)
		rd, lines, errs := collect(t, data, KindAuto, Profile{})
		if rd.Kind() != KindXLSX || rd.Sheet() != "Sheet1" || rd.Mapping().HeaderLine != 5 {
			t.Errorf("kind %v sheet %q header %d", rd.Kind(), rd.Sheet(), rd.Mapping().HeaderLine)
		}
		check(t, lines, []want{
			{6, "01/08/2021 09:30:00", "R1", 1000000, 51000000, "NGUYEN VAN A ung ho"},
			{7, "02/08/2021 00:00:00", "R2", 500000, 51500000, "Le Thi D"},
			{9, "03/08/2021 00:00:00", "12345678901", -14000000, 37500000, "Chi hỗ trợ chốt kiểm soát"},
		})
		if len(errs) != 1 || errs[0].Error() != "Dòng 10, cột 'Ghi có': 'abc' không phải là số tiền" {
			t.Errorf("date1904=%v errors %v", d1904, errs)
		}
	}
}

func TestParseXLSXFatal(t *testing.T) {
	// A ZIP that is not a workbook.
	_, err := NewReader(strings.NewReader("PK\x03\x04garbage"), KindAuto, Profile{})
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Errorf("broken XLSX: %v", err)
	}
	// A workbook without a statement.
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Danh sách")
	var buf bytes.Buffer
	f.WriteTo(&buf)
	if _, err := NewReader(&buf, KindXLSX, Profile{}); !errors.As(err, &fe) {
		t.Errorf("no header: %v", err)
	}
	// A named sheet that does not exist.
	if _, err := NewReader(bytes.NewReader(makeXLSX(t, false)), KindXLSX, Profile{Sheet: "Không có"}); !errors.As(err, &fe) {
		t.Errorf("missing sheet: %v", err)
	}
}
