package reporting

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/reporting/sheet"
)

// upload posts a multipart form with a file (nil: none) as user.
func (c *client) upload(user, path string, fields map[string]string, name string, file []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	st, page, _ := c.do(user, "POST", path, mw.FormDataContentType(), body.String())
	return st, page
}

// download fetches a file as user and checks its status.
func (c *client) download(user, path string) []byte {
	c.t.Helper()
	st, b, h := c.do(user, "GET", path, "", "")
	if st != 200 {
		c.t.Fatalf("GET %s: %d %.500s", path, st, b)
	}
	if ct := h.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") && !strings.Contains(ct, "text/csv") {
		c.t.Fatalf("GET %s: content type %q", path, ct)
	}
	return []byte(b)
}

// apiImport posts a file to the import API.
func (c *client) apiImport(user, query string, file []byte) (int, map[string]any) {
	c.t.Helper()
	st, body, _ := c.do(user, "POST", "/api/v1/reports/import"+query, "application/octet-stream", string(file))
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		c.t.Fatalf("import API: %d %s", st, body)
	}
	return st, out
}

// setCell types v into the value cell of an indicator (unit column j, 0
// for the first) of a template and returns the file and the cell's name.
func setCell(t *testing.T, file []byte, code, option string, j int, v any) ([]byte, string, string) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sh := x.GetSheetName(0)
	rows, err := x.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	keys := rows[5] // the hidden key row
	codeCol, optCol := slices.Index(keys, "code"), slices.Index(keys, "option")
	for i, r := range rows {
		get := func(c int) string {
			if c < len(r) {
				return r[c]
			}
			return ""
		}
		if i > 5 && get(codeCol) == code && get(optCol) == option {
			ref, _ := excelize.CoordinatesToCellName(4+j, i+1)
			if err := x.SetCellValue(sh, ref, v); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := x.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes(), sh, ref
		}
	}
	t.Fatalf("no row %s/%s in the template", code, option)
	return nil, "", ""
}

func countValues(t *testing.T, d *db.DB) (n, sumVer int64) {
	t.Helper()
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM data_values").Scan(&n, &sumVer); err != nil {
		t.Fatal(err)
	}
	return n, sumVer
}

var inlineData = regexp.MustCompile(`name="data" value="([^"]*)"`)
var digestField = regexp.MustCompile(`name="digest" value="([0-9a-f]{64})"`)

