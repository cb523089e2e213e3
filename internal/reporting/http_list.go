package reporting

import (
	"context"
	"net/http"
	"slices"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

// PeriodOption is a period offered in a chooser.
type PeriodOption struct {
	Code, Label string
}

// listRow is one period of a unit in the list of its reports.
type listRow struct {
	Period PeriodOption
	Report *Report
	State  State
}

type listData struct {
	Mine     *org.Unit // officers and leaders: their unit
	Rows     []listRow // their unit's periods
	Units    []org.Unit
	Periods  []PeriodOption
	Pending  []Report // submitted, awaiting approval, in scope
	Unit     int64
	Period   string
	CanEnter bool
}

// recentPeriods offers the periods that have reports, and the quarters up
// to the current one, newest first.
// latest is the newest period that has reports ("" if none).
func (h *Handler) recentPeriods(ctx context.Context, lang string) (opts []PeriodOption, latest string, err error) {
	seen := map[string]bool{}
	var ps []period.Period
	cur, _ := period.PeriodOf(h.Service.now().In(Vietnam), period.Quarter, period.DefaultCutoff)
	for q, i := cur, 0; i < 6 && q.Valid(); q, i = q.Prev(), i+1 {
		seen[q.Code()] = true
		ps = append(ps, q)
	}
	rows, err := h.Service.DB.QueryContext(ctx, "SELECT DISTINCT period FROM reports")
	if err != nil {
		return nil, "", err
	}
	var newest period.Period
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, "", err
		}
		p, err := period.Parse(c)
		if err != nil {
			continue
		}
		if !newest.Valid() || period.Compare(p, newest) > 0 {
			newest = p
		}
		if !seen[p.Code()] {
			seen[p.Code()] = true
			ps = append(ps, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	slices.SortFunc(ps, func(a, b period.Period) int { return period.Compare(b, a) })
	out := make([]PeriodOption, len(ps))
	for i, p := range ps {
		out[i] = PeriodOption{Code: p.Code(), Label: p.Label(lang)}
	}
	return out, newest.Code(), nil
}

// unitsInScope lists the units a principal may see.
func (h *Handler) unitsInScope(ctx context.Context, p *auth.Principal) ([]org.Unit, error) {
	switch {
	case p.Role == auth.Officer || p.Role == auth.Leader:
		u, err := h.Service.Org.Unit(ctx, p.UnitID)
		if err != nil {
			return nil, err
		}
		return []org.Unit{*u}, nil
	case p.Role == auth.Admin || p.AreaID == 0:
		return h.Service.Org.Units(ctx, org.UnitFilter{ActiveOnly: true})
	}
	return h.Service.Org.Units(ctx, org.UnitFilter{Under: p.AreaID, ActiveOnly: true})
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("unit") != "" && q.Get("period") != "" {
		per, err := period.Parse(q.Get("period"))
		if err != nil {
			return apperr.Field("period", "reporting.err.period", q.Get("period"))
		}
		return web.Redirect(w, r, reportURL(queryID(r, "unit"), per.Code()), "")
	}
	ctx := r.Context()
	p := principalOf(r)
	lang := web.Lang(r)
	d := listData{Unit: queryID(r, "unit"), Period: q.Get("period"), CanEnter: p.Has(auth.PermReportEnter)}
	var err error
	var latest string
	if d.Periods, latest, err = h.recentPeriods(ctx, lang); err != nil {
		return err
	}
	if d.Units, err = h.unitsInScope(ctx, p); err != nil {
		return err
	}
	if p.Role == auth.Officer || p.Role == auth.Leader {
		d.Mine = &d.Units[0]
		reports, err := h.Service.Reports(ctx, ReportFilter{UnitID: p.UnitID})
		if err != nil {
			return err
		}
		byPeriod := map[string]*Report{}
		for i := range reports {
			byPeriod[reports[i].Period] = &reports[i]
		}
		for _, po := range d.Periods {
			rep := byPeriod[po.Code]
			d.Rows = append(d.Rows, listRow{Period: po, Report: rep, State: Classify(rep)})
		}
	}
	if p.Has(auth.PermReportApprove) {
		if d.Pending, err = h.Service.Reports(ctx, ReportFilter{Status: Submitted, Limit: 200}); err != nil {
			return err
		}
	}
	if d.Period == "" {
		d.Period = latest
	}
	return h.Render.Render(w, r, "reporting/reports.html", "reporting.list.title", d)
}
