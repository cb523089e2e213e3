package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// errorsText renders CellErrors one per line.
func errorsText(errs []CellError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// wantErrors checks that each wanted message is one of the errors.
func wantErrors(t *testing.T, errs []CellError, wanted ...string) {
	t.Helper()
	text := errorsText(errs)
	for _, w := range wanted {
		if !strings.Contains(text, w+"\n") {
			t.Errorf("no error %q in:\n%s", w, text)
		}
	}
	if len(errs) != len(wanted) {
		t.Errorf("%d errors, want %d:\n%s", len(errs), len(wanted), text)
	}
}

// Bad values are named by sheet and cell; good values beside them are
// still read.
func TestBadValues(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			wb := openWB(t, writeSpec(t, testSpec(layout)))
			at := func(unit int64, code, opt string, v any) string {
				s, ref := wb.set(unit, code, opt, v)
				return fmt.Sprintf("Trang tính '%s', ô %s: ", s, ref)
			}
			p1 := at(9, "TT_BUOI", "", "ba")
			p2 := at(9, "TT_NGUOI", "nam", -5)
			p3 := at(9, "TT_NGUOI", "nu", "1.23.4")
			p4 := at(9, "QUY_COVID", "", "-14.000.000 đ")
			p5 := at(9, "TY_LE", "", 1.234)
			p6 := at(9, "DIEN_TICH", "", "1,2345")
			p7 := at(9, "KHAO_SAT", "", "có lẽ")
			p8 := at(9, "GHI_CHU", "", strings.Repeat("x", MaxTextLen+1))
			p9 := at(9, "NHIET_DO", "", 101)
			p10 := at(8, "TY_LE", "", 100.01)
			p11 := at(8, "TT_BUOI", "", 2.5)
			p12 := at(8, "NHIET_DO", "", -101)
			at(8, "QUY_COVID", "", 1500000) // good
			cells, errs, err := readBytes(wb.bytes(), allUnits())
			if err != nil {
				t.Fatal(err)
			}
			wantErrors(t, errs,
				p1+"'ba' không phải là số",
				p2+"Số âm không hợp lệ cho chỉ tiêu đếm",
				p3+"'1.23.4' không phải là số: mỗi nhóm hàng nghìn phải có đủ 3 chữ số (ví dụ 1.234.567)",
				p4+"Số tiền không được âm",
				p5+"'1,234' không hợp lệ: chỉ được có tối đa 2 chữ số sau dấu phẩy",
				p6+"'1,2345' không hợp lệ: chỉ được có tối đa 3 chữ số sau dấu phẩy",
				p7+"'có lẽ' không hợp lệ: nhập Có hoặc Không",
				p8+"Nội dung quá dài (501 ký tự, tối đa 500)",
				p9+"Giá trị 101,0 vượt quá tối đa 100,0",
				p10+"Giá trị 100,01 vượt quá tối đa 100,00",
				p11+"'2,5' không hợp lệ: cần nhập số nguyên",
				p12+"Giá trị -101,0 nhỏ hơn tối thiểu -100,0",
			)
			if c, ok := cellMap(t, cells)["8|QUY_COVID|"]; !ok || c.Raw != "1500000" {
				t.Errorf("good cell beside bad ones: %+v", c)
			}
		})
	}
}

// The message of the issue, word for word.
func TestTextInNumberCellMessage(t *testing.T) {
	wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
	sheet, ref := wb.set(7, "TT_BUOI", "", "ba")
	_, errs, err := readBytes(wb.bytes(), allUnits())
	if err != nil || len(errs) != 1 {
		t.Fatalf("%v %v", err, errs)
	}
	e := errs[0]
	if e.Sheet != sheet || e.Cell != ref || e.Message != "'ba' không phải là số" {
		t.Errorf("%+v", e)
	}
	if got, want := e.Error(), fmt.Sprintf("Trang tính '%s', ô %s: 'ba' không phải là số", sheet, ref); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := (CellError{Cell: "D12", Message: "x"}).Error(); got != "Ô D12: x" {
		t.Errorf("%q", got)
	}
	if got := (CellError{Sheet: "S", Cell: "D12:E12", Message: "x"}).Error(); got != "Trang tính 'S', ô D12–E12: x" {
		t.Errorf("%q", got)
	}
	if got := (CellError{Line: 7, Message: "x"}).Error(); got != "Dòng 7: x" {
		t.Errorf("%q", got)
	}
}

