package docgen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// docxParts unzips a DOCX into its parts.
func docxParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for i, f := range zr.File {
		if i == 0 && f.Name != "[Content_Types].xml" {
			t.Errorf("first part is %s, want [Content_Types].xml", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return parts
}

func TestDOCXPartsAreWellFormedXML(t *testing.T) {
	parts := docxParts(t, render(t, allBlocks(t), WriteDOCX))
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/settings.xml", "word/_rels/document.xml.rels", "word/header1.xml", "word/header2.xml",
		"docProps/core.xml", "docProps/app.xml", "word/media/image1.png", "word/media/image2.png"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("part %s missing", name)
		}
	}
	for name, b := range parts {
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
		}
	}
	doc := string(parts["word/document.xml"])
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`,
		`<w:tblHeader/>`, `<w:titlePg/>`,
		`&lt;&amp;&gt; &#34;ký tự&#34; đặc biệt.`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(parts["word/styles.xml"]), `w:ascii="Times New Roman"`) {
		t.Error("styles.xml does not name Times New Roman")
	}
}

func TestDOCXOpensInLibreOffice(t *testing.T) {
	b := render(t, allBlocks(t), WriteDOCX)
	dir := t.TempDir()
	pdf := sofficePDF(t, writeFile(t, dir, "baocao.docx", b))
	got := pdfText(t, pdf)
	want := append(append([]string{vietUpper, vietLower}, fixtureTexts...), allBlocksTexts...)
	requireTexts(t, got, want, wrapped)
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
	if second := strings.Fields(pages[1]); len(second) == 0 || second[0] != "2" {
		t.Errorf("page 2 does not start with its number: %.80q", pages[1])
	}
}

func TestDOCXIsDeterministic(t *testing.T) {
	d := q3Report(t)
	if !bytes.Equal(render(t, d, WriteDOCX), render(t, d, WriteDOCX)) {
		t.Error("two renderings of one document differ")
	}
}

func TestDOCXEmptyDocument(t *testing.T) {
	docxParts(t, render(t, Document{}, WriteDOCX))
}
