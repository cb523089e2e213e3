// Package bulk folds a bulk write of data_values (an import of 100,000
// values) into the roll-up aggregate rollup_cells at once, instead of the
// per-row triggers of migration 0400, which run a trigger program for
// every value.
//
// Begin marks the transaction (a row in rollup_bulk, which only that
// transaction sees: migration 0401 makes the data_values triggers stand
// aside while it exists) and reads the values the named reports hold; the
// caller writes; Finish reads them again and adds the difference to
// rollup_cells in one statement. The difference is computed as Rebuild
// computes the aggregate (per unit, period and indicator the total of its
// options, spread over the strict ancestors of the unit's area and the
// country, in the "all" class and, for approved reports, the "approved"
// one), so rollup_cells ends exactly as the triggers or a rebuild leave it.
//
// The package stands apart from package rollup so that the writers of
// data_values (package reporting, which rollup itself imports) can use it.
package bulk

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/platform/db"
)

// Nation is the area id of the whole country in rollup_cells.
const Nation = 0

// Key names one unit's report of one period: every value of it may change.
type Key struct {
	Unit   int64
	Period string
}

// Write is a bulk write in progress in one transaction.
type Write struct {
	tx      *sql.Tx
	dialect db.Dialect
	keys    string // JSON [[unit, "period"], …]
	units   map[int64]unitInfo
	// approved reports among the keys (their values count in class 1).
	approved map[Key]bool
	before   map[cell]int64 // value totals per unit, period and indicator
	done     bool
}

type unitInfo struct {
	org int64
	anc []int64 // the nation and the strict ancestors of the unit's area
}

// cell is the grain at which a unit counts: its options added up.
type cell struct {
	unit   int64
	period string
	ind    int64
}

// ErrNested is returned by Begin when the transaction already has a bulk
// write open.
var ErrNested = errors.New("rollup: a bulk write is already open in this transaction")

// Begin opens a bulk write of the values of the reports keys in tx: the
// roll-up triggers on data_values do nothing for this transaction until
// Finish.
//
// Between Begin and Finish the transaction may insert, update and delete
// the data_values rows of these reports only, and must not change
// reports' status, units or areas. A transaction that does not reach
// Finish must roll back.
func Begin(ctx context.Context, tx *sql.Tx, d db.Dialect, keys []Key) (*Write, error) {
	var open bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM rollup_bulk)").Scan(&open); err != nil {
		return nil, fmt.Errorf("rollup: bulk: %w", err)
	}
	if open {
		return nil, ErrNested
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO rollup_bulk(started) VALUES (1)"); err != nil {
		return nil, fmt.Errorf("rollup: bulk: %w", err)
	}
	w := &Write{tx: tx, dialect: d, keys: encodeKeys(keys)}
	if err := w.loadUnits(ctx); err != nil {
		return nil, err
	}
	var err error
	if w.before, err = w.totals(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// Finish adds what the write changed to rollup_cells and lets the
// triggers work again for the rest of the transaction.
func (w *Write) Finish(ctx context.Context) error {
	if w.done {
		return errors.New("rollup: bulk write finished twice")
	}
	w.done = true
	after, err := w.totals(ctx)
	if err != nil {
		return err
	}
	if err := w.upsert(ctx, w.delta(after)); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, "DELETE FROM rollup_bulk"); err != nil {
		return fmt.Errorf("rollup: bulk: %w", err)
	}
	return nil
}

// encodeKeys writes the distinct keys as a JSON array of arrays.
func encodeKeys(keys []Key) string {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b Key) int {
		return cmp.Or(strings.Compare(a.Period, b.Period), cmp.Compare(a.Unit, b.Unit))
	})
	keys = slices.Compact(keys)
	b := make([]byte, 0, 16*len(keys)+2)
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, k.Unit, 10)
		b = append(b, ',')
		p, _ := json.Marshal(k.Period)
		b = append(b, p...)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// each is a FROM clause over the keys (columns unit_id, period) for the
// dialect.
func (w *Write) each() string {
	if w.dialect == db.Postgres {
		return "(SELECT (e->>0)::BIGINT AS unit_id, e->>1 AS period FROM jsonb_array_elements($1::jsonb) e) k"
	}
	return "(SELECT e.value ->> 0 AS unit_id, e.value ->> 1 AS period FROM json_each($1) e) k"
}

