package fund_test

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db/dbtest"
)

// BenchmarkImportStatement imports a sample statement into a new fund on
// SQLite, as `giaoban bench funds` does with a million lines (target: 20 s
// on two cores), at the small scale CI runs: 20.000 lines, or
// FUND_IMPORT_N. It reports lines per second.
func BenchmarkImportStatement(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("FUND_IMPORT_N")); err == nil && v > 0 {
		n = v
	}
	var csv bytes.Buffer
	if _, err := fund.WriteSampleStatement(&csv, n, 1); err != nil {
		b.Fatal(err)
	}
	ctx := testCtx(b)
	var lines int64
	var took time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixture(b, dbtest.Open(b, dbtest.SQLite))
		b.StartTimer()
		t0 := time.Now()
		sum, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, bytes.NewReader(csv.Bytes()), fund.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
		if sum.Count(fund.ActionReceipt) != int64(n) {
			b.Fatalf("%d receipts of %d", sum.Count(fund.ActionReceipt), n)
		}
		lines += sum.Lines
	}
	b.ReportMetric(float64(lines)/took.Seconds(), "lines/s")
}