// TestTemplateRoundTripPreservesEveryValue downloads templates through
// the handlers (one unit; the bloc as columns and as sheets), reads them
// back and sends them back unchanged: every stored value comes back as it
// is, and nothing changes — also for an approved report in the bloc.
func TestTemplateRoundTripPreservesEveryValue(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		u := f.hndDistrict.ID
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo"), u, "2021Q3", []ValueInput{
			val("QUY_NHAN", "348.000.000", 0), val("QUY_CHI", "14.250.000", 0), val("HIEN_MAU.nam", "12", 0),
			val("HIEN_MAU.nu", "0", 0), val("CONG_KHAI", "có", 0), val("GHI_CHU", "Đã sao kê, công khai; \"đủ\" = 100%", 0),
			val("NHA_KC", "7", 0), val("NHA_BG", "5", 0), val("HOI_VIEN", "120", 0),
		}))
		// A value saved, then cleared: stored empty with a version.
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo"), u, "2021Q3", []ValueInput{val("QUY_CHI", "", 1)}))
		must[*SaveResult](t)(f.s.SaveValues(f.as("thuky"), f.mttqA.ID, "2021Q3", []ValueInput{val("NHA_KC", "3", 0), val("QUY_NHAN", "1.000", 0)}))
		must[*Report](t)(f.s.Submit(f.as("thuky"), f.mttqA.ID, "2021Q3"))
		must[*Report](t)(f.s.Approve(f.as("thuky"), f.mttqA.ID, "2021Q3"))
		n0, v0 := countValues(t, d)

		exported := func(user string, units ...int64) map[string]string {
			out := map[string]string{}
			for _, cell := range must[[]sheet.Cell](t)(f.s.ExportCells(f.as(user), "2021Q3", units...)) {
				out[fmt.Sprintf("%d|%s|%s", cell.UnitID, cell.IndicatorCode, cell.Option)] = cell.Raw
			}
			return out
		}
		check := func(user, path string, units ...int64) {
			t.Helper()
			file := c.download(user, path)
			cells, problems, err := sheet.ReadTemplate(bytes.NewReader(file), int64(len(file)), sheet.Expect{AllUnits: true})
			if err != nil || len(problems) > 0 {
				t.Fatalf("%s: %v %v", path, err, problems)
			}
			got := map[string]string{}
			for _, cell := range cells {
				if cell.Raw != "" {
					got[fmt.Sprintf("%d|%s|%s", cell.UnitID, cell.IndicatorCode, cell.Option)] = cell.Raw
				}
			}
			want := exported(user, units...)
			if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: values read back\n got %v\nwant %v", path, got, want)
			}
			st, page := c.upload(user, "/reports/import", map[string]string{"csrf": "tok-" + user}, "mau.xlsx", file)
			if st != 200 {
				t.Fatalf("%s upload: %d %.2000s", path, st, page)
			}
			has(t, page, "không có thay đổi nào")
			if strings.Contains(page, `name="apply"`) {
				t.Errorf("%s: an apply button for no change", path)
			}
			st, res := c.apiImport(user, "?dry_run=1", file)
			if st != 200 || len(res["changes"].([]any)) != 0 || res["unchanged"].(float64) != float64(len(want)+1) && user == "canbo" {
				t.Errorf("%s: API dry run %d %v", path, st, res)
			}
			st, res = c.apiImport(user, "", file)
			if st != 200 || len(res["changes"].([]any)) != 0 || res["dry_run"] != false {
				t.Errorf("%s: API import %d %v", path, st, res)
			}
		}
		check("canbo", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", u), u)
		check("canbo", fmt.Sprintf("/reports/template.xlsx?unit=%d&period=2021Q3", u), u)
		units := []int64{f.mttqDistrict.ID, f.hndDistrict.ID, f.mttqA.ID, f.hndA.ID, f.mttqB.ID}
		check("thuky", fmt.Sprintf("/reports/template.xlsx?bloc=%d&period=2021Q3&layout=columns", f.bloc.ID), units...)
		check("thuky", fmt.Sprintf("/reports/template.xlsx?bloc=%d&period=2021Q3&layout=sheets", f.bloc.ID), units...)
		if n, v := countValues(t, d); n != n0 || v != v0 {
			t.Errorf("values changed: %d/%d → %d/%d", n0, v0, n, v)
		}

		// Scope: an officer gets no template of another unit, a commune
		// secretariat only its commune's units.
		if st, _, _ := c.do("canbo", "GET", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", f.hndA.ID), "", ""); st != 404 {
			t.Errorf("officer, another unit's template: %d", st)
		}
		file := c.download("thuky.xa", fmt.Sprintf("/reports/template.xlsx?bloc=%d&period=2021Q3", f.bloc.ID))
		cells, _, err := sheet.ReadTemplate(bytes.NewReader(file), int64(len(file)), sheet.Expect{UnitIDs: []int64{f.mttqB.ID}})
		if err != nil {
			t.Errorf("commune secretariat's bloc template: %v", err)
		}
		_ = cells
		if st, _, _ := c.do("thuky", "GET", fmt.Sprintf("/reports/template.xlsx?bloc=%d&period=2021Q3&layout=diagonal", f.bloc.ID), "", ""); st != 400 {
			t.Errorf("bad layout: %d", st)
		}
	})
}