// loadUnits reads the organisation and ancestors of the keys' units and
// which of the keys' reports are approved.
func (w *Write) loadUnits(ctx context.Context) error {
	w.units = map[int64]unitInfo{}
	rows, err := w.tx.QueryContext(ctx, "SELECT DISTINCT u.id, u.organisation_id, a.id, a.path FROM "+w.each()+
		" JOIN units u ON u.id = k.unit_id JOIN areas a ON a.id = u.area_id", w.keys)
	if err != nil {
		return fmt.Errorf("rollup: bulk units: %w", err)
	}
	for rows.Next() {
		var id, o, area int64
		var path string
		if err := rows.Scan(&id, &o, &area, &path); err != nil {
			rows.Close()
			return fmt.Errorf("rollup: bulk units: %w", err)
		}
		anc := []int64{Nation}
		for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
			if x, err := strconv.ParseInt(part, 10, 64); err == nil && x != area {
				anc = append(anc, x)
			}
		}
		w.units[id] = unitInfo{org: o, anc: anc}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rollup: bulk units: %w", err)
	}
	w.approved = map[Key]bool{}
	rows, err = w.tx.QueryContext(ctx, "SELECT r.unit_id, r.period FROM "+w.each()+
		" JOIN reports r ON r.unit_id = k.unit_id AND r.period = k.period WHERE r.status = 'approved'", w.keys)
	if err != nil {
		return fmt.Errorf("rollup: bulk reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Key
		if err := rows.Scan(&k.Unit, &k.Period); err != nil {
			return fmt.Errorf("rollup: bulk reports: %w", err)
		}
		w.approved[k] = true
	}
	return rows.Err()
}

// totals reads the keys' values as they stand, added up over options.
func (w *Write) totals(ctx context.Context) (map[cell]int64, error) {
	rows, err := w.tx.QueryContext(ctx, "SELECT v.unit_id, v.period, v.indicator_id, v.value_num FROM "+w.each()+
		" JOIN data_values v ON v.unit_id = k.unit_id AND v.period = k.period WHERE v.value_num IS NOT NULL", w.keys)
	if err != nil {
		return nil, fmt.Errorf("rollup: bulk values: %w", err)
	}
	defer rows.Close()
	out := map[cell]int64{}
	periods := map[string]string{}
	var per sql.RawBytes
	for rows.Next() {
		var c cell
		var v int64
		if err := rows.Scan(&c.unit, &per, &c.ind, &v); err != nil {
			return nil, fmt.Errorf("rollup: bulk values: %w", err)
		}
		p, ok := periods[string(per)]
		if !ok {
			p = string(per)
			periods[p] = p
		}
		c.period = p
		out[c] += v
	}
	return out, rows.Err()
}

// cellKey is one row of rollup_cells.
type cellKey struct {
	area     int64
	approved int
	period   string
	ind      int64
	org      int64
}

type change struct{ total, units int64 }

// delta spreads the change of every unit's totals over the cells it counts
// in; cells that do not change are left out.
func (w *Write) delta(after map[cell]int64) map[cellKey]change {
	out := map[cellKey]change{}
	spread := func(c cell, d change) {
		u, ok := w.units[c.unit]
		if !ok {
			return // a unit that does not exist has no values either
		}
		classes := 1
		if w.approved[Key{c.unit, c.period}] {
			classes = 2
		}
		for _, a := range u.anc {
			for cl := 0; cl < classes; cl++ {
				k := cellKey{area: a, approved: cl, period: c.period, ind: c.ind, org: u.org}
				x := out[k]
				x.total += d.total
				x.units += d.units
				out[k] = x
			}
		}
	}
	for c, t := range after {
		b, had := w.before[c]
		d := change{total: t - b}
		if !had {
			d.units = 1
		}
		if d.total != 0 || d.units != 0 {
			spread(c, d)
		}
	}
	for c, b := range w.before {
		if _, ok := after[c]; !ok {
			spread(c, change{total: -b, units: -1})
		}
	}
	for k, d := range out {
		if d.total == 0 && d.units == 0 {
			delete(out, k)
		}
	}
	return out
}

// upsert adds the changes to rollup_cells in one statement, in key order
// (so that two writers on PostgreSQL lock cells in the same order).
func (w *Write) upsert(ctx context.Context, changes map[cellKey]change) error {
	if len(changes) == 0 {
		return nil
	}
	keys := make([]cellKey, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return cmp.Or(cmp.Compare(a.area, b.area), cmp.Compare(a.approved, b.approved), strings.Compare(a.period, b.period),
			cmp.Compare(a.ind, b.ind), cmp.Compare(a.org, b.org))
	})
	b := make([]byte, 0, 48*len(keys)+2)
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		d := changes[k]
		b = append(b, '[')
		b = strconv.AppendInt(b, k.area, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(k.approved), 10)
		b = append(b, ',')
		p, _ := json.Marshal(k.period)
		b = append(b, p...)
		b = append(b, ',')
		b = strconv.AppendInt(b, k.ind, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, k.org, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, d.total, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, d.units, 10)
		b = append(b, ']')
	}
	b = append(b, ']')
	query := `INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
SELECT e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5, e.value ->> 6
FROM json_each($1) e WHERE true
ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units`
	if w.dialect == db.Postgres {
		query = `INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
SELECT (e->>0)::BIGINT, (e->>1)::SMALLINT, e->>2, (e->>3)::BIGINT, (e->>4)::BIGINT, (e->>5)::BIGINT, (e->>6)::INTEGER
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n)
ORDER BY x.n
ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units`
	}
	if _, err := w.tx.ExecContext(ctx, query, string(b)); err != nil {
		return fmt.Errorf("rollup: bulk fold: %w", err)
	}
	return nil
}
