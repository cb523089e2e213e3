package rollup

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"giaoban/internal/platform/db"
)

// rebuildSQL recomputes rollup_cells from data_values in one INSERT …
// SELECT: per unit, period and indicator the total of its options, spread
// over the strict ancestors of the unit's area and the country, in both
// classes.
func rebuildSQL(d db.Dialect) string {
	ancestors := `json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j`
	anc := "j.value"
	cross := ", "
	if d == db.Postgres {
		ancestors = "rollup_ancestors(a.path, a.id) anc"
		anc = "anc"
		cross = " CROSS JOIN LATERAL "
	}
	where := " WHERE "
	if d == db.SQLite {
		where = " WHERE j.value <> a.id AND "
	}
	return `INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
SELECT ` + anc + `, c.approved, x.period, x.indicator_id, u.organisation_id, SUM(x.t), COUNT(*)
FROM (SELECT unit_id, period, indicator_id, SUM(value_num) AS t FROM data_values WHERE value_num IS NOT NULL
      GROUP BY unit_id, period, indicator_id) x
JOIN units u ON u.id = x.unit_id JOIN areas a ON a.id = u.area_id` + cross + ancestors + `
CROSS JOIN (SELECT 0 AS approved UNION ALL SELECT 1) c` + where + `
  (c.approved = 0 OR EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = x.unit_id AND r.period = x.period AND r.status = 'approved'))
GROUP BY ` + anc + `, c.approved, x.period, x.indicator_id, u.organisation_id`
}

// Rebuild recomputes the whole aggregate from data_values in one
// transaction. The triggers keep it right on their own; Rebuild is for
// bulk loads made with the triggers suspended, and for checking that the
// maintained aggregate equals a fresh one.
func Rebuild(ctx context.Context, d *db.DB) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rollup_cells"); err != nil {
			return fmt.Errorf("rollup: rebuild: %w", err)
		}
		if d.Dialect == db.Postgres {
			// Tens of millions of values sort and hash in memory rather
			// than in temporary files.
			if _, err := tx.ExecContext(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
				return fmt.Errorf("rollup: rebuild: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, rebuildSQL(d.Dialect)); err != nil {
			return fmt.Errorf("rollup: rebuild: %w", err)
		}
		return nil
	})
}

// suspendKey is the settings key holding the SQLite triggers while they
// are suspended, so that a crashed load can still resume them.
const suspendKey = "rollup.suspended_triggers"

var pgTriggers = [][2]string{
	{"data_values", "rollup_values_insert"}, {"data_values", "rollup_values_delete"}, {"data_values", "rollup_values_update"},
	{"reports", "rollup_reports"}, {"units", "rollup_units_move"}, {"areas", "rollup_areas_move"},
}

// Suspend turns the roll-up triggers off for a bulk load; Resume turns
// them on again, and Rebuild must follow. Nothing else may write
// meanwhile: its changes would not be counted until the rebuild.
func Suspend(ctx context.Context, d *db.DB) error {
	if d.Dialect == db.Postgres {
		for _, t := range pgTriggers {
			if _, err := d.ExecContext(ctx, "ALTER TABLE "+t[0]+" DISABLE TRIGGER "+t[1]); err != nil {
				return fmt.Errorf("rollup: suspend: %w", err)
			}
		}
		return nil
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup%' ORDER BY name")
		if err != nil {
			return fmt.Errorf("rollup: suspend: %w", err)
		}
		saved := map[string]string{}
		for rows.Next() {
			var name, text string
			if err := rows.Scan(&name, &text); err != nil {
				rows.Close()
				return err
			}
			saved[name] = text
		}
		rows.Close()
		if len(saved) == 0 {
			return nil // already suspended
		}
		b, _ := json.Marshal(saved)
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", suspendKey, string(b)); err != nil {
			return fmt.Errorf("rollup: suspend: %w", err)
		}
		for name := range saved {
			if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+name); err != nil {
				return fmt.Errorf("rollup: suspend: %w", err)
			}
		}
		return nil
	})
}

// Resume turns the triggers suspended by Suspend on again.
func Resume(ctx context.Context, d *db.DB) error {
	if d.Dialect == db.Postgres {
		for _, t := range pgTriggers {
			if _, err := d.ExecContext(ctx, "ALTER TABLE "+t[0]+" ENABLE TRIGGER "+t[1]); err != nil {
				return fmt.Errorf("rollup: resume: %w", err)
			}
		}
		return nil
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		var text string
		err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", suspendKey).Scan(&text)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("rollup: resume: %w", err)
		}
		var saved map[string]string
		if err := json.Unmarshal([]byte(text), &saved); err != nil {
			return fmt.Errorf("rollup: resume: %w", err)
		}
		for _, s := range saved {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("rollup: resume: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM settings WHERE key = $1", suspendKey)
		return err
	})
}
