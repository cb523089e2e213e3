package rollup

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/platform/db"
)

// scopeArea is an area whose figures a consolidation adds up.
type scopeArea struct {
	ID   int64
	Path string // "" for the nation
}

// Scope returns the areas whose figures make an area's over time: the area
// and the areas merged into it (transitively), each subtree once. Area 0
// is the nation.
func (s *Service) scope(ctx context.Context, areaID int64) ([]scopeArea, error) {
	if areaID == Nation {
		return []scopeArea{{ID: Nation}}, nil
	}
	a, err := s.Org.Area(ctx, areaID)
	if err != nil {
		return nil, err
	}
	out := []scopeArea{{ID: a.ID, Path: a.Path}}
	preds, err := s.Org.Predecessors(ctx, areaID)
	if err != nil {
		return nil, err
	}
	for _, m := range preds {
		p, err := s.Org.AreaPath(ctx, m.FromAreaID)
		if err != nil {
			return nil, err
		}
		out = append(out, scopeArea{ID: m.FromAreaID, Path: p})
	}
	return dedupeScope(out), nil
}

// dedupeScope drops areas that lie inside another area of the scope (a
// commune merged into its own district), so nothing counts twice.
func dedupeScope(in []scopeArea) []scopeArea {
	var out []scopeArea
	for i, a := range in {
		inside := false
		for j, b := range in {
			if i != j && (b.Path != a.Path && strings.HasPrefix(a.Path, b.Path) || b.Path == a.Path && j < i) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, a)
		}
	}
	return out
}

// cellKey names one cell of one period.
type cellKey struct {
	period string
	ind    int64
	org    int64
}

// params collects numbered parameters.
type params struct{ args []any }

func (p *params) add(v any) string {
	p.args = append(p.args, v)
	return "$" + strconv.Itoa(len(p.args))
}

func (p *params) list(vs []any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = p.add(v)
	}
	return strings.Join(ph, ", ")
}

