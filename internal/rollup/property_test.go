package rollup

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// The model the property test keeps beside the database.
type mArea struct {
	id, parent int64
	path       string
}

type mUnit struct{ id, org, area int64 }

type mKey struct {
	unit   int64
	period string
	ind    int64
	option string
}

type model struct {
	areas   map[int64]*mArea
	units   map[int64]*mUnit
	values  map[mKey]*int64 // nil: a row without a number (text only)
	reports map[[2]string]string
	merges  [][2]int64 // from, to
}

var (
	propStored = []string{"202107", "202108", "202109", "2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022Q1", "2021"}
	propAsked  = []string{"202107", "202108", "202109", "2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022Q1", "2021S1", "2021S2", "2021N9", "2021", "2022"}
	propStatus = []string{"draft", "submitted", "returned", "approved"}
	propOrgs   = []int64{1, 2, 3}
)

// propIndicators covers every rule: sums, an average, a maximum, stocks
// (last over periods), a cumulative count and two disaggregated ones.
func propIndicators() []indicator.Indicator {
	mk := func(id int64, units, periods indicator.Aggregation, cum bool, opts bool) indicator.Indicator {
		ind := indicator.Indicator{ID: id, Code: "I" + strconv.FormatInt(id, 10), ValueType: indicator.Integer, AggUnits: units, AggPeriods: periods, Cumulative: cum}
		if opts {
			ind.Disaggregation = &indicator.Disaggregation{Options: []indicator.Option{{Code: "nam"}, {Code: "nu"}}}
		}
		return ind
	}
	return []indicator.Indicator{
		mk(1, indicator.Sum, indicator.Sum, false, false),
		mk(2, indicator.Average, indicator.Last, false, false),
		mk(3, indicator.Max, indicator.Max, false, false),
		mk(4, indicator.Sum, indicator.Sum, false, true),
		mk(5, indicator.Sum, indicator.Average, true, false),
		mk(6, indicator.Average, indicator.Sum, false, true),
	}
}

func propSetup(t *testing.T, d *db.DB) {
	ctx := context.Background()
	stmts := []string{
		"INSERT INTO area_levels(id, code, name_vi, name_en, depth) VALUES (1, 'l', 'L', 'L', 1)",
		"INSERT INTO indicator_sections(id, code, name_vi) VALUES (1, 's', 'S')",
	}
	for _, o := range propOrgs {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO organisations(id, code, name_vi) VALUES (%d, 'O%d', 'O%d')", o, o, o))
	}
	for _, ind := range propIndicators() {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO indicators(id, code, name_vi, section_id, value_type, agg_units, agg_periods, cumulative)
			VALUES (%d, '%s', '%s', 1, 'integer', '%s', '%s', %v)`, ind.ID, ind.Code, ind.Code, ind.AggUnits, ind.AggPeriods, ind.Cumulative))
	}
	for _, s := range stmts {
		if _, err := d.ExecContext(ctx, s); err != nil {
			t.Fatal(s, err)
		}
	}
}

func propReset(t interface{ Fatal(...any) }, d *db.DB) {
	for _, s := range []string{"DELETE FROM data_values", "DELETE FROM reports", "DELETE FROM units", "DELETE FROM area_merges",
		"DELETE FROM areas", "DELETE FROM rollup_cells"} {
		if _, err := d.ExecContext(context.Background(), s); err != nil {
			t.Fatal(s, err)
		}
	}
}

type propRun struct {
	t   *rapid.T
	d   *db.DB
	ctx context.Context
	m   *model
	seq int64
}

func (r *propRun) exec(q string, args ...any) {
	if _, err := r.d.ExecContext(r.ctx, q, args...); err != nil {
		r.t.Fatalf("%s %v: %v", q, args, err)
	}
}

func (r *propRun) next() int64 { r.seq++; return r.seq }

// TestRollupMatchesBruteForce builds random trees, units and merges, then
// runs random writes (values set, cleared and deleted, several options in
// one statement, reports approved and unapproved, units and subtrees
// moved) and checks every node, organisation, class, period and indicator
// against a computation from the model.
func TestRollupMatchesBruteForce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		propSetup(t, d)
		s := New(d)
		inds := propIndicators()
		rapid.Check(t, func(rt *rapid.T) {
			propReset(rt, d)
			r := &propRun{t: rt, d: d, ctx: context.Background(), m: &model{areas: map[int64]*mArea{}, units: map[int64]*mUnit{},
				values: map[mKey]*int64{}, reports: map[[2]string]string{}}}
			r.buildTree()
			steps := rapid.IntRange(1, 40).Draw(rt, "steps")
			for i := 0; i < steps; i++ {
				r.step(inds)
			}
			r.check(s, inds)
			// A rebuild from scratch gives the same aggregate.
			before := cellsDump(rt, d)
			if err := Rebuild(r.ctx, d); err != nil {
				rt.Fatal(err)
			}
			if after := cellsDump(rt, d); before != after {
				rt.Fatalf("rebuild differs:\nmaintained %s\nrebuilt    %s", before, after)
			}
			if err := RebuildStream(r.ctx, d); err != nil {
				rt.Fatal(err)
			}
			if after := cellsDump(rt, d); before != after {
				rt.Fatalf("streamed rebuild differs:\nmaintained %s\nrebuilt    %s", before, after)
			}
		})
	})
}

func cellsDump(t *rapid.T, d *db.DB) string {
	rows, err := d.QueryContext(context.Background(), `SELECT area_id, approved, period, indicator_id, organisation_id, total, units
		FROM rollup_cells WHERE total <> 0 OR units <> 0 ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var a, ap, i, o, tot, u int64
		var p string
		if err := rows.Scan(&a, &ap, &p, &i, &o, &tot, &u); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "[%d %d %s %d %d %d %d]", a, ap, p, i, o, tot, u)
	}
	return b.String()
}

