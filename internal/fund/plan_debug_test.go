package fund_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
)

// Debugging aid: FUND_DB=path FUND_CODE=code FUND_Q="name;name" go test -run TestSearchDebug
func TestSearchDebug(t *testing.T) {
	path := os.Getenv("FUND_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if os.Getenv("FUND_MIGRATE") != "" {
		t0 := time.Now()
		applied, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("migrated", applied, time.Since(t0))
	}
	s := fund.NewStore(d)
	f, err := s.FundByCode(ctx, os.Getenv("FUND_CODE"))
	if err != nil {
		t.Fatal(err)
	}
	if x := os.Getenv("FUND_EXEC"); x != "" {
		t0 := time.Now()
		if _, err := d.ExecContext(ctx, x); err != nil {
			t.Fatal(err)
		}
		fmt.Println("exec in", time.Since(t0))
	}
	if x := os.Getenv("FUND_SCALAR"); x != "" {
		var v string
		if err := d.QueryRowContext(ctx, x).Scan(&v); err != nil {
			t.Fatal(err)
		}
		fmt.Println("scalar:", v)
	}
	if os.Getenv("FUND_BACKFILL") != "" {
		counts := map[string]int64{}
		rows, err := d.QueryContext(ctx, "SELECT party_folded FROM fund_entries WHERE fund_id = $1 AND party_folded <> ''", f.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			rows.Scan(&p)
			seen := map[string]bool{}
			for _, w := range strings.Fields(p) {
				if !seen[w] {
					seen[w] = true
					counts[w]++
				}
			}
		}
		rows.Close()
		for w, n := range counts {
			if _, err := d.ExecContext(ctx, "INSERT INTO fund_terms (fund_id, token, n) VALUES ($1, $2, $3) ON CONFLICT (fund_id, token) DO UPDATE SET n = excluded.n", f.ID, w, n); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Println(len(counts), "terms")
	}
	for _, q := range strings.Split(os.Getenv("FUND_Q"), ";") {
		for i := 0; i < 3; i++ {
			t0 := time.Now()
			res, err := s.Search(ctx, f.ID, fund.Query{Book: fund.BookIn, Name: q})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("%-30q %-6s %3d results %v\n", q, res.Plan, len(res.Entries), time.Since(t0))
		}
	}
	if sql := os.Getenv("FUND_SQL"); sql != "" {
		rows, _ := d.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sql)
		for rows.Next() {
			var a, b, c int
			var s string
			rows.Scan(&a, &b, &c, &s)
			fmt.Println(a, b, s)
		}
		rows.Close()
		t0 := time.Now()
		n := 0
		rows, err = d.QueryContext(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			n++
		}
		rows.Close()
		fmt.Println(n, "rows in", time.Since(t0))
	}
}
