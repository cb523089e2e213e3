package fund

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

//go:embed templates/fund/*.html
var templatesFS embed.FS

// Handler serves the fund pages (public disclosure and the secretariat's)
// and the fund API.
type Handler struct {
	Store  *Store
	Render *web.Renderer
	// Limiter rate-limits the public pages and the public API per client
	// address; nil: NewRateLimiter(DefaultRate, DefaultBurst).
	Limiter *RateLimiter
	// Pages caches rendered public pages; nil: NewPageCache(DefaultPages).
	// NewPageCache(0) disables it.
	Pages *PageCache

	funds fundCache // public funds' headers, checked against the database on each request
}

// DefaultPages is the number of public pages cached by default (about
// 20 KB each), within DefaultPageBytes.
const DefaultPages = 2000

// DefaultPageBytes bounds the memory of the public page cache.
const DefaultPageBytes = 16 << 20

// Routes registers the fund routes and menu links.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/fund", "partials.html")
	if h.Limiter == nil {
		h.Limiter = NewRateLimiter(DefaultRate, DefaultBurst)
	}
	if h.Pages == nil {
		h.Pages = NewPageCache(DefaultPages)
	}
	// A commit of this process shows on the public pages at once.
	h.Store.AfterCommit(func(context.Context, []int64, []time.Time) { h.funds.forget() })
	h.publicRoutes(rt)
	h.manageRoutes(rt)
	h.importRoutes(rt)
	h.apiRoutes(rt)
	h.proofRoutes(rt)
	web.AddNav(
		web.NavItem{Key: "fund.nav", Href: "/funds", Perm: auth.PermFundManage, Order: 60},
		web.NavItem{Key: "fund.nav_public", Href: "/quy", Perm: auth.PermPublic, Order: 70},
	)
}

// limited wraps a public handler in the per-client rate limit: over it,
// the visitor gets the error page (or JSON) with status 429 and a
// Retry-After header.
func (h *Handler) limited(fn web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if ok, wait := h.Limiter.Allow(web.ClientIP(r)); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			return apperr.New(apperr.TooMany, "err.too_many")
		}
		return fn(w, r)
	}
}

// page renders a page; a form error (Invalid or Conflict) fills the field
// errors and keeps what was typed, any other error is returned. title, when
// set, replaces the title of titleKey.
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

func principal(r *http.Request) *auth.Principal { return auth.FromContext(r.Context()) }

// managed returns the fund of the {id} path value if the user manages it.
func (h *Handler) managed(r *http.Request) (*Fund, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Store.Managed(r.Context(), principal(r), id)
}

// formFields reads typed values, recording what cannot be read.
type formFields struct {
	r  *http.Request
	fe apperr.Fields
}

func (f *formFields) text(name string) string { return strings.TrimSpace(f.r.PostFormValue(name)) }

func (f *formFields) money(name string) int64 {
	s := f.text(name)
	if s == "" {
		return 0
	}
	v, err := vn.ParseMoney(s)
	if err != nil {
		f.fe.Add(name, "fund.err.money", s)
		return 0
	}
	return v
}

func (f *formFields) int(name string) int64 {
	s := f.text(name)
	if s == "" {
		return 0
	}
	v, err := vn.ParseInt(s)
	if err != nil {
		f.fe.Add(name, "err.not_a_number", s)
		return 0
	}
	return v
}

func (f *formFields) date(name string) db.Date {
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

func (f *formFields) check(name string) bool { return f.r.PostFormValue(name) != "" }

// merge returns the parse problems together with a validation error.
func (f *formFields) merge(err error) error {
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

func seqParam(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.New(apperr.NotFound, "err.not_found")
	}
	return n, nil
}

var zeroDate db.Date

// today is the current date in Vietnam.
func today() db.Date { return db.NewDate(now().In(web.Local)) }
