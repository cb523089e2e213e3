package rollup

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"giaoban/internal/period"
	"giaoban/internal/platform/db"
)

// BenchConfig sizes the generated country of a roll-up benchmark.
type BenchConfig struct {
	Name       string
	Provinces  int
	Communes   int
	Orgs       int // organisations, each with a unit in every province and commune
	Indicators int
	Quarters   int // consecutive quarters ending with LastQuarter
	// Approved is the share of reports approved (the rest are submitted).
	Approved float64
}

// LastQuarter is the last quarter the benchmark generates.
var LastQuarter = period.NewQuarter(2024, 4)

// BenchScale returns a named scale: "national" is the two-level country of
// July 2025 (34 provinces, 3,321 communes, 6 organisations each: about
// 20,000 units; 100 indicators; 20 quarters: about 40 million values);
// "small" is what CI runs.
func BenchScale(name string) (BenchConfig, error) {
	switch name {
	case "national":
		return BenchConfig{Name: name, Provinces: 34, Communes: 3321, Orgs: 6, Indicators: 100, Quarters: 20, Approved: 0.9}, nil
	case "province":
		return BenchConfig{Name: name, Provinces: 34, Communes: 340, Orgs: 6, Indicators: 100, Quarters: 20, Approved: 0.9}, nil
	case "small":
		return BenchConfig{Name: name, Provinces: 3, Communes: 30, Orgs: 6, Indicators: 20, Quarters: 8, Approved: 0.9}, nil
	}
	return BenchConfig{}, fmt.Errorf("unknown scale %q (national, province or small)", name)
}

// Units is the number of units the scale generates.
func (c BenchConfig) Units() int { return (c.Provinces + c.Communes) * c.Orgs }

// Values is the number of values the scale generates.
func (c BenchConfig) Values() int64 {
	return int64(c.Units()) * int64(c.Indicators) * int64(c.Quarters)
}

// quarters lists the generated quarters, oldest first.
func (c BenchConfig) quarters() []string {
	out := make([]string, c.Quarters)
	p := LastQuarter
	for i := c.Quarters - 1; i >= 0; i-- {
		out[i] = p.Code()
		p = p.Prev()
	}
	return out
}

// benchUnit is a generated unit.
type benchUnit struct{ id, org, area int64 }

// benchMarker records in settings that a database holds a loaded scale.
const benchMarker = "bench.rollup.scale"

// BenchLoaded tells which scale a database holds ("" when none).
func BenchLoaded(ctx context.Context, d *db.DB) (string, error) {
	var v string
	err := d.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", benchMarker).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// LoadBench fills an empty, migrated database with the scale: the tree,
// organisations, indicators, units, reports and values, written in large
// transactions with the roll-up triggers suspended, then the aggregate
// built in one pass (Rebuild) and the triggers resumed. progress gets a
// line now and then.
func LoadBench(ctx context.Context, d *db.DB, c BenchConfig, progress func(string)) error {
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM areas").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database is not empty (%d areas): the benchmark needs a new database", n)
	}
	if err := Suspend(ctx, d); err != nil {
		return err
	}
	if d.Dialect == db.SQLite {
		for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -131072"} {
			if _, err := d.ExecContext(ctx, p); err != nil {
				return err
			}
		}
	}
	units, err := loadBenchTree(ctx, d, c)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("tree: %d provinces, %d communes, %d units, %d indicators", c.Provinces, c.Communes, len(units), c.Indicators))
	// The secondary indexes of data_values are built once at the end: a
	// sort is cheaper than 40 million random index inserts.
	if _, err := d.ExecContext(ctx, "DROP INDEX data_values_period"); err != nil {
		return err
	}
	if _, err := d.ExecContext(ctx, "DROP INDEX data_values_indicator"); err != nil {
		return err
	}
	if err := loadBenchValues(ctx, d, c, units, progress); err != nil {
		return err
	}
	start := time.Now()
	if _, err := d.ExecContext(ctx, "CREATE INDEX data_values_period ON data_values(period, indicator_id)"); err != nil {
		return err
	}
	if _, err := d.ExecContext(ctx, "CREATE INDEX data_values_indicator ON data_values(indicator_id)"); err != nil {
		return err
	}
	progress(fmt.Sprintf("indexes of data_values built in %s", time.Since(start).Round(time.Second)))
	if err := Resume(ctx, d); err != nil {
		return err
	}
	if d.Dialect == db.SQLite {
		// Give back the load's page cache and sorter memory: the benchmark
		// counts resident memory, and a server would not keep it either.
		for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000", "PRAGMA shrink_memory"} {
			if _, err := d.ExecContext(ctx, p); err != nil {
				return err
			}
		}
	}
	_, err = d.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ($1, $2)", benchMarker, c.Name)
	return err
}