// TestUploadPreviewThenApply fills one value in a downloaded template,
// uploads it, sees the diff, applies it through the hidden field carried
// by the preview, and checks the digest and lost updates.
func TestUploadPreviewThenApply(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		u := f.hndDistrict.ID
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo"), u, "2021Q3", []ValueInput{val("NHA_KC", "7", 0)}))
		tpl := c.download("canbo", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", u))
		file, _, ref := setCell(t, tpl, "NHA_KC", "", 0, 9)
		file, _, ref2 := setCell(t, file, "HIEN_MAU", "nu", 0, 4)

		st, page := c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo"}, "mau.xlsx", file)
		if st != 200 {
			t.Fatalf("preview: %d %.3000s", st, page)
		}
		has(t, page, "Hội Nông dân huyện", "Nhà khởi công", ">7<", ">9<", "ô "+ref, "ô "+ref2, "Lượt hiến máu – Nữ", "2 ô sẽ thay đổi", `name="apply" value="1"`)
		if v := num(f.stored(u, "2021Q3")["NHA_KC"]); v != 7 {
			t.Fatalf("the preview wrote: %d", v)
		}
		m := inlineData.FindStringSubmatch(page)
		dg := digestField.FindStringSubmatch(page)
		if m == nil || dg == nil {
			t.Fatalf("no carried file or digest in the preview")
		}
		m[1] = html.UnescapeString(m[1])
		if data, _ := base64.StdEncoding.DecodeString(m[1]); !bytes.Equal(data, file) || dg[1] != Digest(file) {
			t.Fatal("the carried file is not the uploaded one")
		}

		// A carried file that does not match the digest is refused.
		tampered, _, _ := setCell(t, file, "NHA_KC", "", 0, 90)
		st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "apply": "1", "digest": dg[1],
			"data": base64.StdEncoding.EncodeToString(tampered)}, "", nil)
		if st != 400 || !strings.Contains(html.UnescapeString(page), "khác với tệp đã xem trước") {
			t.Errorf("tampered apply: %d %.1500s", st, page)
		}
		if v := num(f.stored(u, "2021Q3")["NHA_KC"]); v != 7 {
			t.Fatalf("a tampered apply wrote: %d", v)
		}

		st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "apply": "1", "digest": dg[1], "data": m[1], "filename": "mau.xlsx"}, "", nil)
		if st != 200 {
			t.Fatalf("apply: %d %.3000s", st, page)
		}
		has(t, page, "Đã ghi 2 ô (1 ô mới, 1 ô sửa, 0 ô xóa) ở 1 đơn vị")
		stored := f.stored(u, "2021Q3")
		if num(stored["NHA_KC"]) != 9 || num(stored["HIEN_MAU.nu"]) != 4 || stored["NHA_KC"].Version != 2 {
			t.Fatalf("stored after apply: %+v", stored)
		}
		if n := auditCount(t, d, "report_values", "update"); n < 2 {
			t.Errorf("%d audit entries", n)
		}

		// The same file again: its versions are old now, its values are
		// stored: nothing changes.
		st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "apply": "1", "digest": dg[1], "data": m[1]}, "", nil)
		if st != 200 || !strings.Contains(page, "Đã ghi 0 ô") {
			t.Errorf("second apply: %d %.2000s", st, page)
		}

		// Someone changes NHA_KC meanwhile; the old template with another
		// value is a conflict naming both values.
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo2"), u, "2021Q3", []ValueInput{val("NHA_KC", "11", 2)}))
		old, _, _ := setCell(t, tpl, "NHA_KC", "", 0, 8)
		st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo"}, "mau.xlsx", old)
		page = html.UnescapeString(page)
		if st != 422 || !strings.Contains(page, "Xung đột") || !strings.Contains(page, "Trần Thị B sửa thành 11") || !strings.Contains(page, "ô "+ref) {
			t.Errorf("conflict: %d %.3000s", st, page)
		}
		st, res := c.apiImport("canbo", "?dry_run=1", old)
		if st != 409 {
			t.Errorf("API conflict: %d %v", st, res)
		}
		if v := num(f.stored(u, "2021Q3")["NHA_KC"]); v != 11 {
			t.Errorf("the conflict overwrote: %d", v)
		}
	})
}

