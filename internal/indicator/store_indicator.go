package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const indicatorCols = `i.id, i.code, i.name_vi, i.name_en, s.code, i.unit_vi, i.unit_en, i.value_type, i.scale,
	i.agg_units, i.agg_periods, i.cumulative, i.min_value, i.max_value, i.disaggregation_id, i.derived_from,
	i.sort_order, i.retired, i.created_at, i.updated_at`

const indicatorFrom = ` FROM indicators i JOIN indicator_sections s ON s.id = i.section_id`

const indicatorOrder = ` ORDER BY s.sort_order, s.code, i.sort_order, i.code`

func scanIndicator(row scanner) (*Indicator, error) {
	var ind Indicator
	var vt, au, ap string
	err := row.Scan(&ind.ID, &ind.Code, &ind.NameVI, &ind.NameEN, &ind.Section, &ind.UnitVI, &ind.UnitEN, &vt, &ind.Scale,
		&au, &ap, &ind.Cumulative, &ind.Min, &ind.Max, &ind.DisaggregationID, &ind.DerivedFrom,
		&ind.SortOrder, &ind.Retired, &ind.CreatedAt, &ind.UpdatedAt)
	ind.ValueType, ind.AggUnits, ind.AggPeriods = ValueType(vt), Aggregation(au), Aggregation(ap)
	ind.Organisations, ind.OrganisationIDs = []string{}, []int64{}
	return &ind, err
}

