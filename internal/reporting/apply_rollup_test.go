package reporting

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// rollupDump lists the cells of rollup_cells that are not zero.
func rollupDump(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT area_id, approved, period, indicator_id, organisation_id, total, units
		FROM rollup_cells WHERE total <> 0 OR units <> 0 ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var a, ap, i, o, tot, u int64
		var p string
		if err := rows.Scan(&a, &ap, &p, &i, &o, &tot, &u); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("[%d %d %s %d %d %d %d]", a, ap, p, i, o, tot, u))
	}
	return strings.Join(lines, "\n")
}

// bruteRollup computes what rollup_cells must hold from data_values, in
// Go: per unit, period and indicator the total of its options, added to
// the country (0) and every strict ancestor of the unit's area, in class 0
// and, for an approved report, class 1.
func bruteRollup(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT v.unit_id, v.period, v.indicator_id, v.value_num, u.organisation_id, a.id, a.path,
		CASE WHEN EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = v.unit_id AND r.period = v.period AND r.status = 'approved') THEN 1 ELSE 0 END
		FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id WHERE v.value_num IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type grain struct {
		unit   int64
		period string
		ind    int64
	}
	type info struct {
		org, area int64
		path      string
		approved  int
		sum       int64
	}
	grains := map[grain]*info{}
	for rows.Next() {
		var g grain
		var in info
		var v int64
		if err := rows.Scan(&g.unit, &g.period, &g.ind, &v, &in.org, &in.area, &in.path, &in.approved); err != nil {
			t.Fatal(err)
		}
		if grains[g] == nil {
			grains[g] = &in
		}
		grains[g].sum += v
	}
	type key struct {
		area     int64
		approved int
		period   string
		ind, org int64
	}
	cells := map[key][2]int64{}
	for g, in := range grains {
		anc := []int64{0}
		for _, p := range strings.Split(strings.Trim(in.path, "/"), "/") {
			if x, _ := strconv.ParseInt(p, 10, 64); x != in.area {
				anc = append(anc, x)
			}
		}
		for _, a := range anc {
			for cl := 0; cl <= in.approved; cl++ {
				k := key{a, cl, g.period, g.ind, in.org}
				c := cells[k]
				cells[k] = [2]int64{c[0] + in.sum, c[1] + 1}
			}
		}
	}
	var keys []key
	for k, c := range cells {
		if c[0] != 0 || c[1] != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch {
		case a.area != b.area:
			return a.area < b.area
		case a.approved != b.approved:
			return a.approved < b.approved
		case a.period != b.period:
			return a.period < b.period
		case a.ind != b.ind:
			return a.ind < b.ind
		}
		return a.org < b.org
	})
	var lines []string
	for _, k := range keys {
		c := cells[k]
		lines = append(lines, fmt.Sprintf("[%d %d %s %d %d %d %d]", k.area, k.approved, k.period, k.ind, k.org, c[0], c[1]))
	}
	return strings.Join(lines, "\n")
}

// TestApplyKeepsRollup: batches applied in bulk (the roll-up triggers
// stand aside and the changes are folded in at the end) leave rollup_cells
// equal to a brute-force computation from data_values: new cells, changed
// ones, cleared ones, options of one indicator, units at every level, an
// approved report beside them, and a form save (with the triggers) mixed
// in; a refused batch changes nothing.
func TestApplyKeepsRollup(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.as("thuky")
		check := func(step string) {
			t.Helper()
			if got, want := rollupDump(t, d), bruteRollup(t, d); got != want {
				t.Fatalf("%s: rollup_cells\n%s\nwant\n%s", step, got, want)
			}
		}
		first := Batch{Period: "2021Q3"}
		for i, u := range []int64{f.mttqDistrict.ID, f.hndDistrict.ID, f.mttqA.ID, f.hndA.ID, f.mttqB.ID} {
			n := strconv.Itoa
			first.Cells = append(first.Cells,
				cell(u, "QUY_NHAN", n(1_000_000*(i+1)), "A"+n(i)),
				cell(u, "HIEN_MAU.nam", n(3+i), "B"+n(i)),
				cell(u, "HIEN_MAU.nu", n(i), "C"+n(i)),
				cell(u, "NHA_KC", n(5+i), "D"+n(i)),
				cell(u, "NHA_BG", n(2+i), "E"+n(i)),
				cell(u, "GHI_CHU", "ghi chú "+n(i), "F"+n(i)),
			)
		}
		if _, err := f.s.Apply(sec, first); err != nil {
			t.Fatal(err)
		}
		check("first batch")
		// mttqB's report approved: its values count in the approved class.
		if _, err := d.ExecContext(context.Background(), "UPDATE reports SET status = 'approved' WHERE unit_id = $1 AND period = '2021Q3'", f.mttqB.ID); err != nil {
			t.Fatal(err)
		}
		check("approved")
		second := Batch{Period: "2021Q3", Cells: []CellValue{
			cell(f.mttqDistrict.ID, "QUY_NHAN", "7.000.000", "A0"), // changed
			cell(f.mttqDistrict.ID, "HIEN_MAU.nam", "", "B0"),      // cleared, the other option stays
			cell(f.hndDistrict.ID, "HIEN_MAU.nam", "", "B1"),
			cell(f.hndDistrict.ID, "HIEN_MAU.nu", "", "C1"), // both options cleared: the unit no longer counts
			cell(f.mttqA.ID, "QUY_CHI", "500000", "G2"),     // new
			cell(f.mttqA.ID, "NHA_KC", "7", "D2"),           // unchanged
			cell(f.hndA.ID, "HOI_VIEN", "4", "H3"),
			cell(f.hndA.ID, "NHA_BG", "", "E3"),
		}}
		if _, err := f.s.Apply(sec, second); err != nil {
			t.Fatal(err)
		}
		check("second batch")
		// Another period of the same units.
		other := Batch{Period: "2021Q2", Cells: []CellValue{cell(f.mttqA.ID, "NHA_KC", "3", "D2"), cell(f.hndA.ID, "HIEN_MAU.nu", "2", "C3")}}
		if _, err := f.s.Apply(sec, other); err != nil {
			t.Fatal(err)
		}
		check("other period")
		// A refused batch (houses handed over > started) leaves it alone.
		if _, err := f.s.Apply(sec, Batch{Period: "2021Q3", Cells: []CellValue{cell(f.mttqA.ID, "NHA_KC", "1", "D2"),
			cell(f.mttqDistrict.ID, "QUY_NHAN", "9", "A0")}}); err == nil {
			t.Fatal("a batch breaking a blocking rule was applied")
		}
		check("refused batch")
		// A form save goes through the triggers.
		if _, err := f.s.SaveValues(sec, f.mttqA.ID, "2021Q3", []ValueInput{val("QUY_NHAN", "1234", -1), val("HIEN_MAU.nam", "", -1)}); err != nil {
			t.Fatal(err)
		}
		check("form save")
		var open int
		if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM rollup_bulk").Scan(&open); err != nil || open != 0 {
			t.Fatalf("rollup_bulk holds %d rows (%v)", open, err)
		}
	})
}
