package indicator

import (
	"net/http"
	"strconv"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	read, write := auth.PermAuthenticated, auth.PermConfigure
	rt.HandleDoc("GET", "/api/v1/indicators", read, "List the indicator catalogue (q, section, organisation, retired=1)", h.apiIndicators)
	rt.HandleDoc("POST", "/api/v1/indicators", write, "Add an indicator to the catalogue", h.apiIndicatorCreate)
	rt.HandleDoc("GET", "/api/v1/indicators/{id}", read, "Get an indicator (by id or code)", h.apiIndicator)
	rt.HandleDoc("PATCH", "/api/v1/indicators/{id}", write, "Change an indicator; {\"retired\": true} retires it", h.apiIndicatorUpdate)
	rt.HandleDoc("DELETE", "/api/v1/indicators/{id}", write, "Delete an indicator that has no values", h.apiIndicatorDelete)
	rt.HandleDoc("GET", "/api/v1/indicator-sections", read, "List the sections of the catalogue", h.apiSections)
	rt.HandleDoc("GET", "/api/v1/disaggregations", read, "List the disaggregations and their categories", h.apiDisaggregations)
	rt.HandleDoc("GET", "/api/v1/forms", read, "List report forms; with organisation_id and period_type, the form that organisation fills", h.apiForms)
	rt.HandleDoc("POST", "/api/v1/forms", write, "Create a report form", h.apiFormCreate)
	rt.HandleDoc("GET", "/api/v1/forms/{id}", read, "Get a report form with its indicators and narrative sections", h.apiForm)
	rt.HandleDoc("PATCH", "/api/v1/forms/{id}", write, "Change a report form", h.apiFormUpdate)
	rt.HandleDoc("GET", "/api/v1/rules", read, "List validation rules (all=1 includes inactive ones)", h.apiRules)
	rt.HandleDoc("POST", "/api/v1/rules", write, "Create a validation rule", h.apiRuleCreate)
	rt.HandleDoc("GET", "/api/v1/rules/{id}", read, "Get a validation rule", h.apiRule)
	rt.HandleDoc("PATCH", "/api/v1/rules/{id}", write, "Change a validation rule", h.apiRuleUpdate)
	rt.HandleDoc("DELETE", "/api/v1/rules/{id}", write, "Delete a validation rule", h.apiRuleDelete)
}

func items[T any](w http.ResponseWriter, list []T) error {
	if list == nil {
		list = []T{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list})
}

// apiIndicatorRef finds the indicator of {id}: a number is an id, anything
// else a code.
func (h *Handler) apiIndicatorRef(r *http.Request) (*Indicator, error) {
	ref := r.PathValue("id")
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return h.Store.IndicatorByID(r.Context(), id)
	}
	return h.Store.IndicatorByCode(r.Context(), ref)
}

func (h *Handler) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := Filter{Q: q.Get("q"), Section: q.Get("section"), IncludeRetired: q.Get("retired") == "1" || q.Get("retired") == "true"}
	if o := q.Get("organisation"); o != "" {
		if id, err := strconv.ParseInt(o, 10, 64); err == nil {
			f.OrganisationID = id
		} else if ref, err := orgByCode(r.Context(), h.Store.DB, o); err == nil {
			f.OrganisationID = ref.ID
		} else {
			return apperr.Field("organisation", "indicator.err.org_unknown", o)
		}
	}
	list, err := h.Store.Search(r.Context(), f)
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, err := h.apiIndicatorRef(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ind)
}

func (h *Handler) apiIndicatorCreate(w http.ResponseWriter, r *http.Request) error {
	var in IndicatorInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	ind, err := h.Store.CreateIndicator(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, ind)
}

func (h *Handler) apiIndicatorUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := h.apiIndicatorRef(r)
	if err != nil {
		return err
	}
	// PATCH: start from the stored indicator, apply what the body gives.
	in := old.Input()
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	ind, err := h.Store.UpdateIndicator(r.Context(), old.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ind)
}

func (h *Handler) apiIndicatorDelete(w http.ResponseWriter, r *http.Request) error {
	ind, err := h.apiIndicatorRef(r)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteIndicator(r.Context(), ind.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) apiSections(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Sections(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiDisaggregations(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.Disaggregations(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiForms(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if o, pt := q.Get("organisation_id"), q.Get("period_type"); o != "" || pt != "" {
		var fe apperr.Fields
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			fe.Add("organisation_id", "err.not_a_number", o)
		}
		t, err := period.ParseType(pt)
		if err != nil {
			fe.Add("period_type", "indicator.err.period_type", pt)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		f, err := h.Store.FormFor(r.Context(), id, t)
		if err != nil {
			return err
		}
		return items(w, []Form{*f})
	}
	list, err := h.Store.Forms(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiForm(w http.ResponseWriter, r *http.Request) error {
	f, err := h.formFromPath(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

func (h *Handler) apiFormCreate(w http.ResponseWriter, r *http.Request) error {
	var in FormInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := h.Store.CreateForm(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, f)
}

func (h *Handler) apiFormUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := h.formFromPath(r)
	if err != nil {
		return err
	}
	in := old.Input()
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := h.Store.UpdateForm(r.Context(), old.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

func (h *Handler) apiRules(w http.ResponseWriter, r *http.Request) error {
	get := h.Store.Rules
	if v := r.URL.Query().Get("all"); v == "1" || v == "true" {
		get = h.Store.AllRules
	}
	list, err := get(r.Context())
	if err != nil {
		return err
	}
	return items(w, list)
}

func (h *Handler) apiRule(w http.ResponseWriter, r *http.Request) error {
	rule, err := h.ruleFromPath(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rule)
}

func (h *Handler) apiRuleCreate(w http.ResponseWriter, r *http.Request) error {
	var in RuleInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rule, err := h.Store.CreateRule(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, rule)
}

func (h *Handler) apiRuleUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := h.ruleFromPath(r)
	if err != nil {
		return err
	}
	in := old.Input()
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rule, err := h.Store.UpdateRule(r.Context(), old.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rule)
}

func (h *Handler) apiRuleDelete(w http.ResponseWriter, r *http.Request) error {
	rule, err := h.ruleFromPath(r)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteRule(r.Context(), rule.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
