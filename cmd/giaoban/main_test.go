package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"giaoban/internal/account"
	"giaoban/internal/platform/db"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--help"}, {"demo", "--help"}, {"migrate", "--help"}, {"backup", "--help"},
		{"user", "add", "--help"}, {"user", "passwd", "--help"}, {"token", "create", "--help"},
		{"import", "values", "--help"}, {"report", "--help"}, {"bench", "rollup", "--help"}, {"bench", "funds", "--help"},
		{"fund", "import", "--help"}, {"fund", "publish", "--help"}, {"fund", "verify", "--help"}, {"fund", "checkpoint", "--help"},
	} {
		_, stderr, err := runCLI(t, args...)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
			t.Errorf("%v: err %v", args, err)
		}
		if !strings.Contains(stderr, "Usage: giaoban") || !strings.Contains(stderr, "-db") {
			t.Errorf("%v: help says %q", args, stderr)
		}
	}
	out, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(out, "giaoban backup") {
		t.Errorf("help: %v %q", err, out)
	}
	out, _, err = runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "giaoban ") {
		t.Errorf("version: %v %q", err, out)
	}
	_, _, err = runCLI(t, "frobnicate")
	if exitCode(err) != 2 {
		t.Errorf("unknown command: exit %d", exitCode(err))
	}
}

func TestEnvironmentSetsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("GIAOBAN_DB", path)
	out, _, err := runCLI(t, "migrate")
	if err != nil || !strings.Contains(out, "applied 0001_foundation") {
		t.Fatalf("migrate via GIAOBAN_DB: %v %q", err, out)
	}
	out, _, err = runCLI(t, "migrate")
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: %v %q", err, out)
	}
}

func TestUsersTokensAndBackupFromTheCLI(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "g.db")
	out, _, err := runCLI(t, "user", "add", "--db", dbPath, "--username", "Admin.Tinh", "--name", "Quản trị tỉnh", "--role", "admin")
	if err != nil || !strings.Contains(out, "created user admin.tinh") || !strings.Contains(out, "password: ") {
		t.Fatalf("user add: %v %q", err, out)
	}
	_, _, err = runCLI(t, "user", "add", "--db", dbPath, "--username", "x", "--name", "X", "--role", "officer", "--password", "12345678")
	if err == nil || !strings.Contains(err.Error(), "Cán bộ và lãnh đạo đơn vị phải thuộc một đơn vị") {
		t.Errorf("officer without unit: %v", err)
	}
	_, _, err = runCLI(t, "user", "passwd", "--db", dbPath, "--username", "admin.tinh", "--password", "short")
	if err == nil || !strings.Contains(err.Error(), "ít nhất 8 ký tự") {
		t.Errorf("short password: %v", err)
	}
	if _, _, err = runCLI(t, "user", "passwd", "--db", dbPath, "--username", "admin.tinh", "--password", "mat-khau-moi"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := runCLI(t, "token", "create", "--db", dbPath, "--username", "admin.tinh", "--name", "báo cáo tự động")
	if err != nil || !strings.HasPrefix(tok, "gb_") {
		t.Fatalf("token create: %v %q", err, tok)
	}
	backup := filepath.Join(dir, "backups", "copy.db")
	if _, _, err := runCLI(t, "backup", "--db", dbPath, backup); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "backup", "--db", dbPath, backup); err == nil {
		t.Error("backup over an existing file should be refused")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st := &account.Store{DB: d}
	if _, _, err := st.Login(ctx, "admin.tinh", "mat-khau-moi", "127.0.0.1", "test"); err != nil {
		t.Errorf("the backup does not hold the new password: %v", err)
	}
	p, err := st.PrincipalByToken(ctx, strings.TrimSpace(tok))
	if err != nil || p == nil || p.Username != "admin.tinh" {
		t.Errorf("the backup does not hold the token: %v %+v", err, p)
	}
}

func TestUnreachableDatabaseIsAClearError(t *testing.T) {
	_, _, err := runCLI(t, "serve", "--db", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "cannot open the database") || exitCode(err) != 1 {
		t.Errorf("serve on an unreachable database: %v", err)
	}
}

func TestDemoSeedsOnceAndPrintsAccounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	out, _, err := runCLI(t, "demo", "--db", path, "--seed-only")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"demo data created", "quantri", "quantri-2021", "thuky", "canbo.hnd", "lanhdao.hnd", "huyenuy"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCLI(t, "demo", "--db", path, "--seed-only")
	if err != nil || !strings.Contains(out, "reusing the demo data") {
		t.Errorf("second demo run: %v %q", err, out)
	}
}

func TestBrokenDatabaseFileIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCLI(t, "serve", "--db", path, "--addr", "127.0.0.1:0")
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "cannot") {
		t.Errorf("serve on a file that is not a database: %v", err)
	}
}

// A port another program holds is named, with what to do, in both
// languages.
func TestServeOnABusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errb bytes.Buffer
	err = cmdServe(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--addr", ln.Addr().String()}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "đang được chương trình khác dùng") || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("serve on a busy port: %v", err)
	}
}
