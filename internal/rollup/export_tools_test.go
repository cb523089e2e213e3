package rollup_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/demo"
	"giaoban/internal/docgen"
	"giaoban/internal/period"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
	"giaoban/internal/rollup"
	"giaoban/internal/vn"
)

// The exports are checked with the programs people open them with:
// LibreOffice (headless) must load the DOCX and print it, and the text
// pdftotext reads back from our PDF must be the Vietnamese source text,
// every diacritic included. scripts/test.sh installs both (Debian packages
// libreoffice-writer-nogui and poppler-utils); in CI a missing program
// fails the test, elsewhere it skips it.

func needTool(t *testing.T, name, debPkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: apt-get install " + debPkg
		if ci := os.Getenv("CI"); ci == "true" || ci == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// pdfToText extracts the text of a PDF with pdftotext -layout.
func pdfToText(t *testing.T, pdf string) string {
	t.Helper()
	bin := needTool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v\n%s", pdf, err, out)
	}
	return string(out)
}

// sofficeConvert converts a file with LibreOffice headless (in its own
// profile, within two minutes) to format ("pdf", "docx") and returns the
// path of the result; LibreOffice writes nothing when it cannot load the
// file.
func sofficeConvert(t *testing.T, in, format string) string {
	t.Helper()
	bin := needTool(t, "soffice", "libreoffice-writer-nogui")
	out, profile := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+profile,
		"--headless", "--norestore", "--convert-to", format, "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, msg)
	}
	if bytes.Contains(bytes.ToLower(msg), []byte("error")) {
		t.Errorf("soffice --convert-to %s says:\n%s", format, msg)
	}
	res := filepath.Join(out, strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))+"."+format)
	if st, err := os.Stat(res); err != nil || st.Size() == 0 {
		t.Fatalf("soffice made no %s (%v)\n%s", format, err, msg)
	}
	return res
}

// spaced composes s (NFC) and collapses white space.
func spaced(s string) string { return strings.Join(strings.Fields(vn.NFC(s)), " ") }

// sourceTexts lists what a document says: the texts printed across the
// page's width (title, subject, headings, paragraphs, captions), which must
// come back whole, and the words of what sits in columns (header and motto,
// number, place, table cells, signature, "Nơi nhận"), which must come back
// word for word (a cell wraps within its column, beside its neighbours).
func sourceTexts(d *docgen.Document) (whole, words []string) {
	whole = append(whole, d.Kind, d.Subject)
	cols := []string{d.Header.ParentBody, d.Header.IssuingBody, docgen.DefaultMotto1, docgen.DefaultMotto2, d.Number, d.Place,
		d.Signature.OnBehalf, d.Signature.Title, d.Signature.Name}
	cols = append(cols, d.Recipients...)
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case docgen.Heading:
			whole = append(whole, b.Text)
		case docgen.Paragraph:
			var s strings.Builder
			for _, r := range b.Runs {
				s.WriteString(r.Text)
			}
			whole = append(whole, s.String())
		case docgen.Table:
			whole = append(whole, b.Caption)
			for _, c := range b.Columns {
				cols = append(cols, c.Title)
			}
			for _, row := range b.Rows {
				for _, c := range row {
					cols = append(cols, c.Text)
				}
			}
		}
	}
	for _, c := range cols {
		words = append(words, strings.Fields(vn.NFC(c))...)
	}
	return whole, words
}

