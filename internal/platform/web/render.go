package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/vn"
)

//go:embed templates/*.html
var layoutFS embed.FS

//go:embed static
var staticFS embed.FS

// Static returns the shared static files (CSS, JS, icons).
func Static() fs.FS {
	sub, _ := fs.Sub(staticFS, "static")
	return sub
}

// Renderer renders pages: each page template is parsed together with the
// layout and the shared partials.
type Renderer struct {
	mu    sync.RWMutex
	pages map[string]*template.Template
	base  *template.Template
	// stencils are the pages cut at their values, by key (see Stencil).
	stencils map[string]*Stencil
	// NoStencils renders every page by its template (tests compare).
	NoStencils bool
	// Version appears in the footer.
	Version string
	// NoticeKey, when set, is a message shown on every page (the demo says
	// its places and people are fictional).
	NoticeKey string
}

// Funcs are the helpers every template may use; formatting goes through vn
// so there is one money formatter and one date formatter.
var Funcs = template.FuncMap{
	"money":    vn.FormatMoney,
	"num":      vn.FormatInt,
	"date":     formatDate,
	"datetime": formatDateTime,
	"upper":    strings.ToUpper,
	"iso":      func(t time.Time) string { return t.Format("2006-01-02") },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"eq64": func(a, b int64) bool { return a == b },
	"deref64": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
}

type dater interface{ IsZero() bool }

func formatDate(v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return vn.FormatDate(t)
	case *time.Time:
		if t == nil || t.IsZero() {
			return ""
		}
		return vn.FormatDate(*t)
	case interface{ ISO() string }:
		s := t.ISO()
		if s == "" {
			return ""
		}
		tt, _ := time.Parse("2006-01-02", s)
		return vn.FormatDate(tt)
	}
	return fmt.Sprint(v)
}

func formatDateTime(v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return vn.FormatDateTime(t.In(Local))
	case *time.Time:
		if t == nil || t.IsZero() {
			return ""
		}
		return vn.FormatDateTime(t.In(Local))
	}
	return fmt.Sprint(v)
}

// Local is the time zone shown to users (Vietnam has one, without DST).
var Local = time.FixedZone("ICT", 7*3600)

// NewRenderer returns a renderer with the layout loaded.
func NewRenderer() *Renderer {
	base := template.Must(template.New("layout").Funcs(Funcs).ParseFS(layoutFS, "templates/layout.html"))
	rd := &Renderer{pages: map[string]*template.Template{}, base: base}
	rd.AddPages(layoutFS, "templates", "layout.html")
	return rd
}

// AddPages parses every file matching glob in fsys as a page, named by its
// path ("org/areas.html" for templates/org/areas.html when dir is
// "templates"). Pages define "title" and "content"; partials shared by a
// room's pages can be listed in partials.
func (rd *Renderer) AddPages(fsys fs.FS, dir string, partials ...string) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		panic(err)
	}
	parts := map[string]bool{}
	for _, p := range partials {
		parts[p] = true
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for _, f := range files {
		name := strings.TrimPrefix(f, dir+"/")
		if parts[name] {
			continue
		}
		t := template.Must(rd.base.Clone())
		for _, p := range partials {
			template.Must(t.ParseFS(fsys, path.Join(dir, p)))
		}
		template.Must(t.ParseFS(fsys, f))
		key := path.Join(path.Base(dir), name)
		if path.Base(dir) == "templates" {
			key = name
		}
		if _, dup := rd.pages[key]; dup {
			panic("web: page " + key + " registered twice")
		}
		rd.pages[key] = t
	}
}

// Page is what every template receives.
type Page struct {
	Title   string
	User    *auth.Principal
	Lang    string
	CSRF    string
	Path    string
	Query   url.Values
	Flash   string
	Version string
	Notice  string
	Data    any
	// Errors maps field names to their messages, for forms.
	Errors map[string]string
	// ErrorList holds messages not tied to one field (import errors…).
	ErrorList []string
	// Form holds the submitted values, so nothing typed is lost on error.
	Form url.Values
	// returnTo, when set, stands for ReturnTo (a stencil's slot).
	returnTo string
}

