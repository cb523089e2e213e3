package docgen

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"giaoban/internal/vn"
)

// needTool returns the path of an external program the test needs. A
// missing program fails the test in CI (CI=true) and skips it elsewhere.
func needTool(t *testing.T, name, debPkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: apt-get install " + debPkg
		if os.Getenv("CI") == "true" || os.Getenv("CI") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// pdfText extracts the text of a PDF file with pdftotext -layout.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	bin := needTool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// normSpace composes s (NFC) and collapses white space to single spaces.
func normSpace(s string) string {
	return strings.Join(strings.Fields(vn.NFC(s)), " ")
}

// noSpace composes s and drops all white space.
func noSpace(s string) string {
	return strings.Join(strings.Fields(vn.NFC(s)), "")
}

// requireTexts checks that every want string appears in got, compared with
// white space collapsed (long words may wrap, so a word is also looked for
// with white space removed when wrapOK lists it).
func requireTexts(t *testing.T, got string, want []string, wrapOK map[string]bool) {
	t.Helper()
	g, gn := normSpace(got), noSpace(got)
	for _, w := range want {
		if wrapOK[w] {
			if !strings.Contains(gn, noSpace(w)) {
				t.Errorf("text %q missing (spaces ignored)", w)
			}
			continue
		}
		if !strings.Contains(g, normSpace(w)) {
			t.Errorf("text %q missing", w)
		}
	}
	if t.Failed() {
		t.Logf("extracted text:\n%s", got)
	}
}

// writeFile writes b into dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// render writes d with fn into a buffer.
func render(t *testing.T, d Document, fn func(io.Writer, Document) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sofficePDF converts a document to PDF with LibreOffice headless, in its
// own profile directory, within 60 seconds, and returns the PDF's path.
func sofficePDF(t *testing.T, in string) string {
	t.Helper()
	bin := needTool(t, "soffice", "libreoffice-writer-nogui")
	out := t.TempDir()
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+profile,
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	pdf := filepath.Join(out, strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))+".pdf")
	st, err := os.Stat(pdf)
	if err != nil || st.Size() == 0 {
		t.Fatalf("soffice made no PDF (%v)\n%s", err, msg)
	}
	return pdf
}
