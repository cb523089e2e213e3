package org

import (
	"net/http"
	"strconv"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) bodyRoutes(rt *web.Router) {
	rt.Handle("GET", "/org/bodies", auth.PermAuthenticated, h.bodiesPage)
	rt.Handle("GET", "/org/bodies/new", auth.PermOrgAdmin, h.bodyNew)
	rt.Handle("POST", "/org/bodies", auth.PermOrgAdmin, h.bodyCreate)
	rt.Handle("GET", "/org/bodies/{id}", auth.PermAuthenticated, h.bodyPage)
	rt.Handle("POST", "/org/bodies/{id}", auth.PermOrgAdmin, h.bodyUpdate)
	rt.Handle("POST", "/org/bodies/{id}/delete", auth.PermOrgAdmin, h.bodyDelete)
}

func (h *Handler) bodiesPage(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.ExternalBodies(r.Context(), 0)
	if err != nil {
		return err
	}
	return h.page(w, r, "org/bodies.html", "org.bodies.title", "", list, nil)
}

type bodyData struct {
	Body    *ExternalBody // nil for a new body
	Kinds   []string
	Areas   *AreaChoice
	Parents []ExternalBody
	// Preselected area and parent of a new body.
	AreaID, ParentID int64
}

func (h *Handler) bodyForm(w http.ResponseWriter, r *http.Request, b *ExternalBody, formErr error) error {
	ctx := r.Context()
	d := bodyData{Body: b, Kinds: BodyKinds, AreaID: queryInt64(r, "area_id"), ParentID: queryInt64(r, "parent_id")}
	var err error
	if principal(r).Has(auth.PermOrgAdmin) {
		if d.Areas, err = h.areaChoice(ctx, 0, false); err != nil {
			return err
		}
		all, err := h.Store.ExternalBodies(ctx, 0)
		if err != nil {
			return err
		}
		for _, x := range all {
			if b == nil || x.ID != b.ID {
				d.Parents = append(d.Parents, x)
			}
		}
	}
	title := ""
	if b != nil {
		title = b.Name
	}
	return h.page(w, r, "org/body.html", "org.body.new", title, d, formErr)
}

func (h *Handler) bodyNew(w http.ResponseWriter, r *http.Request) error {
	return h.bodyForm(w, r, nil, nil)
}

func (h *Handler) bodyPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := h.Store.ExternalBody(r.Context(), id)
	if err != nil {
		return err
	}
	return h.bodyForm(w, r, b, nil)
}

func (h *Handler) bodyInput(r *http.Request) (ExternalBodyInput, error) {
	in := ExternalBodyInput{ParentID: formID(r, "parent_id"), Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name")}
	id, err := h.formAreaID(r.Context(), r, "area_id")
	if id != 0 {
		in.AreaID = &id
	}
	return in, err
}

func (h *Handler) bodyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := h.bodyInput(r)
	var b *ExternalBody
	if err == nil {
		b, err = h.Store.CreateExternalBody(r.Context(), in)
	}
	if err != nil {
		return h.bodyForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/org/bodies/"+strconv.FormatInt(b.ID, 10), "form.saved")
}

func (h *Handler) bodyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.ExternalBody(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := h.bodyInput(r)
	if err == nil {
		_, err = h.Store.UpdateExternalBody(r.Context(), id, in)
	}
	if err != nil {
		return h.bodyForm(w, r, old, err)
	}
	return web.Redirect(w, r, "/org/bodies/"+strconv.FormatInt(id, 10), "form.saved")
}

func (h *Handler) bodyDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return deleteDone(w, r, h.Store.DeleteExternalBody(r.Context(), id), "/org/bodies")
}