func TestFormulas(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			wb := openWB(t, writeSpec(t, testSpec(layout)))
			sheet, ref := wb.locate(7, "TT_BUOI", "")
			if err := wb.f.SetCellFormula(sheet, ref, "=1+1"); err != nil {
				t.Fatal(err)
			}
			// A formula outside the value cells is no business of ours.
			if err := wb.f.SetCellFormula(sheet, "B1", "=\"x\""); err != nil {
				t.Fatal(err)
			}
			cells, errs, err := readBytes(wb.bytes(), allUnits())
			if err != nil {
				t.Fatal(err)
			}
			wantErrors(t, errs, fmt.Sprintf("Trang tính '%s', ô %s: chứa công thức; hãy sao chép rồi dán giá trị (Paste Values) thay cho công thức", sheet, ref))
			if _, ok := cellMap(t, cells)["7|TT_BUOI|"]; ok {
				t.Error("the formula cell was read")
			}
		})
	}
}

func TestMergedCells(t *testing.T) {
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			wb := openWB(t, writeSpec(t, testSpec(layout)))
			sheet, from := wb.locate(7, "TT_NGUOI", "nam")
			_, to := wb.locate(7, "TT_NGUOI", "nu")
			if layout == UnitsAsColumns {
				_, to = wb.locate(8, "TT_NGUOI", "nam")
			}
			if err := wb.f.MergeCell(sheet, from, to); err != nil {
				t.Fatal(err)
			}
			cells, errs, err := readBytes(wb.bytes(), allUnits())
			if err != nil {
				t.Fatal(err)
			}
			wantErrors(t, errs, fmt.Sprintf("Trang tính '%s', ô %s–%s: các ô bị gộp; hãy bỏ gộp ô (Unmerge) và nhập số vào từng ô", sheet, from, to))
			if _, ok := cellMap(t, cells)["7|TT_NGUOI|nam"]; ok {
				t.Error("a merged cell was read")
			}
		})
	}
}

