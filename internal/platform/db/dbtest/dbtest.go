// Package dbtest gives store tests a fresh, migrated, empty database on each
// dialect the run supports, so that one suite runs on SQLite and PostgreSQL.
//
// SQLite is always available (a file in t.TempDir()). PostgreSQL is used when
// GIAOBAN_TEST_POSTGRES holds the DSN of a server on which the user may
// CREATE DATABASE, e.g.
//
//	postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable
//
// scripts/test.sh starts a throwaway cluster and sets it. In CI (CI=true) or
// with GIAOBAN_REQUIRE_POSTGRES=1 a missing GIAOBAN_TEST_POSTGRES fails the
// test instead of skipping the PostgreSQL half.
//
// Typical use:
//
//	func TestAreaStore(t *testing.T) {
//		dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
//			s := org.NewStore(d)
//			…
//		})
//	}
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"giaoban/internal/platform/db"
)

// Environment variables read by this package.
const (
	// EnvPostgres is the base DSN of a PostgreSQL server for tests.
	EnvPostgres = "GIAOBAN_TEST_POSTGRES"
	// EnvRequirePostgres, when "1" or "true", makes a missing EnvPostgres fatal.
	EnvRequirePostgres = "GIAOBAN_REQUIRE_POSTGRES"
)

// Dialect names as used for subtests and by Open.
const (
	SQLite   = string(db.SQLite)
	Postgres = string(db.Postgres)
)

// setupTimeout bounds creating, migrating and dropping one test database.
const setupTimeout = 2 * time.Minute

// PostgresRequired tells whether the run must include PostgreSQL: in CI
// (CI=true) or when GIAOBAN_REQUIRE_POSTGRES is set.
func PostgresRequired() bool {
	return truthy(os.Getenv("CI")) || truthy(os.Getenv(EnvRequirePostgres))
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// PostgresBase returns the base DSN from GIAOBAN_TEST_POSTGRES, or "" when
// it is unset. It fails the test when PostgreSQL is required and unset.
func PostgresBase(t testing.TB) string {
	t.Helper()
	base := strings.TrimSpace(os.Getenv(EnvPostgres))
	if base == "" && PostgresRequired() {
		t.Fatalf("dbtest: %s is not set, but PostgreSQL is required here (CI=%q, %s=%q); "+
			"run the tests through scripts/test.sh, which starts a throwaway PostgreSQL, "+
			"or set %s=postgres://user@host:port/postgres?sslmode=disable",
			EnvPostgres, os.Getenv("CI"), EnvRequirePostgres, os.Getenv(EnvRequirePostgres), EnvPostgres)
	}
	return base
}

// Dialects returns the dialects to run a store suite on: always "sqlite",
// and "postgres" when GIAOBAN_TEST_POSTGRES is set. When PostgreSQL is
// required (CI) and not configured, the test fails.
func Dialects(t testing.TB) []string {
	t.Helper()
	out := []string{SQLite}
	if PostgresBase(t) != "" {
		out = append(out, Postgres)
	}
	return out
}

// ForEach runs fn as one subtest per dialect ("sqlite", "postgres"), each on
// a fresh, migrated, empty database. When PostgreSQL is not configured (and
// not required) the "postgres" subtest is reported as skipped, so that a
// local run shows what it did not cover.
func ForEach(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	dialects := Dialects(t)
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			fn(t, Open(t, dialect))
		})
	}
	if len(dialects) == 1 {
		t.Run(Postgres, func(t *testing.T) {
			t.Skipf("%s is not set; scripts/test.sh starts a throwaway PostgreSQL", EnvPostgres)
		})
	}
}

// Open returns a fresh, migrated, empty database of the dialect ("sqlite" or
// "postgres"). For SQLite it is a file in t.TempDir(); for PostgreSQL a new
// database on the GIAOBAN_TEST_POSTGRES server, dropped when the test ends.
// The DB is closed when the test ends.
func Open(t testing.TB, dialect string) *db.DB {
	t.Helper()
	switch dialect {
	case SQLite:
		return openDSN(t, filepath.Join(t.TempDir(), "giaoban.db"), true)
	case Postgres:
		return openDSN(t, OpenPostgresDSN(t), true)
	}
	t.Fatalf("dbtest: unknown dialect %q (want %q or %q)", dialect, SQLite, Postgres)
	return nil
}

// OpenBlank is Open without migrations: a new, empty database with no
// tables at all, for tests of the migrations themselves.
func OpenBlank(t testing.TB, dialect string) *db.DB {
	t.Helper()
	switch dialect {
	case SQLite:
		return openDSN(t, filepath.Join(t.TempDir(), "giaoban.db"), false)
	case Postgres:
		return openDSN(t, NewPostgresDSN(t), false)
	}
	t.Fatalf("dbtest: unknown dialect %q (want %q or %q)", dialect, SQLite, Postgres)
	return nil
}

// OpenDSN opens (without migrating) an existing database, e.g. one made by
// NewPostgresDSN, and closes it when the test ends. Use it for a second
// connection to the same database.
func OpenDSN(t testing.TB, dsn string) *db.DB {
	t.Helper()
	return openDSN(t, dsn, false)
}

func openDSN(t testing.TB, dsn string, migrate bool) *db.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if migrate {
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("dbtest: migrate %s: %v", d.Redacted, err)
		}
	}
	return d
}

