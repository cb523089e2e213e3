package reporting

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Narratives are rich text from a textarea (or pasted from Word): they are
// kept as a small, safe subset of HTML. Everything else is dropped: other
// tags (their text is kept), every attribute, comments, and the content of
// script-like elements.

// allowed maps the tags kept to the tag written; <b> and <i> from pasted
// text become <strong> and <em>.
var allowed = map[atom.Atom]string{
	atom.P: "p", atom.Br: "br", atom.Strong: "strong", atom.Em: "em",
	atom.B: "strong", atom.I: "em", atom.Ul: "ul", atom.Ol: "ol", atom.Li: "li",
}

// dropped are elements whose content is not text a reader should see.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Noscript: true, atom.Template: true, atom.Textarea: true, atom.Select: true, atom.Title: true,
	atom.Head: true, atom.Svg: true, atom.Math: true, atom.Noframes: true, atom.Xmp: true,
	atom.Noembed: true, atom.Plaintext: true, atom.Frameset: true, atom.Option: true,
}

// looksLikeHTML: a tag, end tag, comment or character reference.
var looksLikeHTML = regexp.MustCompile(`<[a-zA-Z/!?]|&[#a-zA-Z0-9]+;`)

var blankLines = regexp.MustCompile(`\n[ \t]*\n[\n \t]*`)

// Sanitize returns the safe HTML of a narrative. Plain text (no tags)
// becomes paragraphs: a blank line separates paragraphs, a line break is
// <br>. The result is stable: Sanitize(Sanitize(s)) == Sanitize(s).
func Sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if !looksLikeHTML.MatchString(s) {
		return plainToHTML(s)
	}
	out := sanitizeHTML(s)
	// HTML parsing re-nests some odd inputs; a second pass reaches the
	// fixed point, so that saving twice never changes a narrative.
	for range 3 {
		next := sanitizeHTML(out)
		if next == out {
			break
		}
		out = next
	}
	if out != "" && !looksLikeHTML.MatchString(out) {
		// Only plain text survived: store it as plain text is stored.
		return plainToHTML(out)
	}
	return out
}

func plainToHTML(s string) string {
	var b strings.Builder
	for _, para := range blankLines.Split(strings.TrimSpace(s), -1) {
		lines := strings.Split(para, "\n")
		b.WriteString("<p>")
		for i, l := range lines {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(strings.TrimSpace(l)))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

func sanitizeHTML(s string) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return html.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		render(&b, n)
	}
	out := strings.TrimSpace(b.String())
	if strings.TrimSpace(textOf(out)) == "" {
		return ""
	}
	return out
}

func render(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(html.EscapeString(n.Data))
		return
	case html.ElementNode:
		if dropped[n.DataAtom] || n.Namespace != "" {
			return
		}
		tag, ok := allowed[n.DataAtom]
		if ok {
			b.WriteString("<" + tag + ">")
			if tag == "br" {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			render(b, c)
		}
		if ok {
			b.WriteString("</" + tag + ">")
		}
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			render(b, c)
		}
	}
	// Comments and doctypes are dropped.
}

// textOf strips tags from sanitised HTML (whose only tags have no
// attributes), leaving the escaped text.
func textOf(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PlainText is the text of a sanitised narrative, paragraphs and list items
// on their own lines (for exports and search).
func PlainText(h string) string {
	r := strings.NewReplacer("<br>", "\n", "</p>", "\n", "</li>", "\n")
	lines := strings.Split(textOf(r.Replace(h)), "\n")
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(html.UnescapeString(l)); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Editable is what the textarea shows for a stored narrative: plain
// paragraphs when the HTML holds nothing but paragraphs and line breaks (and
// its text would not be read back as HTML), the HTML itself otherwise.
// Sanitize(Editable(h)) == h for every sanitised h.
func Editable(h string) string {
	if h == "" {
		return ""
	}
	inner, ok := strings.CutPrefix(h, "<p>")
	if !ok || !strings.HasSuffix(inner, "</p>") {
		return h
	}
	inner = strings.TrimSuffix(inner, "</p>")
	paras := strings.Split(inner, "</p><p>")
	for i, p := range paras {
		lines := strings.Split(p, "<br>")
		for j, l := range lines {
			if strings.ContainsAny(l, "<>") || l != strings.TrimSpace(l) || l == "" && len(lines) > 1 {
				return h
			}
			t := html.UnescapeString(l)
			if looksLikeHTML.MatchString(t) || strings.Contains(t, "\n") {
				return h
			}
			lines[j] = t
		}
		if p == "" {
			return h
		}
		paras[i] = strings.Join(lines, "\n")
	}
	out := strings.Join(paras, "\n\n")
	if Sanitize(out) != h {
		return h
	}
	return out
}
