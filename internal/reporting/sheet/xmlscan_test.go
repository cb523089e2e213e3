package sheet

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// tokens renders a token stream for comparison: start tags with their
// attributes, end tags, and the text between tags (adjacent text joined,
// empty text dropped).
func stdTokens(in string) (string, bool) {
	d := xml.NewDecoder(strings.NewReader(in))
	var out, text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			fmt.Fprintf(&out, "T%q\n", text.String())
			text.Reset()
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			flush()
			return out.String(), true
		}
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			fmt.Fprintf(&out, "S%s", t.Name.Local)
			for _, a := range t.Attr {
				fmt.Fprintf(&out, " %s=%q", a.Name.Local, a.Value)
			}
			out.WriteByte('\n')
		case xml.EndElement:
			flush()
			fmt.Fprintf(&out, "E%s\n", t.Name.Local)
		case xml.CharData:
			text.Write(t)
		case xml.Directive:
			return "", false
		}
	}
}

func ourTokens(in string) (string, bool) {
	x := newXMLScanner(strings.NewReader(in))
	var out, text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			fmt.Fprintf(&out, "T%q\n", text.String())
			text.Reset()
		}
	}
	for x.next() {
		switch x.kind {
		case tokStart:
			flush()
			fmt.Fprintf(&out, "S%s", x.name)
			for _, a := range x.attrs {
				fmt.Fprintf(&out, " %s=%q", x.abuf[a.n0:a.n1], x.abuf[a.v0:a.v1])
			}
			out.WriteByte('\n')
		case tokEnd:
			flush()
			fmt.Fprintf(&out, "E%s\n", x.name)
		case tokText:
			text.Write(x.text)
		}
	}
	if x.err != nil {
		return "", false
	}
	flush()
	return out.String(), true
}

var xmlSamples = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="r"><sheetData>` +
		`<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;c&gt; &#7889;&#x1EE5; </t></is></c>` +
		`<c r="C1"><f>SUM(A1:B1)&gt;0</f><v>1.5E+3</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
	`<x:worksheet xmlns:x="ns"><x:sheetData><x:row><x:c t='str' a = "1>2" b='"'><x:v>it's</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	"<a><!-- a comment > with -- dashes --><![CDATA[<raw> & \r\n text]]><b/>tail\r\nline</a>",
	`<sst count="2"><si><t>Có</t></si><si><r><rPr><b/></rPr><t>Kh</t></r><r><t>ông</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si></sst>`,
	`<a b="x"c='y'/>`,
	`<a>&unknown;</a>`,
	`<a>x & y</a>`,
	`<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>`,
	`<a b="unclosed>`,
	"<a>" + strings.Repeat("x", 200_000) + "</a>",
	`<a b="` + strings.Repeat(">", 70_000) + `"/>`,
	`<!--` + strings.Repeat(">", 70_000) + `--><a/>`,
}

func TestXMLScannerAgrees(t *testing.T) {
	for i, in := range xmlSamples {
		want, stdOK := stdTokens(in)
		got, ok := ourTokens(in)
		if stdOK && (!ok || got != want) {
			t.Errorf("sample %d: ours (ok %v)\n%s\nencoding/xml\n%s", i, ok, got, want)
		}
	}
	// What the reader relies on: the worksheet sample's tokens.
	got, _ := ourTokens(xmlSamples[0])
	if !strings.Contains(got, `T" a & b <c> ốụ "`) || !strings.Contains(got, "Sf\n") || !strings.Contains(got, `SmergeCell ref="A1:B1"`) {
		t.Errorf("tokens:\n%s", got)
	}
}

// FuzzXMLScanner holds the scanner to encoding/xml: whenever encoding/xml
// reads an input, the scanner reads it too, with the same tokens.
func FuzzXMLScanner(f *testing.F) {
	for _, s := range xmlSamples {
		if len(s) < 4096 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := ourTokens(in)
		want, stdOK := stdTokens(in)
		if stdOK && (!ok || got != want) {
			t.Errorf("ours (ok %v)\n%s\nencoding/xml\n%s", ok, got, want)
		}
	})
}