// ReturnTo is where the page's links come back to (the language switch):
// its path and query.
func (p *Page) ReturnTo() string {
	if p.returnTo != "" {
		return p.returnTo
	}
	if q := p.Query.Encode(); q != "" {
		return p.Path + "?" + q
	}
	return p.Path
}

// T renders a message in the page's language.
func (p *Page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// Can tells whether the user holds a permission (for showing links).
func (p *Page) Can(perm string) bool { return p.User.Has(auth.Perm(perm)) }

// Val returns the submitted value of a form field, or def.
func (p *Page) Val(field string, def any) string {
	if p.Form != nil {
		if v, ok := p.Form[field]; ok && len(v) > 0 {
			return v[0]
		}
	}
	if def == nil {
		return ""
	}
	switch d := def.(type) {
	case *int64:
		if d == nil {
			return ""
		}
		return fmt.Sprint(*d)
	case int64:
		if d == 0 {
			return ""
		}
	}
	return fmt.Sprint(def)
}

// Err returns the error message of a field ("" when fine).
func (p *Page) Err(field string) string { return p.Errors[field] }

// OtherLang is the language the switch link offers.
func (p *Page) OtherLang() string {
	if p.Lang == "en" {
		return "vi"
	}
	return "en"
}

// NewPage prepares the page data for r.
func (rd *Renderer) NewPage(w http.ResponseWriter, r *http.Request, titleKey string, data any) *Page {
	p := &Page{
		User:    auth.FromContext(r.Context()),
		Lang:    Lang(r),
		Path:    r.URL.Path,
		Query:   r.URL.Query(),
		Version: rd.Version,
		Data:    data,
		Notice:  rd.NoticeKey,
		Errors:  map[string]string{},
	}
	if p.User != nil {
		p.CSRF = p.User.CSRF
	}
	if titleKey != "" {
		p.Title = p.T(titleKey)
	}
	p.Flash = takeFlash(w, r, p.Lang)
	return p
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// HTML renders page name with status.
func (rd *Renderer) HTML(w http.ResponseWriter, status int, name string, p *Page) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := rd.execute(buf, name, p); err != nil {
		return err
	}
	return writeHTML(w, status, buf)
}

// execute renders page name into buf.
func (rd *Renderer) execute(buf *bytes.Buffer, name string, p *Page) error {
	rd.mu.RLock()
	t, ok := rd.pages[name]
	rd.mu.RUnlock()
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return nil
}

func writeHTML(w http.ResponseWriter, status int, buf *bytes.Buffer) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// With its length, the page goes out whole, not in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// Render is NewPage + HTML with status 200.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, name, titleKey string, data any) error {
	return rd.HTML(w, http.StatusOK, name, rd.NewPage(w, r, titleKey, data))
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Redirect sends the browser to url after a POST (303), with an optional
// flash message key shown on the next page.
func Redirect(w http.ResponseWriter, r *http.Request, url, flashKey string) error {
	if flashKey != "" {
		setFlash(w, r, flashKey)
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

const flashCookie = "giaoban_flash"

func setFlash(w http.ResponseWriter, r *http.Request, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(key), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	key, _ := url.QueryUnescape(c.Value)
	// Only catalogue keys are shown: a forged cookie cannot inject text.
	if !i18n.Has(lang, key) {
		return ""
	}
	return i18n.T(lang, key)
}

type ctxKeyLang struct{}

// Lang returns the language of the request.
func Lang(r *http.Request) string {
	if l, ok := r.Context().Value(ctxKeyLang{}).(string); ok {
		return l
	}
	return chooseLang(r, nil)
}

// T renders a message in the request's language.
func T(r *http.Request, key string, args ...any) string { return i18n.T(Lang(r), key, args...) }

const langCookie = "giaoban_lang"

// chooseLang: an explicit ?lang= or the language cookie wins, then the
// user's saved preference; Vietnamese otherwise (we do not follow the
// browser's Accept-Language: offices use English-language Windows).
func chooseLang(r *http.Request, p *auth.Principal) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return i18n.Normalize(l)
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value != "" {
		return i18n.Normalize(c.Value)
	}
	if p != nil && p.Lang != "" {
		return i18n.Normalize(p.Lang)
	}
	return i18n.Default
}

// SetLang remembers a language choice in a cookie.
func SetLang(w http.ResponseWriter, r *http.Request, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: i18n.Normalize(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func logErr(r *http.Request, err error) {
	slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
}

// T0 renders key in lang (alias used inside the package).
func T0(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }

// NavItem is a link in the main menu, shown to holders of Perm.
type NavItem struct {
	Key   string // message key of the label
	Href  string
	Perm  auth.Perm
	Order int
}

var (
	navMu sync.RWMutex
	nav   []NavItem
)

// AddNav adds a link to the main menu.
func AddNav(items ...NavItem) {
	navMu.Lock()
	defer navMu.Unlock()
	// Rooms register their links when routes are wired; wiring twice (tests
	// build several apps) must not duplicate them.
	for _, it := range items {
		dup := false
		for _, n := range nav {
			if n.Href == it.Href && n.Key == it.Key {
				dup = true
				break
			}
		}
		if !dup {
			nav = append(nav, it)
		}
	}
	for i := 1; i < len(nav); i++ {
		for j := i; j > 0 && nav[j].Order < nav[j-1].Order; j-- {
			nav[j], nav[j-1] = nav[j-1], nav[j]
		}
	}
}

// Nav returns the menu links the page's user may follow.
func (p *Page) Nav() []NavItem {
	navMu.RLock()
	defer navMu.RUnlock()
	var out []NavItem
	for _, n := range nav {
		if n.Perm != auth.PermPublic && p.User.Has(n.Perm) || n.Perm == auth.PermPublic {
			out = append(out, n)
		}
	}
	return out
}

// Active tells whether href is the current section.
func (p *Page) Active(href string) bool {
	return href == p.Path || href != "/" && strings.HasPrefix(p.Path, href+"/")
}

// SlotKind tells how a stencil's slot is escaped: as html/template escapes
// a string where the slot stands (its escapers, copied below).
type SlotKind uint8

const (
	SlotText    SlotKind = iota // HTML text, or a quoted attribute's value
	SlotURL                     // a whole URL: an href's value
	SlotURLPart                 // a value in the query of a URL
	SlotHTML                    // trusted HTML (template.HTML) in text
)

// layoutSlots are the layout's own slots, before the page's: where the
// language switch comes back to, the user's name, the CSRF token, the
// flash message.
var layoutSlots = [...]SlotKind{SlotURLPart, SlotText, SlotText, SlotText}

// A Stencil is a page rendered once by its template with marks in place of
// its values (slots), and cut at the marks: rendering it again writes the
// pieces and the values, each escaped as html/template escapes a string
// where the slot stands. For a page whose template calls dozens of
// functions and methods (labels, form values), that is a few µs instead of
// a few hundred. A stencil is checked when made: the template and the
// stencil must write the same page for values that need escaping in every
// context, or the stencil is not used.
type Stencil struct {
	parts []string // parts[i] comes before slot slots[i]; the last one ends the page
	slots []int
	kinds []SlotKind
}

const (
	slotMark = "Zq7Slot" // slot i is marked Zq7Slot<3 digits>qZ
	// maxStencils bounds the stencils a renderer keeps; past it they are
	// all dropped and made again as pages are asked for.
	maxStencils = 2000
)

func slotMarkOf(i int) string { return fmt.Sprintf("%s%03dqZ", slotMark, i) }

// slotProbe is a value of kind k that needs escaping in its context.
func slotProbe(k SlotKind, i int) string {
	n := strconv.Itoa(i)
	switch k {
	case SlotURL:
		return "/p" + n + "?a=<b>&c='d\"+e f%41%g é#x"
	case SlotURLPart:
		return "/p" + n + "?a=<b>&c='d\"+e f%41 é"
	case SlotHTML:
		return `<b class="p` + n + `">&amp;</b>`
	}
	return "<p" + n + " a=\"b\" c='d'>&+ é\x00"
}

// Stencil returns the stencil of page name for pages like p, made once
// and kept under key and what the layout shows of p (its language, path,
// title, user, menu…). The key must tell apart whatever the page's content
// shows other than its slots, which includes which slots are empty where
// the template tests them. data returns the page's Data with vals[i] in
// place of the page's slot i (of kind kinds[i]). Stencil returns nil when
// p cannot be stenciled (a page listing errors) or the stencil's check
// failed (logged once): render with HTML then.
func (rd *Renderer) Stencil(key, name string, p *Page, kinds []SlotKind, data func(vals []string) any) *Stencil {
	if rd.NoStencils || len(p.ErrorList) > 0 {
		return nil
	}
	var kb strings.Builder
	for _, s := range []string{name, key, p.Lang, p.Path, p.Title, p.Notice, p.Version} {
		kb.WriteString(s)
		kb.WriteByte(0)
	}
	if p.User != nil {
		kb.WriteString("user\x00")
		for _, n := range p.Nav() {
			kb.WriteString(n.Href)
			kb.WriteByte(1)
			kb.WriteString(n.Key)
			kb.WriteByte(1)
		}
	}
	if p.Flash != "" {
		kb.WriteString("\x00flash")
	}
	k := kb.String()
	rd.mu.RLock()
	s, ok := rd.stencils[k]
	rd.mu.RUnlock()
	if !ok {
		var err error
		if s, err = rd.makeStencil(name, p, kinds, data); err != nil {
			slog.Error("web: page not stenciled, rendered by its template", "page", name, "err", err)
			s = &Stencil{}
		}
		rd.mu.Lock()
		if len(rd.stencils) >= maxStencils {
			rd.stencils = nil
		}
		if rd.stencils == nil {
			rd.stencils = map[string]*Stencil{}
		}
		rd.stencils[k] = s
		rd.mu.Unlock()
	}
	if s.parts == nil {
		return nil
	}
	return s
}

// Stenciled counts the stencils in use (tests check pages are stenciled).
func (rd *Renderer) Stenciled() int {
	rd.mu.RLock()
	defer rd.mu.RUnlock()
	n := 0
	for _, s := range rd.stencils {
		if s.parts != nil {
			n++
		}
	}
	return n
}

func (rd *Renderer) makeStencil(name string, p *Page, kinds []SlotKind, data func([]string) any) (*Stencil, error) {
	all := append(layoutSlots[:len(layoutSlots):len(layoutSlots)], kinds...)
	render := func(vals []string) (string, error) {
		sp := *p
		sp.returnTo = vals[0]
		if p.User != nil {
			u := *p.User
			u.FullName = vals[1]
			sp.User = &u
		}
		if p.CSRF != "" {
			sp.CSRF = vals[2]
		}
		if p.Flash != "" {
			sp.Flash = vals[3]
		}
		sp.Data = data(vals[len(layoutSlots):])
		var b bytes.Buffer
		err := rd.execute(&b, name, &sp)
		return b.String(), err
	}
	marks := make([]string, len(all))
	probes := make([]string, len(all))
	for i, k := range all {
		marks[i] = slotMarkOf(i)
		probes[i] = slotProbe(k, i)
	}
	out, err := render(marks)
	if err != nil {
		return nil, err
	}
	s := &Stencil{kinds: all}
	for {
		j := strings.Index(out, slotMark)
		if j < 0 {
			break
		}
		end := j + len(slotMark) + 5
		i, err := strconv.Atoi(out[j+len(slotMark) : min(end-2, len(out))])
		if err != nil || i < 0 || i >= len(all) || end > len(out) || out[end-2:end] != "qZ" {
			return nil, fmt.Errorf("a slot's mark was changed: %.40q", out[j:])
		}
		s.parts = append(s.parts, out[:j])
		s.slots = append(s.slots, i)
		out = out[end:]
	}
	s.parts = append(s.parts, out)
	want, err := render(probes)
	if err != nil {
		return nil, err
	}
	var got bytes.Buffer
	s.write(&got, probes[:len(layoutSlots)], probes[len(layoutSlots):])
	if g := got.String(); g != want {
		i := 0
		for i < len(g) && i < len(want) && g[i] == want[i] {
			i++
		}
		return nil, fmt.Errorf("the stencil writes %.60q where the template writes %.60q", g[i:], want[i:])
	}
	return s, nil
}

// HTML renders the stencil's page for p (the layout's values) and vals (the
// page's slots) with status.
func (s *Stencil) HTML(w http.ResponseWriter, status int, p *Page, vals []string) error {
	var name string
	if p.User != nil {
		name = p.User.FullName
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	s.write(buf, []string{p.ReturnTo(), name, p.CSRF, p.Flash}, vals)
	return writeHTML(w, status, buf)
}

func (s *Stencil) write(b *bytes.Buffer, layout, vals []string) {
	n := 0
	for _, p := range s.parts {
		n += len(p)
	}
	b.Grow(n + 1024)
	for i, slot := range s.slots {
		b.WriteString(s.parts[i])
		var v string
		if slot < len(layout) {
			v = layout[slot]
		} else if slot-len(layout) < len(vals) {
			v = vals[slot-len(layout)]
		}
		writeSlot(b, s.kinds[slot], v)
	}
	b.WriteString(s.parts[len(s.parts)-1])
}

// writeSlot writes v escaped as html/template escapes a string in a slot
// of kind k: its htmlEscaper (= attrEscaper for strings), its urlFilter and
// urlNormalizer before it for a URL, its urlEscaper for a part of a query.
func writeSlot(b *bytes.Buffer, k SlotKind, v string) {
	switch k {
	case SlotHTML:
		b.WriteString(v)
	case SlotText:
		writeEscapedHTML(b, v)
	case SlotURL:
		if !isSafeURL(v) {
			v = "#ZgotmplZ"
		}
		var u bytes.Buffer
		writeURL(&u, v, true)
		writeEscapedHTML(b, u.String())
	case SlotURLPart:
		writeURL(b, v, false) // percent-encoded, nothing left to escape as HTML
	}
}

// htmlEscapes is html/template's htmlReplacementTable.
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeEscapedHTML is html/template's htmlReplacer with its
// htmlReplacementTable: only those ASCII bytes change (an invalid UTF-8
// byte is never one of them, so bytes will do).
func writeEscapedHTML(b *bytes.Buffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) < len(htmlEscapes) && htmlEscapes[c] != "" {
			b.WriteString(s[written:i])
			b.WriteString(htmlEscapes[c])
			written = i + 1
		}
	}
	b.WriteString(s[written:])
}

// isSafeURL is html/template's: a URL with a scheme other than http(s) or
// mailto is refused.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// writeURL is html/template's processURLOnto: it percent-encodes what is
// not unreserved, keeping the reserved characters and valid escapes when
// norm (a whole URL).
func writeURL(b *bytes.Buffer, s string, norm bool) {
	written := 0
	for i, n := 0, len(s); i < n; i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
		written = i + 1
	}
	b.WriteString(s[written:])
}

const hexDigits = "0123456789abcdef"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
