package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"giaoban/internal/platform/db"
)

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup [--db DB] FILE", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"backup: give the output FILE"}
	}
	out := fs.Arg(0)
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("cannot open the database: %w", err)
	}
	defer d.Close()
	if err := Backup(ctx, d, *dsn, out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backup written to", out)
	return nil
}

// Backup writes a consistent copy while the server keeps serving: SQLite's
// VACUUM INTO reads one snapshot of the WAL database; for PostgreSQL,
// pg_dump (custom format) reads one snapshot.
func Backup(ctx context.Context, d *db.DB, dsn, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists; choose another file name", out)
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	switch d.Dialect {
	case db.SQLite:
		if _, err := d.Writer().ExecContext(ctx, "VACUUM INTO $1", out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	case db.Postgres:
		bin, err := exec.LookPath("pg_dump")
		if err != nil {
			return errors.New("backup of PostgreSQL needs pg_dump (Debian package postgresql-client) on the PATH")
		}
		cmd := exec.CommandContext(ctx, bin, "--format=custom", "--file="+out, "--dbname="+dsn)
		var msg strings.Builder
		cmd.Stderr = &msg
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("pg_dump failed: %v: %s", err, strings.TrimSpace(msg.String()))
		}
		return nil
	}
	return fmt.Errorf("backup: unknown dialect %s", d.Dialect)
}