func (r *propRun) buildTree() {
	n := rapid.IntRange(1, 9).Draw(r.t, "areas")
	var ids []int64
	for i := 0; i < n; i++ {
		a := &mArea{id: r.next()}
		if len(ids) > 0 && rapid.IntRange(0, 4).Draw(r.t, "root?") > 0 {
			p := r.m.areas[rapid.SampledFrom(ids).Draw(r.t, "parent")]
			if strings.Count(p.path, "/") <= 4 {
				a.parent = p.id
				a.path = p.path + strconv.FormatInt(a.id, 10) + "/"
			}
		}
		if a.path == "" {
			a.path = "/" + strconv.FormatInt(a.id, 10) + "/"
		}
		var parent any
		if a.parent != 0 {
			parent = a.parent
		}
		r.exec("INSERT INTO areas(id, parent_id, level_id, name, name_folded, path) VALUES ($1, $2, 1, $3, $3, '/')", a.id, parent, "A"+strconv.FormatInt(a.id, 10))
		r.exec("UPDATE areas SET path = $1 WHERE id = $2", a.path, a.id)
		r.m.areas[a.id] = a
		ids = append(ids, a.id)
	}
	for i, nu := 0, rapid.IntRange(1, 8).Draw(r.t, "units"); i < nu; i++ {
		r.addUnit(rapid.SampledFrom(ids).Draw(r.t, "unit area"), rapid.SampledFrom(propOrgs).Draw(r.t, "unit org"))
	}
	for i, nm := 0, rapid.IntRange(0, 2).Draw(r.t, "merges"); i < nm && len(ids) > 1; i++ {
		from, to := rapid.SampledFrom(ids).Draw(r.t, "from"), rapid.SampledFrom(ids).Draw(r.t, "to")
		if from == to || r.hasMerge(from, to) || strings.HasPrefix(r.m.areas[to].path, r.m.areas[from].path) {
			continue
		}
		r.exec("INSERT INTO area_merges(from_area_id, to_area_id, effective) VALUES ($1, $2, '2025-07-01')", from, to)
		r.m.merges = append(r.m.merges, [2]int64{from, to})
	}
}

