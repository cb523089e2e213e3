package fund_test

import (
	"bytes"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
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
