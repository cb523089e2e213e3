package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

// cmdReport runs `giaoban report`: the consolidated report of a bloc for a
// period as PDF, DOCX or XLSX, the same files the web page exports.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "report --bloc ID --period 2021Q3 --format pdf|docx|xlsx --out FILE [--db DB] [--area ID] [--drafts] [--lang vi|en]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	bloc := fs.Int64("bloc", 0, "bloc id (required)")
	area := fs.Int64("area", 0, "area of the bloc to report on (default: the bloc's own area)")
	code := fs.String("period", "", "period code: 2021Q3, 202108, 2021S1, 2021N9, 2021 (required)")
	format := fs.String("format", "pdf", "pdf, docx or xlsx")
	out := fs.String("out", "", "output file (required; - for standard output)")
	drafts := fs.Bool("drafts", false, "include reports not yet approved")
	lang := fs.String("lang", "vi", "language: vi or en")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bloc == 0 || *code == "" || *out == "" {
		return usageError{"report: --bloc, --period and --out are required"}
	}
	p, err := period.Parse(*code)
	if err != nil {
		return usageError{err.Error()}
	}
	f := strings.ToLower(*format)
	ok := false
	for _, x := range rollup.Formats {
		ok = ok || x == f
	}
	if !ok {
		return usageError{fmt.Sprintf("report: format %q: say pdf, docx or xlsx", *format)}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = auth.WithPrincipal(cliContext(ctx), &auth.Principal{Username: "cli", Role: auth.Admin})
	l := i18n.Normalize(*lang)
	var buf bytes.Buffer
	if err := rollup.New(d).Export(ctx, rollup.ReportQuery{BlocID: *bloc, AreaID: *area, Period: p, Drafts: *drafts, Lang: l}, f, &buf); err != nil {
		_, msg, fields := web.Localize(l, err)
		for _, fe := range fields {
			msg += "; " + fe.Field + ": " + fe.Message
		}
		return fmt.Errorf("report: %s", msg)
	}
	if *out == "-" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "%s: %d bytes\n", *out, buf.Len())
	return nil
}
