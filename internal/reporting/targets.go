package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// TargetInput sets one target of the annual plan: for a unit, or for the
// bloc of an area (exactly one of UnitID and AreaID). An empty Value
// removes the target.
type TargetInput struct {
	Indicator string   `json:"indicator"`
	UnitID    *int64   `json:"unit_id"`
	AreaID    *int64   `json:"area_id"`
	Value     RawValue `json:"value"`
	Place     string   `json:"-"` // field named in messages ("" : the indicator code)
}

// Targets returns the plan of a year: every target of the units and areas
// the principal may see.
func (s *Service) Targets(ctx context.Context, year int) ([]Target, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.id, t.year, t.indicator_id, i.code, t.unit_id, t.area_id, t.value,
		COALESCE(ua.path, ta.path, '') FROM targets t JOIN indicators i ON i.id = t.indicator_id
		LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN areas ua ON ua.id = u.area_id LEFT JOIN areas ta ON ta.id = t.area_id
		WHERE t.year = $1 ORDER BY t.area_id, t.unit_id, i.code`, year)
	if err != nil {
		return nil, fmt.Errorf("reporting: targets: %w", err)
	}
	defer rows.Close()
	out := []Target{}
	for rows.Next() {
		var t Target
		var path string
		if err := rows.Scan(&t.ID, &t.Year, &t.IndicatorID, &t.IndicatorCode, &t.UnitID, &t.AreaID, &t.Value, &path); err != nil {
			return nil, fmt.Errorf("reporting: targets: %w", err)
		}
		visible := t.UnitID != nil && p.CanSeeUnit(*t.UnitID, path) || t.AreaID != nil && canSeeArea(p, path)
		if visible {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

// PlanYears lists, oldest first, the years whose plan has a target the
// principal may see (the years the plan page offers).
func (s *Service) PlanYears(ctx context.Context) ([]int, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT t.year, t.unit_id, t.area_id, COALESCE(ua.path, ta.path, '') FROM targets t
		LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN areas ua ON ua.id = u.area_id LEFT JOIN areas ta ON ta.id = t.area_id
		ORDER BY t.year`)
	if err != nil {
		return nil, fmt.Errorf("reporting: plan years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		var unitID, areaID *int64
		var path string
		if err := rows.Scan(&y, &unitID, &areaID, &path); err != nil {
			return nil, fmt.Errorf("reporting: plan years: %w", err)
		}
		if len(out) > 0 && out[len(out)-1] == y {
			continue
		}
		if unitID != nil && p.CanSeeUnit(*unitID, path) || areaID != nil && canSeeArea(p, path) {
			out = append(out, y)
		}
	}
	return out, rows.Err()
}

// canSeeArea tells whether the principal may read an area's totals and
// targets: areas of its scope, and the areas above it (a commune officer
// sees the district bloc's plan).
func canSeeArea(p *auth.Principal, path string) bool {
	return p.Role == auth.Admin || p.InScope(path) || p.ScopePath != "" && strings.HasPrefix(p.ScopePath, path)
}

