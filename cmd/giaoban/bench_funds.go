package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/org"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// cmdBenchFunds runs `giaoban bench funds`: it builds a fund from an
// N-line bank statement and prints what issue 5 asks to measure, with the
// targets of a 2-core machine: import time (≤ 20 s for 1.000.000 lines),
// search latency p50/p99 by name, amount and date (p99 ≤ 20 ms), requests
// per second of the public search page from a Go load generator on
// loopback (≥ 2.000/s), peak resident memory (≤ 500 MB), and `grep -i`
// over the same CSV for the same names, with the ratio (≥ 10×).
func cmdBenchFunds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "funds" {
		args = args[1:]
	}
	fs := newFlags("bench funds", "bench funds [--receipts N] [--db DB] [--duration D] [--requests N] [--concurrency C]", stderr)
	receipts := fs.Int("receipts", 100_000, "lines (credits) of the generated statement")
	dsn := fs.String("db", "", "database to fill (default: a new SQLite file in a temporary folder, removed after)")
	search := addSearchFlags(fs)
	keep := fs.Bool("keep", false, "keep the temporary folder (statement and database)")
	reuse := fs.String("fund", "", "measure an existing fund of --db filled by an earlier run with the same --receipts (skips the import)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *receipts < 1 {
		return usageError{"--receipts must be positive"}
	}
	dir, err := os.MkdirTemp("", "giaoban-bench-funds-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stdout, "folder:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if *dsn == "" {
		*dsn = filepath.Join(dir, "bench.db")
	}
	out := &benchOut{w: stdout}
	out.printf("giaoban bench funds: %s receipts, %d CPU, %s\n", vn.FormatInt(int64(*receipts)), runtime.NumCPU(), runtime.Version())

	// The statement.
	csvPath := filepath.Join(dir, "statement.csv")
	file, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	t0 := time.Now()
	q, err := fund.WriteSampleStatement(file, *receipts, 2021)
	file.Close()
	if err != nil {
		return err
	}
	st, _ := os.Stat(csvPath)
	out.printf("statement: %s MB written in %s\n", mb(st.Size()), time.Since(t0).Round(time.Millisecond))

	// The fund.
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	var fstore *fund.Store
	var f *fund.Fund
	if *reuse != "" {
		fstore = fund.NewStore(d)
		if f, err = fstore.FundByCode(ctx, *reuse); err != nil {
			return fmt.Errorf("bench: no fund %s in %s", *reuse, d.Redacted)
		}
		out.printf("import: skipped, fund %s has %s entries\n", f.Code, vn.FormatInt(f.LogSize))
	} else {
		if fstore, f, err = benchFund(ctx, d); err != nil {
			return err
		}
		// Import.
		in, err := os.Open(csvPath)
		if err != nil {
			return err
		}
		t0 = time.Now()
		cpu0 := cpuTime()
		sum, err := fstore.ImportStatement(ctx, cliPrincipal, f.ID, bufio.NewReaderSize(in, 1<<20), fund.ImportOptions{FileName: "statement.csv"})
		in.Close()
		if err != nil {
			return cliError(err)
		}
		importTime := time.Since(t0)
		out.printf("import into fund %s: %s lines (%s receipts, %s debits for review) in %s = %s lines/s, process CPU %s   [target for 1.000.000: ≤ 20 s]\n",
			f.Code, vn.FormatInt(sum.Lines), vn.FormatInt(sum.Count(fund.ActionReceipt)), vn.FormatInt(sum.Count(fund.ActionReview)),
			importTime.Round(time.Millisecond), vn.FormatInt(int64(float64(sum.Lines)/importTime.Seconds())), (cpuTime() - cpu0).Round(time.Millisecond))
		if sum.Count(fund.ActionReceipt) != int64(*receipts) {
			return fmt.Errorf("bench: imported %d receipts of %d", sum.Count(fund.ActionReceipt), *receipts)
		}
		// What the import left to the background (SQLite: copying the log
		// back into the file, merging the name index), timed apart.
		t0 = time.Now()
		if err := d.Idle(ctx); err != nil {
			return err
		}
		out.printf("then in the background (log copied into the database file, name index merged): %s; resident memory %s\n", time.Since(t0).Round(time.Millisecond), rss())
	}

	// Search latency, grep, the public search page under load.
	if err := benchSearch(ctx, out, fstore, f, q, csvPath, st.Size(), search); err != nil {
		return err
	}
	out.printf("peak resident memory (VmHWM): %s   [target ≤ 500 MB]\n", peakRSS())
	return out.err
}

type benchOut struct {
	w   io.Writer
	err error
}

func (o *benchOut) printf(format string, args ...any) {
	if o.err == nil {
		_, o.err = fmt.Fprintf(o.w, format, args...)
	}
}

func mb(n int64) string { return vn.FormatDecimal(n*10/(1<<20), 1) }

func ms(d time.Duration) string {
	return vn.FormatDecimal(d.Microseconds()/10, 2) + " ms"
}

func percentiles(lat []time.Duration) (p50, p99, mean time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	var sum time.Duration
	for _, l := range s {
		sum += l
	}
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)], sum / time.Duration(len(s))
}

// peakRSS reads the process's peak resident set size (Linux).
func peakRSS() string { return procStatus("VmHWM") }

// rss reads the process's resident set size now and its peak so far.
func rss() string { return procStatus("VmRSS") + " (peak so far " + procStatus("VmHWM") + ")" }

func procStatus(field string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (no /proc/self/status)"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// benchFund makes a province, a district, the Front's unit there and a
// fund.
func benchFund(ctx context.Context, d *db.DB) (*fund.Store, *fund.Fund, error) {
	os := org.NewStore(d)
	if _, err := os.EnsureLevels(ctx); err != nil {
		return nil, nil, err
	}
	prov, err := os.EnsureArea(ctx, org.AreaInput{LevelCode: org.LevelProvince, Name: "Tỉnh Thử Nghiệm"})
	if err != nil {
		return nil, nil, err
	}
	dist, err := os.EnsureArea(ctx, org.AreaInput{LevelCode: org.LevelDistrict, Name: "Huyện Thử Nghiệm", ParentID: &prov.ID})
	if err != nil {
		return nil, nil, err
	}
	o, err := os.EnsureOrganisation(ctx, org.OrganisationInput{Code: "MTTQ", NameVI: "Mặt trận Tổ quốc Việt Nam", ShortName: "Ủy ban MTTQ"})
	if err != nil {
		return nil, nil, err
	}
	u, err := os.EnsureUnit(ctx, org.UnitInput{OrganisationID: o.ID, AreaID: dist.ID})
	if err != nil {
		return nil, nil, err
	}
	st := fund.NewStore(d)
	code := fmt.Sprintf("BENCH%d", time.Now().Unix()%100000)
	f, err := st.CreateFund(ctx, cliPrincipal, fund.FundInput{Code: code, Name: "Quỹ thử tải " + code, Purpose: fund.PurposeDisaster, UnitID: u.ID, NotePrefix: "UH BAO LU"})
	if err != nil {
		return nil, nil, cliError(err)
	}
	return st, f, nil
}
