package meeting

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

//go:embed templates/meeting/*.html
var templatesFS embed.FS

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }

// Handler serves the meeting and task pages and API.
type Handler struct {
	Service *Service
	Render  *web.Renderer
}

// Routes registers the routes and menu links of meetings and tasks.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/meeting", "partials.html")
	rt.Handle("GET", "/meetings/meeting.css", auth.PermPublic, serveCSS)
	h.meetingRoutes(rt)
	h.newsRoutes(rt)
	h.taskRoutes(rt)
	h.apiRoutes(rt)
	web.AddNav(
		web.NavItem{Key: "meeting.nav.meetings", Href: "/meetings", Perm: auth.PermAuthenticated, Order: 40},
		web.NavItem{Key: "meeting.nav.tasks", Href: "/tasks", Perm: auth.PermAuthenticated, Order: 41},
		web.NavItem{Key: "meeting.nav.mine", Href: "/tasks/mine", Perm: auth.PermTaskUpdate, Order: 42},
	)
}

// page renders a page; a form error (Invalid or Conflict) fills the field
// errors, any other error is returned. keepForm keeps what was typed.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, name, titleKey, title string, data any, formErr error) error {
	p := h.Render.NewPage(w, r, titleKey, data)
	if title != "" {
		p.Title = title
	}
	status := http.StatusOK
	if formErr != nil {
		fe, list, ok := web.FormErrors(p.Lang, formErr)
		if !ok {
			return formErr
		}
		p.Errors, p.ErrorList, p.Form = fe, list, r.PostForm
		status = http.StatusBadRequest
	}
	return h.Render.HTML(w, status, name, p)
}

func principalOf(r *http.Request) *auth.Principal { return auth.FromContext(r.Context()) }

// form reads typed values from a posted form, recording what cannot be
// read, so the whole form is answered at once.
type form struct {
	r  *http.Request
	fe apperr.Fields
}

func (f *form) text(name string) string { return strings.TrimSpace(f.r.PostFormValue(name)) }

func (f *form) id(name string) int64 {
	s := f.text(name)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		f.fe.Add(name, "err.bad_choice", s)
		return 0
	}
	return id
}

func (f *form) ids(name string) []int64 {
	var out []int64
	for _, s := range f.r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (f *form) int(name string, def int) int {
	s := f.text(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if err != nil {
		f.fe.Add(name, "err.not_a_number", s)
		return def
	}
	return n
}

func (f *form) date(name string) db.Date {
	s := f.text(name)
	if s == "" {
		return db.Date{}
	}
	t, err := vn.ParseDate(s)
	if err != nil {
		f.fe.Add(name, "err.bad_date", s)
		return db.Date{}
	}
	return db.NewDate(t)
}

// version reads the hidden version field (nil when absent).
func (f *form) version(name string) *int64 {
	s := f.text(name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &v
}

// dateTime reads a date (dd/mm/yyyy) and a time of day (14:00) in
// Vietnam; both empty is no time.
func (f *form) dateTime(dateField, timeField string) *time.Time {
	ds, ts := f.text(dateField), f.text(timeField)
	if ds == "" && ts == "" {
		return nil
	}
	if ds == "" {
		f.fe.Add(dateField, "meeting.err.date_for_time")
		return nil
	}
	d, err := vn.ParseDate(ds)
	if err != nil {
		f.fe.Add(dateField, "err.bad_date", ds)
		return nil
	}
	h, m := 0, 0
	if ts != "" {
		tt, err := time.Parse("15:04", strings.ReplaceAll(strings.ReplaceAll(ts, "h", ":"), ".", ":"))
		if err != nil {
			f.fe.Add(timeField, "meeting.err.bad_time", ts)
			return nil
		}
		h, m = tt.Hour(), tt.Minute()
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, Vietnam)
	return &t
}

// merge returns the form's reading problems together with a validation
// error's field problems.
func (f *form) merge(err error) error {
	if len(f.fe) == 0 {
		return err
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		for _, x := range e.Fields {
			if !f.fe.Has(x.Field) {
				f.fe = append(f.fe, x)
			}
		}
	}
	return f.fe.Err()
}

// parseBody reads a posted form, multipart or not.
func parseBody(w http.ResponseWriter, r *http.Request, maxBytes int64) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if r.MultipartForm == nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
			if err := r.ParseMultipartForm(8 << 20); err != nil {
				return apperr.Wrap(err, apperr.Invalid, "err.form_malformed")
			}
		}
		return nil
	}
	return web.ParseForm(w, r)
}

// localDate formats a time as a date in Vietnam ("" for nil).
func localDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return vn.FormatDate(t.In(Vietnam))
}

// localTime formats the time of day in Vietnam ("" for nil).
func localTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(Vietnam).Format("15:04")
}

// trustedHTML marks HTML the application built itself (a snapshot of the
// consolidated report) as safe to show as it is.
func trustedHTML(s string) template.HTML { return template.HTML(s) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// safeNext keeps a redirect on this site.
func safeNext(next, def string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return def
	}
	return next
}

// PeriodLabel names the period under review for people ("Quý III/2021",
// "Q3 2021"); a code that does not parse is shown as it is.
func (m *Meeting) PeriodLabel(lang string) string { return period.CodeLabel(m.Period, lang) }

// MinutesHTML is the sanitised minutes, to show as they are.
func (m *Meeting) MinutesHTML() template.HTML { return template.HTML(m.Minutes) }

// ConclusionsHTML is the sanitised conclusions, to show as they are.
func (m *Meeting) ConclusionsHTML() template.HTML { return template.HTML(m.Conclusions) }

// meetingCSS styles what the shared stylesheet does not know: overdue
// rows, progress bars, photo grids, check-box lists, fact lists.
const meetingCSS = `tr.overdue td{background:#fdecea}
.card.overdue{border-left:4px solid var(--bad)}
progress{vertical-align:middle;width:6rem}
.photos{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem}
.photos figure{margin:0}.photos figcaption{font-size:.9rem;color:var(--muted)}
.photos img,.snapshot img,.rich img{max-width:100%;height:auto;display:block}
fieldset{border:1px solid var(--line);border-radius:4px;margin:1rem 0;padding:.5rem .75rem}
fieldset[aria-invalid=true]{border-color:var(--bad)}
label.choice{font-weight:400;display:flex;gap:.5rem;align-items:flex-start;margin:.25rem 0}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0}
textarea.wide{max-width:none}table.people input,table.people select{max-width:none}
.snapshot{overflow-x:auto}.agenda h1,.agenda-body{text-align:center}.agenda-body{font-weight:700}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}progress{width:4rem}}
@media print{tr.overdue td{background:none;font-weight:700}progress{display:none}.card.overdue{border-left:0}}
`

func serveCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := io.WriteString(w, meetingCSS)
	return err
}
