package reporting

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"   \n ", ""},
		{"Tiếp nhận 348 triệu đồng.", "<p>Tiếp nhận 348 triệu đồng.</p>"},
		{"Dòng 1\nDòng 2\n\n\nĐoạn 2", "<p>Dòng 1<br>Dòng 2</p><p>Đoạn 2</p>"},
		{"a < b & c > d", "<p>a &lt; b &amp; c &gt; d</p>"},
		{"<p>Một <strong>hai</strong> <em>ba</em></p>", "<p>Một <strong>hai</strong> <em>ba</em></p>"},
		{"<b>đậm</b> <i>nghiêng</i>", "<strong>đậm</strong> <em>nghiêng</em>"},
		{`<p onclick="x()" style="color:red" class="a">x</p>`, "<p>x</p>"},
		{`<script>alert(1)</script><p>ok</p>`, "<p>ok</p>"},
		{`<img src=x onerror=alert(1)>chữ`, "<p>chữ</p>"},
		{`<a href="javascript:alert(1)">liên kết</a>`, "<p>liên kết</p>"},
		{`<ul><li>một</li><li>hai</li></ul>`, "<ul><li>một</li><li>hai</li></ul>"},
		{`<ol><li>a<ul><li>b</li></ul></li></ol>`, "<ol><li>a<ul><li>b</li></ul></li></ol>"},
		{`<div><span>x</span></div><!-- c --><style>p{}</style>`, "<p>x</p>"},
		{`<p>unclosed <strong>bold`, "<p>unclosed <strong>bold</strong></p>"},
		{`<svg><script>alert(1)</script></svg>t`, "<p>t</p>"},
		{`<iframe src="//evil"></iframe><p>&lt;script&gt;</p>`, "<p>&lt;script&gt;</p>"},
		{`<p></p>`, ""},
		{`<br/>x<br>`, "<br>x<br>"},
		{`<table><tr><td>ô</td></tr></table>`, "<p>ô</p>"},
		{`<textarea></p><script>alert(1)</script></textarea>`, ""},
		{`"quotes" 'single'`, "<p>&#34;quotes&#34; &#39;single&#39;</p>"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEditableRoundTrip(t *testing.T) {
	cases := []struct{ stored, editable string }{
		{"<p>Một</p><p>Hai<br>Ba</p>", "Một\n\nHai\nBa"},
		{"<p>a &lt; b &amp; c</p>", "a < b & c"},
		{"<p>x <strong>y</strong></p>", "<p>x <strong>y</strong></p>"},
		{"<p>&lt;b&gt;</p>", "<p>&lt;b&gt;</p>"},
		{"<ul><li>a</li></ul>", "<ul><li>a</li></ul>"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Editable(c.stored); got != c.editable {
			t.Errorf("Editable(%q) = %q, want %q", c.stored, got, c.editable)
		}
		if got := Sanitize(Editable(c.stored)); got != c.stored {
			t.Errorf("Sanitize(Editable(%q)) = %q", c.stored, got)
		}
	}
	if got := PlainText("<p>Một</p><ul><li>hai &amp; ba</li></ul>"); got != "Một\nhai & ba" {
		t.Errorf("PlainText = %q", got)
	}
}

// checkSafe parses the sanitiser's output and fails on any element outside
// the allowlist or any attribute.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	ok := map[string]bool{"p": true, "br": true, "strong": true, "em": true, "ul": true, "ol": true, "li": true}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if !ok[n.Data] || n.Namespace != "" {
				t.Fatalf("Sanitize(%q) = %q: element <%s> kept", in, out, n.Data)
			}
			if len(n.Attr) > 0 {
				t.Fatalf("Sanitize(%q) = %q: attributes kept on <%s>", in, out, n.Data)
			}
		case html.CommentNode, html.DoctypeNode:
			t.Fatalf("Sanitize(%q) = %q: comment or doctype kept", in, out)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "chữ thường", "<p>a</p>", "<script>alert(1)</script>", `<img src=x onerror=alert(1)>`,
		"<b><p>x</p></b>", "<ul><li>a<li>b</ul>", "<p><table><td>x</table>", "<!--<p>-->", "<math><mi>x</mi></math>",
		"<svg><foreignObject><p>x</p></foreignObject></svg>", "&lt;script&gt;", "<<p>>", "<p>a\n\nb</p>", "a\n\nb\nc",
		"<noscript><p>x</p></noscript>", "<em><strong>x</em></strong>", "<select><option>x</select>y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		checkSafe(t, in, out)
		if again := Sanitize(out); again != out {
			t.Fatalf("not stable: Sanitize(%q) = %q, again %q", in, out, again)
		}
		if got := Sanitize(Editable(out)); got != out {
			t.Fatalf("Editable round trip: %q → %q → %q", out, Editable(out), got)
		}
	})
}