// TestUploadRefusesBadFiles: each bad file is refused with a message
// naming the place, and nothing is written.
func TestUploadRefusesBadFiles(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		u := f.hndDistrict.ID
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo"), u, "2021Q3", []ValueInput{val("NHA_KC", "7", 0)}))
		n0, v0 := countValues(t, d)
		tpl := c.download("canbo", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", u))
		text, sheetName, ref := setCell(t, tpl, "NHA_KC", "", 0, "ba")
		good, _, _ := setCell(t, tpl, "NHA_BG", "", 0, 2)
		neg, _, refNeg := setCell(t, good, "HOI_VIEN", "", 0, -3)
		other := c.download("thuky", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", f.hndA.ID))
		other, _, _ = setCell(t, other, "NHA_KC", "", 0, 1)
		rules, _, _ := setCell(t, good, "NHA_BG", "", 0, 8) // more houses handed over than started: a blocking rule

		for _, tc := range []struct {
			name   string
			file   []byte
			period string
			want   []string
		}{
			{"not XLSX", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "", []string{"không phải là tệp Excel (.xlsx)"}},
			{"an old .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "", []string{"tệp Excel cũ (.xls)"}},
			{"a damaged zip", []byte("PK\x03\x04 this is not a zip"), "", []string{"bị hỏng"}},
			{"wrong period", good, "2021Q2", []string{"dành cho kỳ Quý III/2021, không phải Quý II/2021"}},
			{"another unit", other, "", []string{"dành cho đơn vị 'Hội Nông dân xã A'"}},
			{"text in a number cell", text, "", []string{fmt.Sprintf("Trang tính '%s', ô %s", sheetName, ref), "'ba' không phải là số"}},
			{"a negative count", neg, "", []string{fmt.Sprintf("ô %s", refNeg)}},
			{"a blocking rule", rules, "", []string{"Nhà bàn giao (8) không thể nhiều hơn nhà khởi công (7)"}},
			{"CSV with a bad line", []byte("unit_id,period,indicator,option,value\n" + fmt.Sprint(u) + ",2021Q3,NHA_KC,,ba\n" + fmt.Sprint(u) + ",2021Q3,KHONG_CO,,1\n"), "",
				[]string{"Dòng 2", "Dòng 3", "'ba' không phải là số"}},
		} {
			st, page := c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "period": tc.period}, "mau.xlsx", tc.file)
			page = html.UnescapeString(page)
			if st == 200 {
				t.Errorf("%s: accepted", tc.name)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("%s: want %q in %.3000s", tc.name, w, page)
				}
			}
			if n, v := countValues(t, d); n != n0 || v != v0 {
				t.Fatalf("%s: something was written", tc.name)
			}
		}

		// The API names the cell as Sheet!D12.
		st, res := c.apiImport("canbo", "?dry_run=1", text)
		e, _ := res["error"].(map[string]any)
		fields, _ := e["fields"].([]any)
		if st != 422 || len(fields) != 1 {
			t.Fatalf("API, text in a number cell: %d %v", st, res)
		}
		fe := fields[0].(map[string]any)
		if fe["field"] != sheetName+"!"+ref || !strings.Contains(fe["message"].(string), "'ba' không phải là số") {
			t.Errorf("API field: %v", fe)
		}
		st, res = c.apiImport("canbo", "", []byte("hello"))
		if st != 422 {
			t.Errorf("API, not a file of values: %d %v", st, res)
		}
		// Too large.
		big := append([]byte("PK\x03\x04"), make([]byte, sheet.MaxBytes)...)
		st, page := c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo"}, "big.xlsx", big)
		if st != 400 || !strings.Contains(html.UnescapeString(page), "Tệp quá lớn") {
			t.Errorf("too large: %d %.1000s", st, page)
		}
		if st, _ := c.apiImport("canbo", "", big); st != 413 {
			t.Errorf("API too large: %d", st)
		}
		// A leader may not enter values.
		if st, _ := c.upload("lanhdao", "/reports/import", map[string]string{"csrf": "tok-lanhdao"}, "mau.xlsx", good); st != 403 {
			t.Errorf("leader upload: %d", st)
		}
		if n, v := countValues(t, d); n != n0 || v != v0 {
			t.Fatal("something was written")
		}
	})
}

