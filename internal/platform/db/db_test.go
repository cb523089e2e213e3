package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func versions(t *testing.T, d db.Dialect) []string {
	t.Helper()
	list, err := db.Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range list {
		out = append(out, m.Version)
	}
	return out
}

func TestMigrationsAreTheSameSequenceOnBothDialects(t *testing.T) {
	lite, pg := versions(t, db.SQLite), versions(t, db.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if !slices.Equal(lite, pg) {
		t.Fatalf("migrations/sqlite and migrations/postgres differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

func TestMigrateAppliesEverythingOnceThenNothing(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			c := ctx(t)
			d := dbtest.OpenBlank(t, dialect)
			want := versions(t, d.Dialect)

			applied, err := d.Migrate(c)
			if err != nil {
				t.Fatalf("first migrate: %v", err)
			}
			if !slices.Equal(applied, want) {
				t.Fatalf("first migrate applied %v, want %v", applied, want)
			}
			again, err := d.Migrate(c)
			if err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			if len(again) != 0 {
				t.Fatalf("second migrate applied %v, want nothing", again)
			}
			var n int
			if err := d.QueryRowContext(c, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Fatalf("schema_migrations has %d rows, want %d", n, len(want))
			}
		})
	}
}

// Several servers may start at once on one PostgreSQL database; the
// advisory lock in Migrate makes them take turns.
func TestMigrateConcurrentlyOnPostgres(t *testing.T) {
	dsn := dbtest.NewPostgresDSN(t)
	c := ctx(t)
	const n = 3
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied []string
		errs    []error
	)
	for i := 0; i < n; i++ {
		d := dbtest.OpenDSN(t, dsn)
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := d.Migrate(c)
			mu.Lock()
			defer mu.Unlock()
			applied = append(applied, got...)
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent migrate: %v", errors.Join(errs...))
	}
	slices.Sort(applied)
	if want := versions(t, db.Postgres); !slices.Equal(applied, want) {
		t.Fatalf("together the servers applied %v, want each of %v once", applied, want)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c := ctx(t)
		at := time.Date(2021, 8, 26, 9, 30, 0, 0, time.UTC)
		if _, err := d.ExecContext(c, `INSERT INTO audit_log (at, username, action, entity, entity_id, new_value)
			VALUES ($1, 'admin', 'create', 'unit', '7', '{"name":"A"}')`, at); err != nil {
			t.Fatalf("insert: %v", err)
		}
		for _, stmt := range []string{
			"UPDATE audit_log SET username = 'mallory'",
			"UPDATE audit_log SET new_value = NULL WHERE entity_id = '7'",
			"DELETE FROM audit_log WHERE entity_id = '7'",
			"DELETE FROM audit_log",
		} {
			_, err := d.ExecContext(c, stmt)
			if err == nil {
				t.Errorf("%s: no error, want the database to refuse it", stmt)
			} else if !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: error %q does not say append-only", stmt, err)
			}
		}
		if d.Dialect == db.Postgres {
			if _, err := d.ExecContext(c, "TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE audit_log: no error, want the database to refuse it")
			}
		}
		// Refused inside a transaction as well, and the row is untouched.
		err := d.Tx(c, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(c, "DELETE FROM audit_log")
			return err
		})
		if err == nil {
			t.Error("DELETE in a transaction: no error")
		}
		var user string
		var n int
		if err := d.QueryRowContext(c, "SELECT COUNT(*), MIN(username) FROM audit_log").Scan(&n, &user); err != nil {
			t.Fatal(err)
		}
		if n != 1 || user != "admin" {
			t.Fatalf("audit_log has %d rows (username %q), want the 1 row as inserted", n, user)
		}
		// Appending still works.
		if _, err := d.ExecContext(c, `INSERT INTO audit_log (at, action, entity) VALUES ($1, 'login', 'session')`, at); err != nil {
			t.Fatalf("second insert: %v", err)
		}
	})
}

