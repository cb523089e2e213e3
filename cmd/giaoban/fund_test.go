package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/platform/db"
)

func runFund(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cmdFund(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestFundCommands(t *testing.T) {
	for _, sub := range []string{"import", "publish", "verify", "checkpoint"} {
		_, stderr, err := runFund(t, sub, "--help")
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage: giaoban fund "+sub) {
			t.Errorf("fund %s --help: %v %q", sub, err, stderr)
		}
		if sub != "verify" && !strings.Contains(stderr, "-db") {
			t.Errorf("fund %s --help has no --db", sub)
		}
	}
	if _, _, err := runFund(t); exitCode(err) != 2 {
		t.Errorf("fund without a subcommand: %v", err)
	}

	dir := t.TempDir()
	dsn := filepath.Join(dir, "demo.db")
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	d.Close()

	csv := filepath.Join(dir, "vcb.csv")
	os.WriteFile(csv, []byte(`Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả
25/08/2021,FT21237001,,"2.000.000",NGUYEN VAN HUNG chuyen tien ung ho covid
25/08/2021,FT21237002,,abc,loi
26/08/2021,FT21238003,"500.000",,chi ho tro
`), 0o600)
	out, _, err := runFund(t, "import", "--db", dsn, "--fund", "COVID19", "--dry-run", csv)
	if err != nil || !strings.Contains(out, "Chạy thử") || !strings.Contains(out, "TỪ CHỐI") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, _, err = runFund(t, "import", "--db", dsn, "--fund", "COVID19", "--strict", csv)
	if err == nil || !strings.Contains(err.Error(), "nghiêm ngặt") {
		t.Fatalf("strict import with a rejected line: %v\n%s", err, out)
	}
	out, _, err = runFund(t, "import", "--db", dsn, "--fund", "COVID19", csv)
	if err != nil || !regexp.MustCompile(`tạo khoản thu: +1\n`).MatchString(out) || !strings.Contains(out, "Đã ghi") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, _, err = runFund(t, "import", "--db", dsn, "--fund", "COVID19", csv)
	if err != nil || !regexp.MustCompile(`tạo khoản thu: +0\n`).MatchString(out) {
		t.Fatalf("second import: %v\n%s", err, out)
	}

	cp, errOut, err := runFund(t, "checkpoint", "--db", dsn, "--fund", "COVID19", "--verify")
	if err != nil || !strings.HasPrefix(cp, "giaoban fund COVID19\n") || !strings.Contains(errOut, "khớp") {
		t.Fatalf("checkpoint: %v %q %q", err, cp, errOut)
	}
	key, _, err := runFund(t, "checkpoint", "--db", dsn, "--fund", "COVID19", "--key")
	if err != nil || !strings.HasPrefix(key, "giaoban-fund+") {
		t.Fatalf("key: %v %q", err, key)
	}

	site := filepath.Join(dir, "site")
	out, _, err = runFund(t, "publish", "--db", dsn, "--fund", "COVID19", "--page-size", "100", site)
	if err != nil {
		t.Fatalf("publish: %v %s", err, out)
	}
	for _, f := range []string{"index.html", "page-000001.html", "page-000004.html", "statement.csv", "checkpoint.txt", "key.txt", "README.txt", "tile/8/0/000.p/"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil && !strings.HasSuffix(f, "/") {
			t.Errorf("published site lacks %s", f)
		}
	}
	out, _, err = runFund(t, "verify", "--statement", filepath.Join(site, "statement.csv"), "--checkpoint", filepath.Join(site, "checkpoint.txt"), "--key", filepath.Join(site, "key.txt"))
	if err != nil || !strings.Contains(out, "KHỚP") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	out, _, err = runFund(t, "verify", "--checkpoint", filepath.Join(site, "checkpoint.txt"), "--key", filepath.Join(site, "key.txt"),
		"--tiles", site, "--seq", "42", "--statement", filepath.Join(site, "statement.csv"))
	if err != nil || !strings.Contains(out, "Bút toán 42 nằm trong nhật ký") || !strings.Contains(out, "Dòng 43 của bảng kê") {
		t.Fatalf("verify from tiles: %v\n%s", err, out)
	}
	// The checkpoint saved as the public endpoint's JSON works the same;
	// a damaged one is refused with the reason said once.
	cpNote, _ := os.ReadFile(filepath.Join(site, "checkpoint.txt"))
	js, _ := json.Marshal(map[string]any{"fund": "COVID19", "checkpoint": string(cpNote)})
	cpJSON := filepath.Join(dir, "checkpoint.json")
	os.WriteFile(cpJSON, js, 0o600)
	out, _, err = runFund(t, "verify", "--statement", filepath.Join(site, "statement.csv"), "--checkpoint", cpJSON, "--key", filepath.Join(site, "key.txt"))
	if err != nil || !strings.Contains(out, "KHỚP") {
		t.Fatalf("verify with the JSON checkpoint: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("not a note\n"), 0o600)
	_, _, err = runFund(t, "verify", "--statement", filepath.Join(site, "statement.csv"), "--checkpoint", bad, "--key", filepath.Join(site, "key.txt"))
	if err == nil || strings.Count(err.Error(), "điểm kiểm tra không hợp lệ") != 1 {
		t.Errorf("damaged checkpoint: %v", err)
	}

	// A copy of the statement with one amount changed: the row is named.
	b, _ := os.ReadFile(filepath.Join(site, "statement.csv"))
	lines := strings.Split(string(b), "\n")
	fields := strings.Split(lines[10], ",")
	fields[3] = "99000000"
	lines[10] = strings.Join(fields, ",")
	forged := filepath.Join(dir, "forged.csv")
	os.WriteFile(forged, []byte(strings.Join(lines, "\n")), 0o600)
	out, _, err = runFund(t, "verify", "--statement", forged, "--checkpoint", filepath.Join(site, "checkpoint.txt"), "--key", strings.TrimSpace(key))
	if err == nil || !strings.Contains(out, "KHÔNG KHỚP") || !strings.Contains(out, "Dòng 11 (STT 10)") {
		t.Fatalf("forged statement: %v\n%s", err, out)
	}
	// A row removed: found, and located with the database's proofs.
	removed := filepath.Join(dir, "removed.csv")
	os.WriteFile(removed, []byte(strings.Join(append(lines[:5:5], lines[6:]...), "\n")), 0o600)
	out, _, err = runFund(t, "verify", "--statement", removed, "--checkpoint", filepath.Join(site, "checkpoint.txt"), "--key", strings.TrimSpace(key), "--db", dsn, "--fund", "COVID19")
	if err == nil || !strings.Contains(out, "KHÔNG KHỚP") || !strings.Contains(out, "4 bút toán đầu tiên khớp") {
		t.Fatalf("statement with a row removed: %v\n%s", err, out)
	}
}

func TestBenchFundsSmall(t *testing.T) {
	var out, errb bytes.Buffer
	args := []string{"funds", "--receipts", "3000", "--duration", "1s", "--requests", "500", "--queries", "50"}
	if n := os.Getenv("GIAOBAN_BENCH_FUNDS"); n != "" { // a full run: GIAOBAN_BENCH_FUNDS=1000000
		args = append([]string{"funds", "--receipts", n}, strings.Fields(os.Getenv("GIAOBAN_BENCH_ARGS"))...)
	}
	var w io.Writer = &out
	if os.Getenv("GIAOBAN_BENCH_FUNDS") != "" {
		w = io.MultiWriter(&out, os.Stderr)
	}
	err := cmdBenchFunds(context.Background(), args, w, &errb)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	for _, want := range []string{"import", "search by name", "search by amount", "search by date", "requests/s", "VmHWM"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench output lacks %q:\n%s", want, out.String())
		}
	}
	t.Log("\n" + out.String())
}

// A statement imported from the command line feeds the reports' derived
// figures as an import on the web does: the receiving unit's report of the
// period holding the entry's date gets the fund's sum, marked with its
// source.
func TestFundImportFeedsReports(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "demo.db")
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	derived := func() (int64, string) {
		var v int64
		var src string
		err := d.QueryRowContext(ctx, `SELECT dv.value_num, dv.derived_source FROM data_values dv
			JOIN indicators i ON i.id = dv.indicator_id
			JOIN funds f ON f.code = 'COVID19' AND f.unit_id = dv.unit_id
			WHERE i.code = 'QUY_COVID_TIEP_NHAN' AND dv.period = '2021Q4'`).Scan(&v, &src)
		if err != nil {
			return 0, err.Error()
		}
		return v, src
	}
	before, _ := derived()
	csv := filepath.Join(dir, "vcb.csv")
	os.WriteFile(csv, []byte("Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"+
		"15/11/2021,FT21319001,,\"2.500.000\",TRAN THI MAI chuyen tien ung ho covid\n"), 0o600)
	if out, _, err := runFund(t, "import", "--db", dsn, "--fund", "COVID19", csv); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	after, src := derived()
	if after != before+2_500_000 || !strings.Contains(src, "COVID19") {
		t.Fatalf("Q4 2021 derived figure of the managing unit: %d → %d (%s), want +2.500.000 from the fund", before, after, src)
	}
}
