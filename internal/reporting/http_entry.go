package reporting

import (
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

// entryData is what the entry page shows.
type entryData struct {
	E *Entry
	// Can* decide the buttons.
	CanSave, CanSubmit, CanApprove, CanReturn, CanReopen bool
	// Storage keys the browser's unsent changes ("giaoban:12:2021Q3").
	Storage string
	API     string // the report's API path, for the script
	Late    bool   // the deadline has passed
}

func (h *Handler) entryData(r *http.Request) (*entryData, error) {
	unitID, code, err := target(r)
	if err != nil {
		return nil, err
	}
	e, err := h.Service.Entry(r.Context(), unitID, code, web.Lang(r))
	if err != nil {
		return nil, err
	}
	d := &entryData{E: e, CanSave: e.Editable, Storage: "giaoban:" + strconv.FormatInt(unitID, 10) + ":" + code,
		API: "/api/v1" + reportURL(unitID, code)}
	for _, a := range e.Actions {
		switch a {
		case Submit:
			d.CanSubmit = true
		case Approve:
			d.CanApprove = true
		case Return:
			d.CanReturn = true
		case Reopen:
			d.CanReopen = true
		}
	}
	if !e.Deadline.IsZero() {
		d.Late = h.Service.now().In(Vietnam).Format("2006-01-02") > e.Deadline.Format("2006-01-02")
	}
	return d, nil
}

func (h *Handler) entryPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderEntry(w, r, http.StatusOK, nil)
}

// renderEntry shows the entry page; after a refused save it shows the
// errors beside their rows and keeps what the user typed.
func (h *Handler) renderEntry(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	d, err := h.entryData(r)
	if err != nil {
		return err
	}
	p := h.Render.NewPage(w, r, "", d)
	p.Title = d.E.Unit.Name + " · " + d.E.PeriodLabel
	if formErr != nil {
		fe, list, ok := web.FormErrors(p.Lang, formErr)
		if !ok {
			return formErr
		}
		p.Errors, p.ErrorList, p.Form = fe, list, r.PostForm
		for i := range d.E.Sections {
			for j := range d.E.Sections[i].Rows {
				for k := range d.E.Sections[i].Rows[j].Cells {
					c := &d.E.Sections[i].Rows[j].Cells[k]
					c.Error = fe[c.Key]
				}
			}
		}
	}
	return h.Render.HTML(w, status, "reporting/entry.html", p)
}

// formValues collects the cells a form post changed: those whose value
// differs from the value the page showed.
func formValues(r *http.Request, e *Entry) []ValueInput {
	var out []ValueInput
	for _, sec := range e.Sections {
		for _, row := range sec.Rows {
			for _, c := range row.Cells {
				vals, ok := r.PostForm["v:"+c.Key]
				if !ok || len(vals) == 0 {
					continue
				}
				v, seen := strings.TrimSpace(vals[0]), strings.TrimSpace(r.PostForm.Get("seen:"+c.Key))
				if v == seen {
					continue
				}
				in := ValueInput{Indicator: row.Code, Option: c.Option, Value: RawValue(v), Seen: &seen}
				if ver, err := strconv.ParseInt(r.PostForm.Get("ver:"+c.Key), 10, 64); err == nil {
					in.Version = &ver
				} else {
					zero := int64(0)
					in.Version = &zero
				}
				out = append(out, in)
			}
		}
	}
	return out
}

// formNarratives collects the narrative sections a form post changed.
func formNarratives(r *http.Request, e *Entry) []NarrativeInput {
	var out []NarrativeInput
	for _, n := range e.Narratives {
		vals, ok := r.PostForm["n:"+n.Code]
		if !ok || len(vals) == 0 || textHash(vals[0]) == r.PostForm.Get("nh:"+n.Code) {
			continue
		}
		in := NarrativeInput{Section: n.Code, HTML: vals[0]}
		ver, err := strconv.ParseInt(r.PostForm.Get("nv:"+n.Code), 10, 64)
		if err != nil {
			ver = 0
		}
		in.Version = &ver
		out = append(out, in)
	}
	return out
}

// entrySave saves the form (values, then narratives) and, for the Submit
// button, submits the report; anything refused re-renders the page with
// the messages and the typed values.
func (h *Handler) entrySave(w http.ResponseWriter, r *http.Request) error {
	unitID, code, err := target(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	e, err := h.Service.Entry(r.Context(), unitID, code, web.Lang(r))
	if err != nil {
		return err
	}
	ctx := r.Context()
	fail := func(err error) error {
		status := http.StatusBadRequest
		if apperr.Is(err, apperr.Conflict) {
			status = http.StatusConflict
		}
		return h.renderEntry(w, r, status, err)
	}
	if vals := formValues(r, e); len(vals) > 0 {
		if _, err := h.Service.SaveValues(ctx, unitID, code, vals); err != nil {
			return fail(err)
		}
	}
	if ns := formNarratives(r, e); len(ns) > 0 {
		if _, err := h.Service.SaveNarratives(ctx, unitID, code, ns); err != nil {
			return fail(err)
		}
	}
	flash := "reporting.saved"
	if r.PostFormValue("do") == "submit" {
		if _, err := h.Service.Submit(ctx, unitID, code); err != nil {
			return fail(err)
		}
		flash = "reporting.done.submit"
	}
	return web.Redirect(w, r, reportURL(unitID, code), flash)
}

// actionForm takes a workflow action from the page's buttons.
func (h *Handler) actionForm(a Action) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		unitID, code, err := target(r)
		if err != nil {
			return err
		}
		if err := web.ParseForm(w, r); err != nil {
			return err
		}
		if _, err := h.Service.Transition(r.Context(), unitID, code, a, r.PostFormValue("comment")); err != nil {
			switch apperr.CodeOf(err) {
			case apperr.Invalid:
				return h.renderEntry(w, r, http.StatusBadRequest, err)
			case apperr.Conflict:
				return h.renderEntry(w, r, http.StatusConflict, err)
			}
			return err
		}
		return web.Redirect(w, r, reportURL(unitID, code), "reporting.done."+string(a))
	}
}

// principalOf is the principal of a request (routes require a login).
func principalOf(r *http.Request) *auth.Principal { return auth.FromContext(r.Context()) }
