package org

import (
	"net/http"
	"strconv"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) blocRoutes(rt *web.Router) {
	rt.Handle("GET", "/org/blocs", auth.PermAuthenticated, h.blocsPage)
	rt.Handle("GET", "/org/blocs/new", auth.PermOrgAdmin, h.blocNew)
	rt.Handle("POST", "/org/blocs", auth.PermOrgAdmin, h.blocCreate)
	rt.Handle("GET", "/org/blocs/{id}", auth.PermAuthenticated, h.blocPage)
	rt.Handle("POST", "/org/blocs/{id}", auth.PermOrgAdmin, h.blocUpdate)
	rt.Handle("POST", "/org/blocs/{id}/delete", auth.PermOrgAdmin, h.blocDelete)
}

func (h *Handler) blocsPage(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Blocs(r.Context())
	if err != nil {
		return err
	}
	return h.page(w, r, "org/blocs.html", "org.blocs.title", "", list, nil)
}

type blocData struct {
	Bloc    *Bloc // nil for a new bloc
	Areas   *AreaChoice
	Members []Unit
	Subtree int // units the bloc consolidates
	AreaID  int64
}

func (h *Handler) blocForm(w http.ResponseWriter, r *http.Request, b *Bloc, formErr error) error {
	ctx := r.Context()
	d := blocData{Bloc: b, AreaID: queryInt64(r, "area_id")}
	var err error
	if principal(r).Has(auth.PermOrgAdmin) {
		if d.Areas, err = h.areaChoice(ctx, 0, false); err != nil {
			return err
		}
	}
	title := ""
	if b != nil {
		title = b.Name
		if d.Members, err = h.Store.BlocMembers(ctx, b.ID); err != nil {
			return err
		}
		all, err := h.Store.BlocUnits(ctx, b.ID)
		if err != nil {
			return err
		}
		d.Subtree = len(all)
	}
	return h.page(w, r, "org/bloc.html", "org.bloc.new", title, d, formErr)
}

func (h *Handler) blocNew(w http.ResponseWriter, r *http.Request) error {
	return h.blocForm(w, r, nil, nil)
}

func (h *Handler) blocPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := h.Store.Bloc(r.Context(), id)
	if err != nil {
		return err
	}
	return h.blocForm(w, r, b, nil)
}

func (h *Handler) blocInput(r *http.Request) (BlocInput, error) {
	id, err := h.formAreaID(r.Context(), r, "area_id")
	return BlocInput{AreaID: id, Name: r.PostFormValue("name")}, err
}

func (h *Handler) blocCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := h.blocInput(r)
	var b *Bloc
	if err == nil {
		b, err = h.Store.CreateBloc(r.Context(), in)
	}
	if err != nil {
		return h.blocForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/org/blocs/"+strconv.FormatInt(b.ID, 10), "form.saved")
}

func (h *Handler) blocUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.Bloc(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := h.blocInput(r)
	if err == nil {
		_, err = h.Store.UpdateBloc(r.Context(), id, in)
	}
	if err != nil {
		return h.blocForm(w, r, old, err)
	}
	return web.Redirect(w, r, "/org/blocs/"+strconv.FormatInt(id, 10), "form.saved")
}

func (h *Handler) blocDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return deleteDone(w, r, h.Store.DeleteBloc(r.Context(), id), "/org/blocs")
}
