package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/demo"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
	"giaoban/internal/reporting/sheet"
)

func runImport(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cmdImport(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestImportValuesHelp(t *testing.T) {
	_, stderr, err := runImport(t, "values", "--help")
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Errorf("--help: %v", err)
	}
	for _, w := range []string{"Usage: giaoban import values", "-db", "-dry-run", "-period", "FILE"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("help lacks %q: %s", w, stderr)
		}
	}
	if _, stderr, err := runImport(t, "--help"); err != nil || !strings.Contains(stderr, "giaoban import values") {
		t.Errorf("import --help: %v %q", err, stderr)
	}
	if _, _, err := runImport(t); exitCode(err) != 2 {
		t.Errorf("no kind: exit %d", exitCode(err))
	}
	if _, _, err := runImport(t, "values"); exitCode(err) != 2 {
		t.Errorf("no file: exit %d", exitCode(err))
	}
	if _, _, err := runImport(t, "units", "x.csv"); exitCode(err) != 2 {
		t.Errorf("unknown kind: exit %d", exitCode(err))
	}
}

// demoDB seeds the demo into a fresh SQLite file and returns its path and
// the id of the district's Farmers' Union.
func demoDB(t *testing.T) (string, int64) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	d, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	var id int64
	err = d.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id
		WHERE o.code = 'HND' AND a.name = $1`, demo.DistrictName).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return path, id
}

// valuesState sums what is stored, to see that nothing was written.
func valuesState(t *testing.T, path string) string {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n, v int64
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM data_values").Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d values, versions %d", n, v)
}

// template writes the XLSX template of a unit for a period, as the web
// page does.
func template(t *testing.T, path string, unitID int64, per string) []byte {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx = auth.WithPrincipal(ctx, &auth.Principal{Role: auth.Admin, Username: "test"})
	spec, err := reporting.New(d).TemplateSpec(ctx, reporting.TemplateRequest{Period: per, UnitIDs: []int64{unitID}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, *spec); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fill types v into the value cell of an indicator of a one-unit template.
func fill(t *testing.T, file []byte, code string, v any) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sh := x.GetSheetName(0)
	rows, _ := x.GetRows(sh)
	for i, r := range rows {
		if i > 5 && len(r) > 4 && r[4] == code {
			x.SetCellValue(sh, fmt.Sprintf("D%d", i+1), v)
			var buf bytes.Buffer
			x.WriteTo(&buf)
			return buf.Bytes()
		}
	}
	t.Fatalf("no row %s", code)
	return nil
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportValuesFromTheCLI(t *testing.T) {
	dbPath, hnd := demoDB(t)

	// CSV: a dry run writes nothing; the import writes; the same file again
	// changes nothing.
	csv := write(t, "values.csv", fmt.Appendf(nil, "unit_id,period,indicator,option,value\n%d,2021Q4,TAP_HUAN_KHKT_BUOI,,5\n%d,2021Q4,HO_SXKD_GIOI,,\"1.200\"\n", hnd, hnd))
	before := valuesState(t, dbPath)
	out, stderr, err := runImport(t, "values", "--db", dbPath, "--dry-run", "--list", csv)
	if err != nil || !strings.Contains(out, "2 mới, 0 sửa, 0 xóa, 0 không đổi; sẽ ghi 1 đơn vị (chạy thử --dry-run: chưa ghi gì).") ||
		!strings.Contains(out, "Dòng 3: — → 1.200") {
		t.Fatalf("dry run: %v\n%s%s", err, out, stderr)
	}
	if valuesState(t, dbPath) != before {
		t.Fatal("the dry run wrote")
	}
	out, stderr, err = runImport(t, "values", "--db", dbPath, csv)
	if err != nil || !strings.Contains(out, "CSV, kỳ Quý IV/2021 (2021Q4), đã đọc 2 giá trị") || !strings.Contains(out, "2 mới, 0 sửa, 0 xóa, 0 không đổi; đã ghi 1 đơn vị.") {
		t.Fatalf("import: %v\n%s%s", err, out, stderr)
	}
	after := valuesState(t, dbPath)
	out, _, err = runImport(t, "values", "--db", dbPath, csv)
	if err != nil || !strings.Contains(out, "0 mới, 0 sửa, 0 xóa, 2 không đổi; đã ghi 0 đơn vị.") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if valuesState(t, dbPath) != after {
		t.Fatal("the second import changed something")
	}

	// Every problem is printed with its place; nothing is written.
	bad := write(t, "bad.csv", fmt.Appendf(nil, "unit_id,period,indicator,option,value\n%d,2021Q4,TAP_HUAN_KHKT_BUOI,,ba\n%d,2021Q4,KHONG_CO,,1\n%d,2021Q4,HO_SXKD_GIOI,,-4\n", hnd, hnd, hnd))
	_, stderr, err = runImport(t, "values", "--db", dbPath, bad)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "3 lỗi; không ghi gì") {
		t.Fatalf("bad CSV: %v", err)
	}
	for _, w := range []string{"bad.csv: Dòng 2: 'ba' không phải là số", "bad.csv: Dòng 3: ", "KHONG_CO", "bad.csv: Dòng 4: "} {
		if !strings.Contains(stderr, w) {
			t.Errorf("bad CSV: want %q in\n%s", w, stderr)
		}
	}
	if valuesState(t, dbPath) != after {
		t.Fatal("a refused import wrote")
	}

	// XLSX: the approved Q3 2021 report's template sent back unchanged
	// changes nothing; a changed value of it is refused (approved values
	// are locked), naming the unit.
	q3 := template(t, dbPath, hnd, "2021Q3")
	out, stderr, err = runImport(t, "values", "--db", dbPath, write(t, "q3.xlsx", q3))
	if err != nil || !strings.Contains(out, "XLSX, kỳ Quý III/2021 (2021Q3)") || !strings.Contains(out, "0 mới, 0 sửa, 0 xóa, ") {
		t.Fatalf("unchanged Q3 template: %v\n%s%s", err, out, stderr)
	}
	_, stderr, err = runImport(t, "values", "--db", dbPath, write(t, "q3-changed.xlsx", fill(t, q3, "TAP_HUAN_KHKT_BUOI", 999)))
	if exitCode(err) != 1 || !strings.Contains(stderr, "đã được duyệt") || !strings.Contains(stderr, "Hội Nông dân huyện Ia Grai Nam") {
		t.Fatalf("changed approved value: %v\n%s", err, stderr)
	}
	// A template of another period than the one asked for.
	_, stderr, err = runImport(t, "values", "--db", dbPath, "--period", "2021Q2", write(t, "q3-again.xlsx", q3))
	if exitCode(err) != 1 || !strings.Contains(stderr, "dành cho kỳ Quý III/2021, không phải Quý II/2021") {
		t.Fatalf("wrong period: %v\n%s", err, stderr)
	}
	// Text in a number cell names the sheet and the cell.
	q4 := template(t, dbPath, hnd, "2021Q4")
	_, stderr, err = runImport(t, "values", "--db", dbPath, write(t, "q4-bad.xlsx", fill(t, q4, "HO_SXKD_GIOI", "ba")))
	if exitCode(err) != 1 || !strings.Contains(stderr, "Trang tính 'Hội Nông dân huyện Ia Grai Nam', ô D") || !strings.Contains(stderr, "'ba' không phải là số") {
		t.Fatalf("text in a number cell: %v\n%s", err, stderr)
	}
	if valuesState(t, dbPath) != after {
		t.Fatal("a refused import wrote")
	}
	// The Q4 template (made after the CSV import) with one more value:
	// written once, then nothing.
	q4file := write(t, "q4.xlsx", fill(t, q4, "TAP_HUAN_KHKT_BUOI", 6))
	out, stderr, err = runImport(t, "values", "--db", dbPath, q4file)
	if err != nil || !strings.Contains(out, "0 mới, 1 sửa, 0 xóa, 1 không đổi; đã ghi 1 đơn vị.") {
		t.Fatalf("Q4 template: %v\n%s%s", err, out, stderr)
	}
	out, _, err = runImport(t, "values", "--db", dbPath, q4file)
	if err != nil || !strings.Contains(out, "0 mới, 0 sửa, 0 xóa, 2 không đổi") {
		t.Fatalf("Q4 template again: %v\n%s", err, out)
	}
	if _, _, err := runImport(t, "values", "--db", dbPath, filepath.Join(t.TempDir(), "missing.csv")); exitCode(err) != 1 {
		t.Errorf("missing file: %v", err)
	}
	// A file too large is refused before it is read, in Vietnamese.
	big := write(t, "big.csv", nil)
	if err := os.Truncate(big, sheet.MaxBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runImport(t, "values", "--db", dbPath, big); exitCode(err) != 1 || !strings.Contains(err.Error(), "Tệp quá lớn; chỉ nhận tệp đến 20 MB") {
		t.Errorf("file too large: %v", err)
	}
}
