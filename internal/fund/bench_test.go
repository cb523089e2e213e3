package fund_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// BenchmarkPublicSearch searches a fund of 10.000 imported receipts by
// name, amount and date, as the public receipts page does (`giaoban bench
// funds --receipts 1000000` runs the same at full scale).
func BenchmarkPublicSearch(b *testing.B) {
	ctx := testCtx(b)
	d := dbtest.Open(b, dbtest.SQLite)
	f := newFixture(b, d)
	var csv bytes.Buffer
	q, err := fund.WriteSampleStatement(&csv, 10_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	sum, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, &csv, fund.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Count(fund.ActionReceipt) != 10_000 {
		b.Fatalf("imported %+v", sum.Counts)
	}
	run := func(name string, n int, query func(i int) fund.Query) {
		b.Run(name, func(b *testing.B) {
			found := 0
			for i := 0; b.Loop(); i++ {
				res, err := f.s.Search(ctx, f.fund.ID, query(i%n))
				if err != nil {
					b.Fatal(err)
				}
				found += len(res.Entries)
			}
			if found == 0 {
				b.Fatal("nothing found")
			}
		})
	}
	run("name", len(q.Names), func(i int) fund.Query { return fund.Query{Book: fund.BookIn, Name: q.Names[i]} })
	run("amount", len(q.Amounts), func(i int) fund.Query { return fund.Query{Book: fund.BookIn, Amount: q.Amounts[i]} })
	run("date", len(q.Dates), func(i int) fund.Query {
		return fund.Query{Book: fund.BookIn, From: db.NewDate(q.Dates[i][0]), To: db.NewDate(q.Dates[i][1])}
	})
}

// BenchmarkPublicPage renders the public receipts page for distinct
// queries (names, amounts, dates, later pages) of a fund of 20.000
// imported receipts, without the page cache: what a request costs the
// server, in CPU, from the route to the last byte.
func BenchmarkPublicPage(b *testing.B) {
	ctx := testCtx(b)
	d := dbtest.Open(b, dbtest.SQLite)
	f := newFixture(b, d)
	var csv bytes.Buffer
	q, err := fund.WriteSampleStatement(&csv, 20_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, &csv, fund.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	fd, err := f.s.FundByCode(ctx, f.fund.Code)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.s.PrepareSearch(ctx, fd); err != nil {
		b.Fatal(err)
	}
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	(&fund.Handler{Store: f.s, Render: rd, Limiter: fund.NewRateLimiter(1e9, 1e9), Pages: fund.NewPageCache(0)}).Routes(rt)
	h := rt.Handler()
	var urls []string
	for i, n := range q.Names {
		urls = append(urls, "q="+url.QueryEscape(n))
		urls = append(urls, fmt.Sprintf("amount=%d&from=%02d/07/2021", q.Amounts[i%len(q.Amounts)], 1+i%2))
		dt := q.Dates[i%len(q.Dates)][0]
		urls = append(urls, "from="+dt.Format("02/01/2006")+"&after="+dt.Format("2006-01-02")+fmt.Sprintf(".%d", 1+i*97%20_000))
	}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer slog.SetDefault(old)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/quy/"+f.fund.Code+"/thu?"+urls[i%len(urls)], nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d", urls[i%len(urls)], w.Code)
		}
	}
}
