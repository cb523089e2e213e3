package org

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

const orgCols = "id, code, name_vi, name_en, short_name, sort_order, active, created_at, updated_at"

func scanOrg(row scanner) (*Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.Code, &o.NameVI, &o.NameEN, &o.ShortName, &o.SortOrder, &o.Active, &o.CreatedAt, &o.UpdatedAt)
	return &o, err
}

// Organisations lists the organisations in their sort order; activeOnly
// hides the inactive ones.
func (s *Store) Organisations(ctx context.Context, activeOnly bool) ([]Organisation, error) {
	return organisations(ctx, s.DB, activeOnly)
}

func organisations(ctx context.Context, q db.Q, activeOnly bool) ([]Organisation, error) {
	query := "SELECT " + orgCols + " FROM organisations"
	if activeOnly {
		query += " WHERE active"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY sort_order, id")
	if err != nil {
		return nil, fmt.Errorf("org: organisations: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("org: organisations: %w", err)
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

func orgByID(ctx context.Context, q db.Q, id int64) (*Organisation, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations WHERE id = $1", id))
	if err != nil {
		return nil, notFound(err, "organisation")
	}
	return o, nil
}

func orgByCode(ctx context.Context, q db.Q, code string) (*Organisation, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations WHERE lower(code) = lower($1) ORDER BY id LIMIT 1", normCode(code)))
	if err != nil {
		return nil, notFound(err, "organisation")
	}
	return o, nil
}

// Organisation returns one organisation.
func (s *Store) Organisation(ctx context.Context, id int64) (*Organisation, error) {
	return orgByID(ctx, s.DB, id)
}

// OrganisationByCode returns the organisation with a code ("hnd").
func (s *Store) OrganisationByCode(ctx context.Context, code string) (*Organisation, error) {
	return orgByCode(ctx, s.DB, code)
}

// normCode is how organisation codes are stored: trimmed, as typed
// ("HND"); they are compared without regard to case.
func normCode(c string) string { return strings.TrimSpace(c) }

func validOrgCode(c string) bool {
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return c != ""
}

func validateOrg(in *OrganisationInput) error {
	var fe apperr.Fields
	in.Code = normCode(in.Code)
	in.NameVI = vn.NFC(in.NameVI)
	in.NameEN = vn.NFC(in.NameEN)
	in.ShortName = vn.NFC(in.ShortName)
	if in.Code == "" {
		fe.Add("code", "err.required")
	} else if !validOrgCode(in.Code) || len(in.Code) > maxCode {
		fe.Add("code", "org.err.org_code")
	}
	checkText(&fe, "name_vi", &in.NameVI, true, maxName)
	checkText(&fe, "name_en", &in.NameEN, false, maxName)
	checkText(&fe, "short_name", &in.ShortName, false, maxShort)
	return fe.Err()
}

// CreateOrganisation adds an organisation.
func (s *Store) CreateOrganisation(ctx context.Context, in OrganisationInput) (*Organisation, error) {
	var o *Organisation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = createOrg(ctx, tx, in)
		return err
	})
	return o, err
}

func createOrg(ctx context.Context, q db.Q, in OrganisationInput) (*Organisation, error) {
	if err := validateOrg(&in); err != nil {
		return nil, err
	}
	if _, err := orgByCode(ctx, q, in.Code); err == nil {
		return nil, apperr.Field("code", "org.err.org_code_taken", in.Code)
	}
	active := in.Active == nil || *in.Active
	t := now()
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO organisations(code, name_vi, name_en, short_name, sort_order, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, in.Code, in.NameVI, in.NameEN, in.ShortName, in.SortOrder, active, t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "org.err.org_code_taken", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("org: create organisation: %w", err)
	}
	o, err := orgByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return o, audit.Record(ctx, q, audit.Create, "organisation", id, nil, o)
}

// UpdateOrganisation changes an organisation.
func (s *Store) UpdateOrganisation(ctx context.Context, id int64, in OrganisationInput) (*Organisation, error) {
	if err := validateOrg(&in); err != nil {
		return nil, err
	}
	var o *Organisation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := orgByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if other, err := orgByCode(ctx, tx, in.Code); err == nil && other.ID != id {
			return apperr.Field("code", "org.err.org_code_taken", in.Code)
		}
		active := old.Active
		if in.Active != nil {
			active = *in.Active
		}
		_, err = tx.ExecContext(ctx, `UPDATE organisations SET code=$1, name_vi=$2, name_en=$3, short_name=$4, sort_order=$5, active=$6, updated_at=$7 WHERE id=$8`,
			in.Code, in.NameVI, in.NameEN, in.ShortName, in.SortOrder, active, now(), id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "org.err.org_code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("org: update organisation: %w", err)
		}
		if o, err = orgByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, "organisation", id, old, o)
	})
	return o, err
}

// DeleteOrganisation removes an organisation that has no unit.
func (s *Store) DeleteOrganisation(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := orgByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM organisations WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete organisation: %w", err), old.NameVI)
		}
		return audit.Record(ctx, tx, audit.Delete, "organisation", id, old, nil)
	})
}

// EnsureOrganisation returns the organisation with the input's code,
// creating it when missing. For seeding.
func (s *Store) EnsureOrganisation(ctx context.Context, in OrganisationInput) (*Organisation, error) {
	var o *Organisation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = orgByCode(ctx, tx, in.Code)
		if err == nil || !apperr.Is(err, apperr.NotFound) {
			return err
		}
		o, err = createOrg(ctx, tx, in)
		return err
	})
	return o, err
}
