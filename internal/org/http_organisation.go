package org

import (
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) orgRoutes(rt *web.Router) {
	rt.Handle("GET", "/org/organisations", auth.PermAuthenticated, h.organisationsPage)
	rt.Handle("GET", "/org/organisations/new", auth.PermOrgAdmin, h.organisationNew)
	rt.Handle("POST", "/org/organisations", auth.PermOrgAdmin, h.organisationCreate)
	rt.Handle("GET", "/org/organisations/{id}", auth.PermAuthenticated, h.organisationPage)
	rt.Handle("POST", "/org/organisations/{id}", auth.PermOrgAdmin, h.organisationUpdate)
	rt.Handle("POST", "/org/organisations/{id}/delete", auth.PermOrgAdmin, h.organisationDelete)
}

func (h *Handler) organisationsPage(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Organisations(r.Context(), false)
	if err != nil {
		return err
	}
	return h.page(w, r, "org/organisations.html", "org.organisations.title", "", list, nil)
}

type organisationData struct {
	Organisation *Organisation // nil for a new one
	Units        int
}

func (h *Handler) organisationForm(w http.ResponseWriter, r *http.Request, o *Organisation, formErr error) error {
	d := organisationData{Organisation: o}
	title := ""
	if o != nil {
		title = o.NameVI
		units, err := h.Store.Units(r.Context(), UnitFilter{OrganisationID: o.ID})
		if err != nil {
			return err
		}
		d.Units = len(units)
	}
	return h.page(w, r, "org/organisation.html", "org.organisation.new", title, d, formErr)
}

func (h *Handler) organisationNew(w http.ResponseWriter, r *http.Request) error {
	return h.organisationForm(w, r, nil, nil)
}

func (h *Handler) organisationPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	o, err := h.Store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	return h.organisationForm(w, r, o, nil)
}

func organisationInput(r *http.Request) (OrganisationInput, error) {
	active := r.PostFormValue("active") != ""
	in := OrganisationInput{Code: r.PostFormValue("code"), NameVI: r.PostFormValue("name_vi"), NameEN: r.PostFormValue("name_en"),
		ShortName: r.PostFormValue("short_name"), Active: &active}
	if v := strings.TrimSpace(r.PostFormValue("sort_order")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return in, apperr.Field("sort_order", "err.not_a_number", v)
		}
		in.SortOrder = n
	}
	return in, nil
}

func (h *Handler) organisationCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := organisationInput(r)
	if err == nil {
		_, err = h.Store.CreateOrganisation(r.Context(), in)
	}
	if err != nil {
		return h.organisationForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/org/organisations", "form.saved")
}

func (h *Handler) organisationUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := organisationInput(r)
	if err == nil {
		_, err = h.Store.UpdateOrganisation(r.Context(), id, in)
	}
	if err != nil {
		return h.organisationForm(w, r, old, err)
	}
	return web.Redirect(w, r, "/org/organisations", "form.saved")
}

func (h *Handler) organisationDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return deleteDone(w, r, h.Store.DeleteOrganisation(r.Context(), id), "/org/organisations")
}
