package org

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) unitRoutes(rt *web.Router) {
	rt.Handle("GET", "/org/units", auth.PermAuthenticated, h.unitsPage)
	rt.Handle("GET", "/org/units/new", auth.PermUnitManage, h.unitNew)
	rt.Handle("POST", "/org/units", auth.PermUnitManage, h.unitCreate)
	rt.Handle("GET", "/org/units/{id}", auth.PermAuthenticated, h.unitPage)
	rt.Handle("POST", "/org/units/{id}", auth.PermUnitManage, h.unitUpdate)
	rt.Handle("POST", "/org/units/{id}/delete", auth.PermUnitManage, h.unitDelete)
	rt.Handle("GET", "/org/units.csv", auth.PermAuthenticated, h.exportUnits("csv"))
	rt.Handle("GET", "/org/units.xlsx", auth.PermAuthenticated, h.exportUnits("xlsx"))
}

const unitsPerPage = 100

type unitsData struct {
	Units         []Unit
	Organisations []Organisation
	Areas         *AreaChoice
	Area          *Area // the area filter, when set
	OrgID         int64
	Q             string
	Page          int
	More          bool
	CanCreate     bool
}

// PageURL is the list's address for another page with the same filters.
func (d unitsData) PageURL(page int) string {
	v := url.Values{}
	if d.OrgID != 0 {
		v.Set("organisation_id", strconv.FormatInt(d.OrgID, 10))
	}
	if d.Area != nil {
		v.Set("area_id", strconv.FormatInt(d.Area.ID, 10))
	}
	if d.Q != "" {
		v.Set("q", d.Q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/org/units"
	}
	return "/org/units?" + v.Encode()
}

func (h *Handler) unitsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := unitsData{OrgID: queryInt64(r, "organisation_id"), Q: strings.TrimSpace(q.Get("q")), Page: max(int(queryInt64(r, "page")), 1)}
	f := UnitFilter{OrganisationID: d.OrgID, Q: d.Q, Limit: unitsPerPage + 1, Offset: (d.Page - 1) * unitsPerPage}
	if areaID := queryInt64(r, "area_id"); areaID != 0 {
		a, err := h.Store.Area(ctx, areaID)
		if err != nil {
			return err
		}
		d.Area, f.Under = a, a.ID
	} else if ref := strings.TrimSpace(q.Get("area_id_ref")); ref != "" {
		id, err := h.resolveArea(ctx, ref)
		if err != nil {
			return err
		}
		if id == 0 {
			return apperr.Field("area_id", "org.err.area_ref", ref)
		}
		a, err := h.Store.Area(ctx, id)
		if err != nil {
			return err
		}
		d.Area, f.Under = a, a.ID
	}
	var err error
	if d.Units, err = h.Store.Units(ctx, f); err != nil {
		return err
	}
	if len(d.Units) > unitsPerPage {
		d.Units, d.More = d.Units[:unitsPerPage], true
	}
	if d.Organisations, err = h.Store.Organisations(ctx, false); err != nil {
		return err
	}
	if d.Areas, err = h.areaChoice(ctx, 0, false); err != nil {
		return err
	}
	d.CanCreate = principal(r).Has(auth.PermUnitManage)
	return h.page(w, r, "org/units.html", "org.units.title", "", d, nil)
}

type unitData struct {
	Unit          *Unit // nil for a new unit
	Organisations []Organisation
	Areas         *AreaChoice
	CanEdit       bool
	// Preselected organisation and area of a new unit.
	OrgID, AreaID int64
}

func (h *Handler) unitForm(w http.ResponseWriter, r *http.Request, u *Unit, formErr error) error {
	ctx := r.Context()
	p := principal(r)
	d := unitData{Unit: u, OrgID: queryInt64(r, "organisation_id"), AreaID: queryInt64(r, "area_id")}
	var err error
	if u == nil {
		d.CanEdit = p.Has(auth.PermUnitManage)
	} else {
		d.CanEdit = CanManageUnits(p, u.AreaPath)
	}
	if d.CanEdit {
		if d.Organisations, err = h.Store.Organisations(ctx, false); err != nil {
			return err
		}
		if d.Areas, err = h.areaChoice(ctx, scopeRoot(p), false); err != nil {
			return err
		}
	}
	title, titleKey := "", "org.unit.new"
	if u != nil {
		title = u.Name
	}
	return h.page(w, r, "org/unit.html", titleKey, title, d, formErr)
}

func (h *Handler) unitNew(w http.ResponseWriter, r *http.Request) error {
	return h.unitForm(w, r, nil, nil)
}

func (h *Handler) unitPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	return h.unitForm(w, r, u, nil)
}

func (h *Handler) unitInput(r *http.Request) (UnitInput, error) {
	active := r.PostFormValue("active") != ""
	in := UnitInput{OrganisationID: formInt64(r, "organisation_id"), Name: r.PostFormValue("name"), Active: &active}
	id, err := h.formAreaID(r.Context(), r, "area_id")
	in.AreaID = id
	return in, err
}

func (h *Handler) unitCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := h.unitInput(r)
	var u *Unit
	if err == nil {
		u, err = h.Store.CreateUnitAs(r.Context(), principal(r), in)
	}
	if err != nil {
		return h.unitForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/org/units/"+strconv.FormatInt(u.ID, 10), "form.saved")
}

func (h *Handler) unitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := h.unitInput(r)
	if err == nil {
		_, err = h.Store.UpdateUnitAs(r.Context(), principal(r), id, in)
	}
	if err != nil {
		return h.unitForm(w, r, old, err)
	}
	return web.Redirect(w, r, "/org/units/"+strconv.FormatInt(id, 10), "form.saved")
}

func (h *Handler) unitDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return deleteDone(w, r, h.Store.DeleteUnitAs(r.Context(), principal(r), id), "/org/units")
}

func (h *Handler) exportUnits(format string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := h.Store.ExportUnits(r.Context(), queryInt64(r, "under"))
		if err != nil {
			return err
		}
		return writeTable(w, t, format, "don-vi", "Đơn vị")
	}
}