func insertLevel(t *testing.T, c context.Context, d *db.DB, code string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(c, func(tx *sql.Tx) error {
		return tx.QueryRowContext(c, `INSERT INTO area_levels (code, name_vi, name_en, depth)
			VALUES ($1, $2, $3, 1) RETURNING id`, code, "Tỉnh "+code, "Province "+code).Scan(&id)
	})
	if err != nil {
		t.Fatalf("insert area level %s: %v", code, err)
	}
	return id
}

func TestDateRoundTrips(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c := ctx(t)
		level := insertLevel(t, c, d, "province")
		dates := []db.Date{
			db.D(2021, 8, 26),
			db.D(2024, 2, 29),
			db.D(1999, 12, 31),
			db.D(2000, 1, 1),
			db.NewDate(time.Date(2025, 7, 1, 23, 59, 0, 0, time.FixedZone("ICT", 7*3600))),
		}
		for i, want := range dates {
			code := fmt.Sprintf("A%d", i)
			if _, err := d.ExecContext(c, `INSERT INTO areas (level_id, code, name, name_folded, valid_from, valid_to)
				VALUES ($1, $2, $3, $3, $4, $5)`, level, code, "Area "+code, want, db.Date{}); err != nil {
				t.Fatalf("insert %s: %v", want.ISO(), err)
			}
			var got, to db.Date
			if err := d.QueryRowContext(c, "SELECT valid_from, valid_to FROM areas WHERE code = $1", code).Scan(&got, &to); err != nil {
				t.Fatalf("select %s: %v", want.ISO(), err)
			}
			if got.ISO() != want.ISO() || !got.Time.Equal(want.Time) {
				t.Errorf("stored %s, read back %s (%v)", want.ISO(), got.ISO(), got.Time)
			}
			if to.Valid() {
				t.Errorf("stored a zero Date, read back %s, want NULL", to.ISO())
			}
			// A Date parameter compares as a date in SQL.
			var n int
			if err := d.QueryRowContext(c, "SELECT COUNT(*) FROM areas WHERE code = $1 AND valid_from = $2", code, want).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("WHERE valid_from = %s found %d rows, want 1", want.ISO(), n)
			}
		}
		// Dates order as dates.
		var codes []string
		rows, err := d.QueryContext(c, "SELECT code FROM areas WHERE valid_from < $1 ORDER BY valid_from", db.D(2021, 8, 26))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			codes = append(codes, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if want := []string{"A2", "A3"}; !slices.Equal(codes, want) {
			t.Errorf("valid_from < 2021-08-26 ORDER BY valid_from gave %v, want %v", codes, want)
		}
	})
}

func TestConstraintViolationHelpers(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c := ctx(t)
		insertLevel(t, c, d, "province")

		_, err := d.ExecContext(c, `INSERT INTO area_levels (code, name_vi, name_en, depth) VALUES ('province', 'x', 'x', 1)`)
		if err == nil {
			t.Fatal("duplicate code: no error")
		}
		if !db.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%q) = false", err)
		}
		if !db.IsUniqueViolation(fmt.Errorf("store: save level: %w", err)) {
			t.Errorf("IsUniqueViolation(wrapped %q) = false", err)
		}
		if db.IsForeignKeyViolation(err) {
			t.Errorf("IsForeignKeyViolation(%q) = true", err)
		}

		_, err = d.ExecContext(c, `INSERT INTO areas (level_id, name, name_folded) VALUES (987654, 'x', 'x')`)
		if err == nil {
			t.Fatal("missing level: no error (are foreign keys enforced?)")
		}
		if !db.IsForeignKeyViolation(err) {
			t.Errorf("IsForeignKeyViolation(%q) = false", err)
		}
		if db.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%q) = true", err)
		}

		// Another failure is neither.
		_, err = d.ExecContext(c, `INSERT INTO users (username, full_name, password_hash, role) VALUES ('u', 'U', 'h', 'emperor')`)
		if err == nil {
			t.Fatal("bad role: no error (CHECK constraint)")
		}
		if db.IsUniqueViolation(err) || db.IsForeignKeyViolation(err) {
			t.Errorf("a CHECK failure (%q) was taken for a unique or foreign key violation", err)
		}
	})
	if db.IsUniqueViolation(nil) || db.IsForeignKeyViolation(nil) {
		t.Error("nil error taken for a violation")
	}
}