func loadBenchTree(ctx context.Context, d *db.DB, c BenchConfig) ([]benchUnit, error) {
	var units []benchUnit
	orgCodes := []string{"MTTQ", "HND", "HLHPN", "DTN", "HCCB", "LDLD", "HCTD", "HNCT"}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		if err := exec(`INSERT INTO area_levels(code, name_vi, name_en, depth) VALUES ('bench_province', 'Tỉnh', 'Province', 1), ('bench_commune', 'Xã', 'Commune', 2)`); err != nil {
			return err
		}
		var lp, lc int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM area_levels WHERE code = 'bench_province'").Scan(&lp); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT id FROM area_levels WHERE code = 'bench_commune'").Scan(&lc); err != nil {
			return err
		}
		var orgs []int64
		for i := 0; i < c.Orgs; i++ {
			code := fmt.Sprintf("ORG%d", i+1)
			if i < len(orgCodes) {
				code = orgCodes[i]
			}
			var id int64
			if err := tx.QueryRowContext(ctx, "INSERT INTO organisations(code, name_vi, short_name, sort_order) VALUES ($1, $2, $1, $3) RETURNING id",
				code, "Tổ chức "+code, i+1).Scan(&id); err != nil {
				return err
			}
			orgs = append(orgs, id)
		}
		var sec int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO indicator_sections(code, name_vi, name_en, sort_order) VALUES ('bench', 'Chỉ tiêu thử tải', 'Benchmark indicators', 1) RETURNING id").Scan(&sec); err != nil {
			return err
		}
		for i := 0; i < c.Indicators; i++ {
			units, periods, cum, typ := "sum", "sum", false, "integer"
			switch {
			case i%20 == 19:
				units, periods = "average", "last"
			case i%10 == 5:
				periods = "last"
			case i%25 == 7:
				periods, cum = "last", true
			}
			if i%10 == 1 {
				typ = "money"
			}
			if err := exec(`INSERT INTO indicators(code, name_vi, name_en, section_id, value_type, agg_units, agg_periods, cumulative, sort_order)
				VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8)`, fmt.Sprintf("BENCH_%03d", i+1), fmt.Sprintf("Chỉ tiêu %d", i+1), sec, typ, units, periods, cum, i); err != nil {
				return err
			}
		}
		next := int64(0)
		area := func(parent int64, path, name string, level int64) (int64, error) {
			next++
			id := next
			var p any
			if parent != 0 {
				p = parent
			}
			full := fmt.Sprintf("%s%d/", path, id)
			return id, exec("INSERT INTO areas(id, parent_id, level_id, name, name_folded, path) VALUES ($1, $2, $3, $4, $4, $5)", id, p, level, name, full)
		}
		unitID := int64(0)
		addUnits := func(a int64) error {
			for _, o := range orgs {
				unitID++
				if err := exec("INSERT INTO units(id, organisation_id, area_id, name, name_folded) VALUES ($1, $2, $3, $4, $4)",
					unitID, o, a, fmt.Sprintf("u%d", unitID)); err != nil {
					return err
				}
				units = append(units, benchUnit{id: unitID, org: o, area: a})
			}
			return nil
		}
		var provs []int64
		for p := 0; p < c.Provinces; p++ {
			id, err := area(0, "/", fmt.Sprintf("Tỉnh %d", p+1), lp)
			if err != nil {
				return err
			}
			provs = append(provs, id)
			if err := addUnits(id); err != nil {
				return err
			}
		}
		for k := 0; k < c.Communes; k++ {
			prov := provs[k*c.Provinces/c.Communes]
			id, err := area(prov, fmt.Sprintf("/%d/", prov), fmt.Sprintf("Xã %d", k+1), lc)
			if err != nil {
				return err
			}
			if err := addUnits(id); err != nil {
				return err
			}
		}
		return nil
	})
	return units, err
}

