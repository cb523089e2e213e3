package fund_test

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// sampleCSV returns a sample statement of n credits, split into its header
// (the lines above the first transaction) and its lines.
func sampleCSV(t *testing.T, n int) (header string, lines []string, q fund.SampleQueries) {
	t.Helper()
	var b bytes.Buffer
	q = must[fund.SampleQueries](t)(fund.WriteSampleStatement(&b, n, 7))
	all := strings.SplitAfter(b.String(), "\n")
	if all[len(all)-1] == "" {
		all = all[:len(all)-1]
	}
	return strings.Join(all[:4], ""), all[4:], q
}

// failingReader returns its text, then an error instead of EOF.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("the disk went away")
	}
	return n, err
}

// nothingWritten fails the test when the fund has any trace of an import.
func nothingWritten(t *testing.T, d *db.DB, f *fixture, entriesBefore int64) {
	t.Helper()
	id := f.fund.ID
	for q, want := range map[string]int64{
		"SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1":                                                              entriesBefore,
		"SELECT log_size FROM funds WHERE id = $1":                                                                          entriesBefore,
		"SELECT COUNT(*) FROM fund_checkpoints WHERE fund_id = $1":                                                          min(entriesBefore, 1),
		"SELECT COUNT(*) FROM fund_matches WHERE fund_id = $1":                                                              0,
		"SELECT COUNT(*) FROM fund_daily WHERE fund_id = $1 AND class = 'money' AND max_seq > " + fmt.Sprint(entriesBefore): 0,
	} {
		if got := count(t, d, q, id); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	res := must[*fund.Result](t)(f.s.Search(testCtx(t), id, fund.Query{Book: fund.BookIn, Name: "nguyen"}))
	if len(res.Entries) != 0 {
		t.Errorf("a failed import left %d receipts in the search index", len(res.Entries))
	}
}

// writerChecksOn fails the test when the writer connection no longer checks
// foreign keys and CHECK constraints (the bulk import turns them off for its
// transaction only).
func writerChecksOn(t *testing.T, d *db.DB) {
	t.Helper()
	if d.Dialect != db.SQLite {
		return
	}
	ctx := testCtx(t)
	var fk, ignore int
	if err := d.Writer().QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := d.Writer().QueryRowContext(ctx, "PRAGMA ignore_check_constraints").Scan(&ignore); err != nil {
		t.Fatal(err)
	}
	if fk != 1 || ignore != 0 {
		t.Errorf("writer connection after an import: foreign_keys %d, ignore_check_constraints %d", fk, ignore)
	}
	// Its other settings are back too: the automatic checkpoint (off
	// during the import), temporary files and the page cache.
	var autoCheckpoint, tempStore, cache int
	for q, v := range map[string]*int{"wal_autocheckpoint": &autoCheckpoint, "temp_store": &tempStore, "cache_size": &cache} {
		if err := d.Writer().QueryRowContext(ctx, "PRAGMA "+q).Scan(v); err != nil {
			t.Fatal(err)
		}
	}
	if autoCheckpoint != 1000 || tempStore != 0 || cache != -2000 {
		t.Errorf("writer connection after an import: wal_autocheckpoint %d, temp_store %d, cache_size %d", autoCheckpoint, tempStore, cache)
	}
	// The name index merges its segments again (the import holds merges).
	automerge := "4"
	if err := d.Writer().QueryRowContext(ctx, "SELECT CAST(v AS TEXT) FROM fund_fts_config WHERE k = 'automerge'").Scan(&automerge); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	if automerge != "4" {
		t.Errorf("name index after an import: automerge %s", automerge)
	}
}

// TestBulkImport covers the bulk path of ImportStatement (bulk.go) with
// statements of several batches.
func TestBulkImport(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		const n = 1200
		header, lines, q := sampleCSV(t, n)
		file := header + strings.Join(lines, "")
		// Each case on a database of its own, with the fixture's fund.
		fresh := func(t *testing.T) (*db.DB, *fixture) {
			d := dbtest.Open(t, string(d.Dialect))
			return d, newFixture(t, d)
		}

		t.Run("a bad line late in a strict import leaves nothing written", func(t *testing.T) {
			d, f := fresh(t)
			bad := header + strings.Join(lines[:n-5], "") + "05/08/2021,FT-BAD,,12abc,,NGUYEN VAN BAD ung ho\n" + strings.Join(lines[n-5:], "")
			_, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(bad), fund.ImportOptions{Strict: true})
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("strict import with a bad line: %v", err)
			}
			nothingWritten(t, d, f, 0)
			writerChecksOn(t, d)
		})

		t.Run("a read error late in the file leaves nothing written", func(t *testing.T) {
			d, f := fresh(t)
			_, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, &failingReader{strings.NewReader(file)}, fund.ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), "the disk went away") {
				t.Fatalf("import of a file that fails at its end: %v", err)
			}
			nothingWritten(t, d, f, 0)
			writerChecksOn(t, d)
		})

		t.Run("a failed INSERT late in the file leaves nothing written", func(t *testing.T) {
			d, f := fresh(t)
			f.receipt(t, "Quỹ đầu kỳ", 1_000_000, 1, "")
			// A row where the import's 1000th receipt goes, written behind
			// the application's back: the INSERT that reaches it fails.
			if _, err := d.ExecContext(ctx, `INSERT INTO fund_entries (fund_id, seq, kind, book, class, date, amount, log_hashes, created_at)
				VALUES ($1, 1001, 'receipt', 'thu', 'money', '2021-07-01', 1, $2, $3)`, f.fund.ID, []byte("x"), f.fund.CreatedAt); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{})
			if err == nil {
				t.Fatal("the import went through a row in its way")
			}
			if got := count(t, d, "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1", f.fund.ID); got != 2 {
				t.Errorf("%d entries after a failed import, want 2", got)
			}
			if got := count(t, d, "SELECT log_size FROM funds WHERE id = $1", f.fund.ID); got != 1 {
				t.Errorf("log size %d after a failed import, want 1", got)
			}
			writerChecksOn(t, d)
		})

		t.Run("import, search, import again: nothing added", func(t *testing.T) {
			d, f := fresh(t)
			sum := must[*fund.ImportSummary](t)(f.s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{}))
			if sum.Count(fund.ActionReceipt) != n || sum.Count(fund.ActionReview) != 1 {
				t.Fatalf("summary %+v", sum.Counts)
			}
			writerChecksOn(t, d)
			for _, name := range q.Names[:min(5, len(q.Names))] {
				res := must[*fund.Result](t)(f.s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Name: name}))
				if len(res.Entries) == 0 {
					t.Errorf("%q: not found after the import", name)
				}
			}
			nums := must[[]fund.Entry](t)(f.s.Entries(ctx, f.fund.ID, 0, 1))
			if len(nums) != 1 || nums[0].Seq != n || nums[0].VoucherNo != n || nums[0].Ref != fund.ReceiptNumber("COVID19", 2021, n) {
				t.Errorf("last receipt %+v", nums)
			}
			again := must[*fund.ImportSummary](t)(f.s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{}))
			if again.Count(fund.ActionReceipt) != 0 || again.Count(fund.ActionSkip) != n || again.Count(fund.ActionReview) != 1 {
				t.Fatalf("second import %+v", again.Counts)
			}
			if got := count(t, d, "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1", f.fund.ID); got != n {
				t.Errorf("%d entries after importing twice, want %d", got, n)
			}
			if got := count(t, d, "SELECT COUNT(*) FROM fund_checkpoints WHERE fund_id = $1", f.fund.ID); got != 1 {
				t.Errorf("%d checkpoints, want 1 (the second import added nothing)", got)
			}
			// A line repeated far below (other batches, other INSERTs): the
			// same amount is skipped, another amount rejected.
			repeat := header + lines[3] + strings.Join(lines[3:], "")
			parts := strings.Split(strings.TrimSuffix(lines[10], "\n"), ",")
			parts[3] = `"1"`
			conflict := strings.Join(parts, ",") + "\n"
			_, g := fresh(t)
			sum = must[*fund.ImportSummary](t)(g.s.ImportStatement(ctx, g.admin, g.fund.ID,
				strings.NewReader(repeat+conflict), fund.ImportOptions{}))
			if sum.Count(fund.ActionReceipt) != n-3 || sum.Count(fund.ActionSkip) != 1 || sum.Count(fund.ActionReject) != 1 {
				t.Errorf("repeated lines: %+v", sum.Counts)
			}
			if res, err := f.s.VerifyLog(ctx, f.fund.ID); err != nil {
				t.Fatalf("verify: %v %v", err, res.Problems)
			}
		})

		t.Run("the log of a bulk import is the log of the same lines imported one by one", func(t *testing.T) {
			const m = 600 // more than a batch of lines and of INSERT rows
			defer fund.SetTermBatch(40)()
			bd, bulk := fresh(t)
			must[*fund.ImportSummary](t)(bulk.s.ImportStatement(ctx, bulk.admin, bulk.fund.ID, strings.NewReader(header+strings.Join(lines[:m], "")), fund.ImportOptions{}))
			sd, single := fresh(t)
			for _, l := range lines[:m] {
				must[*fund.ImportSummary](t)(single.s.ImportStatement(ctx, single.admin, single.fund.ID, strings.NewReader(header+l), fund.ImportOptions{}))
			}
			a := must[*fund.Checkpoint](t)(bulk.s.LatestCheckpoint(ctx, bulk.fund.ID))
			b := must[*fund.Checkpoint](t)(single.s.CheckpointAt(ctx, single.fund.ID, m))
			if a.Size != m || a.Root != b.Root {
				t.Fatalf("bulk: size %d root %s; one by one: size %d root %s", a.Size, a.Root, b.Size, b.Root)
			}
			// The same word counts (written a few hundred words per statement).
			terms := func(d *db.DB, f *fixture) string {
				rows, err := d.QueryContext(ctx, "SELECT token, n FROM fund_terms WHERE fund_id = $1 ORDER BY token", f.fund.ID)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var b strings.Builder
				n := 0
				for rows.Next() {
					var w string
					var c int64
					if err := rows.Scan(&w, &c); err != nil {
						t.Fatal(err)
					}
					fmt.Fprintf(&b, "%s=%d ", w, c)
					n++
				}
				if n <= 40 {
					t.Errorf("%d words: the test wants more than one statement's worth", n)
				}
				return b.String()
			}
			if tb, ts := terms(bd, bulk), terms(sd, single); tb != ts {
				t.Errorf("word counts differ:\nbulk:       %.300s\none by one: %.300s", tb, ts)
			}
			var sa, sb bytes.Buffer
			must[int64](t)(bulk.s.WriteStatement(ctx, &sa, bulk.fund.ID, m))
			must[int64](t)(single.s.WriteStatement(ctx, &sb, single.fund.ID, m))
			if sa.String() != sb.String() {
				t.Error("the published statements differ")
			}
			for _, x := range []*fixture{bulk, single} {
				if res, err := x.s.VerifyLog(ctx, x.fund.ID); err != nil {
					t.Fatalf("verify: %v %v", err, res.Problems)
				}
			}
		})
	})
}
