package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
	"giaoban/internal/reporting/sheet"
	"giaoban/internal/vn"
)

const importUsage = `Usage:
  giaoban import values [--db DB] [--dry-run] [--period P] [--list] FILE
      import report values from a filled XLSX template (downloaded from the
      reports pages) or a CSV file (header unit_id,period,indicator,option,
      value,version), all or nothing, as the system administrator. Every
      problem is printed with its place (sheet and cell, or CSV line) and
      nothing is written when there is any; otherwise the counts of values
      created, updated, cleared and unchanged are printed. Importing the
      same file twice changes nothing the second time.

Run "giaoban import values --help" for the options.
`

// cmdImport runs the `giaoban import …` subcommands.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(stderr, importUsage)
		if len(args) == 0 {
			return usageError{"import: say what to import (values)"}
		}
		return nil
	}
	switch args[0] {
	case "values":
		return importValues(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, importUsage)
	return usageError{fmt.Sprintf("import: unknown kind %q (values)", args[0])}
}

// importValues is `giaoban import values`.
func importValues(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import values", "import values [--db DB] [--dry-run] [--period P] [--list] FILE", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	dry := fs.Bool("dry-run", false, "check the file and print what would change, without writing")
	per := fs.String("period", "", "the period being entered (e.g. 2021Q3); a file of another period is refused (default: the file's)")
	list := fs.Bool("list", false, "print every change (unit, indicator, cell: old → new)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"import values: give exactly one FILE"}
	}
	file := fs.Arg(0)
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if st.Size() > sheet.MaxBytes {
		return fmt.Errorf("%s: %s", file, i18n.T("vi", "reporting.import.err.too_large", sheet.MaxBytes>>20))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	svc := reporting.New(d)
	p := &auth.Principal{Role: auth.Admin, Username: "cli", FullName: "giaoban import values"}
	ctx = audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{Username: "cli"})
	res, err := svc.Import(ctx, reporting.ImportRequest{Data: data, Period: *per, DryRun: *dry})
	if err != nil {
		return importFailure(stderr, file, err)
	}
	perText := orDash(res.Period)
	if res.Period != "" {
		perText = period.CodeLabel(res.Period, "vi") + " (" + res.Period + ")"
	}
	fmt.Fprintf(stdout, "%s: %s, kỳ %s, đã đọc %s giá trị\n", file, strings.ToUpper(res.Format), perText, vn.FormatInt(int64(res.Cells)))
	if *list {
		for _, c := range res.Changes {
			name := c.IndicatorName
			if c.OptionName != "" {
				name += " – " + c.OptionName
			}
			fmt.Fprintf(stdout, "  %s · %s (%s) · %s: %s → %s\n", c.UnitName, name, c.IndicatorCode, c.PlaceText(), orDash(c.Old), orDash(c.New))
		}
	}
	tail := "đã ghi %s đơn vị."
	if *dry {
		tail = "sẽ ghi %s đơn vị (chạy thử --dry-run: chưa ghi gì)."
	}
	fmt.Fprintf(stdout, "%s mới, %s sửa, %s xóa, %s không đổi; "+tail+"\n", vn.FormatInt(int64(res.Created)), vn.FormatInt(int64(res.Updated)),
		vn.FormatInt(int64(res.Cleared)), vn.FormatInt(int64(res.Unchanged)), vn.FormatInt(int64(res.Units)))
	return nil
}

// importFailure prints every problem of a refused import with its place
// and returns the error that ends the command (exit status 1).
func importFailure(stderr io.Writer, file string, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal || e.Code == apperr.Unavailable {
		return err
	}
	_, msg, fields := web.Localize("vi", err)
	for _, f := range fields {
		if place := reporting.ImportPlace(f.Field); place != "" {
			fmt.Fprintf(stderr, "%s: %s: %s\n", file, place, f.Message)
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", file, f.Message)
		}
	}
	if len(fields) == 0 {
		fmt.Fprintf(stderr, "%s: %s\n", file, msg)
	}
	n := max(len(fields), 1)
	return fmt.Errorf("%s: %d lỗi; không ghi gì", file, n)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