// benchValue is the value of one cell, the same on every run.
func benchValue(rng *rand.Rand, money bool) int64 {
	v := rng.Int64N(1000)
	if money {
		v *= 100_000
	}
	return v
}

func loadBenchValues(ctx context.Context, d *db.DB, c BenchConfig, units []benchUnit, progress func(string)) error {
	var indIDs []int64
	rows, err := d.QueryContext(ctx, "SELECT id FROM indicators WHERE code LIKE 'BENCH_%' ORDER BY sort_order")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		indIDs = append(indIDs, id)
	}
	rows.Close()
	quarters := c.quarters()
	rng := rand.New(rand.NewPCG(2025, 7))
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	// Reports first: which of them are approved decides the classes.
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		return batchInsert(ctx, tx, d.Dialect, "reports", []string{"unit_id", "period", "status", "created_at", "updated_at"}, len(units)*len(quarters),
			func(i int) []any {
				u, q := units[i/len(quarters)], quarters[i%len(quarters)]
				st := "submitted"
				if rng.Float64() < c.Approved {
					st = "approved"
				}
				return []any{u.id, q, st, at, at}
			})
	})
	if err != nil {
		return fmt.Errorf("bench: reports: %w", err)
	}
	cols := []string{"unit_id", "period", "indicator_id", "value_num", "updated_at"}
	perUnit := len(quarters) * len(indIDs)
	const chunkUnits = 500
	for lo := 0; lo < len(units); lo += chunkUnits {
		hi := min(lo+chunkUnits, len(units))
		n := (hi - lo) * perUnit
		row := func(i int) []any {
			u := units[lo+i/perUnit]
			r := i % perUnit
			q, k := quarters[r/len(indIDs)], r%len(indIDs)
			return []any{u.id, q, indIDs[k], benchValue(rng, k%10 == 1), at}
		}
		if d.Dialect == db.Postgres {
			err = copyRows(ctx, d, "data_values", cols, n, row)
		} else {
			err = d.Tx(ctx, func(tx *sql.Tx) error { return batchInsert(ctx, tx, d.Dialect, "data_values", cols, n, row) })
		}
		if err != nil {
			return fmt.Errorf("bench: values: %w", err)
		}
		done := int64(hi) * int64(perUnit)
		el := time.Since(start)
		progress(fmt.Sprintf("values: %d of %d (%.0f/s)", done, c.Values(), float64(done)/el.Seconds()))
	}
	return nil
}

// batchInsert writes n rows, many to a statement.
func batchInsert(ctx context.Context, tx *sql.Tx, dialect db.Dialect, table string, cols []string, n int, row func(i int) []any) error {
	per := max(1, 900/len(cols))
	stmtFor := func(rows int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES ")
		k := 0
		for r := 0; r < rows; r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				if dialect == db.SQLite {
					b.WriteString("?")
				} else {
					k++
					fmt.Fprintf(&b, "$%d", k)
				}
			}
			b.WriteString(")")
		}
		return b.String()
	}
	full, err := tx.PrepareContext(ctx, stmtFor(per))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, per*len(cols))
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		args = args[:0]
		for j := 0; j < k; j++ {
			args = append(args, row(i+j)...)
		}
		if k == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, stmtFor(k), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// copyRows writes n rows with PostgreSQL's COPY.
func copyRows(ctx context.Context, d *db.DB, table string, cols []string, n int, row func(i int) []any) error {
	conn, err := d.Raw().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Foreign keys are checked by per-row triggers in PostgreSQL; the
	// generated rows are valid by construction, so a superuser skips them
	// (and the roll-up triggers, suspended anyway). Others just wait longer.
	if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err == nil {
		defer conn.ExecContext(context.Background(), "SET session_replication_role = DEFAULT")
	}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		i := 0
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i >= n {
				return nil, nil
			}
			r := row(i)
			i++
			return r, nil
		}))
		return err
	})
}
