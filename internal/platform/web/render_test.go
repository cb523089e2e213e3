package web

import (
	"bytes"
	"html/template"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"giaoban/internal/platform/auth"
)

// slotContexts are the places a slot may stand, with its kind.
var slotContexts = []struct {
	kind SlotKind
	tmpl string
}{
	{SlotText, `<p>{{.}}</p>`},
	{SlotText, `<input value="{{.}}">`},
	{SlotURL, `<a href="{{.}}">`},
	{SlotURLPart, `<a href="/lang/en?next={{.}}">`},
}

var slotValues = []string{"", "plain", `<script>alert("x")</script>`, "a'b\"c&d+e<f>g", "\x00nul", "é ngày 31/02", "\xff\xfe bad utf-8",
	"/quy/X/thu?q=a+b&format=csv", "javascript:alert(1)", "JavaScript:x", "mailto:a@b.c", "HTTPS://x.vn/a?b=c#d", "/a:b", "%zz%4", "%41%4g%",
	"a b\tc\nd", "?x=1&y=%C3%A9", "[]!$*,;@~", "\u2028\ufdd0\uffff"}

// writeSlot escapes a value as html/template does where the slot stands.
func TestSlotEscapingIsHTMLTemplates(t *testing.T) {
	for _, c := range slotContexts {
		tm := template.Must(template.New("").Parse(c.tmpl))
		pre, post, _ := strings.Cut(c.tmpl, "{{.}}")
		for _, v := range slotValues {
			checkSlot(t, tm, c.kind, pre, post, v)
		}
	}
}

func FuzzSlotEscapingIsHTMLTemplates(f *testing.F) {
	for _, v := range slotValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, c := range slotContexts {
			tm := template.Must(template.New("").Parse(c.tmpl))
			pre, post, _ := strings.Cut(c.tmpl, "{{.}}")
			checkSlot(t, tm, c.kind, pre, post, v)
		}
	})
}

func checkSlot(t *testing.T, tm *template.Template, k SlotKind, pre, post, v string) {
	t.Helper()
	var want, got bytes.Buffer
	if err := tm.Execute(&want, v); err != nil {
		t.Fatal(err)
	}
	got.WriteString(pre)
	writeSlot(&got, k, v)
	got.WriteString(post)
	if got.String() != want.String() {
		t.Errorf("%q in %s: %q, html/template writes %q", v, pre, got.String(), want.String())
	}
}

const stencilPage = `{{define "content"}}<h1>{{.T "nav.login"}}</h1>
<form><input name="q" value="{{.Data.Q}}"> <a href="{{.Data.URL}}">csv</a>{{if .Data.Rows}}<table>{{.Data.Rows}}</table>{{end}}</form>{{end}}`

type stencilData struct {
	Q, URL string
	Rows   template.HTML
}

func stencilRenderer(page string) *Renderer {
	rd := NewRenderer()
	rd.AddPages(fstest.MapFS{"t/x.html": {Data: []byte(page)}}, "t")
	return rd
}

// A stencil writes the page its template writes, for the public and a
// signed-in user, with a flash message, values that need escaping and a
// section shown or not.
func TestStencilIsTheTemplatesPage(t *testing.T) {
	rd := stencilRenderer(stencilPage)
	kinds := []SlotKind{SlotText, SlotURL, SlotHTML}
	for _, who := range []*auth.Principal{nil, {UserID: 3, FullName: `Lê "Văn" <A>`, Role: auth.Admin, CSRF: "t&k"}} {
		for _, q := range []string{"", "a", `<b>"x"+y</b>`} {
			for _, rows := range []template.HTML{"", "<tr><td>1</td></tr>"} {
				for _, flash := range []string{"", "Đã <lưu>"} {
					r := httptest.NewRequest("GET", "/t/x?"+url.Values{"q": {q}, "lang": {"en"}}.Encode(), nil)
					d := &stencilData{Q: q, URL: "/t/x?" + url.Values{"q": {q}, "format": {"csv"}}.Encode(), Rows: rows}
					p := rd.NewPage(httptest.NewRecorder(), r, "nav.login", d)
					p.User, p.Flash = who, flash
					if who != nil {
						p.CSRF = who.CSRF
					}
					tw := httptest.NewRecorder()
					if err := rd.HTML(tw, 200, "t/x.html", p); err != nil {
						t.Fatal(err)
					}
					key := "-"
					if rows != "" {
						key = "rows"
					}
					st := rd.Stencil(key, "t/x.html", p, kinds, func(v []string) any {
						c := &stencilData{Q: v[0], URL: v[1]}
						if d.Rows != "" {
							c.Rows = template.HTML(v[2])
						}
						return c
					})
					if st == nil {
						t.Fatal("no stencil")
					}
					sw := httptest.NewRecorder()
					if err := st.HTML(sw, 200, p, []string{d.Q, d.URL, string(d.Rows)}); err != nil {
						t.Fatal(err)
					}
					if sw.Body.String() != tw.Body.String() {
						t.Errorf("%v %q %q %q: the stencil writes\n%s\nthe template\n%s", who, q, rows, flash, sw.Body, tw.Body)
					}
					if sw.Header().Get("Content-Type") != tw.Header().Get("Content-Type") || sw.Header().Get("Content-Length") != tw.Header().Get("Content-Length") {
						t.Errorf("headers %v, template's %v", sw.Header(), tw.Header())
					}
				}
			}
		}
	}
	if n := rd.Stenciled(); n != 2*2*2 {
		t.Errorf("%d stencils kept, want 8 (user or not, flash or not, rows or not)", n)
	}
}

// A slot declared of the wrong kind (a URL said to be text) fails the
// check: no stencil, the template renders the page.
func TestStencilRefusesAWrongKind(t *testing.T) {
	rd := stencilRenderer(stencilPage)
	r := httptest.NewRequest("GET", "/t/x", nil)
	p := rd.NewPage(httptest.NewRecorder(), r, "", &stencilData{})
	if st := rd.Stencil("", "t/x.html", p, []SlotKind{SlotText, SlotText, SlotHTML}, func(v []string) any {
		return &stencilData{Q: v[0], URL: v[1]}
	}); st != nil {
		t.Error("a URL slot taken for text was stenciled")
	}
	rd.NoStencils = true
	if st := rd.Stencil("", "t/x.html", p, []SlotKind{SlotText, SlotURL, SlotHTML}, func(v []string) any {
		return &stencilData{Q: v[0], URL: v[1]}
	}); st != nil {
		t.Error("stenciled with NoStencils")
	}
}