// targetMap returns the targets of a year for one unit or one area, by code.
func targetMap(ctx context.Context, q db.Q, year int, unitID, areaID int64) (map[string]int64, error) {
	col, id := "unit_id", unitID
	if unitID == 0 {
		col, id = "area_id", areaID
	}
	rows, err := q.QueryContext(ctx, `SELECT i.code, t.value FROM targets t JOIN indicators i ON i.id = t.indicator_id
		WHERE t.year = $1 AND t.`+col+` = $2`, year, id)
	if err != nil {
		return nil, fmt.Errorf("reporting: targets: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var c string
		var v int64
		if err := rows.Scan(&c, &v); err != nil {
			return nil, fmt.Errorf("reporting: targets: %w", err)
		}
		out[c] = v
	}
	return out, rows.Err()
}

// SetTargets changes targets of a year's plan, all or none: admins, or the
// secretariat for units and areas of its subtree.
func (s *Service) SetTargets(ctx context.Context, year int, in []TargetInput) (int, error) {
	p, err := principal(ctx)
	if err != nil {
		return 0, err
	}
	if p.Role != auth.Admin && p.Role != auth.Secretariat {
		return 0, apperr.New(apperr.Forbidden, "reporting.err.plan_role")
	}
	if year < 2000 || year > 2100 {
		return 0, apperr.Field("year", "reporting.err.year", year)
	}
	var fe apperr.Fields
	type row struct {
		ind         *indicator.Indicator
		unit, area  *int64
		num         *int64
		place, what string
	}
	var rows []row
	inds := map[string]*indicator.Indicator{}
	for _, t := range in {
		place := t.Place
		if place == "" {
			place = t.Indicator
		}
		code := indicator.NormalizeCode(t.Indicator)
		ind, ok := inds[code]
		if !ok {
			ind, err = s.Ind.IndicatorByCode(ctx, code)
			if apperr.Is(err, apperr.NotFound) {
				fe.Add(place, "reporting.err.no_indicator", t.Indicator)
				continue
			}
			if err != nil {
				return 0, err
			}
			inds[code] = ind
		}
		if (t.UnitID == nil) == (t.AreaID == nil) {
			fe.Add(place, "reporting.err.target_owner")
			continue
		}
		var path, what string
		if t.UnitID != nil {
			u, err := s.Org.Unit(ctx, *t.UnitID)
			if err != nil {
				fe.Add(place, "reporting.err.no_unit", *t.UnitID)
				continue
			}
			path, what = u.AreaPath, "unit:"+strconv.FormatInt(u.ID, 10)
		} else {
			a, err := s.Org.Area(ctx, *t.AreaID)
			if err != nil {
				fe.Add(place, "reporting.err.no_area", *t.AreaID)
				continue
			}
			path, what = a.Path, "area:"+strconv.FormatInt(a.ID, 10)
		}
		if !p.CanManageArea(path) {
			fe.Add(place, "reporting.err.out_of_scope")
			continue
		}
		if !ind.Numeric() {
			fe.Add(place, "reporting.err.target_text", ind.NameVI)
			continue
		}
		num, _, err := indicator.ParseValue(*ind, string(t.Value))
		if err != nil {
			var ve *indicator.ValueError
			if errors.As(err, &ve) {
				fe.Add(place, "reporting.err.value", ve.Msg)
			} else {
				fe.Add(place, "reporting.err.value", err.Error())
			}
			continue
		}
		rows = append(rows, row{ind: ind, unit: t.UnitID, area: t.AreaID, num: num, place: place, what: what + "/" + ind.Code})
	}
	if len(fe) > 0 {
		return 0, fieldsError(fe, false)
	}
	changed := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		oldView, newView := map[string]any{}, map[string]any{}
		now := s.now()
		for _, r := range rows {
			col, id := "unit_id", r.unit
			if r.unit == nil {
				col, id = "area_id", r.area
			}
			var tid, old int64
			err := tx.QueryRowContext(ctx, "SELECT id, value FROM targets WHERE year = $1 AND indicator_id = $2 AND "+col+" = $3",
				year, r.ind.ID, *id).Scan(&tid, &old)
			exists := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("reporting: target: %w", err)
			}
			switch {
			case r.num == nil && exists:
				_, err = tx.ExecContext(ctx, "DELETE FROM targets WHERE id = $1", tid)
				oldView[r.what], newView[r.what] = old, nil
			case r.num == nil:
				continue
			case exists && old == *r.num:
				continue
			case exists:
				_, err = tx.ExecContext(ctx, "UPDATE targets SET value = $1, updated_at = $2 WHERE id = $3", *r.num, now, tid)
				oldView[r.what], newView[r.what] = old, *r.num
			default:
				_, err = tx.ExecContext(ctx, `INSERT INTO targets(year, indicator_id, unit_id, area_id, value, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6)`, year, r.ind.ID, r.unit, r.area, *r.num, now)
				oldView[r.what], newView[r.what] = nil, *r.num
			}
			if err != nil {
				return fmt.Errorf("reporting: save target: %w", err)
			}
			changed++
		}
		if changed == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Update, "plan", year, oldView, newView)
	})
	return changed, err
}
