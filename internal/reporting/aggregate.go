package reporting

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/db"
)

// combine folds values (in period order for Last) with an aggregation;
// nil when there is nothing to combine or the indicator is not aggregated.
func combine(vals []int64, agg indicator.Aggregation) *int64 {
	if len(vals) == 0 {
		return nil
	}
	var r int64
	switch agg {
	case indicator.Sum:
		for _, v := range vals {
			r += v
		}
	case indicator.Max:
		r = vals[0]
		for _, v := range vals[1:] {
			r = max(r, v)
		}
	case indicator.Last:
		r = vals[len(vals)-1]
	case indicator.Average:
		for _, v := range vals {
			r += v
		}
		r = (r + int64(len(vals))/2) / int64(len(vals))
	default:
		return nil
	}
	return &r
}

// overPeriods combines one indicator's totals over periods (in order): a
// cumulative (lũy kế) indicator's latest value already covers the year.
func overPeriods(ind *indicator.Indicator, byPeriod map[string]map[string]int64, periods []period.Period) *int64 {
	var vals []int64
	for _, p := range periods {
		if v, ok := byPeriod[p.Code()][ind.Code]; ok {
			vals = append(vals, v)
		}
	}
	agg := ind.AggPeriods
	if ind.Cumulative {
		agg = indicator.Last
	}
	return combine(vals, agg)
}

// unitTotals returns per period the indicator totals of one unit.
func unitTotals(ctx context.Context, q db.Q, unitID int64, periods []string) (map[string]map[string]int64, error) {
	vals, err := loadValues(ctx, q, []int64{unitID}, periods)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int64{}
	for code, cells := range vals[unitID] {
		out[code] = totals(cells)
	}
	return out, nil
}

// areaTotals sums, per period and indicator, the values of every unit in an
// area's subtree (approvedOnly: of approved reports only). Units combine by
// each indicator's AggUnits; indicators not aggregated are left out.
func areaTotals(ctx context.Context, q db.Q, areaPath string, periods []string, approvedOnly bool) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	if len(periods) == 0 {
		return out, nil
	}
	args := []any{areaPath + "%"}
	var ph []string
	for _, p := range periods {
		args = append(args, p)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	query := `SELECT v.period, i.code, i.agg_units, v.unit_id, SUM(v.value_num)
		FROM data_values v JOIN indicators i ON i.id = v.indicator_id JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id`
	if approvedOnly {
		query += ` JOIN reports r ON r.unit_id = v.unit_id AND r.period = v.period AND r.status = 'approved'`
	}
	query += ` WHERE a.path LIKE $1 AND v.period IN (` + strings.Join(ph, ",") + `) AND v.value_num IS NOT NULL
		GROUP BY v.period, i.code, i.agg_units, v.unit_id ORDER BY v.period, i.code, v.unit_id`
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reporting: area totals: %w", err)
	}
	defer rows.Close()
	type key struct{ period, code string }
	perUnit := map[key][]int64{}
	aggOf := map[string]indicator.Aggregation{}
	for rows.Next() {
		var per, code, agg string
		var unit, sum int64
		if err := rows.Scan(&per, &code, &agg, &unit, &sum); err != nil {
			return nil, fmt.Errorf("reporting: area totals: %w", err)
		}
		aggOf[code] = indicator.Aggregation(agg)
		perUnit[key{per, code}] = append(perUnit[key{per, code}], sum)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, vals := range perUnit {
		agg := aggOf[k.code]
		if agg == indicator.Last {
			agg = indicator.Sum // the last value of each unit, added up: stocks
		}
		if v := combine(vals, agg); v != nil {
			if out[k.period] == nil {
				out[k.period] = map[string]int64{}
			}
			out[k.period][k.code] = *v
		}
	}
	return out, nil
}

// BlocTotals returns the totals of an area's subtree for one period by
// indicator code: what the bloc consolidates (approvedOnly: only approved
// reports count).
func (s *Service) BlocTotals(ctx context.Context, areaID int64, periodCode string, approvedOnly bool) (map[string]int64, error) {
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	path, err := s.Org.AreaPath(ctx, areaID)
	if err != nil {
		return nil, err
	}
	t, err := areaTotals(ctx, s.DB, path, []string{per.Code()}, approvedOnly)
	if err != nil {
		return nil, err
	}
	if t[per.Code()] == nil {
		return map[string]int64{}, nil
	}
	return t[per.Code()], nil
}

func codes(ps []period.Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code()
	}
	return out
}
