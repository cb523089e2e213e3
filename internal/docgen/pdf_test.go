package docgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestPDFCarriesEveryVietnameseLetter(t *testing.T) {
	d := allBlocks(t)
	b := render(t, d, WritePDF)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	dir := t.TempDir()
	path := writeFile(t, dir, "all.pdf", b)
	got := pdfText(t, path)
	requireEmbeddedFonts(t, path)
	want := append(append([]string{vietUpper, vietLower}, fixtureTexts...), allBlocksTexts...)
	requireTexts(t, got, want, wrapped)
	// The long table continues on another page, under its header again,
	// and pages from 2 on carry their number.
	pages := strings.Split(got, "\f")
	heads := 0
	for _, p := range pages {
		if strings.Contains(p, "Số tiền (đồng)") {
			heads++
		}
	}
	if heads < 2 {
		t.Errorf("table header on %d pages, want it repeated", heads)
	}
	if n := len(pages); n < 3 {
		t.Errorf("%d pages, want at least 3", n)
	}
	if first := strings.Fields(pages[0]); len(first) > 0 && first[0] == "1" {
		t.Errorf("page 1 is numbered")
	}
	if second := strings.Fields(pages[1]); len(second) == 0 || second[0] != "2" {
		t.Errorf("page 2 does not start with its number: %.80q", pages[1])
	}
}

// requireEmbeddedFonts checks with pdffonts that the PDF uses only fonts
// it embeds, with a Unicode map (so its text extracts).
func requireEmbeddedFonts(t *testing.T, pdf string) {
	t.Helper()
	bin := needTool(t, "pdffonts", "poppler-utils")
	out, err := exec.Command(bin, pdf).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 3 {
		t.Fatalf("no fonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type… encoding emb sub uni objID gen
		if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not embedded with a Unicode map: %s", l)
		}
	}
}

// TestPDFHeaderVariants: a draft without number and date, and a document
// without the motto block.
func TestPDFHeaderVariants(t *testing.T) {
	draft := Document{
		Header: Header{IssuingBody: "Ban Thường trực UBMTTQ xã Ia Dêr"},
		Number: "Số:      /TB-MTTQ", Place: "Ia Dêr", Kind: "Thông báo",
		Blocks: []Block{Text("Nội dung.")},
	}
	plain := Document{Header: Header{IssuingBody: "Hội Nông dân huyện", Motto1: "-"}, Kind: "Giấy biên nhận",
		Date: draft.Date, Blocks: []Block{Text("Đã nhận của ông Nguyễn Văn Ánh số tiền 500.000 đ.")}}
	dir := t.TempDir()
	got := pdfText(t, writeFile(t, dir, "draft.pdf", render(t, draft, WritePDF)))
	requireTexts(t, got, []string{"BAN THƯỜNG TRỰC UBMTTQ", "XÃ IA DÊR", "Số: /TB-MTTQ", "Ia Dêr, ngày tháng năm", "THÔNG BÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}, nil)
	got = pdfText(t, writeFile(t, dir, "plain.pdf", render(t, plain, WritePDF)))
	requireTexts(t, got, []string{"HỘI NÔNG DÂN HUYỆN", "GIẤY BIÊN NHẬN", "Đã nhận của ông Nguyễn Văn Ánh số tiền 500.000 đ."}, nil)
	if strings.Contains(got, "CỘNG HÒA") {
		t.Error("motto printed though Motto1 is \"-\"")
	}
}

func TestPDFIsDeterministic(t *testing.T) {
	d := q3Report(t)
	a, b := render(t, d, WritePDF), render(t, d, WritePDF)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one document differ")
	}
}

func TestPDFEmptyDocument(t *testing.T) {
	b := render(t, Document{}, WritePDF)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
}

func TestPDFRejectsABrokenImage(t *testing.T) {
	err := WritePDF(&bytes.Buffer{}, Document{Blocks: []Block{Image{PNG: []byte("not a png")}}})
	if err == nil {
		t.Fatal("no error for an image that is not a PNG")
	}
}

// TestPDFPreview writes the Q3 report and its first page as PNG into
// $DOCGEN_PREVIEW, to look at by eye.
func TestPDFPreview(t *testing.T) {
	dir := os.Getenv("DOCGEN_PREVIEW")
	if dir == "" {
		t.Skip("set DOCGEN_PREVIEW=DIR to write the preview")
	}
	pdf := writeFile(t, dir, "q3.pdf", render(t, q3Report(t), WritePDF))
	writeFile(t, dir, "all.pdf", render(t, allBlocks(t), WritePDF))
	docx := writeFile(t, dir, "q3.docx", render(t, q3Report(t), WriteDOCX))
	converted, err := os.ReadFile(sofficePDF(t, docx))
	if err != nil {
		t.Fatal(err)
	}
	fromDocx := writeFile(t, dir, "q3-docx.pdf", converted)
	bin := needTool(t, "pdftoppm", "poppler-utils")
	for _, f := range [][2]string{{pdf, "q3"}, {fromDocx, "q3-docx"}} {
		if out, err := exec.Command(bin, "-png", "-r", "60", f[0], filepath.Join(dir, f[1])).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
	}
}