// Hidden keys edited, rows inserted or deleted: the rows are named.
func TestAlteredRows(t *testing.T) {
	t.Run("code", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
		sheet, ref := wb.locate(7, "TT_BUOI", "")
		row := ref[1:]
		if err := wb.f.SetCellValue(sheet, "E"+row, "QUY_COVID"); err != nil {
			t.Fatal(err)
		}
		_, errs, err := readBytes(wb.bytes(), allUnits())
		if err != nil {
			t.Fatal(err)
		}
		wantErrors(t, errs, fmt.Sprintf("Trang tính '%s', dòng %s: các cột ẩn của dòng (mã chỉ tiêu, phân tổ, kỳ, phiên bản) không khớp với mẫu: dòng đã bị sửa, chèn thêm hoặc di chuyển; hãy tải lại mẫu", sheet, row))
	})
	t.Run("version", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(UnitsAsColumns)))
		sheet, ref := wb.locate(7, "QUY_COVID", "")
		row := ref[1:]
		// Version columns follow code, option, period, check: K, L, M for 3 units.
		if err := wb.f.SetCellValue(sheet, "K"+row, 10); err != nil {
			t.Fatal(err)
		}
		_, errs, err := readBytes(wb.bytes(), allUnits())
		if err != nil || len(errs) != 1 || errs[0].Cell != row {
			t.Fatalf("%v %v", err, errs)
		}
	})
	t.Run("inserted row", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
		sheet, _ := wb.locate(7, "QUY_COVID", "")
		if err := wb.f.InsertRows(sheet, 10, 1); err != nil {
			t.Fatal(err)
		}
		_, errs, err := readBytes(wb.bytes(), allUnits())
		if err != nil || len(errs) == 0 {
			t.Fatalf("%v %v", err, errs)
		}
		for _, e := range errs {
			if e.Sheet != sheet || !allDigits(e.Cell) {
				t.Errorf("%v", e)
			}
		}
	})
	t.Run("deleted row", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
		sheet, ref := wb.locate(7, "GHI_CHU", "")
		_, last := wb.locate(7, "NHIET_DO", "")
		if ref[1:] >= last[1:] {
			t.Fatal("order")
		}
		// Deleting the last row shifts nothing: only the count tells.
		var row int
		fmt.Sscan(last[1:], &row)
		if err := wb.f.RemoveRow(sheet, row); err != nil {
			t.Fatal(err)
		}
		_, errs, err := readBytes(wb.bytes(), allUnits())
		if err != nil {
			t.Fatal(err)
		}
		wantErrors(t, errs, fmt.Sprintf("Trang tính '%s': có 8 dòng chỉ tiêu, mẫu có 9 dòng: có dòng đã bị xóa hoặc chèn thêm; hãy tải lại mẫu", sheet))
	})
	t.Run("renamed sheet", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
		old := wb.f.GetSheetList()[1]
		if err := wb.f.SetSheetName(old, "Đổi tên"); err != nil {
			t.Fatal(err)
		}
		_, errs, err := readBytes(wb.bytes(), allUnits())
		if err != nil {
			t.Fatal(err)
		}
		wantErrors(t, errs, fmt.Sprintf("Trang tính '%s': không tìm thấy trang tính này trong tệp (đã bị đổi tên hoặc xóa); hãy tải lại mẫu", old))
	})
	t.Run("value for an indicator the form does not have", func(t *testing.T) {
		wb := openWB(t, writeSpec(t, testSpec(SheetPerUnit)))
		sheet, ref := wb.set(9, "TT_BUOI", "", 4)
		expect := allUnits()
		expect.Rows = testRows()[1:]
		cells, errs, err := readBytes(wb.bytes(), expect)
		if err != nil {
			t.Fatal(err)
		}
		wantErrors(t, errs,
			fmt.Sprintf("Trang tính '%s', dòng %s: chỉ tiêu 'TT_BUOI' không có trong biểu mẫu hiện hành; hãy tải lại mẫu", sheet, ref[1:]),
			fmt.Sprintf("Trang tính '%s', dòng %s: chỉ tiêu 'TT_BUOI' không có trong biểu mẫu hiện hành; hãy tải lại mẫu", wb.f.GetSheetList()[0], ref[1:]),
		)
		if len(cells) != 10 {
			t.Errorf("%d cells:\n%s", len(cells), describe(cells))
		}
	})
}

// Error values of formulas (#DIV/0!) and dates are not numbers.
func TestErrorAndDateCells(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	re := regexp.MustCompile(`<c r="D8" s="(\d+)"><v>12</v></c>`)
	edited := rezip(t, data, zip.Deflate, func(name string, body []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			if !re.Match(body) {
				t.Fatal("D8 not found")
			}
			body = re.ReplaceAll(body, []byte(`<c r="D8" s="$1" t="e"><v>#DIV/0!</v></c>`))
			d10 := regexp.MustCompile(`<c r="D10" s="(\d+)"></c>`)
			if !d10.Match(body) {
				t.Fatal("D10 not found")
			}
			body = d10.ReplaceAll(body, []byte(`<c r="D10" s="$1" t="d"><v>2021-08-26T00:00:00</v></c>`))
		}
		return body
	}, nil)
	_, errs, err := readBytes(edited, allUnits())
	if err != nil {
		t.Fatal(err)
	}
	sheet := "Hội Nông dân xã Ia Dreh (hư cấu"
	wantErrors(t, errs,
		"Trang tính '"+sheet+"', ô D8: ô có giá trị lỗi #DIV/0!",
		"Trang tính '"+sheet+"', ô D10: '2021-08-26T00:00:00' là ngày tháng, không phải là số")
}

