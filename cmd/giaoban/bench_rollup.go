package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"giaoban/internal/rollup"
)

// cmdBenchRollup runs `giaoban bench rollup`: it generates a country at the
// chosen scale in a new database (or reuses one it loaded before) and
// prints load time, latency of the consolidated tables against a plain
// GROUP BY, write-to-visible latency and peak memory.
func cmdBenchRollup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench rollup", "bench rollup [--scale national|province|small] [--db DB] [--keep]", stderr)
	scale := fs.String("scale", "small", "national (34 provinces, 3,321 communes, ~20,000 units, 100 indicators, 20 quarters), province or small")
	dsn := fs.String("db", "", "database to load (SQLite file or postgres:// URL of an empty database); default: a new SQLite file in the temporary folder")
	keep := fs.Bool("keep", false, "keep the generated SQLite file (reuse it with --db)")
	runs := fs.Int("runs", rollup.DefaultBenchOptions.Runs, "measured runs of each roll-up table")
	gbRuns := fs.Int("groupby-runs", rollup.DefaultBenchOptions.GroupByRuns, "runs of each plain GROUP BY table (fewer when slow; 0 skips them)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := rollup.BenchScale(*scale)
	if err != nil {
		return usageError{err.Error()}
	}
	path := *dsn
	if path == "" {
		dir, err := os.MkdirTemp("", "giaoban-bench-")
		if err != nil {
			return err
		}
		path = filepath.Join(dir, "bench-"+c.Name+".db")
		if !*keep {
			defer os.RemoveAll(dir)
		} else {
			fmt.Fprintf(stdout, "database: %s (kept)\n", path)
		}
	}
	d, err := openDB(ctx, path)
	if err != nil {
		return err
	}
	defer d.Close()
	opt := rollup.DefaultBenchOptions
	opt.Runs, opt.GroupByRuns = max(*runs, 1), max(*gbRuns, 0)
	start := time.Now()
	res, err := rollup.RunBench(ctx, d, c, opt, stdout)
	if err != nil {
		return fmt.Errorf("bench rollup: %w", err)
	}
	worst := time.Duration(0)
	minRatio := 0.0
	for _, bc := range res.Cases {
		worst = max(worst, bc.P95)
		if bc.GroupByRuns > 0 && (minRatio == 0 || bc.Ratio < minRatio) {
			minRatio = bc.Ratio
		}
	}
	fmt.Fprintf(stdout, "\nsummary: worst p95 %.2f ms (target ≤ 50 ms); smallest GROUP BY ratio %.0f× (target ≥ 100×); visible %d/%d; peak %.0f MiB (target ≤ 1024); run took %s\n",
		float64(worst.Microseconds())/1000, minRatio, res.Visible, res.WriteRounds, float64(res.PeakRSSKiB)/1024, time.Since(start).Round(time.Second))
	return nil
}
