package reporting

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

type planRow struct {
	Code, Name, Unit   string
	Target             string // as an input shows it
	Achieved, Progress string
}

type planSection struct {
	Name string
	Rows []planRow
}

// planYear is a year the plan page links to.
type planYear struct {
	Year int
	Plan bool // has targets the user may see
}

type planData struct {
	Year     int
	Years    []planYear
	Query    string // bloc and unit chosen, kept by the year links
	Blocs    []org.Bloc
	Bloc     *org.Bloc
	Units    []org.Unit
	UnitID   int64 // 0: the bloc's own targets
	Scope    string
	Sections []planSection
	CanEdit  bool
}

// plansRedirect opens the plan of the current year when it has one,
// else of the latest year that has one (a plan is made once a year, often
// for a past or coming year), else the current year's empty plan.
func (h *Handler) plansRedirect(w http.ResponseWriter, r *http.Request) error {
	years, err := h.Service.PlanYears(r.Context())
	if err != nil {
		return err
	}
	y := openYear(h.Service.now().In(Vietnam).Year(), years)
	target := "/plans/" + strconv.Itoa(y)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	return web.Redirect(w, r, target, "")
}

// openYear is the year the plan page opens on: the current one when it has
// a plan, else the latest year with a plan, else the current one.
func openYear(current int, withPlan []int) int {
	if len(withPlan) == 0 || slices.Contains(withPlan, current) {
		return current
	}
	return withPlan[len(withPlan)-1]
}

// yearLinks are the years the plan page links to: those with a plan, the
// current one, and the years either side of the one shown (to start the
// next plan), oldest first; Plan marks those that have one.
func yearLinks(shown, current int, withPlan []int) []planYear {
	set := map[int]bool{current: true, shown - 1: true, shown: true, shown + 1: true}
	for _, y := range withPlan {
		set[y] = true
	}
	out := make([]planYear, 0, len(set))
	for y := range set {
		if y >= 2000 && y <= 2100 {
			out = append(out, planYear{Year: y, Plan: slices.Contains(withPlan, y)})
		}
	}
	slices.SortFunc(out, func(a, b planYear) int { return a.Year - b.Year })
	return out
}

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderPlan(w, r, http.StatusOK, nil)
}