// requireSource checks that text holds every text and word of d, and every
// accented letter d uses.
func requireSource(t *testing.T, what, text string, d *docgen.Document) {
	t.Helper()
	got := spaced(text)
	whole, words := sourceTexts(d)
	missing := 0
	for _, w := range whole {
		if w = spaced(w); w != "" && !strings.Contains(got, w) {
			t.Errorf("%s lacks %q", what, w)
			missing++
		}
	}
	for _, w := range words {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks the word %q", what, w)
			missing++
		}
	}
	used := map[rune]bool{}
	for _, s := range append(whole, words...) {
		for _, r := range vn.NFC(s) {
			if r > 0x7f {
				used[r] = true
			}
		}
	}
	for r := range used {
		if !strings.ContainsRune(got, r) {
			t.Errorf("%s never shows %q", what, r)
			missing++
		}
	}
	if len(whole) < 10 || len(words) < 200 || len(used) < 30 {
		t.Errorf("%s: the document says too little to check (%d texts, %d words, %d letters)", what, len(whole), len(words), len(used))
	}
	if missing > 0 {
		t.Logf("%s, extracted text:\n%s", what, text)
	}
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The consolidated Q3 2021 report: the DOCX loads in LibreOffice, prints
// every text of the report and survives a DOCX round trip; our PDF gives
// back the source text exactly.
func TestExportsOpenInLibreOfficeAndKeepEveryDiacritic(t *testing.T) {
	needTool(t, "soffice", "libreoffice-writer-nogui")
	needTool(t, "pdftotext", "poppler-utils")
	d := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: 1, Username: "admin", Role: auth.Admin})
	s := rollup.New(d)
	var blocID int64
	if err := d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&blocID); err != nil {
		t.Fatal(err)
	}
	q := rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2021Q3"), Lang: "vi"}
	doc, err := s.Document(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	export := func(format string) []byte {
		var buf bytes.Buffer
		if err := s.Export(ctx, q, format, &buf); err != nil {
			t.Fatalf("export %s: %v", format, err)
		}
		return buf.Bytes()
	}
	if whole, _ := sourceTexts(doc); !strings.Contains(strings.Join(whole, "\n"), "7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết") {
		t.Fatalf("the report does not say the article's houses:\n%s", strings.Join(whole, "\n"))
	}

	t.Run("pdf", func(t *testing.T) {
		requireSource(t, "our PDF", pdfToText(t, writeTemp(t, "bao-cao.pdf", export("pdf"))), doc)
	})
	t.Run("docx", func(t *testing.T) {
		docx := writeTemp(t, "bao-cao.docx", export("docx"))
		requireSource(t, "the DOCX printed by LibreOffice", pdfToText(t, sofficeConvert(t, docx, "pdf")), doc)
		// Saved again by LibreOffice, it still says the same.
		again := sofficeConvert(t, docx, "docx")
		requireSource(t, "the DOCX saved by LibreOffice", pdfToText(t, sofficeConvert(t, again, "pdf")), doc)
	})
}

// An export of a period without figures says so, in every format, through
// the service and the page's links, and is no file; a period whose reports
// are not approved yet says that instead (and exports with drafts).
func TestExportOfAnEmptyPeriodSaysSo(t *testing.T) {
	d := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	admin := auth.WithPrincipal(ctx, &auth.Principal{UserID: 1, Username: "admin", Role: auth.Admin})
	var blocID int64
	if err := d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&blocID); err != nil {
		t.Fatal(err)
	}
	// A unit enters a figure of Q4 2021 and does not submit it.
	officer, err := (&account.Store{DB: d}).UserByUsername(ctx, "canbo.hnd")
	if err != nil || officer.UnitID == nil {
		t.Fatalf("officer: %v", err)
	}
	octx := auth.WithPrincipal(ctx, &auth.Principal{UserID: officer.ID, Username: officer.Username, Role: officer.Role, UnitID: *officer.UnitID,
		ScopePath: unitPath(t, d, *officer.UnitID)})
	if _, err := reporting.New(d).SaveValues(octx, *officer.UnitID, "2021Q4", []reporting.ValueInput{{Indicator: "TUYEN_TRUYEN_BUOI", Value: reporting.RawValue("12")}}); err != nil {
		t.Fatal(err)
	}
	s := rollup.New(d)
	if rep, err := s.Report(admin, rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2021Q4"), Drafts: true}); err != nil || !rep.Table.HasData {
		t.Fatalf("the draft figure of Q4 2021 is not in the report: %v", err)
	}

	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = adminAuth{}
	(&rollup.Handler{Service: s, Render: rd}).Routes(rt)
	for _, c := range []struct {
		query, want string
		status      int
	}{
		{"period=2019Q1", "Không có số liệu nào của", http.StatusNotFound},
		{"period=2019Q1&drafts=1", "Không có số liệu nào của", http.StatusNotFound},
		{"period=2021Q4", "Chưa có báo cáo nào của", http.StatusNotFound},
		{"period=2021Q4&drafts=1", "", http.StatusOK},
	} {
		for _, f := range rollup.Formats {
			url := "/consolidated/export." + f + "?bloc=" + itoa(blocID) + "&" + c.query
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
			disp := w.Header().Get("Content-Disposition")
			switch {
			case w.Code != c.status:
				t.Errorf("GET %s: %d, want %d", url, w.Code, c.status)
			case c.status == http.StatusOK && (!strings.HasPrefix(disp, "attachment") || w.Body.Len() < 1000):
				t.Errorf("GET %s: no file (%q, %d bytes)", url, disp, w.Body.Len())
			case c.status != http.StatusOK && (disp != "" || !strings.Contains(w.Body.String(), c.want) || !strings.Contains(w.Body.String(), "Quý")):
				t.Errorf("GET %s: %q, %d bytes, does not say %q:\n%.400s", url, disp, w.Body.Len(), c.want, w.Body.String())
			}
		}
	}
}

func unitPath(t *testing.T, d *db.DB, unitID int64) string {
	t.Helper()
	var path string
	if err := d.QueryRowContext(context.Background(), "SELECT a.path FROM units u JOIN areas a ON a.id = u.area_id WHERE u.id = $1", unitID).Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}
