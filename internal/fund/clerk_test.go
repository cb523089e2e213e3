package fund_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// The receipt names the clerk who recorded it by their full name, not
// their login.
func TestReceiptNamesTheClerk(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := testCtx(t) // acts as user "tester"
		if _, err := d.ExecContext(ctx, `INSERT INTO users(username, full_name, password_hash, role) VALUES ('tester', 'Rơ Mah H''Lim', 'x', 'secretariat')`); err != nil {
			t.Fatal(err)
		}
		e := f.receipt(t, "Nguyễn Văn An", 500_000, 5, "")
		got, err := f.s.Entry(ctx, f.fund.ID, e.Seq)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreatedBy != "tester" || got.CreatedByName != "Rơ Mah H'Lim" {
			t.Fatalf("clerk: %q %q", got.CreatedBy, got.CreatedByName)
		}
		var buf bytes.Buffer
		if err := fund.WriteReceiptPDF(&buf, f.fund, got, ""); err != nil {
			t.Fatal(err)
		}
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(path, buf.Bytes(), 0o600)
		out, err := exec.Command(bin, path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, "Rơ Mah H'Lim") {
			t.Errorf("the receipt does not name the clerk: %.400s", text)
		}
	})
}
