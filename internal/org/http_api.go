package org

import (
	"io"
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.HandleDoc("GET", "/api/v1/areas", auth.PermAuthenticated, "List or search areas (?q, ?parent_id, ?roots=1, ?under, ?level_id, ?current=1, ?limit, ?offset)", h.apiAreas)
	rt.HandleDoc("POST", "/api/v1/areas", auth.PermOrgAdmin, "Create an area", h.apiAreaCreate)
	rt.HandleDoc("GET", "/api/v1/areas/{id}", auth.PermAuthenticated, "Get an area", h.apiArea)
	rt.HandleDoc("PATCH", "/api/v1/areas/{id}", auth.PermOrgAdmin, "Change an area; a new parent_id moves its subtree", h.apiAreaUpdate)
	rt.HandleDoc("DELETE", "/api/v1/areas/{id}", auth.PermOrgAdmin, "Delete an area nothing refers to", h.apiAreaDelete)
	rt.HandleDoc("GET", "/api/v1/areas/{id}/subtree", auth.PermAuthenticated, "An area and every area under it, in tree order", h.apiSubtree)
	rt.HandleDoc("GET", "/api/v1/area-levels", auth.PermAuthenticated, "List the area levels", h.apiLevels)
	rt.HandleDoc("POST", "/api/v1/area-levels", auth.PermOrgAdmin, "Create an area level", h.apiLevelCreate)
	rt.HandleDoc("GET", "/api/v1/area-merges", auth.PermAuthenticated, "List area mergers (?area_id: those it took part in)", h.apiMerges)
	rt.HandleDoc("POST", "/api/v1/area-merges", auth.PermOrgAdmin, "Merge areas into one from an effective date", h.apiMerge)

	rt.HandleDoc("GET", "/api/v1/organisations", auth.PermAuthenticated, "List organisations (?active=1)", h.apiOrganisations)
	rt.HandleDoc("POST", "/api/v1/organisations", auth.PermOrgAdmin, "Create an organisation", h.apiOrganisationCreate)
	rt.HandleDoc("GET", "/api/v1/organisations/{id}", auth.PermAuthenticated, "Get an organisation", h.apiOrganisation)
	rt.HandleDoc("PATCH", "/api/v1/organisations/{id}", auth.PermOrgAdmin, "Change an organisation", h.apiOrganisationUpdate)

	rt.HandleDoc("GET", "/api/v1/units", auth.PermAuthenticated, "List or search units (?organisation_id, ?area_id, ?under, ?q, ?active=1, ?limit, ?offset)", h.apiUnits)
	rt.HandleDoc("POST", "/api/v1/units", auth.PermUnitManage, "Create a unit (secretariats: in their area subtree)", h.apiUnitCreate)
	rt.HandleDoc("GET", "/api/v1/units/{id}", auth.PermAuthenticated, "Get a unit", h.apiUnit)
	rt.HandleDoc("PATCH", "/api/v1/units/{id}", auth.PermUnitManage, "Change a unit (secretariats: in their area subtree)", h.apiUnitUpdate)
	rt.HandleDoc("DELETE", "/api/v1/units/{id}", auth.PermUnitManage, "Delete a unit nothing refers to", h.apiUnitDelete)

	rt.HandleDoc("GET", "/api/v1/blocs", auth.PermAuthenticated, "List blocs", h.apiBlocs)
	rt.HandleDoc("POST", "/api/v1/blocs", auth.PermOrgAdmin, "Create a bloc", h.apiBlocCreate)
	rt.HandleDoc("GET", "/api/v1/blocs/{id}", auth.PermAuthenticated, "Get a bloc with its member units", h.apiBloc)
	rt.HandleDoc("PATCH", "/api/v1/blocs/{id}", auth.PermOrgAdmin, "Change a bloc", h.apiBlocUpdate)

	rt.HandleDoc("GET", "/api/v1/external-bodies", auth.PermAuthenticated, "List external bodies (?area_id)", h.apiBodies)
	rt.HandleDoc("POST", "/api/v1/external-bodies", auth.PermOrgAdmin, "Create an external body", h.apiBodyCreate)
	rt.HandleDoc("GET", "/api/v1/external-bodies/{id}", auth.PermAuthenticated, "Get an external body", h.apiBody)
	rt.HandleDoc("PATCH", "/api/v1/external-bodies/{id}", auth.PermOrgAdmin, "Change an external body", h.apiBodyUpdate)

	rt.HandleDoc("POST", "/api/v1/import/areas", auth.PermOrgAdmin, "Import areas from a CSV or XLSX body, all or nothing (?dry_run=1: preview only)", h.apiImport(ImportAreas))
	rt.HandleDoc("POST", "/api/v1/import/units", auth.PermUnitManage, "Import units from a CSV or XLSX body, all or nothing (?dry_run=1: preview only)", h.apiImport(ImportUnits))
}