func TestOpenUnreachablePostgresFailsQuickly(t *testing.T) {
	// A port that was free a moment ago: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	d, err := db.Open(c, "postgres://giaoban:secret@"+addr+"/giaoban?sslmode=disable&connect_timeout=5")
	elapsed := time.Since(start)
	if err == nil {
		d.Close()
		t.Fatalf("Open of %s succeeded, want an error", addr)
	}
	if elapsed > 10*time.Second {
		t.Errorf("Open took %v to fail, want a quick error", elapsed)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestOpenEmptyDSN(t *testing.T) {
	if _, err := db.Open(context.Background(), ""); err == nil {
		t.Fatal("Open(\"\") succeeded")
	}
}

func TestOpenSQLiteCreatesFolderAndFile(t *testing.T) {
	for _, prefix := range []string{"", "sqlite:", "file:"} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			c := ctx(t)
			path := filepath.Join(t.TempDir(), "no", "such", "folder", "giaoban.db")
			d, err := db.Open(c, prefix+path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Dialect != db.SQLite || d.Path != path {
				t.Errorf("Dialect %q Path %q, want sqlite %q", d.Dialect, d.Path, path)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("database file not created: %v", err)
			}
			if _, err := d.Migrate(c); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSQLitePragmas(t *testing.T) {
	c := ctx(t)
	d := dbtest.Open(t, dbtest.SQLite)
	pools := map[string]db.Q{"readers": d, "writer": d.Writer()}
	for name, q := range pools {
		var mode string
		if err := q.QueryRowContext(c, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if !strings.EqualFold(mode, "wal") {
			t.Errorf("%s: journal_mode = %q, want wal", name, mode)
		}
		var fk int
		if err := q.QueryRowContext(c, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if fk != 1 {
			t.Errorf("%s: foreign_keys = %d, want 1", name, fk)
		}
		var timeout int
		if err := q.QueryRowContext(c, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
			t.Fatal(err)
		}
		if timeout < 1000 {
			t.Errorf("%s: busy_timeout = %d ms, want a wait for the writer", name, timeout)
		}
	}
}

// Two writers at once queue on the one writer connection instead of failing
// with SQLITE_BUSY.
func TestSQLiteConcurrentWriters(t *testing.T) {
	c := ctx(t)
	d := dbtest.Open(t, dbtest.SQLite)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- d.Tx(c, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(c, "INSERT INTO settings (key, value) VALUES ($1, 'v')", fmt.Sprintf("k%d", i))
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := d.QueryRowContext(c, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 40 {
		t.Fatalf("%d rows, want 40", n)
	}
}

func TestOpenPostgresDSNGivesAMigratedEmptyDatabase(t *testing.T) {
	dsn := dbtest.OpenPostgresDSN(t)
	c := ctx(t)
	d, err := db.Open(c, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Dialect != db.Postgres {
		t.Fatalf("Dialect %q", d.Dialect)
	}
	// OpenPostgresDSN gives a migrated database: nothing left to apply.
	applied, err := d.Migrate(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("OpenPostgresDSN's database was missing %v", applied)
	}
	var n int
	if err := d.QueryRowContext(c, "SELECT COUNT(*) FROM area_levels").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("fresh database has %d area levels, want none", n)
	}
}

func TestEachTestGetsItsOwnDatabase(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			c := ctx(t)
			a, b := dbtest.Open(t, dialect), dbtest.Open(t, dialect)
			if _, err := a.ExecContext(c, "INSERT INTO settings (key, value) VALUES ('only', 'in a')"); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := b.QueryRowContext(c, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("second database sees %d settings of the first", n)
			}
		})
	}
}
