package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/unicode/norm"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

// The search part of `giaoban bench funds`: latency of the store's search
// by kind, `grep -i` over the statement for comparison, and the public
// receipts page under a Go load generator on loopback, fed a mix of
// distinct queries as visitors type them (names with and without
// diacritics, in NFC and NFD, words reordered, prefixes; amounts written
// several ways, exact and ranges; dates and date ranges; references; later
// pages), so that no two requests of a run ask the same page.

// searchFlags are the options of the search part.
type searchFlags struct {
	duration    *time.Duration
	requests    *int
	concurrency *int
	queries     *int
	cpuProfile  *string
	seed        *uint64
}

func addSearchFlags(fs *flag.FlagSet) *searchFlags {
	return &searchFlags{
		duration:    fs.Duration("duration", 10*time.Second, "load test: at most this long per run"),
		requests:    fs.Int("requests", 40_000, "load test: at most this many requests per run (each a distinct query)"),
		concurrency: fs.Int("concurrency", 2*runtime.NumCPU(), "load test: parallel clients"),
		queries:     fs.Int("queries", 300, "searches per kind for the latency figures"),
		cpuProfile:  fs.String("cpuprofile", "", "write a CPU profile of the load runs to this file"),
		seed:        fs.Uint64("seed", 1, "seed of the query mix"),
	}
}

// Query kinds of the mix.
const (
	kindName   = "name"
	kindAmount = "amount"
	kindRange  = "range"
	kindDate   = "date"
	kindRef    = "ref"
	kindPage   = "page"
)

var mixKinds = []string{kindName, kindAmount, kindRange, kindDate, kindRef, kindPage}

type mixQuery struct {
	kind  string
	query string // URL query, without "?"
}

// benchSearch runs the search part of the bench against fund f of st.
func benchSearch(ctx context.Context, out *benchOut, st *fund.Store, f *fund.Fund, q fund.SampleQueries, csvPath string, csvSize int64, o *searchFlags) error {
	f, err := st.FundByCode(ctx, f.Code) // as imported
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := st.PrepareSearch(ctx, f); err != nil {
		return err
	}
	out.printf("search index of fund %s ready in %s (%s); resident memory %s\n", f.Code, time.Since(t0).Round(time.Millisecond), st.SearchIndexInfo(f.ID), rss())

	t0 = time.Now()
	// Distinct queries for each load run and for the latency figures: no
	// run asks what an earlier one did (nor finds its rows kept).
	n := *o.requests
	mix, err := buildMix(ctx, st, f, 2*n+len(mixKinds)*(*o.queries)*3, *o.seed)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, m := range mix {
		counts[m.kind]++
	}
	var parts []string
	for _, k := range mixKinds {
		parts = append(parts, fmt.Sprintf("%s %s", k, vn.FormatInt(int64(counts[k]))))
	}
	out.printf("query mix: %s distinct queries (%s), drawn from the fund in %s\n", vn.FormatInt(int64(len(mix))), strings.Join(parts, ", "), time.Since(t0).Round(time.Millisecond))

	// Latency in the store (what the page waits for), one query at a time.
	byKind := map[string][]fund.Query{}
	for _, m := range mix[min(len(mix), 2*n):] {
		v, _ := url.ParseQuery(m.query)
		fq, _ := fund.ParseQuery(v)
		fq.Book = fund.BookIn
		byKind[m.kind] = append(byKind[m.kind], fq)
	}
	var nameMean time.Duration
	for _, k := range mixKinds {
		qs := byKind[k]
		if len(qs) == 0 {
			continue
		}
		var lat []time.Duration
		hits := 0
		for i := 0; i < *o.queries; i++ {
			t := time.Now()
			res, err := st.SearchFund(ctx, f, qs[i%len(qs)])
			if err != nil {
				return err
			}
			lat = append(lat, time.Since(t))
			hits += len(res.Entries)
		}
		p50, p99, mean := percentiles(lat)
		if k == kindName {
			nameMean = mean
		}
		out.printf("search by %-6s p50 %-9s p99 %-9s mean %-9s (%d distinct queries, %.1f results a page)   [target p99 ≤ 20 ms]\n",
			k, ms(p50), ms(p99), ms(mean), len(lat), float64(hits)/float64(len(lat)))
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
			ms(g), mb(csvSize), n, float64(g)/float64(max(nameMean, 1)), ms(nameMean))
	} else {
		out.printf("grep: not found, no comparison\n")
	}

	// The public page under load.
	if *o.cpuProfile != "" {
		pf, err := os.Create(*o.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			pf.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			pf.Close()
		}()
	}
	out.printf("load: the per-client rate limit (%d/s, burst %d, in force on the public pages) is bypassed for the loopback load generator: one limiter is still consulted on every request, at 10⁹/s\n",
		fund.DefaultRate, fund.DefaultBurst)
	run := func(label string, pages int, urls []mixQuery) error {
		return loadRun(ctx, out, st, f, label, pages, urls, *o.concurrency, *o.requests, *o.duration)
	}
	half := min(len(mix)/2, n)
	if err := run("distinct queries, default page cache", fund.DefaultPages, mix[:half]); err != nil {
		return err
	}
	if err := run("distinct queries, no page cache", 0, mix[half:2*half]); err != nil {
		return err
	}
	out.printf("search index after the load: %s\n", st.SearchIndexInfo(f.ID))
	var repeated []mixQuery
	for _, n := range q.Names {
		repeated = append(repeated, mixQuery{kindName, "q=" + url.QueryEscape(n)})
	}
	return run(fmt.Sprintf("the same %d names over and over, page cache: not a figure for distinct queries", len(repeated)), fund.DefaultPages, repeated)
}

