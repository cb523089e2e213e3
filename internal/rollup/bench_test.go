package rollup

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"giaoban/internal/period"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// BenchmarkRollup loads the small scale and measures the consolidated
// table of the nation, a province and a commune for a quarter and a year
// (b.N runs each); the GROUP BY comparison and full-scale figures come
// from `giaoban bench rollup`. It also checks both give the same figures.
func BenchmarkRollup(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, dbtest.SQLite)
	c, _ := BenchScale("small")
	if _, err := RunBench(ctx, d, c, BenchOptions{Runs: 3, GroupByRuns: 1, GroupByMax: time.Second, Writes: 3}, io.Discard); err != nil {
		b.Fatal(err)
	}
	s := New(d)
	var prov, commune int64
	d.QueryRowContext(ctx, "SELECT MIN(id) FROM areas WHERE parent_id IS NULL").Scan(&prov)
	d.QueryRowContext(ctx, "SELECT MIN(id) FROM areas WHERE parent_id = $1", prov).Scan(&commune)
	for _, sc := range []struct {
		name string
		id   int64
	}{{"nation", Nation}, {"province", prov}, {"commune", commune}} {
		for _, p := range []period.Period{LastQuarter, period.NewYear(LastQuarter.Year)} {
			b.Run(sc.name+"/"+p.Code(), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Table(ctx, TableQuery{AreaID: sc.id, Period: p, Approved: true}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestBenchSmall runs the small scale end to end on each dialect: the
// roll-up tables equal the GROUP BY tables and a saved value shows in the
// next query.
func TestBenchSmall(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c, _ := BenchScale("small")
		var w io.Writer = io.Discard
		if testing.Verbose() {
			w = os.Stdout
		}
		res, err := RunBench(context.Background(), d, c, BenchOptions{Runs: 3, GroupByRuns: 1, GroupByMax: time.Second, Writes: 5}, w)
		if err != nil {
			t.Fatal(err)
		}
		for _, bc := range res.Cases {
			if !bc.Same || bc.Rows == 0 {
				t.Errorf("%s %s: same %v, rows %d", bc.Scope, bc.Period, bc.Same, bc.Rows)
			}
		}
		if res.Visible != res.WriteRounds || res.WriteRounds == 0 {
			t.Errorf("visible %d of %d", res.Visible, res.WriteRounds)
		}
	})
}
