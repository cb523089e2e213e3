package bulk_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/rollup"
	"giaoban/internal/rollup/bulk"
)

var (
	testPeriods  = []string{"2021Q2", "2021Q3"}
	testStatuses = []string{"draft", "submitted", "returned", "approved"}
	testOptions  = []string{"", "nam", "nu"}
)

func setup(t *testing.T, d *db.DB) {
	ctx := context.Background()
	stmts := []string{
		"INSERT INTO area_levels(id, code, name_vi, name_en, depth) VALUES (1, 'l', 'L', 'L', 1)",
		"INSERT INTO indicator_sections(id, code, name_vi) VALUES (1, 's', 'S')",
		"INSERT INTO organisations(id, code, name_vi) VALUES (1, 'O1', 'O1'), (2, 'O2', 'O2')",
	}
	for i := 1; i <= 3; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO indicators(id, code, name_vi, section_id, value_type, agg_units, agg_periods, cumulative)
			VALUES (%d, 'I%d', 'I%d', 1, 'integer', 'sum', 'sum', false)`, i, i, i))
	}
	for _, s := range stmts {
		if _, err := d.ExecContext(ctx, s); err != nil {
			t.Fatal(s, err)
		}
	}
}

func reset(t interface{ Fatal(...any) }, d *db.DB) {
	for _, s := range []string{"DELETE FROM data_values", "DELETE FROM reports", "DELETE FROM units", "DELETE FROM areas", "DELETE FROM rollup_cells"} {
		if _, err := d.ExecContext(context.Background(), s); err != nil {
			t.Fatal(s, err)
		}
	}
}

// dump lists the cells of the aggregate that are not zero.
func dump(t interface{ Fatal(...any) }, d *db.DB) string {
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

type world struct {
	units []int64
	seq   int64
}

// build makes a random tree of areas, units in it and reports of every
// status.
func build(t *rapid.T, d *db.DB) *world {
	ctx := context.Background()
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s %v: %v", q, args, err)
		}
	}
	w := &world{}
	paths := map[int64]string{}
	var areas []int64
	for i, n := 0, rapid.IntRange(1, 7).Draw(t, "areas"); i < n; i++ {
		w.seq++
		id := w.seq
		path := "/" + strconv.FormatInt(id, 10) + "/"
		var parent any
		if len(areas) > 0 && rapid.Bool().Draw(t, "child?") {
			p := rapid.SampledFrom(areas).Draw(t, "parent")
			parent, path = p, paths[p]+strconv.FormatInt(id, 10)+"/"
		}
		exec("INSERT INTO areas(id, parent_id, level_id, name, name_folded, path) VALUES ($1, $2, 1, $3, $3, $4)", id, parent, "A"+strconv.FormatInt(id, 10), path)
		paths[id] = path
		areas = append(areas, id)
	}
	seen := map[[2]int64]bool{}
	for i, n := 0, rapid.IntRange(1, 8).Draw(t, "units"); i < n; i++ {
		a, o := rapid.SampledFrom(areas).Draw(t, "area"), rapid.Int64Range(1, 2).Draw(t, "org")
		if seen[[2]int64{a, o}] {
			continue
		}
		seen[[2]int64{a, o}] = true
		w.seq++
		exec("INSERT INTO units(id, organisation_id, area_id, name, name_folded) VALUES ($1, $2, $3, 'U', 'u')", w.seq, o, a)
		w.units = append(w.units, w.seq)
		for _, p := range testPeriods {
			if st := rapid.SampledFrom(append([]string{"none"}, testStatuses...)).Draw(t, "status"); st != "none" {
				exec("INSERT INTO reports(unit_id, period, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)", w.seq, p, st, time.Now())
			}
		}
	}
	return w
}

type vkey struct {
	unit   int64
	period string
	ind    int64
	option string
}

// writeValue sets, clears (a row without a number) or deletes one value.
func writeValue(t *rapid.T, ctx context.Context, q db.Q, k vkey, label string) {
	var err error
	switch rapid.IntRange(0, 5).Draw(t, label) {
	case 0:
		_, err = q.ExecContext(ctx, "DELETE FROM data_values WHERE unit_id = $1 AND period = $2 AND indicator_id = $3 AND option = $4", k.unit, k.period, k.ind, k.option)
	default:
		var v *int64
		if rapid.IntRange(0, 4).Draw(t, label+" null?") > 0 {
			x := rapid.Int64Range(-3, 40).Draw(t, label+" value")
			v = &x
		}
		_, err = q.ExecContext(ctx, `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6)
			ON CONFLICT (unit_id, period, indicator_id, option) DO UPDATE SET value_num = excluded.value_num, version = data_values.version + 1`,
			k.unit, k.period, k.ind, k.option, v, time.Now())
	}
	if err != nil {
		t.Fatal(err)
	}
}

func randomKey(t *rapid.T, units []int64, periods []string, label string) vkey {
	return vkey{unit: rapid.SampledFrom(units).Draw(t, label+" unit"), period: rapid.SampledFrom(periods).Draw(t, label+" period"),
		ind: rapid.Int64Range(1, 3).Draw(t, label+" ind"), option: rapid.SampledFrom(testOptions).Draw(t, label+" option")}
}

// TestBulkWriteMatchesRebuild writes random values with the triggers, then
// a bulk write (inserts, updates, numbers cleared, rows deleted, in the
// reports it names, some approved, a multi-row statement among them),
// sometimes rolled back, then more values with the triggers again, and
// checks that the maintained aggregate equals a rebuild from scratch.
func TestBulkWriteMatchesRebuild(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		setup(t, d)
		ctx := context.Background()
		rapid.Check(t, func(rt *rapid.T) {
			reset(rt, d)
			w := build(rt, d)
			for i, n := 0, rapid.IntRange(0, 15).Draw(rt, "before"); i < n; i++ {
				writeValue(rt, ctx, d, randomKey(rt, w.units, testPeriods, "pre"), "pre")
			}
			start := dump(rt, d)
			var keys []bulk.Key
			var kUnits []int64
			var kPeriods []string
			for i, n := 0, rapid.IntRange(1, 4).Draw(rt, "keys"); i < n; i++ {
				k := bulk.Key{Unit: rapid.SampledFrom(w.units).Draw(rt, "key unit"), Period: rapid.SampledFrom(testPeriods).Draw(rt, "key period")}
				keys = append(keys, k)
				kUnits, kPeriods = append(kUnits, k.Unit), append(kPeriods, k.Period)
			}
			rollback := rapid.IntRange(0, 4).Draw(rt, "rollback?") == 0
			// A transaction of its own rather than d.Tx: a failed check
			// panics, and the deferred Rollback frees the writer.
			tx, err := d.Raw().BeginTx(ctx, nil)
			if err != nil {
				rt.Fatal(err)
			}
			defer tx.Rollback()
			bw, err := bulk.Begin(ctx, tx, d.Dialect, keys)
			if err != nil {
				rt.Fatal(err)
			}
			if _, err := bulk.Begin(ctx, tx, d.Dialect, keys); !errors.Is(err, bulk.ErrNested) {
				rt.Fatalf("second Begin: %v, want ErrNested", err)
			}
			for i, n := 0, rapid.IntRange(0, 25).Draw(rt, "bulk writes"); i < n; i++ {
				j := rapid.IntRange(0, len(keys)-1).Draw(rt, "which key")
				writeValue(rt, ctx, tx, randomKey(rt, []int64{kUnits[j]}, []string{kPeriods[j]}, "bulk"), "bulk")
			}
			if rapid.Bool().Draw(rt, "multi-row?") {
				// Both options of one indicator in one statement.
				k := keys[rapid.IntRange(0, len(keys)-1).Draw(rt, "multi key")]
				if _, err := tx.ExecContext(ctx, `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, updated_at)
					VALUES ($1, $2, 2, 'nam', 5, $3), ($1, $2, 2, 'nu', 7, $3)
					ON CONFLICT (unit_id, period, indicator_id, option) DO UPDATE SET value_num = excluded.value_num + data_values.value_num`,
					k.Unit, k.Period, time.Now()); err != nil {
					rt.Fatal(err)
				}
			}
			if err := bw.Finish(ctx); err != nil {
				rt.Fatal(err)
			}
			// The triggers count what follows in the same transaction.
			for i, n := 0, rapid.IntRange(0, 3).Draw(rt, "after in tx"); i < n; i++ {
				writeValue(rt, ctx, tx, randomKey(rt, w.units, testPeriods, "post"), "post")
			}
			if rollback {
				if err := tx.Rollback(); err != nil {
					rt.Fatal(err)
				}
				if got := dump(rt, d); got != start {
					rt.Fatalf("rolled back bulk write changed the aggregate:\nbefore %s\nafter  %s", start, got)
				}
			} else if err := tx.Commit(); err != nil {
				rt.Fatal(err)
			}
			var open int
			if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM rollup_bulk").Scan(&open); err != nil || open != 0 {
				rt.Fatalf("rollup_bulk holds %d rows after the transaction (%v)", open, err)
			}
			// And the triggers count writes of later transactions.
			for i, n := 0, rapid.IntRange(0, 3).Draw(rt, "after"); i < n; i++ {
				writeValue(rt, ctx, d, randomKey(rt, w.units, testPeriods, "later"), "later")
			}
			maintained := dump(rt, d)
			if err := rollup.Rebuild(ctx, d); err != nil {
				rt.Fatal(err)
			}
			if rebuilt := dump(rt, d); maintained != rebuilt {
				rt.Fatalf("bulk write left the aggregate different from a rebuild:\nmaintained %s\nrebuilt    %s", maintained, rebuilt)
			}
		})
	})
}

// TestBulkWriteOtherTransactions checks on PostgreSQL that a bulk write in
// progress does not silence the triggers for other transactions.
func TestBulkWriteOtherTransactions(t *testing.T) {
	d := dbtest.Open(t, dbtest.Postgres)
	setup(t, d)
	ctx := context.Background()
	for _, q := range []string{
		"INSERT INTO areas(id, parent_id, level_id, name, name_folded, path) VALUES (1, NULL, 1, 'A', 'a', '/1/'), (2, 1, 1, 'B', 'b', '/1/2/')",
		"INSERT INTO units(id, organisation_id, area_id, name, name_folded) VALUES (10, 1, 2, 'U', 'u'), (11, 2, 2, 'V', 'v')",
	} {
		if _, err := d.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	tx, err := d.Raw().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	bw, err := bulk.Begin(ctx, tx, d.Dialect, []bulk.Key{{Unit: 10, Period: "2021Q3"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO data_values(unit_id, period, indicator_id, value_num, updated_at) VALUES (10, '2021Q3', 1, 4, now())"); err != nil {
		t.Fatal(err)
	}
	// Another transaction writes while the bulk write is open.
	if _, err := d.ExecContext(ctx, "INSERT INTO data_values(unit_id, period, indicator_id, value_num, updated_at) VALUES (11, '2021Q3', 1, 6, now())"); err != nil {
		t.Fatal(err)
	}
	if err := bw.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var total, units int64
	if err := d.QueryRowContext(ctx, "SELECT total, units FROM rollup_cells WHERE area_id = 1 AND approved = 0 AND period = '2021Q3' AND indicator_id = 1 AND organisation_id = 2").Scan(&total, &units); err != nil {
		t.Fatal(err)
	}
	if total != 6 || units != 1 {
		t.Errorf("the other transaction's value counts %d in %d units, want 6 in 1", total, units)
	}
	maintained := dump(t, d)
	if err := rollup.Rebuild(ctx, d); err != nil {
		t.Fatal(err)
	}
	if rebuilt := dump(t, d); maintained != rebuilt {
		t.Fatalf("maintained %s\nrebuilt    %s", maintained, rebuilt)
	}
}
