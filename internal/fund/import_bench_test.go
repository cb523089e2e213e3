package fund_test

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db/dbtest"
)

func TestImportSpeedDebug(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FUND_IMPORT_N"))
	if n == 0 {
		t.Skip()
	}
	ctx := testCtx(t)
	d := dbtest.Open(t, dbtest.SQLite)
	f := newFixture(t, d)
	for _, ix := range strings.Fields(os.Getenv("FUND_DROP")) {
		if _, err := d.ExecContext(ctx, "DROP INDEX "+ix); err != nil {
			t.Fatal(err)
		}
	}
	var csv bytes.Buffer
	fund.WriteSampleStatement(&csv, n, 1)
	t0 := time.Now()
	sum, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, &csv, fund.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d lines in %s", sum.Lines, time.Since(t0))
}
