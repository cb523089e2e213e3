package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/org"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
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
	duration := fs.Duration("duration", 10*time.Second, "load test: at most this long")
	requests := fs.Int("requests", 100_000, "load test: at most this many requests")
	concurrency := fs.Int("concurrency", 2*runtime.NumCPU(), "load test: parallel clients")
	queries := fs.Int("queries", 300, "searches per kind for the latency figures")
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
	}

	// Search latency, in the store (what the page waits for).
	search := func(kind string, n int, mk func(i int) fund.Query) (p50, p99, mean time.Duration, err error) {
		var lat []time.Duration
		hits := 0
		for i := 0; i < *queries; i++ {
			t := time.Now()
			res, err := fstore.Search(ctx, f.ID, mk(i%n))
			if err != nil {
				return 0, 0, 0, err
			}
			lat = append(lat, time.Since(t))
			hits += len(res.Entries)
		}
		p50, p99, mean = percentiles(lat)
		out.printf("search by %-6s p50 %-9s p99 %-9s mean %-9s (%d queries, %.1f results a page)   [target p99 ≤ 20 ms]\n",
			kind, ms(p50), ms(p99), ms(mean), len(lat), float64(hits)/float64(len(lat)))
		return p50, p99, mean, nil
	}
	_, _, nameMean, err := search("name", len(q.Names), func(i int) fund.Query { return fund.Query{Book: fund.BookIn, Name: q.Names[i]} })
	if err != nil {
		return err
	}
	if _, _, _, err := search("amount", len(q.Amounts), func(i int) fund.Query { return fund.Query{Book: fund.BookIn, Amount: q.Amounts[i]} }); err != nil {
		return err
	}
	if _, _, _, err := search("date", len(q.Dates), func(i int) fund.Query {
		return fund.Query{Book: fund.BookIn, From: db.NewDate(q.Dates[i][0]), To: db.NewDate(q.Dates[i][1])}
	}); err != nil {
		return err
	}

	// grep -i over the same CSV for the same names.
	if grep, err := exec.LookPath("grep"); err == nil {
		n := min(20, len(q.Grep))
		var total time.Duration
		for _, name := range q.Grep[:n] {
			t := time.Now()
			cmd := exec.CommandContext(ctx, grep, "-i", "-c", "--", name, csvPath)
			cmd.Stdout = io.Discard
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					return err
				}
			}
			total += time.Since(t)
		}
		g := total / time.Duration(n)
		out.printf("grep -i: %s a name over %s MB (%d names); the search by name is %.0f× faster (mean %s)   [target ≥ 10×]\n",
			ms(g), mb(st.Size()), n, float64(g)/float64(max(nameMean, 1)), ms(nameMean))
	} else {
		out.printf("grep: not found, no comparison\n")
	}

	// The public search page under load: every page computed, then with
	// the page cache (pages repeat: the generator has a few hundred names).
	if err := benchLoad(ctx, out, fstore, f, q, *concurrency, *requests, *duration, false); err != nil {
		return err
	}
	if err := benchLoad(ctx, out, fstore, f, q, *concurrency, *requests, *duration, true); err != nil {
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
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (no /proc/self/status)"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
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

// benchLoad serves the fund's public pages on loopback and runs a Go load
// generator against the receipts search page.
func benchLoad(ctx context.Context, out *benchOut, st *fund.Store, f *fund.Fund, q fund.SampleQueries, conc, maxReq int, maxDur time.Duration, cache bool) error {
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	pages := fund.NewPageCache(0)
	mode := "every page computed"
	if cache {
		pages, mode = fund.NewPageCache(fund.DefaultPages), fmt.Sprintf("page cache, %d distinct pages", len(q.Names))
	}
	(&fund.Handler{Store: st, Render: rd, Limiter: fund.NewRateLimiter(0, 0), Pages: pages}).Routes(rt)
	rt.NotFound()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: rt.Handler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: nil}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/quy/" + f.Code + "/thu?q="
	urls := make([]string, len(q.Names))
	for i, n := range q.Names {
		urls[i] = base + url.QueryEscape(n)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}, Timeout: 30 * time.Second}
	// Warm up.
	for i := 0; i < min(20, len(urls)); i++ {
		if resp, err := client.Get(urls[i]); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	var (
		next   atomic.Int64
		okN    atomic.Int64
		failN  atomic.Int64
		bytesN atomic.Int64
		mu     sync.Mutex
		lat    []time.Duration
		wg     sync.WaitGroup
	)
	deadline := time.Now().Add(maxDur)
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(maxReq) || time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				t := time.Now()
				resp, err := client.Get(urls[int(i)%len(urls)])
				if err != nil {
					failN.Add(1)
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				bytesN.Add(n)
				if resp.StatusCode == 200 {
					okN.Add(1)
				} else {
					failN.Add(1)
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	p50, p99, _ := percentiles(lat)
	total := okN.Load() + failN.Load()
	out.printf("public search page /quy/%s/thu?q=… (%s): %s requests in %s with %d clients = %s requests/s (p50 %s, p99 %s, %s failed, %s KB a page)   [target ≥ 2.000/s]\n",
		f.Code, mode, vn.FormatInt(total), elapsed.Round(time.Millisecond), conc, vn.FormatInt(int64(float64(total)/elapsed.Seconds())),
		ms(p50), ms(p99), vn.FormatInt(failN.Load()), vn.FormatInt(bytesN.Load()/max(total, 1)/1024))
	return nil
}
