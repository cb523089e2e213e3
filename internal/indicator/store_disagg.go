package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// Disaggregations lists the disaggregations with their options.
func (s *Store) Disaggregations(ctx context.Context) ([]Disaggregation, error) {
	m, err := disaggregations(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := make([]Disaggregation, 0, len(m))
	for _, d := range m {
		out = append(out, *d)
	}
	vn.SortFunc(out, func(d Disaggregation) string { return d.NameVI })
	return out, nil
}

// disaggregations loads every disaggregation with its options, by id.
func disaggregations(ctx context.Context, q db.Q) (map[int64]*Disaggregation, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, code, name_vi, name_en FROM disaggregations")
	if err != nil {
		return nil, fmt.Errorf("indicator: disaggregations: %w", err)
	}
	out := map[int64]*Disaggregation{}
	for rows.Next() {
		var d Disaggregation
		if err := rows.Scan(&d.ID, &d.Code, &d.NameVI, &d.NameEN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("indicator: disaggregations: %w", err)
		}
		d.Options = []Option{}
		out[d.ID] = &d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT disaggregation_id, code, name_vi, name_en FROM disaggregation_options ORDER BY disaggregation_id, sort_order, id")
	if err != nil {
		return nil, fmt.Errorf("indicator: disaggregation options: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o Option
		if err := rows.Scan(&id, &o.Code, &o.NameVI, &o.NameEN); err != nil {
			return nil, fmt.Errorf("indicator: disaggregation options: %w", err)
		}
		if d := out[id]; d != nil {
			d.Options = append(d.Options, o)
		}
	}
	return out, rows.Err()
}

// DisaggregationByCode returns one disaggregation with its options.
func (s *Store) DisaggregationByCode(ctx context.Context, code string) (*Disaggregation, error) {
	return disaggregationByCode(ctx, s.DB, code)
}

func disaggregationByCode(ctx context.Context, q db.Q, code string) (*Disaggregation, error) {
	all, err := disaggregations(ctx, q)
	if err != nil {
		return nil, err
	}
	code = normLowerCode(code)
	for _, d := range all {
		if d.Code == code {
			return d, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "err.not_found")
}

func validateDisaggregation(in *DisaggregationInput) error {
	var fe apperr.Fields
	in.Code = normLowerCode(in.Code)
	in.NameVI, in.NameEN = vn.NFC(in.NameVI), vn.NFC(in.NameEN)
	switch {
	case in.Code == "":
		fe.Add("code", "indicator.err.disagg_code_required")
	case !validLowerCode(in.Code):
		fe.Add("code", "indicator.err.disagg_code_format", in.Code)
	}
	if in.NameVI == "" {
		fe.Add("name_vi", "indicator.err.disagg_name_required")
	} else if tooLong(in.NameVI, maxName) {
		fe.Add("name_vi", "indicator.err.name_too_long", maxName)
	}
	if len(in.Options) < 2 {
		fe.Add("options", "indicator.err.options_few")
	}
	seen := map[string]bool{}
	for i := range in.Options {
		o := &in.Options[i]
		o.Code = normLowerCode(o.Code)
		o.NameVI, o.NameEN = vn.NFC(o.NameVI), vn.NFC(o.NameEN)
		field := fmt.Sprintf("options[%d]", i)
		switch {
		case !validLowerCode(o.Code):
			fe.Add(field, "indicator.err.option_code", o.Code)
		case seen[o.Code]:
			fe.Add(field, "indicator.err.option_dup", o.Code)
		}
		seen[o.Code] = true
		if o.NameVI == "" || tooLong(o.NameVI, maxName) {
			fe.Add(field, "indicator.err.option_name", o.Code)
		}
	}
	return fe.Err()
}

// CreateDisaggregation adds a disaggregation with its options.
func (s *Store) CreateDisaggregation(ctx context.Context, in DisaggregationInput) (*Disaggregation, error) {
	var out *Disaggregation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = createDisaggregation(ctx, tx, in)
		return err
	})
	return out, err
}

func createDisaggregation(ctx context.Context, q db.Q, in DisaggregationInput) (*Disaggregation, error) {
	if err := validateDisaggregation(&in); err != nil {
		return nil, err
	}
	d := Disaggregation{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Options: in.Options}
	err := q.QueryRowContext(ctx, "INSERT INTO disaggregations(code, name_vi, name_en) VALUES ($1, $2, $3) RETURNING id",
		d.Code, d.NameVI, d.NameEN).Scan(&d.ID)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "indicator.err.disagg_code_taken", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("indicator: create disaggregation: %w", err)
	}
	if err := insertOptions(ctx, q, d.ID, d.Options); err != nil {
		return nil, err
	}
	return &d, audit.Record(ctx, q, audit.Create, entityDisaggregation, d.ID, nil, d)
}

func insertOptions(ctx context.Context, q db.Q, id int64, opts []Option) error {
	if _, err := q.ExecContext(ctx, "DELETE FROM disaggregation_options WHERE disaggregation_id = $1", id); err != nil {
		return fmt.Errorf("indicator: options: %w", err)
	}
	for i, o := range opts {
		if _, err := q.ExecContext(ctx, "INSERT INTO disaggregation_options(disaggregation_id, code, name_vi, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)",
			id, o.Code, o.NameVI, o.NameEN, i+1); err != nil {
			return fmt.Errorf("indicator: options: %w", err)
		}
	}
	return nil
}

// UpdateDisaggregation changes a disaggregation and its options. While an
// indicator using it has values, an option cannot be removed (values are
// stored by option code); options can be renamed and added.
func (s *Store) UpdateDisaggregation(ctx context.Context, code string, in DisaggregationInput) (*Disaggregation, error) {
	var out *Disaggregation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := disaggregationByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := validateDisaggregation(&in); err != nil {
			return err
		}
		kept := map[string]bool{}
		for _, o := range in.Options {
			kept[o.Code] = true
		}
		var removed []string
		for _, o := range old.Options {
			if !kept[o.Code] {
				removed = append(removed, o.Code)
			}
		}
		if len(removed) > 0 {
			if used, err := s.disaggregationUsedBy(ctx, tx, old.ID); err != nil {
				return err
			} else if used != "" {
				return apperr.Field("options", "indicator.err.option_in_use", strings.Join(removed, ", "), used)
			}
		}
		d := Disaggregation{ID: old.ID, Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Options: in.Options}
		_, err = tx.ExecContext(ctx, "UPDATE disaggregations SET code=$1, name_vi=$2, name_en=$3 WHERE id=$4", d.Code, d.NameVI, d.NameEN, d.ID)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "indicator.err.disagg_code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("indicator: update disaggregation: %w", err)
		}
		if err := insertOptions(ctx, tx, d.ID, d.Options); err != nil {
			return err
		}
		out = &d
		return audit.Record(ctx, tx, audit.Update, entityDisaggregation, d.ID, old, d)
	})
	return out, err
}