// planData builds the plan of a year for the bloc or one of its units.
func (h *Handler) planData(ctx context.Context, r *http.Request, q url.Values) (*planData, error) {
	y, err := yearOf(r)
	if err != nil {
		return nil, err
	}
	p := principalOf(r)
	lang := web.Lang(r)
	d := &planData{Year: y}
	withPlan, err := h.Service.PlanYears(ctx)
	if err != nil {
		return nil, err
	}
	d.Years = yearLinks(y, h.Service.now().In(Vietnam).Year(), withPlan)
	keep := url.Values{}
	for _, k := range []string{"bloc", "unit"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	if len(keep) > 0 {
		d.Query = "?" + keep.Encode()
	}
	if d.Blocs, err = h.visibleBlocs(ctx, p); err != nil {
		return nil, err
	}
	blocID, _ := strconv.ParseInt(q.Get("bloc"), 10, 64)
	for i := range d.Blocs {
		if d.Blocs[i].ID == blocID || blocID == 0 && d.Bloc == nil {
			d.Bloc = &d.Blocs[i]
		}
	}
	if d.Bloc == nil {
		return d, nil
	}
	units, err := h.Service.Org.BlocUnits(ctx, d.Bloc.ID)
	if err != nil {
		return nil, err
	}
	var unit *org.Unit
	d.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	for i := range units {
		if units[i].Active && p.CanSeeUnit(units[i].ID, units[i].AreaPath) {
			d.Units = append(d.Units, units[i])
			if units[i].ID == d.UnitID {
				unit = &d.Units[len(d.Units)-1]
			}
		}
	}
	quarters := codes(period.NewYear(y).Children(period.Quarter))
	var inds []indicator.Indicator
	var achieved map[string]map[string]int64
	var targets map[string]int64
	if unit != nil {
		d.Scope = "unit:" + strconv.FormatInt(unit.ID, 10)
		d.CanEdit = p.CanManageArea(unit.AreaPath)
		f, err := h.Service.Ind.FormFor(ctx, unit.OrganisationID, period.Quarter)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if f != nil {
			inds = f.Indicators
		}
		if achieved, err = unitTotals(ctx, h.Service.DB, unit.ID, quarters); err != nil {
			return nil, err
		}
		if targets, err = targetMap(ctx, h.Service.DB, y, unit.ID, 0); err != nil {
			return nil, err
		}
	} else {
		d.UnitID = 0
		d.Scope = "area:" + strconv.FormatInt(d.Bloc.AreaID, 10)
		d.CanEdit = p.CanManageArea(d.Bloc.AreaPath)
		if inds, err = h.Service.Ind.Indicators(ctx, false); err != nil {
			return nil, err
		}
		if achieved, err = areaTotals(ctx, h.Service.DB, d.Bloc.AreaPath, quarters, false); err != nil {
			return nil, err
		}
		if targets, err = targetMap(ctx, h.Service.DB, y, 0, d.Bloc.AreaID); err != nil {
			return nil, err
		}
	}
	sections, err := h.Service.Ind.Sections(ctx)
	if err != nil {
		return nil, err
	}
	secName := map[string]string{}
	for _, s := range sections {
		secName[s.Code] = s.Name(lang)
	}
	qs := period.NewYear(y).Children(period.Quarter)
	idx := map[string]int{}
	for i := range inds {
		ind := &inds[i]
		if !ind.Numeric() || ind.ValueType == indicator.YesNo || ind.AggUnits == indicator.None {
			continue
		}
		row := planRow{Code: ind.Code, Name: ind.Name(lang), Unit: ind.Unit(lang)}
		t, hasT := targets[ind.Code]
		if hasT {
			row.Target = indicator.FormatInput(*ind, &t, nil)
		}
		if a := overPeriods(ind, achieved, qs); a != nil {
			row.Achieved = indicator.FormatValue(*ind, a, nil)
			if hasT && t > 0 {
				row.Progress = vn.FormatPercent(*a, t)
			}
		}
		j, ok := idx[ind.Section]
		if !ok {
			j = len(d.Sections)
			idx[ind.Section] = j
			name := secName[ind.Section]
			if name == "" {
				name = ind.Section
			}
			d.Sections = append(d.Sections, planSection{Name: name})
		}
		d.Sections[j].Rows = append(d.Sections[j].Rows, row)
	}
	return d, nil
}

func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	d, err := h.planData(r.Context(), r, q)
	if err != nil {
		return err
	}
	page := h.Render.NewPage(w, r, "", d)
	page.Title = page.T("reporting.plan.title", d.Year)
	if formErr != nil {
		fe, list, ok := web.FormErrors(page.Lang, formErr)
		if !ok {
			return formErr
		}
		page.Errors, page.ErrorList, page.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "reporting/plan.html", page)
}

func (h *Handler) planSave(w http.ResponseWriter, r *http.Request) error {
	y, err := yearOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	kind, idText, _ := strings.Cut(r.PostFormValue("scope"), ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || kind != "unit" && kind != "area" {
		return apperr.Field("scope", "err.bad_choice", r.PostFormValue("scope"))
	}
	var in []TargetInput
	for key, vals := range r.PostForm {
		code, ok := strings.CutPrefix(key, "t:")
		if !ok || len(vals) == 0 {
			continue
		}
		t := TargetInput{Indicator: code, Value: RawValue(strings.TrimSpace(vals[0])), Place: key}
		if kind == "unit" {
			t.UnitID = &id
		} else {
			t.AreaID = &id
		}
		in = append(in, t)
	}
	if _, err := h.Service.SetTargets(r.Context(), y, in); err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return h.renderPlan(w, r, http.StatusBadRequest, err)
		}
		return err
	}
	q := url.Values{"bloc": {r.PostFormValue("bloc")}}
	if kind == "unit" {
		q.Set("unit", idText)
	}
	return web.Redirect(w, r, "/plans/"+strconv.Itoa(y)+"?"+q.Encode(), "form.saved")
}
