package indicator

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
)

//go:embed templates/indicator/*.html
var templatesFS embed.FS

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }

// Handler serves the catalogue pages and API: everyone logged in reads,
// admins (PermConfigure) change.
type Handler struct {
	Store  *Store
	Render *web.Renderer
}

// Routes registers the catalogue's pages and API. A POST to an
// indicator, form or rule page carries an action ("save", "retire",
// "unretire", "delete"): one route per record keeps the patterns free of
// conflicts between /indicators/{id}/… and /indicators/forms/{id}.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/indicator", "partials.html")
	read, write := auth.PermAuthenticated, auth.PermConfigure

	rt.Handle("GET", "/indicators", read, h.list)
	rt.Handle("POST", "/indicators", write, h.create)
	rt.Handle("GET", "/indicators/new", write, h.newIndicator)
	rt.Handle("POST", "/indicators/install", write, h.install)
	rt.Handle("GET", "/indicators/{id}", read, h.show)
	rt.Handle("POST", "/indicators/{id}", write, h.post)

	rt.Handle("GET", "/indicators/forms", read, h.formList)
	rt.Handle("POST", "/indicators/forms", write, h.formCreate)
	rt.Handle("GET", "/indicators/forms/new", write, h.formNew)
	rt.Handle("GET", "/indicators/forms/{id}", read, h.formShow)
	rt.Handle("POST", "/indicators/forms/{id}", write, h.formPost)

	rt.Handle("GET", "/indicators/rules", read, h.ruleList)
	rt.Handle("POST", "/indicators/rules", write, h.ruleCreate)
	rt.Handle("GET", "/indicators/rules/new", write, h.ruleNew)
	rt.Handle("GET", "/indicators/rules/{id}", read, h.ruleShow)
	rt.Handle("POST", "/indicators/rules/{id}", write, h.rulePost)

	h.apiRoutes(rt)
	web.AddNav(web.NavItem{Key: "indicator.nav", Href: "/indicators", Perm: auth.PermAuthenticated, Order: 30})
}

// page renders a page; a form error (Invalid or Conflict) fills the field
// errors and keeps what was typed, any other error is returned.
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

func canConfigure(r *http.Request) bool {
	return auth.FromContext(r.Context()).Has(auth.PermConfigure)
}

// formInt reads an optional integer field; a value that is not a number
// is recorded as a field error.
func formInt(fe *apperr.Fields, r *http.Request, name string) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		fe.Add(name, "err.not_a_number", v)
	}
	return n
}

func formBool(r *http.Request, name string) *bool {
	b := r.PostFormValue(name) != ""
	return &b
}

// PeriodTypeOption is a period type in a select.
type PeriodTypeOption struct {
	Type  period.Type
	Label string
}

func periodTypes(lang string) []PeriodTypeOption {
	var out []PeriodTypeOption
	for _, t := range period.TypesAll() {
		l := t.LabelVI()
		if lang == "en" {
			l = t.LabelEN()
		}
		out = append(out, PeriodTypeOption{Type: t, Label: l})
	}
	return out
}

func periodLabel(t period.Type, lang string) string {
	if lang == "en" {
		return t.LabelEN()
	}
	return t.LabelVI()
}

// CodeHTML is the code with line-break opportunities after underscores,
// so that long codes wrap on a phone instead of widening the table.
func (ind Indicator) CodeHTML() template.HTML {
	return breakable(ind.Code)
}

func breakable(code string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(code), "_", "_<wbr>"))
}

// CodeHTML is the rule's code with line-break opportunities.
func (r Rule) CodeHTML() template.HTML { return breakable(r.Code) }

// CodeHTML is the form's code with line-break opportunities.
func (f Form) CodeHTML() template.HTML { return breakable(f.Code) }

// ExprHTML is "left op right" with line-break opportunities.
func (r Rule) ExprHTML() template.HTML { return breakable(r.Left + " " + r.Operator + " " + r.Right) }