// loadRun serves the fund's public pages on loopback and requests the
// receipts page with each query of mix in turn (wrapping around when the
// run asks for more requests than the mix has).
func loadRun(ctx context.Context, out *benchOut, st *fund.Store, f *fund.Fund, label string, pages int, mix []mixQuery, conc, maxReq int, maxDur time.Duration) error {
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	(&fund.Handler{Store: st, Render: rd, Limiter: fund.NewRateLimiter(1e9, 1e9), Pages: fund.NewPageCache(pages)}).Routes(rt)
	rt.NotFound()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: rt.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/quy/" + f.Code + "/thu?"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	get := func(u string) (int, int64, error) {
		resp, err := client.Get(u)
		if err != nil {
			return 0, 0, err
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, n, nil
	}
	// Warm up the connections (the fund's page, not a query of the mix).
	for i := 0; i < conc; i++ {
		get(base)
	}
	type sample struct {
		kind int
		lat  time.Duration
	}
	kindIndex := map[string]int{}
	for i, k := range mixKinds {
		kindIndex[k] = i
	}
	var (
		next          atomic.Int64
		okN, failN    atomic.Int64
		bytesN        atomic.Int64
		mu            sync.Mutex
		all           []sample
		wg            sync.WaitGroup
		firstFailure  atomic.Value
		cpu0, elapsed = cpuTime(), time.Duration(0)
	)
	deadline := time.Now().Add(maxDur)
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			for {
				i := next.Add(1) - 1
				if i >= int64(maxReq) || time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				m := mix[int(i)%len(mix)]
				t := time.Now()
				status, n, err := get(base + m.query)
				if err != nil || status != http.StatusOK {
					failN.Add(1)
					if err == nil {
						err = fmt.Errorf("status %d for ?%s", status, m.query)
					}
					firstFailure.CompareAndSwap(nil, err.Error())
					continue
				}
				okN.Add(1)
				bytesN.Add(n)
				mine = append(mine, sample{kindIndex[m.kind], time.Since(t)})
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed = time.Since(start)
	cpu := cpuTime() - cpu0
	total := okN.Load() + failN.Load()
	var lat []time.Duration
	per := make([][]time.Duration, len(mixKinds))
	for _, s := range all {
		lat = append(lat, s.lat)
		per[s.kind] = append(per[s.kind], s.lat)
	}
	p50, p99, _ := percentiles(lat)
	distinct := min(int(total), len(mix))
	out.printf("public search page /quy/%s/thu (%s): %s requests (%s distinct) in %s with %d clients = %s requests/s (p50 %s, p99 %s, %s failed, %s KB a page, process CPU %s µs a request)   [target ≥ 2.000/s]\n",
		f.Code, label, vn.FormatInt(total), vn.FormatInt(int64(distinct)), elapsed.Round(time.Millisecond), conc,
		vn.FormatInt(int64(float64(total)/elapsed.Seconds())), ms(p50), ms(p99), vn.FormatInt(failN.Load()),
		vn.FormatInt(bytesN.Load()/max(okN.Load(), 1)/1024), vn.FormatInt(cpu.Microseconds()/max(total, 1)))
	var parts []string
	for i, k := range mixKinds {
		if len(per[i]) == 0 {
			continue
		}
		p50, p99, _ := percentiles(per[i])
		parts = append(parts, fmt.Sprintf("%s %s/%s", k, ms(p50), ms(p99)))
	}
	if len(parts) > 1 {
		out.printf("    under load, p50/p99 by kind: %s   [target p99 ≤ 20 ms]\n", strings.Join(parts, ", "))
	}
	if s, ok := firstFailure.Load().(string); ok {
		out.printf("    first failure: %s\n", s)
	}
	return nil
}

// buildMix draws n distinct queries of the receipts page from the fund's
// own entries, as visitors would type them.
func buildMix(ctx context.Context, st *fund.Store, f *fund.Fund, n int, seed uint64) ([]mixQuery, error) {
	r := rand.New(rand.NewPCG(seed, 17))
	// A sample of receipts from all over the list.
	first, err := st.SearchFund(ctx, f, fund.Query{Book: fund.BookIn, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(first.Entries) == 0 {
		return nil, errors.New("bench: the fund has no receipts")
	}
	newest := first.Entries[0].Date
	firstD, err := oldestDay(ctx, st, f, newest)
	if err != nil {
		return nil, err
	}
	days := int(newest.Sub(firstD.Time).Hours()/24) + 1
	randDay := func() db.Date { return db.NewDate(firstD.AddDate(0, 0, r.IntN(days))) }
	var sample []fund.Entry
	for i := 0; i < 100; i++ {
		res, err := st.SearchFund(ctx, f, fund.Query{Book: fund.BookIn, After: &fund.Cursor{Date: randDay(), Seq: 1 + r.Int64N(max(1, f.LogSize))}, Limit: 100})
		if err != nil {
			return nil, err
		}
		sample = append(sample, res.Entries...)
	}
	if len(sample) == 0 {
		sample = first.Entries
	}
	seen := map[string]bool{}
	var mix []mixQuery
	add := func(kind string, v url.Values) {
		s := v.Encode()
		if !seen[s] {
			seen[s] = true
			mix = append(mix, mixQuery{kind, s})
		}
	}
	pick := func() fund.Entry { return sample[r.IntN(len(sample))] }
	dmy := func(d db.Date) string { return d.Time.Format("02/01/2006") }
	for tries := 0; len(mix) < n && tries < 20*n; tries++ {
		v := url.Values{}
		switch x := r.IntN(100); {
		case x < 45: // a donor's name as typed
			e := pick()
			if e.Party == "" {
				continue
			}
			v.Set("q", typedName(r, e.Party))
			if r.IntN(8) == 0 {
				d := e.Date
				v.Set("from", dmy(d))
				v.Set("to", dmy(db.NewDate(d.Time.AddDate(0, 0, r.IntN(3)))))
			}
			add(kindName, v)
		case x < 60: // an exact amount, on a day or a few
			e := pick()
			v.Set("amount", typedAmount(r, e.Amount))
			d := randDay()
			if r.IntN(2) == 0 {
				d = e.Date
			}
			v.Set("from", dmy(d))
			if r.IntN(2) == 0 {
				v.Set("to", dmy(db.NewDate(d.Time.AddDate(0, 0, r.IntN(5)))))
			}
			add(kindAmount, v)
		case x < 68: // an amount range
			lo := []int64{10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000}[r.IntN(8)]
			lo += int64(r.IntN(100)) * 1000
			v.Set("min", typedAmount(r, lo))
			if r.IntN(3) > 0 {
				v.Set("max", typedAmount(r, lo*int64(2+r.IntN(20))))
			}
			if r.IntN(2) == 0 {
				v.Set("from", dmy(randDay()))
			}
			add(kindRange, v)
		case x < 83: // a day or a range of days, any page of it
			e := pick()
			d := db.NewDate(e.Date.AddDate(0, 0, -r.IntN(3)))
			v.Set("from", dmy(d))
			v.Set("to", dmy(db.NewDate(d.AddDate(0, 0, []int{0, 0, 1, 6, 30}[r.IntN(5)]))))
			if r.IntN(2) == 0 { // a later page: the cursor of a "next page" link
				v.Set("after", fund.Cursor{Date: e.Date, Seq: e.Seq}.String())
			}
			add(kindDate, v)
		case x < 90: // a bank reference or a voucher number
			e := pick()
			if e.BankRef != "" && r.IntN(3) > 0 {
				v.Set("ref", e.BankRef)
			} else {
				v.Set("ref", e.Ref)
			}
			add(kindRef, v)
		default: // a later page of a name
			e := pick()
			if e.Party == "" {
				continue
			}
			v.Set("q", typedName(r, e.Party))
			v.Set("after", fund.Cursor{Date: e.Date, Seq: e.Seq}.String())
			add(kindPage, v)
		}
	}
	r.Shuffle(len(mix), func(i, j int) { mix[i], mix[j] = mix[j], mix[i] })
	return mix, nil
}

// oldestDay finds the date of the fund's oldest receipt (at most newest)
// by bisection on the date filter.
func oldestDay(ctx context.Context, st *fund.Store, f *fund.Fund, newest db.Date) (db.Date, error) {
	lo, hi := db.D(2000, 1, 1), newest // the oldest receipt is in (lo, hi]
	for hi.Sub(lo.Time) > 24*time.Hour {
		mid := db.NewDate(lo.AddDate(0, 0, int(hi.Sub(lo.Time).Hours()/48)))
		res, err := st.SearchFund(ctx, f, fund.Query{Book: fund.BookIn, To: mid, Limit: 1})
		if err != nil {
			return db.Date{}, err
		}
		if len(res.Entries) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// typedName writes a name as a visitor types it: lower or upper case, with
// Vietnamese diacritics (NFC or NFD, đ) or without, all words or family
// and given names only, in another order, the last word cut short.
func typedName(r *rand.Rand, party string) string {
	words := strings.Fields(strings.ToLower(party))
	if len(words) == 0 {
		return party
	}
	switch r.IntN(4) {
	case 1: // given name first
		words = append([]string{words[len(words)-1]}, words[:len(words)-1]...)
	case 2: // family and given names
		if len(words) > 2 {
			words = []string{words[0], words[len(words)-1]}
		}
	case 3: // the last word cut short
		if w := words[len(words)-1]; len(w) > 3 {
			words[len(words)-1] = w[:len(w)-1]
		}
	}
	diacritics := r.IntN(2) == 0
	for i, w := range words {
		if diacritics {
			if d, ok := vietWords[w]; ok {
				w = d
			}
		}
		if i == 0 || r.IntN(2) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
			if d, ok := vietWords[strings.ToLower(words[i])]; ok && diacritics {
				rs := []rune(d)
				w = strings.ToUpper(string(rs[0])) + string(rs[1:])
			}
		}
		words[i] = w
	}
	s := strings.Join(words, " ")
	switch r.IntN(6) {
	case 0:
		s = norm.NFD.String(s)
	case 1:
		s = strings.ToUpper(s)
	}
	return s
}

// typedAmount writes an amount as people do: 348.000, 348000, 348.000đ,
// 348k, 3tr, 3,5 triệu.
func typedAmount(r *rand.Rand, v int64) string {
	switch r.IntN(5) {
	case 0:
		return fmt.Sprint(v)
	case 1:
		return vn.FormatInt(v) + "đ"
	case 2:
		if v%1_000_000 == 0 {
			return fmt.Sprint(v/1_000_000) + "tr"
		}
		if v%100_000 == 0 && v >= 1_000_000 {
			return vn.FormatDecimal(v/100_000, 1) + " triệu"
		}
		if v%1000 == 0 {
			return fmt.Sprint(v/1000) + "k"
		}
	}
	return vn.FormatInt(v)
}

// vietWords gives the Vietnamese spelling of common name words written
// without diacritics in bank notes.
var vietWords = map[string]string{
	"nguyen": "nguyễn", "tran": "trần", "le": "lê", "pham": "phạm", "hoang": "hoàng", "huynh": "huỳnh", "vu": "vũ", "vo": "võ",
	"dang": "đặng", "bui": "bùi", "do": "đỗ", "ho": "hồ", "ngo": "ngô", "duong": "dương", "ly": "lý", "dinh": "đinh",
	"truong": "trương", "lam": "lâm", "trinh": "trịnh", "doan": "đoàn", "luu": "lưu", "ha": "hà", "van": "văn", "thi": "thị",
	"huu": "hữu", "duc": "đức", "quoc": "quốc", "thanh": "thành", "ngoc": "ngọc", "xuan": "xuân", "hong": "hồng", "bao": "bảo",
	"tuan": "tuấn", "cong": "công", "binh": "bình", "cuong": "cường", "dung": "dũng", "hai": "hải", "hanh": "hạnh",
	"hang": "hằng", "hieu": "hiếu", "hung": "hùng", "huong": "hương", "khanh": "khánh", "loc": "lộc", "phuc": "phúc",
	"phuong": "phương", "quynh": "quỳnh", "son": "sơn", "tam": "tâm", "thang": "thắng", "thao": "thảo", "thuy": "thủy",
	"tien": "tiến", "toan": "toàn", "tu": "tú", "tung": "tùng", "viet": "việt", "yen": "yến", "dat": "đạt", "diep": "điệp",
	"hau": "hậu", "kien": "kiên", "luan": "luân", "nhan": "nhân", "quan": "quân", "tai": "tài", "thinh": "thịnh",
	"chau": "châu", "dieu": "diệu", "hien": "hiền", "lien": "liên", "phu": "phú", "tan": "tân", "thien": "thiện", "tri": "trí",
	"uyen": "uyên", "giang": "giang", "trang": "trang", "nga": "nga", "thom": "thơm", "ngon": "ngôn", "cao": "cao",
	"hoa": "hoa", "trung": "trung", "an": "an", "khoa": "khoa", "oanh": "oanh", "vy": "vy", "nhi": "nhi", "my": "my",
}