// NewPostgresDSN creates a new, empty (unmigrated) PostgreSQL database and
// returns its DSN; the database is dropped (WITH (FORCE)) when the test
// ends, after the test's other cleanups, so processes started by the test
// may still be connected. Without GIAOBAN_TEST_POSTGRES the test is skipped
// (or fails, when PostgreSQL is required).
func NewPostgresDSN(t testing.TB) string {
	t.Helper()
	return newPostgresDSN(t, "")
}

// OpenPostgresDSN is NewPostgresDSN with every migration applied: the DSN
// of a fresh, migrated, empty database, e.g. for starting two
// `giaoban serve` processes on the same database.
func OpenPostgresDSN(t testing.TB) string {
	t.Helper()
	base := requireBase(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	tmpl, err := migratedTemplate(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return newPostgresDSN(t, tmpl)
}

func requireBase(t testing.TB) string {
	t.Helper()
	base := PostgresBase(t)
	if base == "" {
		t.Skipf("dbtest: %s is not set; scripts/test.sh starts a throwaway PostgreSQL", EnvPostgres)
	}
	return base
}

// newPostgresDSN creates a database, as a copy of template when it is not "".
func newPostgresDSN(t testing.TB, template string) string {
	t.Helper()
	base := requireBase(t)
	admin, err := adminPool(base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	name := "giaoban_t_" + randomHex(8)
	stmt := "CREATE DATABASE " + quoteIdent(name)
	if template != "" {
		stmt += " TEMPLATE " + quoteIdent(template)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if _, err := admin.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("dbtest: create database on %s: %v", redact(base), err)
	}
	// Registered before any cleanup that closes connections to it, so it runs last.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(base, name)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return dsn
}

var (
	adminMu    sync.Mutex
	adminPools = map[string]*sql.DB{}
)

// adminPool returns one connection pool per base DSN for the life of the
// test binary, for CREATE and DROP DATABASE.
func adminPool(base string) (*sql.DB, error) {
	adminMu.Lock()
	defer adminMu.Unlock()
	if p := adminPools[base]; p != nil {
		return p, nil
	}
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		return nil, fmt.Errorf("%s must be a postgres:// URL, got %q", EnvPostgres, redact(base))
	}
	p, err := sql.Open("pgx", base) // driver registered by package db
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(base), err)
	}
	p.SetMaxOpenConns(4)
	p.SetMaxIdleConns(2)
	p.SetConnMaxIdleTime(30 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("PostgreSQL at %s (%s) does not answer: %w", redact(base), EnvPostgres, err)
	}
	adminPools[base] = p
	return p, nil
}

var (
	templateMu    sync.Mutex
	templateReady = map[string]string{}
)

// migratedTemplate returns the name of a database holding every PostgreSQL
// migration and no rows, made once per migration set and server and shared
// by test binaries: copying it (CREATE DATABASE … TEMPLATE) is much faster
// than migrating each test's database. Its name carries a hash of the
// migrations, so a new or changed migration makes a new template.
func migratedTemplate(ctx context.Context, base string) (string, error) {
	templateMu.Lock()
	defer templateMu.Unlock()
	if name := templateReady[base]; name != "" {
		return name, nil
	}
	list, err := db.Migrations(db.Postgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range list {
		fmt.Fprintf(h, "%s\x00%s\x00", m.Version, m.SQL)
	}
	name := "giaoban_tmpl_" + hex.EncodeToString(h.Sum(nil))[:16]
	building := name + "_building"

	admin, err := adminPool(base)
	if err != nil {
		return "", err
	}
	// Test binaries of several packages run at once: one builds, the others wait.
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("template: %w", err)
	}
	defer conn.Close()
	const lockKey = 7263542
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return "", fmt.Errorf("template lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey)

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("template: %w", err)
	}
	if !exists {
		// Build under another name and rename when complete, so that a
		// run that dies half-way never leaves a half-migrated template.
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(building)+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("template: %w", err)
		}
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(building)); err != nil {
			return "", fmt.Errorf("template: %w", err)
		}
		dsn, err := withDatabase(base, building)
		if err != nil {
			return "", err
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			return "", fmt.Errorf("template: %w", err)
		}
		_, err = d.Migrate(ctx)
		d.Close()
		if err != nil {
			return "", fmt.Errorf("template: %w", err)
		}
		// WITH (FORCE) is not available for RENAME; the server waits for
		// our closed connections' backends to exit, which takes a moment.
		var renameErr error
		for i := 0; i < 50; i++ {
			_, renameErr = conn.ExecContext(ctx, "ALTER DATABASE "+quoteIdent(building)+" RENAME TO "+quoteIdent(name))
			if renameErr == nil || !strings.Contains(renameErr.Error(), "being accessed by other users") {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if renameErr != nil {
			return "", fmt.Errorf("template: %w", renameErr)
		}
		dropStaleTemplates(ctx, conn, name)
	}
	templateReady[base] = name
	return name, nil
}

// dropStaleTemplates drops the templates of earlier migration sets, so that
// a long-lived test server does not collect one per change. One still in use
// is left alone.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn, keep string) {
	rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database
		WHERE datname LIKE 'giaoban\_tmpl\_%' AND datname NOT LIKE '%\_building' AND datname <> $1`, keep)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(n))
	}
}

// withDatabase returns base with its database name replaced.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("%s is not a URL: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	// A dbname parameter would override the path.
	q := u.Query()
	if q.Has("dbname") {
		q.Del("dbname")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}