func TestWrongPeriodOrUnit(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	_, _, err := readBytes(data, Expect{Period: "2021Q2", AllUnits: true})
	wantFileErr(t, err, ErrWrongPeriod, "Tệp mẫu này dành cho kỳ Quý III/2021, không phải Quý II/2021")
	_, _, err = readBytes(data, Expect{Period: "2021q3", UnitIDs: []int64{8, 9}})
	wantFileErr(t, err, ErrWrongUnit, "Tệp mẫu này dành cho đơn vị 'Hội Nông dân xã Ia Dreh (hư cấu): một tên rất dài để thử' (mã 7), không phải đơn vị bạn được nhập số liệu")
	_, _, err = readBytes(data, Expect{Period: "2021Q3"})
	wantFileErr(t, err, ErrWrongUnit, "các đơn vị", "(mã 8)")
	// Any period, all units: the caller checks them itself.
	if _, errs, err := readBytes(data, Expect{AllUnits: true}); err != nil || len(errs) > 0 {
		t.Errorf("%v %v", err, errs)
	}
}

func TestNotATemplate(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	t.Run("metadata sheet deleted", func(t *testing.T) {
		wb := openWB(t, data)
		if err := wb.f.DeleteSheet(metaSheetName); err != nil {
			t.Fatal(err)
		}
		_, _, err := readBytes(wb.bytes(), allUnits())
		wantFileErr(t, err, ErrNotTemplate, "không phải là mẫu nhập số liệu")
	})
	t.Run("metadata altered", func(t *testing.T) {
		wb := openWB(t, data)
		if err := wb.f.SetCellValue(metaSheetName, "B4", "2021Q2"); err != nil {
			t.Fatal(err)
		}
		_, _, err := readBytes(wb.bytes(), Expect{Period: "2021Q2", AllUnits: true})
		wantFileErr(t, err, ErrNotTemplate, "đã bị sửa")
	})
	t.Run("metadata with a formula", func(t *testing.T) {
		wb := openWB(t, data)
		if err := wb.f.SetCellFormula(metaSheetName, "B4", `="2021Q3"`); err != nil {
			t.Fatal(err)
		}
		_, _, err := readBytes(wb.bytes(), allUnits())
		wantFileErr(t, err, ErrNotTemplate, "đã bị sửa")
	})
	t.Run("plain workbook", func(t *testing.T) {
		wb := openWB(t, data)
		for _, s := range wb.f.GetSheetList()[1:] {
			if err := wb.f.DeleteSheet(s); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := readBytes(wb.bytes(), allUnits())
		wantFileErr(t, err, ErrNotTemplate)
	})
}

func TestNotXLSX(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	cases := map[string][]byte{
		"empty":     nil,
		"csv":       []byte("unit_id,period,indicator,option,value,version\n7,2021Q3,A,,1,\n"),
		"pdf":       []byte("%PDF-1.7\n"),
		"xls":       append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
		"truncated": data[:len(data)/2],
		"zip of text": rezip(t, data, zip.Store, func(string, []byte) []byte { return nil }, func(zw *zip.Writer) {
			w, _ := zw.Create("readme.txt")
			w.Write([]byte("hello"))
		}),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := readBytes(body, allUnits())
			wantFileErr(t, err, ErrNotXLSX)
		})
	}
	_, _, err := readBytes(cases["xls"], allUnits())
	wantFileErr(t, err, ErrNotXLSX, ".xls")
}

// A 50 MB file is refused from its size, before anything is unzipped.
func TestTooLarge(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	noise := make([]byte, 50<<20)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(noise)
	big := rezip(t, data, zip.Deflate, nil, func(zw *zip.Writer) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/image1.png", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(noise)
	})
	if len(big) < 50<<20 {
		t.Fatalf("only %d bytes", len(big))
	}
	_, _, err := readBytes(big, allUnits())
	wantFileErr(t, err, ErrTooLarge, "Tệp quá lớn (50,0 MB); chỉ nhận tệp đến 20,0 MB")
}