// loadIndicators runs the indicator query with a condition ("" for all) and
// fills organisations and disaggregations.
func loadIndicators(ctx context.Context, q db.Q, where string, args ...any) ([]Indicator, error) {
	query := "SELECT " + indicatorCols + indicatorFrom
	if where != "" {
		query += " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, query+indicatorOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("indicator: indicators: %w", err)
	}
	var out []Indicator
	for rows.Next() {
		ind, err := scanIndicator(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("indicator: indicators: %w", err)
		}
		out = append(out, *ind)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := fillIndicators(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fillIndicators attaches reporting organisations and disaggregations.
func fillIndicators(ctx context.Context, q db.Q, inds []Indicator) error {
	byID := make(map[int64]*Indicator, len(inds))
	for i := range inds {
		byID[inds[i].ID] = &inds[i]
	}
	query := `SELECT io.indicator_id, o.id, o.code FROM indicator_organisations io
		JOIN organisations o ON o.id = io.organisation_id`
	var args []any
	if len(inds) == 1 {
		query += " WHERE io.indicator_id = $1"
		args = append(args, inds[0].ID)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY o.sort_order, o.id", args...)
	if err != nil {
		return fmt.Errorf("indicator: organisations of indicators: %w", err)
	}
	for rows.Next() {
		var iid, oid int64
		var code string
		if err := rows.Scan(&iid, &oid, &code); err != nil {
			rows.Close()
			return fmt.Errorf("indicator: organisations of indicators: %w", err)
		}
		if ind := byID[iid]; ind != nil {
			ind.Organisations = append(ind.Organisations, code)
			ind.OrganisationIDs = append(ind.OrganisationIDs, oid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ds, err := disaggregations(ctx, q)
	if err != nil {
		return err
	}
	for i := range inds {
		if id := inds[i].DisaggregationID; id != nil {
			inds[i].Disaggregation = ds[*id]
		}
	}
	return nil
}

// Indicators lists the catalogue ordered by section, then sort order;
// retired indicators only when includeRetired.
func (s *Store) Indicators(ctx context.Context, includeRetired bool) ([]Indicator, error) {
	if includeRetired {
		return loadIndicators(ctx, s.DB, "")
	}
	return loadIndicators(ctx, s.DB, "NOT i.retired")
}

// Filter selects indicators for the catalogue page and the API.
type Filter struct {
	Q              string // words matched, without diacritics, against code, names and unit
	Section        string // section code
	OrganisationID int64  // reported by this organisation (indicators for everyone included)
	IncludeRetired bool
}

// Search lists the indicators matching f, in catalogue order.
func (s *Store) Search(ctx context.Context, f Filter) ([]Indicator, error) {
	all, err := s.Indicators(ctx, f.IncludeRetired)
	if err != nil {
		return nil, err
	}
	words := vn.FoldWords(f.Q)
	sec := normLowerCode(f.Section)
	out := all[:0]
	for _, ind := range all {
		if sec != "" && ind.Section != sec {
			continue
		}
		if f.OrganisationID != 0 && len(ind.OrganisationIDs) > 0 && !slices.Contains(ind.OrganisationIDs, f.OrganisationID) {
			continue
		}
		if len(words) > 0 && !vn.MatchAllWords(vn.Fold(ind.Code+" "+ind.NameVI+" "+ind.NameEN+" "+ind.UnitVI), words) {
			continue
		}
		out = append(out, ind)
	}
	return out, nil
}

// IndicatorByID returns one indicator.
func (s *Store) IndicatorByID(ctx context.Context, id int64) (*Indicator, error) {
	return indicatorWhere(ctx, s.DB, "i.id = $1", id)
}

// IndicatorByCode returns one indicator by code (any case).
func (s *Store) IndicatorByCode(ctx context.Context, code string) (*Indicator, error) {
	return indicatorWhere(ctx, s.DB, "i.code = $1", NormalizeCode(code))
}

func indicatorWhere(ctx context.Context, q db.Q, where string, args ...any) (*Indicator, error) {
	list, err := loadIndicators(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return &list[0], nil
}

// resolved holds the ids an indicator input refers to.
type resolved struct {
	sectionID int64
	disaggID  *int64
	orgIDs    []int64
}

func (s *Store) validateIndicator(ctx context.Context, q db.Q, in *IndicatorInput) (resolved, error) {
	var r resolved
	var fe apperr.Fields
	in.Code = NormalizeCode(in.Code)
	in.NameVI, in.NameEN = vn.NFC(in.NameVI), vn.NFC(in.NameEN)
	in.UnitVI, in.UnitEN = vn.NFC(in.UnitVI), vn.NFC(in.UnitEN)
	in.Section = normLowerCode(in.Section)
	in.Disaggregation = normLowerCode(in.Disaggregation)
	in.DerivedFrom = vn.NFC(in.DerivedFrom)
	switch {
	case in.Code == "":
		fe.Add("code", "indicator.err.code_required")
	case !validCode(in.Code):
		fe.Add("code", "indicator.err.code_format", in.Code)
	}
	if in.NameVI == "" {
		fe.Add("name_vi", "indicator.err.name_required")
	} else if tooLong(in.NameVI, maxName) {
		fe.Add("name_vi", "indicator.err.name_too_long", maxName)
	}
	if tooLong(in.NameEN, maxName) {
		fe.Add("name_en", "indicator.err.name_too_long", maxName)
	}
	if tooLong(in.UnitVI, maxUnit) {
		fe.Add("unit_vi", "indicator.err.unit_too_long", maxUnit)
	}
	if tooLong(in.UnitEN, maxUnit) {
		fe.Add("unit_en", "indicator.err.unit_too_long", maxUnit)
	}
	if tooLong(in.DerivedFrom, maxDerived) {
		fe.Add("derived_from", "indicator.err.derived_too_long", maxDerived)
	}
	if in.Section == "" {
		fe.Add("section", "indicator.err.section_required")
	} else if sec, err := sectionByCode(ctx, q, in.Section); err == nil {
		r.sectionID = sec.ID
	} else if apperr.Is(err, apperr.NotFound) {
		fe.Add("section", "indicator.err.section_unknown", in.Section)
	} else {
		return r, err
	}
	if in.ValueType == "" {
		in.ValueType = Integer
	}
	if !in.ValueType.Valid() {
		fe.Add("value_type", "indicator.err.value_type", string(in.ValueType))
	}
	if in.ValueType == Decimal {
		if in.Scale < 1 || in.Scale > 6 {
			fe.Add("scale", "indicator.err.scale")
		}
	} else {
		in.Scale = 0
	}
	for _, a := range []struct {
		field string
		agg   *Aggregation
	}{{"agg_units", &in.AggUnits}, {"agg_periods", &in.AggPeriods}} {
		if *a.agg == "" {
			*a.agg = Sum
			if in.ValueType == Text {
				*a.agg = None
			}
		}
		switch {
		case !a.agg.Valid():
			fe.Add(a.field, "indicator.err.aggregation", string(*a.agg))
		case in.ValueType == Text && *a.agg != None && *a.agg != Last:
			fe.Add(a.field, "indicator.err.aggregation_text")
		}
	}
	switch in.ValueType {
	case Text, YesNo:
		if in.Min != nil || in.Max != nil {
			fe.Add("min", "indicator.err.bounds_type")
		}
	case Integer, Money:
		if in.Min != nil && *in.Min < 0 {
			fe.Add("min", "indicator.err.min_negative")
		}
	}
	if in.Min != nil && in.Max != nil && *in.Min > *in.Max {
		fe.Add("max", "indicator.err.min_max")
	}
	seen := map[int64]bool{}
	for _, c := range in.Organisations {
		if c == "" {
			continue
		}
		o, err := orgByCode(ctx, q, c)
		if apperr.Is(err, apperr.NotFound) {
			fe.Add("organisations", "indicator.err.org_unknown", c)
			continue
		}
		if err != nil {
			return r, err
		}
		if !seen[o.ID] {
			seen[o.ID] = true
			r.orgIDs = append(r.orgIDs, o.ID)
		}
	}
	if in.Disaggregation != "" {
		d, err := disaggregationByCode(ctx, q, in.Disaggregation)
		switch {
		case apperr.Is(err, apperr.NotFound):
			fe.Add("disaggregation", "indicator.err.disagg_unknown", in.Disaggregation)
		case err != nil:
			return r, err
		case in.ValueType == Text || in.ValueType == YesNo:
			fe.Add("disaggregation", "indicator.err.disagg_type")
		default:
			r.disaggID = &d.ID
		}
	}
	return r, fe.Err()
}

// CreateIndicator adds an indicator to the catalogue.
func (s *Store) CreateIndicator(ctx context.Context, in IndicatorInput) (*Indicator, error) {
	var out *Indicator
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.createIndicator(ctx, tx, in)
		return err
	})
	return out, err
}

func (s *Store) createIndicator(ctx context.Context, q db.Q, in IndicatorInput) (*Indicator, error) {
	r, err := s.validateIndicator(ctx, q, &in)
	if err != nil {
		return nil, err
	}
	t := now()
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO indicators(code, name_vi, name_en, section_id, unit_vi, unit_en, value_type, scale,
		agg_units, agg_periods, cumulative, min_value, max_value, disaggregation_id, derived_from, sort_order, retired, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
		in.Code, in.NameVI, in.NameEN, r.sectionID, in.UnitVI, in.UnitEN, string(in.ValueType), in.Scale,
		string(in.AggUnits), string(in.AggPeriods), in.Cumulative, in.Min, in.Max, r.disaggID, in.DerivedFrom,
		in.SortOrder, boolOr(in.Retired, false), t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "indicator.err.code_taken", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("indicator: create: %w", err)
	}
	if err := setIndicatorOrgs(ctx, q, id, r.orgIDs); err != nil {
		return nil, err
	}
	ind, err := indicatorWhere(ctx, q, "i.id = $1", id)
	if err != nil {
		return nil, err
	}
	return ind, audit.Record(ctx, q, audit.Create, entityIndicator, id, nil, ind)
}

func setIndicatorOrgs(ctx context.Context, q db.Q, id int64, orgIDs []int64) error {
	if _, err := q.ExecContext(ctx, "DELETE FROM indicator_organisations WHERE indicator_id = $1", id); err != nil {
		return fmt.Errorf("indicator: organisations: %w", err)
	}
	for _, o := range orgIDs {
		if _, err := q.ExecContext(ctx, "INSERT INTO indicator_organisations(indicator_id, organisation_id) VALUES ($1, $2)", id, o); err != nil {
			return fmt.Errorf("indicator: organisations: %w", err)
		}
	}
	return nil
}

// UpdateIndicator changes an indicator. Once it has values, its code, value
// type, scale and disaggregation are fixed (stored values would change
// meaning); a code named by a rule cannot change either.
func (s *Store) UpdateIndicator(ctx context.Context, id int64, in IndicatorInput) (*Indicator, error) {
	var out *Indicator
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := indicatorWhere(ctx, tx, "i.id = $1", id)
		if err != nil {
			return err
		}
		r, err := s.validateIndicator(ctx, tx, &in)
		if err != nil {
			return err
		}
		oldDisagg := ""
		if old.Disaggregation != nil {
			oldDisagg = old.Disaggregation.Code
		}
		codeChanged := in.Code != old.Code
		shapeChanged := in.ValueType != old.ValueType || in.Scale != old.Scale || in.Disaggregation != oldDisagg
		if codeChanged || shapeChanged {
			used, err := s.hasValues(ctx, tx, id)
			if err != nil {
				return err
			}
			if used && codeChanged {
				return apperr.Field("code", "indicator.err.in_use_code")
			}
			if used {
				return apperr.Field("value_type", "indicator.err.in_use_type")
			}
		}
		if codeChanged {
			if rule, err := ruleNaming(ctx, tx, old.Code); err != nil {
				return err
			} else if rule != "" {
				return apperr.Field("code", "indicator.err.code_in_rule", rule)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE indicators SET code=$1, name_vi=$2, name_en=$3, section_id=$4, unit_vi=$5, unit_en=$6,
			value_type=$7, scale=$8, agg_units=$9, agg_periods=$10, cumulative=$11, min_value=$12, max_value=$13,
			disaggregation_id=$14, derived_from=$15, sort_order=$16, retired=$17, updated_at=$18 WHERE id=$19`,
			in.Code, in.NameVI, in.NameEN, r.sectionID, in.UnitVI, in.UnitEN, string(in.ValueType), in.Scale,
			string(in.AggUnits), string(in.AggPeriods), in.Cumulative, in.Min, in.Max, r.disaggID, in.DerivedFrom,
			in.SortOrder, boolOr(in.Retired, old.Retired), now(), id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "indicator.err.code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("indicator: update: %w", err)
		}
		if err := setIndicatorOrgs(ctx, tx, id, r.orgIDs); err != nil {
			return err
		}
		if out, err = indicatorWhere(ctx, tx, "i.id = $1", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, entityIndicator, id, old, out)
	})
	return out, err
}

// SetRetired retires an indicator (it leaves the forms' entry screens and
// the catalogue's default view, its values stay) or brings it back.
func (s *Store) SetRetired(ctx context.Context, id int64, retired bool) (*Indicator, error) {
	var out *Indicator
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := indicatorWhere(ctx, tx, "i.id = $1", id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE indicators SET retired = $1, updated_at = $2 WHERE id = $3", retired, now(), id); err != nil {
			return fmt.Errorf("indicator: retire: %w", err)
		}
		action := "retire"
		if !retired {
			action = "unretire"
		}
		out = old
		out.Retired = retired
		return audit.Record(ctx, tx, action, entityIndicator, id, map[string]any{"code": old.Code, "retired": old.Retired}, map[string]any{"code": old.Code, "retired": retired})
	})
	return out, err
}

// DeleteIndicator removes an indicator that has no values and that no rule
// names; it leaves the forms that had it. An indicator with values can only
// be retired.
func (s *Store) DeleteIndicator(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := indicatorWhere(ctx, tx, "i.id = $1", id)
		if err != nil {
			return err
		}
		used, err := s.hasValues(ctx, tx, id)
		if err != nil {
			return err
		}
		if used {
			return apperr.New(apperr.Conflict, "indicator.err.in_use_delete")
		}
		if rule, err := ruleNaming(ctx, tx, old.Code); err != nil {
			return err
		} else if rule != "" {
			return apperr.New(apperr.Conflict, "indicator.err.in_rule_delete", rule)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM indicators WHERE id = $1", id)
		if db.IsForeignKeyViolation(err) {
			return apperr.Wrap(err, apperr.Conflict, "indicator.err.in_use_delete")
		}
		if err != nil {
			return fmt.Errorf("indicator: delete: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, entityIndicator, id, old, nil)
	})
}
