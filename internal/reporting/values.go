package reporting

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

const valueCols = `v.unit_id, v.period, v.indicator_id, i.code, v.option, v.value_num, v.value_text, v.version, v.updated_at,
	v.updated_by, COALESCE(u.full_name, '')`

const valueFrom = ` FROM data_values v JOIN indicators i ON i.id = v.indicator_id LEFT JOIN users u ON u.id = v.updated_by`

// cellKey names a cell of one unit and period: "CODE" or "CODE.option".
// Form fields, API places and maps use it.
func cellKey(code, option string) string {
	if option == "" {
		return code
	}
	return code + "." + option
}

// splitKey undoes cellKey.
func splitKey(key string) (code, option string) {
	code, option, _ = strings.Cut(key, ".")
	return code, option
}

// loadValues returns the stored cells of units for periods, by unit, period
// and cell key.
func loadValues(ctx context.Context, q db.Q, unitIDs []int64, periods []string) (map[int64]map[string]map[string]Value, error) {
	out := map[int64]map[string]map[string]Value{}
	if len(periods) == 0 {
		return out, nil
	}
	// A few hundred units a query: SQLite looks numbered parameters up one
	// by one.
	for ids := range slices.Chunk(unitIDs, 200) {
		var args []any
		var us, ps []string
		for _, id := range ids {
			args = append(args, id)
			us = append(us, "$"+strconv.Itoa(len(args)))
		}
		for _, p := range periods {
			args = append(args, p)
			ps = append(ps, "$"+strconv.Itoa(len(args)))
		}
		rows, err := q.QueryContext(ctx, "SELECT "+valueCols+valueFrom+" WHERE v.unit_id IN ("+strings.Join(us, ",")+") AND v.period IN ("+strings.Join(ps, ",")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("reporting: values: %w", err)
		}
		for rows.Next() {
			var v Value
			if err := rows.Scan(&v.UnitID, &v.Period, &v.IndicatorID, &v.IndicatorCode, &v.Option, &v.Num, &v.Text, &v.Version, &v.UpdatedAt,
				&v.UpdatedBy, &v.UpdatedByName); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reporting: values: %w", err)
			}
			if out[v.UnitID] == nil {
				out[v.UnitID] = map[string]map[string]Value{}
			}
			if out[v.UnitID][v.Period] == nil {
				out[v.UnitID][v.Period] = map[string]Value{}
			}
			out[v.UnitID][v.Period][cellKey(v.IndicatorCode, v.Option)] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// totals sums the cells of one unit and period per indicator (the options
// of a disaggregated indicator add up to its total), for rules and
// comparisons. Text values are left out.
func totals(cells map[string]Value) map[string]int64 {
	out := map[string]int64{}
	for _, v := range cells {
		if v.Num != nil {
			out[v.IndicatorCode] += *v.Num
		}
	}
	return out
}

// RawValue is a value as the API receives it: a JSON string, number,
// boolean or null, kept as the text a user would type.
type RawValue string

// UnmarshalJSON accepts "12", 12, 1.5, true and null.
func (r *RawValue) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*r = ""
	case strings.HasPrefix(s, `"`):
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*r = RawValue(str)
	case s == "true":
		*r = "1"
	case s == "false":
		*r = "0"
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("value must be a string, a number, a boolean or null")
		}
		*r = RawValue(n.String())
	}
	return nil
}

// ValueInput is one value a user saves for a report.
type ValueInput struct {
	Indicator string   `json:"indicator"`
	Option    string   `json:"option"`
	Value     RawValue `json:"value"`
	// Version of the stored value the user started from (0: there was
	// none). Omitted, the value is written whatever changed meanwhile.
	Version *int64 `json:"version"`
	// Seen is the value the user saw (as typed); a stored value that
	// changed and changed back is then no conflict.
	Seen *string `json:"seen,omitempty"`
}

// display formats a value of an indicator for messages and diffs.
func display(ind *indicator.Indicator, num *int64, text *string) string {
	return indicator.FormatValue(*ind, num, text)
}

// Values returns the stored cells of units for a period (with their
// versions), by unit: what a template for those units is prefilled with.
// Units the principal may not see are refused, naming the first one.
func (s *Service) Values(ctx context.Context, periodCode string, unitIDs ...int64) (map[int64][]Value, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	cells := make([]cellIn, len(unitIDs))
	for i, id := range unitIDs {
		cells[i] = cellIn{unitID: id}
	}
	units, err := s.unitsByID(ctx, cells)
	if err != nil {
		return nil, err
	}
	for _, id := range unitIDs {
		u := units[id]
		if u == nil || !p.CanSeeUnit(u.ID, u.AreaPath) {
			return nil, apperr.New(apperr.NotFound, "reporting.err.no_unit", id)
		}
	}
	vals, err := loadValues(ctx, s.DB, unitIDs, []string{per.Code()})
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]Value, len(unitIDs))
	for _, id := range unitIDs {
		list := make([]Value, 0, len(vals[id][per.Code()]))
		for _, v := range vals[id][per.Code()] {
			list = append(list, v)
		}
		slices.SortFunc(list, func(a, b Value) int {
			return strings.Compare(cellKey(a.IndicatorCode, a.Option), cellKey(b.IndicatorCode, b.Option))
		})
		out[id] = list
	}
	return out, nil
}
