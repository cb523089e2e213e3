// Command giaoban runs the giao ban review-cycle product: the web server,
// the demo, migrations, accounts, tokens and backups.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"giaoban/internal/app"
	"giaoban/internal/platform/db"
)

const usage = `giaoban — giao ban của Khối Mặt trận và các đoàn thể / review-cycle software

Usage:
  giaoban serve   [--db DB] [--addr ADDR]     run the web server
  giaoban demo    [--db FILE] [--addr ADDR]   create (or reuse) the demo database and serve it
  giaoban migrate [--db DB]                   apply database migrations
  giaoban user add --username U --name "Full Name" --role ROLE [--unit ID] [--area ID] [--password P]
  giaoban user passwd --username U [--password P]
  giaoban token create --username U --name NAME [--days N]
  giaoban backup  [--db DB] FILE              write a consistent copy of the database
  giaoban fund import|publish|verify|checkpoint …  donation funds (giaoban fund --help)
  giaoban import values [--db DB] [--dry-run] FILE   report values from an XLSX template or CSV
  giaoban report --bloc ID --period 2021Q3 --format pdf|docx|xlsx --out FILE   the consolidated report
  giaoban bench rollup|funds …                 benchmarks that print figures
  giaoban version

DB is a SQLite file path (default giaoban.db) or a postgres:// URL.
Environment: GIAOBAN_DB and GIAOBAN_ADDR set --db and --addr.
Run "giaoban COMMAND --help" for the options of a command.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "giaoban:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdout, stderr)
	case "token":
		return cmdToken(ctx, rest, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "fund":
		return cmdFund(ctx, rest, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "giaoban", app.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// newFlags returns a flag set whose --help prints the command's usage.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: giaoban %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func dbFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("db", envOr("GIAOBAN_DB", def), "database: SQLite file path or postgres:// URL (env GIAOBAN_DB)")
}

func addrFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("addr", envOr("GIAOBAN_ADDR", def), "listen address (env GIAOBAN_ADDR)")
}

// openDB opens and migrates the database; a failure is a clear error.
func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database: %w", err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot migrate the database: %w", err)
	}
	return d, nil
}

func setupLogging(format string, stderr io.Writer) {
	var h slog.Handler
	if strings.EqualFold(format, "json") {
		h = slog.NewJSONHandler(stderr, nil)
	} else {
		h = slog.NewTextHandler(stderr, nil)
	}
	slog.SetDefault(slog.New(h))
}

func signalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
