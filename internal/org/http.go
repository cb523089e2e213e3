package org

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

//go:embed templates/org/*.html
var templatesFS embed.FS

// Handler serves the organisation pages and API.
type Handler struct {
	Store  *Store
	Render *web.Renderer
}

// Routes registers the organisation pages, exports, imports and API.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/org", "partials.html")
	h.areaRoutes(rt)
	h.orgRoutes(rt)
	h.unitRoutes(rt)
	h.blocRoutes(rt)
	h.bodyRoutes(rt)
	h.importRoutes(rt)
	h.apiRoutes(rt)
	web.AddNav(web.NavItem{Key: "org.nav", Href: "/org", Perm: auth.PermAuthenticated, Order: 80})
}

// page renders a page; a form error (Invalid or Conflict) fills the
// field errors and keeps what was typed, any other error is returned.
// title, when set, replaces the title of titleKey.
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

// formID reads an optional id field: nil when empty, -1 when not a number
// (validation then reports a bad choice).
func formID(r *http.Request, name string) *int64 {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		bad := int64(-1)
		return &bad
	}
	return &id
}

// formInt64 is formID with 0 for empty.
func formInt64(r *http.Request, name string) int64 {
	if p := formID(r, name); p != nil {
		return *p
	}
	return 0
}

// formDate reads a dd/mm/yyyy field, recording a field error when it is
// not a date.
func formDate(fe *apperr.Fields, r *http.Request, name string) db.Date {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return db.Date{}
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		fe.Add(name, "err.bad_date", v)
		return db.Date{}
	}
	return db.NewDate(t)
}

func queryInt64(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return id
}

// scopeRoot is the area under which p manages units: the secretariat's
// area, 0 (everywhere) for admins.
func scopeRoot(p *auth.Principal) int64 {
	if p == nil || p.Role == auth.Admin || p.ScopePath == "" {
		return 0
	}
	ids := pathIDs(p.ScopePath)
	if len(ids) == 0 {
		return 0
	}
	return ids[len(ids)-1]
}

// AreaOption is one area in a select, indented by its depth.
type AreaOption struct {
	ID     int64
	Label  string
	Closed bool
}

// AreaChoice is the areas a form offers; when there are too many for a
// select, the form asks for a code, a name or "#id" instead.
type AreaChoice struct {
	Options []AreaOption
	TooMany bool
}

// maxAreaOptions bounds a select (and the page weight); a province has a
// few thousand villages, which get a text field instead.
const maxAreaOptions = 1000

func (h *Handler) areaChoice(ctx context.Context, under int64, currentOnly bool) (*AreaChoice, error) {
	list, err := h.Store.Areas(ctx, AreaFilter{Under: under, Current: currentOnly, Limit: maxAreaOptions + 1})
	if err != nil {
		return nil, err
	}
	if len(list) > maxAreaOptions {
		return &AreaChoice{TooMany: true}, nil
	}
	base := 1
	if len(list) > 0 {
		base = list[0].Depth
	}
	c := &AreaChoice{}
	for _, a := range list {
		label := strings.Repeat("— ", max(a.Depth-base, 0)) + a.Name
		c.Options = append(c.Options, AreaOption{ID: a.ID, Label: label, Closed: a.Closed()})
	}
	return c, nil
}

// formAreaID reads an area field: the id from a select (name), or the
// reference typed in name+"_ref" ("#12", a code, a name or a trail).
func (h *Handler) formAreaID(ctx context.Context, r *http.Request, name string) (int64, error) {
	ref := strings.TrimSpace(r.PostFormValue(name + "_ref"))
	if ref == "" {
		return formInt64(r, name), nil
	}
	id, err := h.resolveArea(ctx, ref)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		return 0, apperr.Field(name, "org.err.area_ref", ref)
	}
	return id, nil
}

// resolveArea finds the one area a reference names, 0 when none or many.
func (h *Handler) resolveArea(ctx context.Context, ref string) (int64, error) {
	if allDigits(ref) {
		if a, err := h.Store.AreaByCode(ctx, ref); err == nil {
			return a.ID, nil
		}
	}
	idx, err := loadAreaIndex(ctx, h.Store.DB)
	if err != nil {
		return 0, err
	}
	if c := pickCurrent(idx.resolve(ref)); len(c) == 1 {
		return c[0].ID, nil
	}
	return 0, nil
}

// deleteDone redirects after a delete, or shows why it was refused.
func deleteDone(w http.ResponseWriter, r *http.Request, err error, next string) error {
	if err != nil {
		return err
	}
	return web.Redirect(w, r, next, "form.deleted")
}