func items[T any](w http.ResponseWriter, list []T) error {
	if list == nil {
		list = []T{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list})
}

func queryFlag(r *http.Request, name string) bool {
	v := r.URL.Query().Get(name)
	return v == "1" || v == "true"
}

func queryInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return max(n, 0)
}

// Areas

func (h *Handler) apiAreas(w http.ResponseWriter, r *http.Request) error {
	f := AreaFilter{ParentID: queryInt64(r, "parent_id"), Roots: queryFlag(r, "roots"), Under: queryInt64(r, "under"),
		LevelID: queryInt64(r, "level_id"), Q: r.URL.Query().Get("q"), Current: queryFlag(r, "current"),
		Limit: queryInt(r, "limit"), Offset: queryInt(r, "offset")}
	if f.Limit == 0 || f.Limit > 5000 {
		f.Limit = 5000
	}
	list, err := h.Store.Areas(r.Context(), f)
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiArea(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.Store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *Handler) apiAreaCreate(w http.ResponseWriter, r *http.Request) error {
	var in AreaInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := h.Store.CreateArea(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, a)
}

func (h *Handler) apiAreaUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	// PATCH: start from the stored area, apply what the body gives.
	in := AreaInput{ParentID: old.ParentID, LevelID: old.LevelID, Code: old.Code, Name: old.Name, ValidFrom: old.ValidFrom, ValidTo: old.ValidTo}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.LevelCode != "" && in.LevelID == old.LevelID {
		in.LevelID = 0 // the body named the level by its code
	}
	a, err := h.Store.UpdateArea(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *Handler) apiAreaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Store.DeleteArea(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) apiSubtree(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := h.Store.Subtree(r.Context(), id)
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiLevels(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.AreaLevels(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiLevelCreate(w http.ResponseWriter, r *http.Request) error {
	var in AreaLevelInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	l, err := h.Store.CreateAreaLevel(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, l)
}

func (h *Handler) apiMerges(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Merges(r.Context(), queryInt64(r, "area_id"))
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiMerge(w http.ResponseWriter, r *http.Request) error {
	var in MergeInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	list, err := h.Store.MergeAreas(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"items": list})
}

// Organisations

func (h *Handler) apiOrganisations(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Organisations(r.Context(), queryFlag(r, "active"))
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiOrganisation(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	o, err := h.Store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

func (h *Handler) apiOrganisationCreate(w http.ResponseWriter, r *http.Request) error {
	var in OrganisationInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := h.Store.CreateOrganisation(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, o)
}

func (h *Handler) apiOrganisationUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	in := OrganisationInput{Code: old.Code, NameVI: old.NameVI, NameEN: old.NameEN, ShortName: old.ShortName, SortOrder: old.SortOrder, Active: &old.Active}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := h.Store.UpdateOrganisation(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

// Units

func (h *Handler) apiUnits(w http.ResponseWriter, r *http.Request) error {
	f := UnitFilter{OrganisationID: queryInt64(r, "organisation_id"), AreaID: queryInt64(r, "area_id"), Under: queryInt64(r, "under"),
		Q: r.URL.Query().Get("q"), ActiveOnly: queryFlag(r, "active"), Limit: queryInt(r, "limit"), Offset: queryInt(r, "offset")}
	if f.Limit == 0 || f.Limit > 5000 {
		f.Limit = 5000
	}
	list, err := h.Store.Units(r.Context(), f)
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, u)
}

func (h *Handler) apiUnitCreate(w http.ResponseWriter, r *http.Request) error {
	var in UnitInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.Store.CreateUnitAs(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, u)
}

func (h *Handler) apiUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	in := UnitInput{OrganisationID: old.OrganisationID, AreaID: old.AreaID, Name: old.Name, Active: &old.Active}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.Store.UpdateUnitAs(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, u)
}

func (h *Handler) apiUnitDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Store.DeleteUnitAs(r.Context(), principal(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Blocs

func (h *Handler) apiBlocs(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Blocs(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

// blocView is a bloc with its member units.
type blocView struct {
	*Bloc
	Members []Unit `json:"members"`
}

func (h *Handler) apiBloc(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := h.Store.Bloc(r.Context(), id)
	if err != nil {
		return err
	}
	members, err := h.Store.BlocMembers(r.Context(), id)
	if err != nil {
		return err
	}
	if members == nil {
		members = []Unit{}
	}
	return web.JSON(w, http.StatusOK, blocView{Bloc: b, Members: members})
}

func (h *Handler) apiBlocCreate(w http.ResponseWriter, r *http.Request) error {
	var in BlocInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.Store.CreateBloc(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, b)
}

func (h *Handler) apiBlocUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.Bloc(r.Context(), id)
	if err != nil {
		return err
	}
	in := BlocInput{AreaID: old.AreaID, Name: old.Name}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.Store.UpdateBloc(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, b)
}

// External bodies

func (h *Handler) apiBodies(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.ExternalBodies(r.Context(), queryInt64(r, "area_id"))
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiBody(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := h.Store.ExternalBody(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, b)
}

func (h *Handler) apiBodyCreate(w http.ResponseWriter, r *http.Request) error {
	var in ExternalBodyInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.Store.CreateExternalBody(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, b)
}

func (h *Handler) apiBodyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.ExternalBody(r.Context(), id)
	if err != nil {
		return err
	}
	in := ExternalBodyInput{AreaID: old.AreaID, ParentID: old.ParentID, Kind: old.Kind, Name: old.Name, ShortName: old.ShortName}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.Store.UpdateExternalBody(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, b)
}

// Import

// apiImport takes the file as the request body. A rejected file answers
// 422 with one field per problem, each message reading "Dòng 7, cột
// 'cap': …" in the caller's language.
func (h *Handler) apiImport(kind string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes)
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		dry := queryFlag(r, "dry_run")
		var res *ImportResult
		if kind == ImportAreas {
			res, err = h.Store.ImportAreas(r.Context(), data, dry)
		} else {
			res, err = h.Store.ImportUnits(r.Context(), principal(r), data, dry)
		}
		if err != nil {
			return localizeImport(web.Lang(r), err)
		}
		status := http.StatusOK
		if !dry {
			status = http.StatusCreated
		}
		return web.JSON(w, status, res)
	}
}

// localizeImport renders each problem of a rejected import with its
// location, so an API client gets whole sentences.
func localizeImport(lang string, err error) error {
	ie, ok := ImportProblems(err)
	e, isApp := apperr.As(err)
	if !ok || !isApp {
		return err
	}
	out := &apperr.Error{Code: e.Code, Key: e.Key, Args: e.Args, Err: e.Err}
	for i, p := range ie.Problems {
		out.Fields = append(out.Fields, apperr.FieldError{Field: e.Fields[i].Field, Key: "org.import.problem", Args: []any{p.Message(lang)}})
	}
	return out
}
