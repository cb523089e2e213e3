package rollup

import (
	"context"
	"math"
	"strings"
	"unicode/utf8"

	"giaoban/internal/docgen"
	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
)

// Chart names served at /dashboard/chart/{name}.png and put in exports.
var ChartNames = []string{"org", "area", "trend", "plan"}

// ChartQuery asks for one chart of a report.
type ChartQuery struct {
	ReportQuery
	Name      string
	Indicator string // code; "" picks the report's main figure
	W, H      int
}

// keyIndicator picks the figure the charts show: the one asked for, else
// the first money figure with a sentence template, else the first row with
// a total.
func keyIndicator(t *Table, code string, tmpls map[string]Template) *Row {
	if code != "" {
		return t.Row(code)
	}
	var first *Row
	for _, sec := range t.Sections {
		for i := range sec.Rows {
			r := &sec.Rows[i]
			if !r.Total.OK {
				continue
			}
			if first == nil {
				first = r
			}
			if _, ok := tmpls[r.Code]; ok && r.Ind != nil && r.Ind.ValueType == indicator.Money {
				return r
			}
		}
	}
	return first
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func valueF(c Cell) float64 {
	if !c.OK {
		return math.NaN()
	}
	return float64(c.V)
}

// Chart draws one chart of a report as PNG.
func (s *Service) Chart(ctx context.Context, q ChartQuery, rep *Report) ([]byte, error) {
	if q.W == 0 {
		q.W, q.H = 1600, 900
	}
	var err error
	if rep == nil {
		if rep, err = s.Report(ctx, q.ReportQuery); err != nil {
			return nil, err
		}
	}
	tmpls, err := s.Templates(ctx)
	if err != nil {
		return nil, err
	}
	t := rep.Table
	en := q.Lang == "en"
	pick := func(vi, eng string) string {
		if en {
			return eng
		}
		return vi
	}
	row := keyIndicator(t, q.Indicator, tmpls)
	if row == nil && q.Name != "plan" {
		return nil, noData(t, q.Lang)
	}
	title := ""
	if row != nil {
		title = shorten(row.Name, 90)
		if row.Unit != "" {
			title += " (" + row.Unit + ")"
		}
	}
	switch q.Name {
	case "org", "orgs":
		var labels []string
		cur := docgen.Series{Name: t.Period.Label(q.Lang)}
		for i, o := range t.Orgs {
			labels = append(labels, o.Name)
			cur.Values = append(cur.Values, valueF(row.ByOrg[i]))
		}
		return docgen.BarChart(title, labels, []docgen.Series{cur}, q.W, q.H)
	case "area", "areas":
		var labels []string
		cur := docgen.Series{Name: t.Period.Label(q.Lang)}
		for _, c := range rep.Children {
			f, err := s.Figures(ctx, c.ID, []period.Period{t.Period}, false, t.Approved, []indicator.Indicator{*row.Ind})
			if err != nil {
				return nil, err
			}
			v, ok := f.Value(row.Ind, 0, t.Period)
			if !ok {
				continue
			}
			labels = append(labels, shorten(c.Name, 24))
			cur.Values = append(cur.Values, float64(v))
		}
		if len(labels) == 0 {
			labels, cur.Values = []string{rep.Area.Name}, []float64{valueF(row.Total)}
		}
		return docgen.BarChart(title, labels, []docgen.Series{cur}, q.W, q.H)
	case "trend":
		var ps []period.Period
		for p, i := t.Period, 0; i < 6 && p.Valid(); p, i = p.Prev(), i+1 {
			ps = append([]period.Period{p}, ps...)
		}
		f, err := s.Figures(ctx, rep.Area.ID, ps, false, t.Approved, []indicator.Indicator{*row.Ind})
		if err != nil {
			return nil, err
		}
		var labels []string
		total := docgen.Series{Name: pick("Toàn khối", "Whole bloc")}
		for _, p := range ps {
			labels = append(labels, p.Label(q.Lang))
			v, ok := f.Value(row.Ind, 0, p)
			total.Values = append(total.Values, valueF(Cell{v, ok}))
		}
		return docgen.LineChart(title, labels, []docgen.Series{total}, q.W, q.H)
	case "plan":
		var labels []string
		ser := docgen.Series{Name: pick("% kế hoạch năm (lũy kế)", "% of the annual plan (year to date)")}
		for _, r := range t.Rows() {
			if r.PlanPermille == nil || len(labels) >= 10 {
				continue
			}
			labels = append(labels, shorten(r.Name, 28))
			ser.Values = append(ser.Values, float64(*r.PlanPermille)/10)
		}
		if len(labels) == 0 {
			return nil, apperr.New(apperr.NotFound, "rollup.err.no_plan")
		}
		return docgen.BarChart(pick("Tiến độ thực hiện kế hoạch năm", "Progress of the annual plan")+" "+itoa(t.Period.Year), labels, []docgen.Series{ser}, q.W, q.H)
	}
	return nil, apperr.New(apperr.NotFound, "err.not_found")
}
