package fund_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// TestTamperedEntryIsNamed changes one stored receipt amount behind the
// application's back (as someone with access to the database could, after
// disabling the append-only trigger), exports the statement, and shows that
// verification against the checkpoint published before fails and names the
// entry.
func TestTamperedEntryIsNamed(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		for i, name := range []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Rơ Châm Ngơn"} {
			f.receipt(t, name, int64(100_000*(i+1)), i+1, "")
		}
		published := must[*fund.Checkpoint](t)(f.s.LatestCheckpoint(ctx, f.fund.ID))
		vkey := must[string](t)(f.s.PublicKey(ctx))

		var before bytes.Buffer
		must[int64](t)(f.s.WriteStatement(ctx, &before, f.fund.ID, published.Size))
		if _, err := translog.VerifyStatement(bytes.NewReader(before.Bytes()), published.Note, vkey); err != nil {
			t.Fatalf("untouched statement: %v", err)
		}

		// Behind the application's back.
		if d.Dialect == db.Postgres {
			_, err := d.ExecContext(ctx, "ALTER TABLE fund_entries DISABLE TRIGGER fund_entries_no_update")
			if err != nil {
				t.Fatal(err)
			}
		} else if _, err := d.ExecContext(ctx, "DROP TRIGGER fund_entries_no_update"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, "UPDATE fund_entries SET amount = amount + 9000000 WHERE fund_id = $1 AND seq = 3", f.fund.ID); err != nil {
			t.Fatal(err)
		}

		var after bytes.Buffer
		must[int64](t)(f.s.WriteStatement(ctx, &after, f.fund.ID, published.Size))
		res, err := translog.VerifyStatement(bytes.NewReader(after.Bytes()), published.Note, vkey)
		if !errors.Is(err, translog.ErrMismatch) {
			t.Fatalf("tampered statement: err %v", err)
		}
		if len(res.Problems) == 0 || res.Problems[0].Seq != 3 || res.Problems[0].Line != 4 {
			t.Fatalf("problems %+v", res.Problems)
		}
		if !strings.Contains(err.Error(), "STT 3") {
			t.Errorf("message %q does not name entry 3", err)
		}
		// The same check on the database itself.
		if res, err := f.s.VerifyLog(ctx, f.fund.ID); err == nil || len(res.Problems) == 0 || res.Problems[0].Seq != 3 {
			t.Errorf("VerifyLog: %v %+v", err, res.Problems)
		}
		// Rewriting the stored record hash as well does not help: the tree
		// no longer gives the signed root.
		e := must[*fund.Entry](t)(f.s.Entry(ctx, f.fund.ID, 3))
		forged := e.Published().Hash()
		if _, err := d.ExecContext(ctx, "UPDATE fund_entries SET log_hashes = $1 WHERE fund_id = $2 AND seq = 3", forged[:], f.fund.ID); err != nil {
			t.Fatal(err)
		}
		var forgedCSV bytes.Buffer
		must[int64](t)(f.s.WriteStatement(ctx, &forgedCSV, f.fund.ID, published.Size))
		if _, err := translog.VerifyStatement(bytes.NewReader(forgedCSV.Bytes()), published.Note, vkey); !errors.Is(err, translog.ErrMismatch) {
			t.Fatalf("statement with a recomputed hash: %v", err)
		}
	})
}
