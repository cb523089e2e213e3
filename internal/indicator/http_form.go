package indicator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
)

// formListRow is a form on the forms page.
type formListRow struct {
	Form        Form
	PeriodLabel string
}

func (h *Handler) formList(w http.ResponseWriter, r *http.Request) error {
	forms, err := h.Store.Forms(r.Context())
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	rows := make([]formListRow, 0, len(forms))
	for _, f := range forms {
		rows = append(rows, formListRow{Form: f, PeriodLabel: periodLabel(f.PeriodType, lang)})
	}
	return h.Render.Render(w, r, "indicator/forms.html", "indicator.forms.title", map[string]any{"Rows": rows, "CanEdit": canConfigure(r)})
}

// formIndicatorRow is one indicator in the form editor: chosen or not,
// and its position (typed; no script needed to reorder).
type formIndicatorRow struct {
	Ind     Indicator
	Section string
	Checked bool
	Pos     string
}

type formPage struct {
	Form        *Form
	CanEdit     bool
	Orgs        []OrgRef
	PeriodTypes []PeriodTypeOption
	Rows        []formIndicatorRow
	Narratives  []Narrative
	Lang        string
	V           map[string]string
	Active      bool
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, f *Form, formErr error) error {
	ctx, lang := r.Context(), web.Lang(r)
	d := formPage{Form: f, CanEdit: canConfigure(r), PeriodTypes: periodTypes(lang), Narratives: Narratives, Lang: lang,
		V: map[string]string{"period_type": string(period.Quarter)}, Active: true}
	if f != nil {
		d.V = map[string]string{"code": f.Code, "name_vi": f.NameVI, "name_en": f.NameEN, "period_type": string(f.PeriodType)}
		if f.OrganisationID != nil {
			d.V["organisation_id"] = strconv.FormatInt(*f.OrganisationID, 10)
		}
		d.Active = f.Active
	}
	var err error
	if d.Orgs, err = h.Store.Organisations(ctx); err != nil {
		return err
	}
	inds, err := h.Store.Indicators(ctx, true)
	if err != nil {
		return err
	}
	secs, err := h.Store.Sections(ctx)
	if err != nil {
		return err
	}
	secName := map[string]string{}
	for _, s := range secs {
		secName[s.Code] = s.Name(lang)
	}
	pos := map[string]string{}
	chosen := map[string]bool{}
	if formErr != nil && r.PostForm.Has("name_vi") {
		d.Active = r.PostFormValue("active") != ""
		for _, c := range r.PostForm["ind"] {
			chosen[c] = true
		}
		for _, ind := range inds {
			pos[ind.Code] = r.PostFormValue("pos_" + ind.Code)
		}
	} else if f != nil {
		for i, ind := range f.Indicators {
			chosen[ind.Code] = true
			pos[ind.Code] = strconv.Itoa(i + 1)
		}
	}
	var in, out []formIndicatorRow
	for _, ind := range inds {
		row := formIndicatorRow{Ind: ind, Section: secName[ind.Section], Checked: chosen[ind.Code], Pos: pos[ind.Code]}
		switch {
		case row.Checked:
			in = append(in, row)
		case !ind.Retired:
			out = append(out, row)
		}
	}
	slices.SortStableFunc(in, func(a, b formIndicatorRow) int { return posOrder(a.Pos) - posOrder(b.Pos) })
	d.Rows = append(in, out...)
	titleKey, title := "indicator.forms.new", ""
	if f != nil {
		titleKey, title = "", f.Code+" · "+f.Name(lang)
	}
	return h.page(w, r, "indicator/form.html", titleKey, title, d, formErr)
}

// posOrder sorts typed positions: numbers first, in order; the rest last.
func posOrder(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 1 << 30
	}
	return n
}

// formInputFromForm reads the form editor: the ticked indicators ("ind"),
// ordered by their typed positions ("pos_CODE"), untyped ones last in the
// order shown.
func formInputFromForm(r *http.Request) FormInput {
	in := FormInput{
		Code: r.PostFormValue("code"), NameVI: r.PostFormValue("name_vi"), NameEN: r.PostFormValue("name_en"),
		PeriodType: period.Type(r.PostFormValue("period_type")), Active: formBool(r, "active"),
	}
	if v := strings.TrimSpace(r.PostFormValue("organisation_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1
		}
		in.OrganisationID = &id
	}
	codes := slices.Clone(r.PostForm["ind"])
	slices.SortStableFunc(codes, func(a, b string) int {
		return posOrder(r.PostFormValue("pos_"+a)) - posOrder(r.PostFormValue("pos_"+b))
	})
	in.Indicators = codes
	return in
}

func (h *Handler) formNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderForm(w, r, nil, nil)
}

func (h *Handler) formFromPath(r *http.Request) (*Form, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Store.FormByID(r.Context(), id)
}

func (h *Handler) formShow(w http.ResponseWriter, r *http.Request) error {
	f, err := h.formFromPath(r)
	if err != nil {
		return err
	}
	return h.renderForm(w, r, f, nil)
}

func (h *Handler) formCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f, err := h.Store.CreateForm(r.Context(), formInputFromForm(r))
	if err != nil {
		return h.renderForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/indicators/forms/"+strconv.FormatInt(f.ID, 10), "form.saved")
}

func (h *Handler) formPost(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f, err := h.formFromPath(r)
	if err != nil {
		return err
	}
	switch r.PostFormValue("action") {
	case "delete":
		if err := h.Store.DeleteForm(r.Context(), f.ID); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				r.PostForm = url.Values{}
				return h.renderForm(w, r, f, err)
			}
			return err
		}
		return web.Redirect(w, r, "/indicators/forms", "form.deleted")
	case "save", "":
		if _, err := h.Store.UpdateForm(r.Context(), f.ID, formInputFromForm(r)); err != nil {
			return h.renderForm(w, r, f, err)
		}
		return web.Redirect(w, r, "/indicators/forms/"+strconv.FormatInt(f.ID, 10), "form.saved")
	}
	return apperr.Field("action", "err.bad_choice", r.PostFormValue("action"))
}