func anyInts(xs []int64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func anyStrings(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// load returns the partials of a scope for the given periods: the
// maintained aggregate of each area's descendants plus the values of the
// area's own units. maxInds are indicators aggregated by max across units,
// read from data_values.
func load(ctx context.Context, q db.Q, scope []scopeArea, codes []string, approved bool, maxInds []int64) (map[cellKey]Partial, error) {
	out := map[cellKey]Partial{}
	if len(codes) == 0 || len(scope) == 0 {
		return out, nil
	}
	ids := make([]int64, len(scope))
	for i, a := range scope {
		ids[i] = a.ID
	}
	var p params
	query := "SELECT period, indicator_id, organisation_id, total, units FROM rollup_cells WHERE area_id IN (" + p.list(anyInts(ids)) +
		") AND approved = " + p.add(boolInt(approved)) + " AND period IN (" + p.list(anyStrings(codes)) + ") AND units <> 0"
	rows, err := q.QueryContext(ctx, query, p.args...)
	if err != nil {
		return nil, fmt.Errorf("rollup: cells: %w", err)
	}
	intern := make(map[string]string, len(codes))
	for _, c := range codes {
		intern[c] = c
	}
	var per sql.RawBytes
	for rows.Next() {
		var k cellKey
		var part Partial
		if err := rows.Scan(&per, &k.ind, &k.org, &part.Sum, &part.Units); err != nil {
			rows.Close()
			return nil, fmt.Errorf("rollup: cells: %w", err)
		}
		k.period = intern[string(per)]
		out[k] = out[k].add(part)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rollup: cells: %w", err)
	}
	if err := loadOwn(ctx, q, ids, codes, approved, out); err != nil {
		return nil, err
	}
	if len(maxInds) > 0 {
		if err := loadMax(ctx, q, scope, codes, approved, maxInds, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// approvedCond restricts data_values v to approved reports.
const approvedCond = ` AND EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = v.unit_id AND r.period = v.period AND r.status = 'approved')`

// loadOwn adds the values of the units standing at the scope's areas.
func loadOwn(ctx context.Context, q db.Q, areaIDs []int64, codes []string, approved bool, out map[cellKey]Partial) error {
	var p params
	rows, err := q.QueryContext(ctx, "SELECT id, organisation_id FROM units WHERE area_id IN ("+p.list(anyInts(areaIDs))+")", p.args...)
	if err != nil {
		return fmt.Errorf("rollup: own units: %w", err)
	}
	orgOf := map[int64]int64{}
	var units []int64
	for rows.Next() {
		var id, o int64
		if err := rows.Scan(&id, &o); err != nil {
			rows.Close()
			return fmt.Errorf("rollup: own units: %w", err)
		}
		orgOf[id] = o
		units = append(units, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(units) == 0 {
		return nil
	}
	// Which of these units' reports are approved: a few dozen rows, read
	// once rather than probed for every value.
	type up struct {
		unit   int64
		period string
	}
	var ok map[up]bool
	if approved {
		ok = map[up]bool{}
		p = params{}
		rows, err = q.QueryContext(ctx, "SELECT unit_id, period FROM reports WHERE unit_id IN ("+p.list(anyInts(units))+") AND period IN ("+
			p.list(anyStrings(codes))+") AND status = 'approved'", p.args...)
		if err != nil {
			return fmt.Errorf("rollup: own reports: %w", err)
		}
		for rows.Next() {
			var k up
			if err := rows.Scan(&k.unit, &k.period); err != nil {
				rows.Close()
				return fmt.Errorf("rollup: own reports: %w", err)
			}
			ok[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ok) == 0 {
			return nil
		}
	}
	// The unique index (unit_id, period, indicator_id, option) gives the
	// rows in order: the options of one unit's indicator are adjacent.
	p = params{}
	query := "SELECT v.unit_id, v.period, v.indicator_id, v.value_num FROM data_values v WHERE v.unit_id IN (" + p.list(anyInts(units)) +
		") AND v.period IN (" + p.list(anyStrings(codes)) + ") AND v.value_num IS NOT NULL ORDER BY v.unit_id, v.period, v.indicator_id"
	rows, err = q.QueryContext(ctx, query, p.args...)
	if err != nil {
		return fmt.Errorf("rollup: own values: %w", err)
	}
	defer rows.Close()
	var cur cellKey
	var curUnit, sum int64
	have := false
	flush := func() {
		if have {
			out[cur] = out[cur].add(Partial{Sum: sum, Units: 1})
		}
	}
	for rows.Next() {
		var unit, v int64
		var k cellKey
		if err := rows.Scan(&unit, &k.period, &k.ind, &v); err != nil {
			return fmt.Errorf("rollup: own values: %w", err)
		}
		if approved && !ok[up{unit, k.period}] {
			continue
		}
		k.org = orgOf[unit]
		if have && unit == curUnit && k == cur {
			sum += v
			continue
		}
		flush()
		cur, curUnit, sum, have = k, unit, v, true
	}
	flush()
	return rows.Err()
}

// loadMax sets the largest unit total of each cell of the indicators
// aggregated by max, from data_values (a maximum cannot be decremented, so
// it is not maintained; no default indicator uses it).
func loadMax(ctx context.Context, q db.Q, scope []scopeArea, codes []string, approved bool, inds []int64, out map[cellKey]Partial) error {
	var p params
	var conds []string
	for _, a := range scope {
		if a.ID == Nation {
			conds = []string{"1 = 1"}
			break
		}
		conds = append(conds, "a.path LIKE "+p.add(a.Path+"%"))
	}
	query := "SELECT v.period, v.indicator_id, u.organisation_id, SUM(v.value_num) FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id WHERE (" +
		strings.Join(conds, " OR ") + ") AND v.indicator_id IN (" + p.list(anyInts(inds)) + ") AND v.period IN (" + p.list(anyStrings(codes)) +
		") AND v.value_num IS NOT NULL"
	if approved {
		query += approvedCond
	}
	query += " GROUP BY v.period, v.indicator_id, u.organisation_id, v.unit_id"
	rows, err := q.QueryContext(ctx, query, p.args...)
	if err != nil {
		return fmt.Errorf("rollup: max: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k cellKey
		var v int64
		if err := rows.Scan(&k.period, &k.ind, &k.org, &v); err != nil {
			return fmt.Errorf("rollup: max: %w", err)
		}
		part := out[k]
		if !part.HasMax || v > part.Max {
			part.Max, part.HasMax = v, true
		}
		out[k] = part
	}
	return rows.Err()
}

// series picks one cell's partials (org 0: every organisation combined).
func series(parts map[cellKey]Partial, ind, orgID int64) Series {
	s := Series{}
	for k, p := range parts {
		if k.ind == ind && (orgID == 0 || k.org == orgID) {
			s[k.period] = s[k.period].add(p)
		}
	}
	return s
}

// index groups partials by indicator and organisation for quick lookups.
type index map[int64]map[int64]Series

func indexOf(parts map[cellKey]Partial) index {
	ix := index{}
	for k, p := range parts {
		if ix[k.ind] == nil {
			ix[k.ind] = map[int64]Series{}
		}
		for _, o := range []int64{k.org, 0} {
			if ix[k.ind][o] == nil {
				ix[k.ind][o] = Series{}
			}
			ix[k.ind][o][k.period] = ix[k.ind][o][k.period].add(p)
		}
	}
	return ix
}

func (ix index) get(ind, orgID int64) Series {
	if s := ix[ind][orgID]; s != nil {
		return s
	}
	return Series{}
}