func (r *propRun) hasMerge(from, to int64) bool {
	for _, m := range r.m.merges {
		if m[0] == from && m[1] == to {
			return true
		}
	}
	return false
}

func (r *propRun) addUnit(area, orgID int64) {
	for _, u := range r.m.units {
		if u.area == area && u.org == orgID {
			return
		}
	}
	u := &mUnit{id: r.next(), org: orgID, area: area}
	r.exec("INSERT INTO units(id, organisation_id, area_id, name, name_folded) VALUES ($1, $2, $3, 'U', 'u')", u.id, u.org, u.area)
	r.m.units[u.id] = u
}

func (r *propRun) unitIDs() []int64 {
	var out []int64
	for id := range r.m.units {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (r *propRun) keys() []mKey {
	var out []mKey
	for k := range r.m.values {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func optionsOf(ind indicator.Indicator) []string {
	if ind.Disaggregation == nil {
		return []string{""}
	}
	return []string{"nam", "nu"}
}

func (r *propRun) step(inds []indicator.Indicator) {
	t := r.t
	units := r.unitIDs()
	if len(units) == 0 {
		return
	}
	now := time.Date(2021, 8, 20, 0, 0, 0, 0, time.UTC)
	switch rapid.IntRange(0, 9).Draw(t, "op") {
	case 0, 1, 2: // set one value (insert or update), sometimes a text-only row
		k := mKey{unit: rapid.SampledFrom(units).Draw(t, "unit"), period: rapid.SampledFrom(propStored).Draw(t, "period")}
		ind := rapid.SampledFrom(inds).Draw(t, "ind")
		k.ind, k.option = ind.ID, rapid.SampledFrom(optionsOf(ind)).Draw(t, "option")
		var v *int64
		if rapid.IntRange(0, 6).Draw(t, "null?") > 0 {
			x := rapid.Int64Range(0, 50).Draw(t, "value")
			v = &x
		}
		if _, ok := r.m.values[k]; ok {
			r.exec("UPDATE data_values SET value_num = $1, version = version + 1 WHERE unit_id = $2 AND period = $3 AND indicator_id = $4 AND option = $5", v, k.unit, k.period, k.ind, k.option)
		} else {
			r.exec("INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, updated_at) VALUES ($1, $2, $3, $4, $5, 'x', $6)", k.unit, k.period, k.ind, k.option, v, now)
		}
		r.m.values[k] = v
	case 3: // both options of a disaggregated indicator in one statement
		unit, per := rapid.SampledFrom(units).Draw(t, "unit"), rapid.SampledFrom(propStored).Draw(t, "period")
		ind := rapid.SampledFrom([]int64{4, 6}).Draw(t, "ind")
		a, b := rapid.Int64Range(0, 30).Draw(t, "a"), rapid.Int64Range(0, 30).Draw(t, "b")
		ka, kb := mKey{unit, per, ind, "nam"}, mKey{unit, per, ind, "nu"}
		if _, ok := r.m.values[ka]; ok {
			return
		}
		if _, ok := r.m.values[kb]; ok {
			return
		}
		r.exec("INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, updated_at) VALUES ($1, $2, $3, 'nam', $4, $6), ($1, $2, $3, 'nu', $5, $6)", unit, per, ind, a, b, now)
		r.m.values[ka], r.m.values[kb] = &a, &b
	case 4: // delete a value
		keys := r.keys()
		if len(keys) == 0 {
			return
		}
		k := rapid.SampledFrom(keys).Draw(t, "delete")
		r.exec("DELETE FROM data_values WHERE unit_id = $1 AND period = $2 AND indicator_id = $3 AND option = $4", k.unit, k.period, k.ind, k.option)
		delete(r.m.values, k)
	case 5: // one statement changing every value of a unit and period
		unit, per := rapid.SampledFrom(units).Draw(t, "unit"), rapid.SampledFrom(propStored).Draw(t, "period")
		r.exec("UPDATE data_values SET value_num = value_num + 1 WHERE unit_id = $1 AND period = $2", unit, per)
		for k, v := range r.m.values {
			if k.unit == unit && k.period == per && v != nil {
				x := *v + 1
				r.m.values[k] = &x
			}
		}
	case 6, 7: // a report's status changes (or the report is deleted)
		unit, per := rapid.SampledFrom(units).Draw(t, "unit"), rapid.SampledFrom(propStored).Draw(t, "period")
		key := [2]string{strconv.FormatInt(unit, 10), per}
		st := rapid.SampledFrom(append([]string{"delete"}, propStatus...)).Draw(t, "status")
		_, exists := r.m.reports[key]
		switch {
		case st == "delete":
			r.exec("DELETE FROM reports WHERE unit_id = $1 AND period = $2", unit, per)
			delete(r.m.reports, key)
		case exists:
			r.exec("UPDATE reports SET status = $1 WHERE unit_id = $2 AND period = $3", st, unit, per)
			r.m.reports[key] = st
		default:
			r.exec("INSERT INTO reports(unit_id, period, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)", unit, per, st, now)
			r.m.reports[key] = st
		}
	case 8: // a unit moves to another area or organisation
		u := r.m.units[rapid.SampledFrom(units).Draw(t, "unit")]
		var areas []int64
		for id := range r.m.areas {
			areas = append(areas, id)
		}
		sort.Slice(areas, func(i, j int) bool { return areas[i] < areas[j] })
		na, no := rapid.SampledFrom(areas).Draw(t, "new area"), rapid.SampledFrom(propOrgs).Draw(t, "new org")
		for _, o := range r.m.units {
			if o.area == na && o.org == no {
				return
			}
		}
		r.exec("UPDATE units SET area_id = $1, organisation_id = $2 WHERE id = $3", na, no, u.id)
		u.area, u.org = na, no
	case 9: // a subtree moves under another parent (or becomes a root)
		var areas []int64
		for id := range r.m.areas {
			areas = append(areas, id)
		}
		sort.Slice(areas, func(i, j int) bool { return areas[i] < areas[j] })
		a := r.m.areas[rapid.SampledFrom(areas).Draw(t, "moved")]
		var to *mArea
		if pick := rapid.SampledFrom(append([]int64{0}, areas...)).Draw(t, "new parent"); pick != 0 {
			to = r.m.areas[pick]
			if strings.HasPrefix(to.path, a.path) {
				return
			}
		}
		newPath := "/" + strconv.FormatInt(a.id, 10) + "/"
		var parent any
		if to != nil {
			newPath = to.path + strconv.FormatInt(a.id, 10) + "/"
			parent = to.id
		}
		old := a.path
		r.exec("UPDATE areas SET parent_id = $1 WHERE id = $2", parent, a.id)
		r.exec("UPDATE areas SET path = CAST($1 AS TEXT) || substr(path, CAST($2 AS INTEGER)) WHERE path LIKE $3", newPath, len(old)+1, old+"%")
		for _, x := range r.m.areas {
			if strings.HasPrefix(x.path, old) {
				x.path = newPath + x.path[len(old):]
			}
		}
		if to != nil {
			a.parent = to.id
		} else {
			a.parent = 0
		}
	}
}

// brute is the figure the model gives for a node (0: the nation), an
// organisation (0: all), a class and a period.
func (r *propRun) brute(node int64, orgID int64, approved bool, ind indicator.Indicator, p period.Period, ytd bool) (int64, bool) {
	// The scope: the node and every area merged into it, transitively.
	var paths []string
	if node != Nation {
		seen := map[int64]bool{node: true}
		frontier := []int64{node}
		for len(frontier) > 0 {
			x := frontier[0]
			frontier = frontier[1:]
			paths = append(paths, r.m.areas[x].path)
			for _, m := range r.m.merges {
				if m[1] == x && !seen[m[0]] {
					seen[m[0]] = true
					frontier = append(frontier, m[0])
				}
			}
		}
	}
	inScope := func(u *mUnit) bool {
		if node == Nation {
			return true
		}
		for _, p := range paths {
			if strings.HasPrefix(r.m.areas[u.area].path, p) {
				return true
			}
		}
		return false
	}
	// Per stored period: the units' totals.
	type agg struct {
		sum, n, mx int64
	}
	stored := map[string]*agg{}
	unitTot := map[[2]string]int64{}
	unitHas := map[[2]string]bool{}
	for k, v := range r.m.values {
		if k.ind != ind.ID || v == nil {
			continue
		}
		u := r.m.units[k.unit]
		if !inScope(u) || orgID != 0 && u.org != orgID {
			continue
		}
		if approved && r.m.reports[[2]string{strconv.FormatInt(u.id, 10), k.period}] != "approved" {
			continue
		}
		key := [2]string{strconv.FormatInt(u.id, 10), k.period}
		unitTot[key] += *v
		unitHas[key] = true
	}
	for key := range unitHas {
		a := stored[key[1]]
		if a == nil {
			a = &agg{mx: -1 << 62}
			stored[key[1]] = a
		}
		a.sum += unitTot[key]
		a.n++
		a.mx = max(a.mx, unitTot[key])
	}
	pagg := ind.AggPeriods
	if ind.Cumulative {
		pagg = indicator.Last
	}
	var eval func(q period.Period) (int64, bool)
	fold := func(qs []period.Period) (int64, bool) {
		var vals []int64
		for _, q := range qs {
			if v, ok := eval(q); ok {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			return 0, false
		}
		switch pagg {
		case indicator.Sum:
			s := int64(0)
			for _, v := range vals {
				s += v
			}
			return s, true
		case indicator.Max:
			m := vals[0]
			for _, v := range vals {
				m = max(m, v)
			}
			return m, true
		case indicator.Last:
			return vals[len(vals)-1], true
		default:
			s := int64(0)
			for _, v := range vals {
				s += v
			}
			return (s + int64(len(vals))/2) / int64(len(vals)), true
		}
	}
	eval = func(q period.Period) (int64, bool) {
		if a := stored[q.Code()]; a != nil {
			switch ind.AggUnits {
			case indicator.Average:
				return (a.sum + a.n/2) / a.n, true
			case indicator.Max:
				return a.mx, true
			}
			return a.sum, true
		}
		switch q.Type {
		case period.Quarter:
			return fold(q.Children(period.Month))
		case period.Month:
			return 0, false
		}
		return fold(q.Children(period.Quarter))
	}
	if ytd {
		switch p.Type {
		case period.Quarter, period.Month:
			return fold(p.YearToDate())
		case period.SixMonths:
			if p.Index == 2 {
				return eval(period.NewYear(p.Year))
			}
		}
	}
	return eval(p)
}

func (r *propRun) check(s *Service, inds []indicator.Indicator) {
	nodes := []int64{Nation}
	for id := range r.m.areas {
		nodes = append(nodes, id)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i] < nodes[j] })
	var asked []period.Period
	for _, c := range propAsked {
		asked = append(asked, period.MustParse(c))
	}
	for _, node := range nodes {
		for _, approved := range []bool{false, true} {
			f, err := s.Figures(r.ctx, node, asked, true, approved, inds)
			if err != nil {
				r.t.Fatal(err)
			}
			for _, orgID := range append([]int64{0}, propOrgs...) {
				for i := range inds {
					ind := &inds[i]
					for _, p := range asked {
						got, gok := f.Value(ind, orgID, p)
						want, wok := r.brute(node, orgID, approved, *ind, p, false)
						if got != want || gok != wok {
							r.t.Fatalf("node %d org %d approved %v %s %s: got %d/%v, want %d/%v", node, orgID, approved, ind.Code, p.Code(), got, gok, want, wok)
						}
						got, gok = f.YTD(ind, orgID, p)
						want, wok = r.brute(node, orgID, approved, *ind, p, true)
						if got != want || gok != wok {
							r.t.Fatalf("YTD node %d org %d approved %v %s %s: got %d/%v, want %d/%v", node, orgID, approved, ind.Code, p.Code(), got, gok, want, wok)
						}
					}
				}
			}
		}
	}
}