// disaggregationUsedBy returns the code of an indicator with values that
// uses the disaggregation, or "".
func (s *Store) disaggregationUsedBy(ctx context.Context, q db.Q, id int64) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, code FROM indicators WHERE disaggregation_id = $1 ORDER BY code", id)
	if err != nil {
		return "", fmt.Errorf("indicator: disaggregation use: %w", err)
	}
	type ic struct {
		id   int64
		code string
	}
	var list []ic
	for rows.Next() {
		var x ic
		if err := rows.Scan(&x.id, &x.code); err != nil {
			rows.Close()
			return "", err
		}
		list = append(list, x)
	}
	rows.Close()
	for _, x := range list {
		used, err := s.hasValues(ctx, q, x.id)
		if err != nil {
			return "", err
		}
		if used {
			return x.code, nil
		}
	}
	return "", nil
}

// DeleteDisaggregation removes a disaggregation no indicator uses.
func (s *Store) DeleteDisaggregation(ctx context.Context, code string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := disaggregationByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		var ind string
		err = tx.QueryRowContext(ctx, "SELECT code FROM indicators WHERE disaggregation_id = $1 ORDER BY code LIMIT 1", old.ID).Scan(&ind)
		if err == nil {
			return apperr.New(apperr.Conflict, "indicator.err.disagg_in_use", ind)
		}
		if err != sql.ErrNoRows {
			return fmt.Errorf("indicator: delete disaggregation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM disaggregations WHERE id = $1", old.ID); err != nil {
			return fmt.Errorf("indicator: delete disaggregation: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, entityDisaggregation, old.ID, old, nil)
	})
}
