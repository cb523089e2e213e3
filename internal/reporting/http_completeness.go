package reporting

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

// matrix lays the units of a bloc out as areas × organisations.
type matrix struct {
	Orgs  []Rate // names and ids of the columns
	Areas []matrixRow
}

type matrixRow struct {
	Name  string
	Cells []*Row // nil where the organisation has no unit in the area
}

func buildMatrix(sum *Summary) matrix {
	var m matrix
	col := map[int64]int{}
	for _, o := range sum.ByOrg {
		col[o.Key] = len(m.Orgs)
		m.Orgs = append(m.Orgs, Rate{Key: o.Key, Name: o.Name})
	}
	rowIdx := map[int64]int{}
	for i := range sum.Rows {
		r := &sum.Rows[i]
		j, ok := rowIdx[r.AreaID]
		if !ok {
			j = len(m.Areas)
			rowIdx[r.AreaID] = j
			m.Areas = append(m.Areas, matrixRow{Name: r.AreaName, Cells: make([]*Row, len(m.Orgs))})
		}
		m.Areas[j].Cells[col[r.OrganisationID]] = r
	}
	return m
}

type completenessData struct {
	Blocs       []org.Bloc
	Bloc        *org.Bloc
	Period      string
	Periods     []PeriodOption
	Summary     *Summary
	Matrix      matrix
	States      []State
	Settings    period.Settings
	WindowFrom  time.Time
	WindowTo    time.Time
	CanSettings bool
}

// visibleBlocs lists the blocs whose completeness the principal may read:
// those of its scope, and the bloc above an officer's or leader's unit.
func (h *Handler) visibleBlocs(ctx context.Context, p *auth.Principal) ([]org.Bloc, error) {
	all, err := h.Service.Org.Blocs(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Bloc
	for _, b := range all {
		if canSeeArea(p, b.AreaPath) {
			out = append(out, b)
		}
	}
	return out, nil
}

func (h *Handler) completenessPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderCompleteness(w, r, http.StatusOK, nil)
}

func (h *Handler) renderCompleteness(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	ctx := r.Context()
	p := principalOf(r)
	d := completenessData{States: States}
	var err error
	if d.Blocs, err = h.visibleBlocs(ctx, p); err != nil {
		return err
	}
	var latest string
	if d.Periods, latest, err = h.recentPeriods(ctx, web.Lang(r)); err != nil {
		return err
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	d.Period = q.Get("period")
	if d.Period == "" {
		d.Period = latest
	}
	if d.Period == "" && len(d.Periods) > 0 {
		d.Period = d.Periods[0].Code
	}
	blocID, _ := strconv.ParseInt(q.Get("bloc"), 10, 64)
	for i := range d.Blocs {
		if d.Blocs[i].ID == blocID || blocID == 0 && d.Bloc == nil {
			d.Bloc = &d.Blocs[i]
		}
	}
	if d.Bloc != nil {
		per, err := period.Parse(d.Period)
		if err != nil {
			return apperr.Field("period", "reporting.err.period", d.Period)
		}
		d.Period = per.Code()
		if d.Summary, err = h.Service.Completeness(ctx, d.Bloc.ID, d.Period); err != nil {
			return err
		}
		d.Matrix = buildMatrix(d.Summary)
		if d.Settings, err = h.Service.BlocSettings(ctx, d.Bloc.ID); err != nil {
			return err
		}
		d.WindowFrom, d.WindowTo = d.Settings.WindowOf(per)
		d.CanSettings = p.CanManageArea(d.Bloc.AreaPath)
	}
	page := h.Render.NewPage(w, r, "reporting.completeness.title", d)
	if formErr != nil {
		fe, list, ok := web.FormErrors(page.Lang, formErr)
		if !ok {
			return formErr
		}
		page.Errors, page.ErrorList, page.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "reporting/completeness.html", page)
}

func (h *Handler) settingsForm(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	blocID, _ := strconv.ParseInt(r.PostFormValue("bloc"), 10, 64)
	var fe apperr.Fields
	num := func(field string) int {
		n, err := strconv.Atoi(r.PostFormValue(field))
		if err != nil {
			fe.Add(field, "err.not_a_number", r.PostFormValue(field))
		}
		return n
	}
	st := period.Settings{Cutoff: period.CutoffRule{Day: num("cutoff_day"), MonthsEarly: num("months_early")},
		Deadline: period.DeadlineRule{DaysAfterCutoff: num("deadline_days")}}
	err := fe.Err()
	if err == nil {
		err = h.Service.SetBlocSettings(r.Context(), blocID, st)
	}
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return h.renderCompleteness(w, r, http.StatusBadRequest, err)
		}
		return err
	}
	q := url.Values{"bloc": {strconv.FormatInt(blocID, 10)}, "period": {r.PostFormValue("period")}}
	return web.Redirect(w, r, "/reports/completeness?"+q.Encode(), "reporting.settings_saved")
}