// TestCSVImportIsIdempotent imports CSV twice through the API (the second
// time nothing changes), round-trips the CSV export, and refuses an
// exported value changed meanwhile.
func TestCSVImportIsIdempotent(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		csv := fmt.Sprintf("\ufeffunit_id;period;indicator;option;value\n%d;2021Q3;NHA_KC;;7\n%d;2021Q3;HIEN_MAU;nu;12\n%d;2021Q3;QUY_NHAN;;\"348.000.000\"\n%d;2021Q3;CONG_KHAI;;có\n",
			f.hndDistrict.ID, f.hndDistrict.ID, f.mttqA.ID, f.mttqA.ID)
		st, res := c.apiImport("thuky", "", []byte(csv))
		if st != 200 || res["created"].(float64) != 4 || res["format"] != "csv" || res["units"].(float64) != 2 {
			t.Fatalf("first import: %d %v", st, res)
		}
		_, v0 := countValues(t, d)
		st, res = c.apiImport("thuky", "", []byte(csv))
		if st != 200 || len(res["changes"].([]any)) != 0 || res["unchanged"].(float64) != 4 {
			t.Fatalf("second import: %d %v", st, res)
		}
		if _, v := countValues(t, d); v != v0 {
			t.Error("the second import changed versions")
		}
		// Export → import: nothing changes.
		out := c.download("thuky", fmt.Sprintf("/reports/export.csv?bloc=%d&period=2021Q3", f.bloc.ID))
		if !strings.HasPrefix(string(out), "unit_id,period,indicator,option,value,version\n") || !strings.Contains(string(out), ",QUY_NHAN,,348000000,1") {
			t.Fatalf("export: %s", out)
		}
		st, res = c.apiImport("thuky", "?dry_run=1", out)
		if st != 200 || len(res["changes"].([]any)) != 0 || res["unchanged"].(float64) != 4 {
			t.Errorf("export re-imported: %d %v", st, res)
		}
		// An officer exports only its unit.
		mine := c.download("canbo", fmt.Sprintf("/reports/export.csv?unit=%d&period=2021Q3", f.hndDistrict.ID))
		if strings.Count(string(mine), "\n") != 3 {
			t.Errorf("officer's export: %s", mine)
		}
		if st, _, _ := c.do("canbo", "GET", fmt.Sprintf("/reports/export.csv?unit=%d&period=2021Q3", f.mttqA.ID), "", ""); st != 404 {
			t.Errorf("officer, another unit's export: %d", st)
		}
		// A value changed since the export: the export's version is old.
		must[*SaveResult](t)(f.s.SaveValues(f.as("canbo"), f.hndDistrict.ID, "2021Q3", []ValueInput{val("NHA_KC", "8", 1)}))
		changed := strings.Replace(string(out), ",NHA_KC,,7,1", ",NHA_KC,,9,1", 1)
		st, res = c.apiImport("thuky", "", []byte(changed))
		if st != 409 || !strings.Contains(fmt.Sprint(res), "Nguyễn Văn A sửa thành 8") {
			t.Errorf("lost update: %d %v", st, res)
		}
		// Multipart works for the API too.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "values.csv")
		io.WriteString(fw, csv)
		mw.Close()
		st, raw, _ := c.do("thuky", "POST", "/api/v1/reports/import?dry_run=1", mw.FormDataContentType(), body.String())
		if st != 200 || !strings.Contains(raw, `"format":"csv"`) {
			t.Errorf("multipart API: %d %s", st, raw)
		}
		if st, page := c.get("canbo", "/reports/import"); st != 200 || !strings.Contains(page, `action="/reports/template.xlsx"`) {
			t.Errorf("import page: %d %.500s", st, page)
		}
		if st, page := c.get("thuky", "/reports/import?period=2021Q3"); st != 200 || !strings.Contains(page, `id="bloc-template"`) {
			t.Errorf("import page, secretariat: %d %.500s", st, page)
		}
	})
}

// padded adds an incompressible part of n bytes to a workbook (as an
// embedded picture would), which the reader ignores.
func padded(t *testing.T, file []byte, n int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&f.FileHeader)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/image1.bin", Method: zip.Store})
	pad := make([]byte, n)
	rand.Read(pad)
	w.Write(pad)
	zw.Close()
	return buf.Bytes()
}

// TestLargeUploadIsChosenAgain: a file over MaxInlineImport is not carried
// by the preview page; the apply step asks for it again and takes it only
// with the digest of the previewed file.
func TestLargeUploadIsChosenAgain(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	f := newFixture(t, d)
	c := newServer(t, f)
	u := f.hndDistrict.ID
	tpl := c.download("canbo", fmt.Sprintf("/reports/%d/2021Q3/template.xlsx", u))
	filled, _, _ := setCell(t, tpl, "NHA_KC", "", 0, 6)
	big := padded(t, filled, MaxInlineImport+1000)
	if len(big) <= MaxInlineImport {
		t.Fatalf("%d bytes", len(big))
	}
	st, page := c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo"}, "lon.xlsx", big)
	if st != 200 {
		t.Fatalf("preview: %d %.2000s", st, page)
	}
	if strings.Contains(page, `name="data"`) || !strings.Contains(page, `id="file2" type="file" name="file"`) {
		t.Fatalf("a large file was carried, or not asked again: %.3000s", page)
	}
	dg := digestField.FindStringSubmatch(page)
	if dg == nil || dg[1] != Digest(big) {
		t.Fatal("no digest of the file")
	}
	// Another file chosen at the apply step is refused.
	other := padded(t, filled, MaxInlineImport+1000)
	st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "apply": "1", "digest": dg[1]}, "lon.xlsx", other)
	if st != 400 || !strings.Contains(html.UnescapeString(page), "khác với tệp đã xem trước") {
		t.Errorf("another file at apply: %d %.1500s", st, page)
	}
	if v := num(f.stored(u, "2021Q3")["NHA_KC"]); v != -1 {
		t.Fatalf("written: %d", v)
	}
	st, page = c.upload("canbo", "/reports/import", map[string]string{"csrf": "tok-canbo", "apply": "1", "digest": dg[1]}, "lon.xlsx", big)
	if st != 200 || !strings.Contains(page, "Đã ghi 1 ô") {
		t.Fatalf("apply: %d %.2000s", st, page)
	}
	if v := num(f.stored(u, "2021Q3")["NHA_KC"]); v != 6 {
		t.Fatalf("stored %d", v)
	}
}
