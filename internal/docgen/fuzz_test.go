package docgen

import (
	"bytes"
	"testing"
)

// FuzzWriters feeds any text to every writer: none may panic, and the PDF
// and DOCX writers must succeed (text is data, never markup).
func FuzzWriters(f *testing.F) {
	for _, s := range []string{"", "a", vietUpper, "<w:t>&amp;</w:t>", "\x00\x01\x0b\ufffe", "x\ny\tz", "🙂 漢字", "     ", "\n\n\n"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Document{
			Header: Header{ParentBody: a, IssuingBody: b}, Number: a, Place: b, Kind: a, Subject: b,
			Blocks: []Block{
				Heading{Level: len(a) % 4, Text: a},
				Paragraph{Runs: []Run{{Text: a, Bold: true}, {Text: b, Italic: true}}},
				List{Items: []string{a, b}},
				Table{Caption: a, Columns: []Column{{Title: a, Width: 0.01}, {Title: b, Numeric: true}}, Rows: [][]Cell{{TextCell(a), TextCell(b)}, {TextCell(b)}}, HeaderRows: 5, TotalRow: true},
			},
			Signature: Signature{OnBehalf: a, Title: b, Name: a}, Recipients: []string{a, b},
		}
		if err := WritePDF(&bytes.Buffer{}, d); err != nil {
			t.Errorf("pdf: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteDOCX(&buf, d); err != nil {
			t.Errorf("docx: %v", err)
		}
		docxParts(t, buf.Bytes())
		_ = WriteXLSX(&bytes.Buffer{}, d, XLSXOptions{SheetPerTable: len(a)%2 == 0})
	})
}
