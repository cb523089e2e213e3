package indicator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
)

// sectionGroup is a section and its indicators on the catalogue page.
type sectionGroup struct {
	Section Section
	Name    string
	Items   []Indicator
}

type listData struct {
	Groups   []sectionGroup
	Sections []Section
	Orgs     []OrgRef
	Count    int
	Empty    bool // the catalogue has no indicator at all
	CanEdit  bool
	Retired  bool
	Section  string
	OrgID    int64
	Q        string
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	f := Filter{Q: q.Get("q"), Section: q.Get("section"), IncludeRetired: q.Get("retired") != ""}
	f.OrganisationID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	inds, err := h.Store.Search(ctx, f)
	if err != nil {
		return err
	}
	secs, err := h.Store.Sections(ctx)
	if err != nil {
		return err
	}
	orgs, err := h.Store.Organisations(ctx)
	if err != nil {
		return err
	}
	empty, err := h.Store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	d := listData{Sections: secs, Orgs: orgs, Count: len(inds), Empty: empty, CanEdit: canConfigure(r),
		Retired: f.IncludeRetired, Section: f.Section, OrgID: f.OrganisationID, Q: f.Q}
	for _, sec := range secs {
		g := sectionGroup{Section: sec, Name: sec.Name(lang)}
		for _, ind := range inds {
			if ind.Section == sec.Code {
				g.Items = append(g.Items, ind)
			}
		}
		if len(g.Items) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	return h.Render.Render(w, r, "indicator/list.html", "indicator.list.title", d)
}

func (h *Handler) install(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.Store.InstallDefault(r.Context()); err != nil {
		return err
	}
	return web.Redirect(w, r, "/indicators", "indicator.installed")
}

// indicatorPage is the data of the indicator form (new, edit, read-only).
type indicatorPage struct {
	Ind        *Indicator
	CanEdit    bool
	InUse      bool
	Sections   []Section
	Disaggs    []Disaggregation
	Orgs       []OrgRef
	Selected   map[string]bool // organisation codes, upper case
	ValueTypes []ValueType
	Aggs       []Aggregation
	Forms      []Form // forms that have the indicator
	Lang       string
	// V holds the stored values of the text fields (typed values win on
	// error, see web.Page.Val); Cumulative the checkbox.
	V          map[string]string
	Cumulative bool
}

func (h *Handler) renderIndicator(w http.ResponseWriter, r *http.Request, ind *Indicator, formErr error) error {
	ctx := r.Context()
	d := indicatorPage{Ind: ind, CanEdit: canConfigure(r), ValueTypes: ValueTypes, Aggs: Aggregations, Selected: map[string]bool{}, Lang: web.Lang(r)}
	var err error
	if d.Sections, err = h.Store.Sections(ctx); err != nil {
		return err
	}
	if d.Disaggs, err = h.Store.Disaggregations(ctx); err != nil {
		return err
	}
	if d.Orgs, err = h.Store.Organisations(ctx); err != nil {
		return err
	}
	d.V = map[string]string{"value_type": string(Integer), "agg_units": string(Sum), "agg_periods": string(Sum)}
	if ind != nil {
		d.V = map[string]string{"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "section": ind.Section,
			"unit_vi": ind.UnitVI, "unit_en": ind.UnitEN, "value_type": string(ind.ValueType), "scale": strconv.Itoa(ind.Scale),
			"agg_units": string(ind.AggUnits), "agg_periods": string(ind.AggPeriods), "derived_from": ind.DerivedFrom,
			"sort_order": strconv.Itoa(ind.SortOrder), "min": FormatInput(*ind, ind.Min, nil), "max": FormatInput(*ind, ind.Max, nil)}
		if ind.Disaggregation != nil {
			d.V["disaggregation"] = ind.Disaggregation.Code
		}
		d.Cumulative = ind.Cumulative
		if d.InUse, err = h.Store.InUse(ctx, ind.ID); err != nil {
			return err
		}
		for _, c := range ind.Organisations {
			d.Selected[strings.ToUpper(c)] = true
		}
		forms, err := h.Store.Forms(ctx)
		if err != nil {
			return err
		}
		for _, f := range forms {
			if f.Indicator(ind.Code) != nil {
				d.Forms = append(d.Forms, f)
			}
		}
	}
	if formErr != nil && r.PostForm.Has("name_vi") {
		d.Cumulative = r.PostFormValue("cumulative") != ""
		d.Selected = map[string]bool{}
		for _, c := range r.PostForm["organisations"] {
			d.Selected[strings.ToUpper(c)] = true
		}
	}
	titleKey, title := "indicator.new.title", ""
	if ind != nil {
		titleKey, title = "", ind.Code+" · "+ind.Name(d.Lang)
	}
	return h.page(w, r, "indicator/indicator.html", titleKey, title, d, formErr)
}

func (h *Handler) newIndicator(w http.ResponseWriter, r *http.Request) error {
	return h.renderIndicator(w, r, nil, nil)
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) error {
	ind, err := h.indicatorFromPath(r)
	if err != nil {
		return err
	}
	return h.renderIndicator(w, r, ind, nil)
}

func (h *Handler) indicatorFromPath(r *http.Request) (*Indicator, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Store.IndicatorByID(r.Context(), id)
}

// indicatorInputFromForm reads the indicator form. Bounds are typed as
// values are ("1.000.000", "100,0") and read with the chosen value type.
func indicatorInputFromForm(r *http.Request) (IndicatorInput, error) {
	var fe apperr.Fields
	in := IndicatorInput{
		Code: r.PostFormValue("code"), NameVI: r.PostFormValue("name_vi"), NameEN: r.PostFormValue("name_en"),
		Section: r.PostFormValue("section"), UnitVI: r.PostFormValue("unit_vi"), UnitEN: r.PostFormValue("unit_en"),
		ValueType: ValueType(r.PostFormValue("value_type")), AggUnits: Aggregation(r.PostFormValue("agg_units")),
		AggPeriods: Aggregation(r.PostFormValue("agg_periods")), Cumulative: r.PostFormValue("cumulative") != "",
		Organisations: r.PostForm["organisations"], Disaggregation: r.PostFormValue("disaggregation"),
		DerivedFrom: r.PostFormValue("derived_from"),
	}
	in.Scale = formInt(&fe, r, "scale")
	in.SortOrder = formInt(&fe, r, "sort_order")
	shape := Indicator{Code: in.Code, ValueType: in.ValueType, Scale: in.Scale}
	if shape.ValueType == Integer || shape.ValueType == Money || shape.ValueType == Decimal {
		for _, b := range []struct {
			name string
			dst  **int64
		}{{"min", &in.Min}, {"max", &in.Max}} {
			raw := r.PostFormValue(b.name)
			num, _, err := ParseValue(shape, raw)
			if err != nil {
				if strings.HasPrefix(strings.TrimSpace(raw), "-") && shape.ValueType != Decimal {
					fe.Add(b.name, "indicator.err.min_negative")
				} else {
					fe.Add(b.name, "indicator.err.value", err.Error())
				}
				continue
			}
			*b.dst = num
		}
	}
	return in, fe.Err()
}

// withValidation adds the store's validation messages to the errors found
// reading the form, so that every mistake shows at once.
func (h *Handler) withValidation(r *http.Request, in IndicatorInput, formErr error) error {
	fe, ok := apperr.As(formErr)
	if !ok {
		return formErr
	}
	fields := apperr.Fields(fe.Fields)
	if _, err := h.Store.validateIndicator(r.Context(), h.Store.DB, &in); err != nil {
		ve, ok := apperr.As(err)
		if !ok {
			return err
		}
		for _, f := range ve.Fields {
			if !fields.Has(f.Field) {
				fields = append(fields, f)
			}
		}
	}
	return fields.Err()
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := indicatorInputFromForm(r)
	if err != nil {
		err = h.withValidation(r, in, err)
	}
	if err == nil {
		var ind *Indicator
		if ind, err = h.Store.CreateIndicator(r.Context(), in); err == nil {
			return web.Redirect(w, r, "/indicators/"+strconv.FormatInt(ind.ID, 10), "form.saved")
		}
	}
	return h.renderIndicator(w, r, nil, err)
}

// post saves, retires, brings back or deletes an indicator.
func (h *Handler) post(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ind, err := h.indicatorFromPath(r)
	if err != nil {
		return err
	}
	ctx, here := r.Context(), "/indicators/"+strconv.FormatInt(ind.ID, 10)
	switch r.PostFormValue("action") {
	case "retire", "unretire":
		retired := r.PostFormValue("action") == "retire"
		if _, err := h.Store.SetRetired(ctx, ind.ID, retired); err != nil {
			return err
		}
		key := "indicator.retired_done"
		if !retired {
			key = "indicator.unretired_done"
		}
		return web.Redirect(w, r, here, key)
	case "delete":
		if err := h.Store.DeleteIndicator(ctx, ind.ID); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				r.PostForm = url.Values{}
				return h.renderIndicator(w, r, ind, err)
			}
			return err
		}
		return web.Redirect(w, r, "/indicators", "form.deleted")
	case "save", "":
		in, err := indicatorInputFromForm(r)
		if err != nil {
			err = h.withValidation(r, in, err)
		}
		if err == nil {
			in.Retired = &ind.Retired
			if _, err = h.Store.UpdateIndicator(ctx, ind.ID, in); err == nil {
				return web.Redirect(w, r, here, "form.saved")
			}
		}
		return h.renderIndicator(w, r, ind, err)
	}
	return apperr.Field("action", "err.bad_choice", r.PostFormValue("action"))
}
