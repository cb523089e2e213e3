package reporting

import (
	"net/http"
	"strconv"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
)

func (h *Handler) apiReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	list, err := h.Service.Reports(r.Context(), ReportFilter{UnitID: queryID(r, "unit"), Period: q.Get("period"), Status: Status(q.Get("status")), Limit: 1000})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request) error {
	unitID, code, err := target(r)
	if err != nil {
		return err
	}
	e, err := h.Service.Entry(r.Context(), unitID, code, web.Lang(r))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, e)
}

func (h *Handler) apiValues(w http.ResponseWriter, r *http.Request) error {
	unitID, code, err := target(r)
	if err != nil {
		return err
	}
	var in []ValueInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := h.Service.SaveValues(r.Context(), unitID, code, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, res)
}

func (h *Handler) apiNarratives(w http.ResponseWriter, r *http.Request) error {
	unitID, code, err := target(r)
	if err != nil {
		return err
	}
	var in []NarrativeInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := h.Service.SaveNarratives(r.Context(), unitID, code, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"narratives": res})
}

func (h *Handler) apiAction(a Action) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		unitID, code, err := target(r)
		if err != nil {
			return err
		}
		var in struct {
			Comment string `json:"comment"`
		}
		if r.ContentLength != 0 {
			if err := web.DecodeJSON(w, r, &in); err != nil && !isEmptyBody(err) {
				return err
			}
		}
		rep, err := h.Service.Transition(r.Context(), unitID, code, a, in.Comment)
		if err != nil {
			return err
		}
		return web.JSON(w, http.StatusOK, rep)
	}
}

func isEmptyBody(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Key == "err.json_empty"
}

func (h *Handler) apiCompleteness(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("bloc") == "" || q.Get("period") == "" {
		var fe apperr.Fields
		if q.Get("bloc") == "" {
			fe.Add("bloc", "err.required")
		}
		if q.Get("period") == "" {
			fe.Add("period", "err.required")
		}
		return fe.Err()
	}
	sum, err := h.Service.Completeness(r.Context(), queryID(r, "bloc"), q.Get("period"))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, sum)
}

// settingsView is a bloc's settings as the API shows them.
type settingsView struct {
	BlocID   int64           `json:"bloc_id"`
	Settings period.Settings `json:"settings"`
	Defaults period.Settings `json:"defaults"`
}

func (h *Handler) apiSettings(w http.ResponseWriter, r *http.Request) error {
	id := queryID(r, "bloc")
	if _, err := h.Service.Org.Bloc(r.Context(), id); err != nil {
		return err
	}
	st, err := h.Service.BlocSettings(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, settingsView{BlocID: id, Settings: st, Defaults: period.DefaultSettings()})
}

func (h *Handler) apiSettingsPut(w http.ResponseWriter, r *http.Request) error {
	id := queryID(r, "bloc")
	st := period.DefaultSettings()
	if err := web.DecodeJSON(w, r, &st); err != nil {
		return err
	}
	if err := h.Service.SetBlocSettings(r.Context(), id, st); err != nil {
		return err
	}
	return h.apiSettings(w, r)
}

func yearOf(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.New(apperr.NotFound, "err.not_found")
	}
	return y, nil
}

func (h *Handler) apiTargets(w http.ResponseWriter, r *http.Request) error {
	y, err := yearOf(r)
	if err != nil {
		return err
	}
	list, err := h.Service.Targets(r.Context(), y)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"year": y, "items": list})
}

func (h *Handler) apiTargetsPut(w http.ResponseWriter, r *http.Request) error {
	y, err := yearOf(r)
	if err != nil {
		return err
	}
	var in []TargetInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := h.Service.SetTargets(r.Context(), y, in)
	if err != nil {
		return err
	}
	list, err := h.Service.Targets(r.Context(), y)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"year": y, "changed": n, "items": list})
}