// A small file that unzips to too much XML (a zip bomb) is refused, and
// so is one huge text node.
func TestZipBomb(t *testing.T) {
	data := writeSpec(t, testSpec(SheetPerUnit))
	pad := func(filler []byte, n int) []byte {
		return rezip(t, data, zip.Deflate, func(name string, body []byte) []byte {
			if name == "xl/worksheets/sheet1.xml" {
				return bytes.Replace(body, []byte("<sheetData>"), append([]byte("<sheetData>"), bytes.Repeat(filler, n)...), 1)
			}
			return body
		}, nil)
	}
	old := xmlBudget
	xmlBudget = 8 << 20
	t.Cleanup(func() { xmlBudget = old })
	bomb := pad([]byte("<x/>"), 4<<20) // 16 MB of markup
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb of %d bytes", len(bomb))
	}
	_, _, err := readBytes(bomb, allUnits())
	wantFileErr(t, err, ErrTooLarge, "quá lớn khi giải nén")

	xmlBudget = old
	_, _, err = readBytes(pad([]byte(" "), 4<<20), allUnits())
	wantFileErr(t, err, ErrNotXLSX, "văn bản quá dài")
}

// padRows adds rows (or cells) to the first data sheet of a template
// without holding the XML twice.
func padRows(t testing.TB, data []byte, rows, cellsPerRow int) []byte {
	return rezip(t, data, zip.Deflate, func(name string, body []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return body
		}
		var extra bytes.Buffer
		for r := 0; r < rows; r++ {
			n := 100 + r
			fmt.Fprintf(&extra, `<row r="%d">`, n)
			for c := 0; c < cellsPerRow; c++ {
				fmt.Fprintf(&extra, `<c r="%s%d"><v>1</v></c>`, colName(c+20), n)
			}
			extra.WriteString(`</row>`)
		}
		i := bytes.Index(body, []byte("</sheetData>"))
		return append(append(append([]byte(nil), body[:i]...), extra.Bytes()...), body[i:]...)
	}, nil)
}

// A million rows: refused (the count stops at MaxRows). The template's
// first sheet is rewritten with excelize's StreamWriter, as a program
// appending rows would, then a million rows are added.
func TestMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a workbook of a million rows")
	}
	t.Run("rows", func(t *testing.T) {
		big := millionRowTemplate(t, writeSpec(t, testSpec(SheetPerUnit)))
		t.Logf("template with a million rows: %s", formatMB(int64(len(big))))
		_, _, err := readBytes(big, allUnits())
		wantFileErr(t, err, ErrTooManyRows, "hơn 200.000 dòng")
	})
	t.Run("cells", func(t *testing.T) {
		big := padRows(t, writeSpec(t, testSpec(SheetPerUnit)), 1000, 1100)
		_, _, err := readBytes(big, allUnits())
		wantFileErr(t, err, ErrTooManyCells, "hơn 1.000.000 ô")
	})
}

func millionRowTemplate(t *testing.T, data []byte) []byte {
	t.Helper()
	b, err := openBook(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	first := b.sheets[0]
	type row struct {
		n    int
		vals []any
	}
	var rows []row
	if _, err := b.scanSheet(first.path, first.name, func(n int, cells []rawCell) error {
		r := row{n: n}
		for _, c := range cells {
			for len(r.vals) < c.col {
				r.vals = append(r.vals, nil)
			}
			switch {
			case c.empty:
			case c.kind == kindNumber:
				var v int64
				if _, err := fmt.Sscan(c.val, &v); err == nil {
					r.vals[c.col-1] = v
				} else {
					r.vals[c.col-1] = c.val
				}
			default:
				r.vals[c.col-1] = c.val
			}
		}
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wb := openWB(t, data)
	sw, err := wb.f.NewStreamWriter(first.name)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", r.n), r.vals); err != nil {
			t.Fatal(err)
		}
	}
	last := rows[len(rows)-1].n
	one := []any{nil, nil, nil, 1}
	for n := last + 1; n <= last+1_000_000; n++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", n), one); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return wb.bytes()
}
