package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const formCols = `f.id, f.code, f.name_vi, f.name_en, f.organisation_id, f.period_type, f.active, f.created_at, f.updated_at,
	COALESCE(o.code, ''), COALESCE(o.name_vi, '')`

const formFrom = ` FROM forms f LEFT JOIN organisations o ON o.id = f.organisation_id`

func scanForm(row scanner) (*Form, error) {
	var f Form
	var pt string
	err := row.Scan(&f.ID, &f.Code, &f.NameVI, &f.NameEN, &f.OrganisationID, &pt, &f.Active, &f.CreatedAt, &f.UpdatedAt,
		&f.OrganisationCode, &f.OrganisationName)
	f.PeriodType = period.Type(pt)
	f.Narratives = narratives()
	f.Indicators = []Indicator{}
	return &f, err
}

// loadForms runs the form query with a condition and fills every form's
// indicators (retired ones included) in form order.
func loadForms(ctx context.Context, q db.Q, where, order string, args ...any) ([]Form, error) {
	query := "SELECT " + formCols + formFrom
	if where != "" {
		query += " WHERE " + where
	}
	if order == "" {
		order = "COALESCE(o.sort_order, -1), f.organisation_id, f.period_type, f.code"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY "+order, args...)
	if err != nil {
		return nil, fmt.Errorf("indicator: forms: %w", err)
	}
	var out []Form
	for rows.Next() {
		f, err := scanForm(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("indicator: forms: %w", err)
		}
		out = append(out, *f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, fillForms(ctx, q, out)
}

func fillForms(ctx context.Context, q db.Q, forms []Form) error {
	inds, err := loadIndicators(ctx, q, "")
	if err != nil {
		return err
	}
	byID := make(map[int64]*Indicator, len(inds))
	for i := range inds {
		byID[inds[i].ID] = &inds[i]
	}
	byForm := make(map[int64]*Form, len(forms))
	for i := range forms {
		byForm[forms[i].ID] = &forms[i]
	}
	query := "SELECT form_id, indicator_id FROM form_indicators"
	var args []any
	if len(forms) <= 10 {
		marks := make([]string, len(forms))
		for i, f := range forms {
			args = append(args, f.ID)
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		query += " WHERE form_id IN (" + strings.Join(marks, ", ") + ")"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY form_id, position", args...)
	if err != nil {
		return fmt.Errorf("indicator: form indicators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fid, iid int64
		if err := rows.Scan(&fid, &iid); err != nil {
			return fmt.Errorf("indicator: form indicators: %w", err)
		}
		if f, ind := byForm[fid], byID[iid]; f != nil && ind != nil {
			f.Indicators = append(f.Indicators, *ind)
		}
	}
	return rows.Err()
}

// Forms lists every form (active or not) with its indicators.
func (s *Store) Forms(ctx context.Context) ([]Form, error) {
	return loadForms(ctx, s.DB, "", "")
}

// FormByID returns one form with all its indicators in form order,
// retired ones included (old reports still show them).
func (s *Store) FormByID(ctx context.Context, id int64) (*Form, error) {
	return formWhere(ctx, s.DB, "f.id = $1", id)
}

// FormByCode returns one form by code (any case).
func (s *Store) FormByCode(ctx context.Context, code string) (*Form, error) {
	return formWhere(ctx, s.DB, "f.code = $1", NormalizeCode(code))
}

func formWhere(ctx context.Context, q db.Q, where string, args ...any) (*Form, error) {
	list, err := loadForms(ctx, q, where, "", args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return &list[0], nil
}

// FormFor returns the active form an organisation fills for a period type:
// its own form when it has one, the generic form otherwise (NotFound when
// neither exists). Its Indicators are those to enter, in form order:
// retired indicators and indicators reported only by other organisations
// are left out. Narratives are the four fixed sections.
func (s *Store) FormFor(ctx context.Context, organisationID int64, pt period.Type) (*Form, error) {
	o, err := orgByID(ctx, s.DB, organisationID)
	if err != nil {
		return nil, err
	}
	list, err := loadForms(ctx, s.DB, "f.active AND f.period_type = $1 AND (f.organisation_id = $2 OR f.organisation_id IS NULL)",
		"CASE WHEN f.organisation_id IS NULL THEN 1 ELSE 0 END, f.id", string(pt), organisationID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "indicator.err.no_form", o.NameVI, strings.ToLower(pt.LabelVI()), strings.ToLower(pt.LabelEN()))
	}
	f := list[0]
	keep := f.Indicators[:0]
	for _, ind := range f.Indicators {
		if !ind.Retired && ind.ReportedBy(o.Code) {
			keep = append(keep, ind)
		}
	}
	f.Indicators = keep
	return &f, nil
}

// formResolved holds what a form input refers to.
type formResolved struct {
	orgID  *int64
	org    *OrgRef
	indIDs []int64
}

func validateForm(ctx context.Context, q db.Q, in *FormInput, old *Form) (formResolved, error) {
	var r formResolved
	var fe apperr.Fields
	in.Code = NormalizeCode(in.Code)
	in.NameVI, in.NameEN = vn.NFC(in.NameVI), vn.NFC(in.NameEN)
	switch {
	case in.Code == "":
		fe.Add("code", "indicator.err.form_code_required")
	case !validCode(in.Code):
		fe.Add("code", "indicator.err.code_format", in.Code)
	}
	if in.NameVI == "" {
		fe.Add("name_vi", "indicator.err.form_name_required")
	} else if tooLong(in.NameVI, maxName) {
		fe.Add("name_vi", "indicator.err.name_too_long", maxName)
	}
	if tooLong(in.NameEN, maxName) {
		fe.Add("name_en", "indicator.err.name_too_long", maxName)
	}
	if !in.PeriodType.Valid() {
		fe.Add("period_type", "indicator.err.period_type", string(in.PeriodType))
	}
	switch {
	case in.OrganisationID != nil && *in.OrganisationID != 0:
		o, err := orgByID(ctx, q, *in.OrganisationID)
		if apperr.Is(err, apperr.NotFound) {
			fe.Add("organisation_id", "indicator.err.org_unknown", fmt.Sprint(*in.OrganisationID))
		} else if err != nil {
			return r, err
		} else {
			r.org, r.orgID = o, &o.ID
		}
	case in.Organisation != "":
		o, err := orgByCode(ctx, q, in.Organisation)
		if apperr.Is(err, apperr.NotFound) {
			fe.Add("organisation_id", "indicator.err.org_unknown", in.Organisation)
		} else if err != nil {
			return r, err
		} else {
			r.org, r.orgID = o, &o.ID
		}
	}
	in.OrganisationID, in.Organisation = r.orgID, ""
	if r.org != nil {
		in.Organisation = r.org.Code
	}
	had := map[int64]bool{}
	if old != nil {
		for _, ind := range old.Indicators {
			had[ind.ID] = true
		}
	}
	if len(in.Indicators) == 0 {
		fe.Add("indicators", "indicator.err.form_no_indicators")
	}
	codes := make([]string, 0, len(in.Indicators))
	for _, c := range in.Indicators {
		c = NormalizeCode(c)
		if c == "" {
			continue
		}
		ind, err := indicatorWhere(ctx, q, "i.code = $1", c)
		switch {
		case apperr.Is(err, apperr.NotFound):
			fe.Add("indicators", "indicator.err.form_indicator_unknown", c)
			continue
		case err != nil:
			return r, err
		}
		switch {
		case slices.Contains(r.indIDs, ind.ID):
			fe.Add("indicators", "indicator.err.form_indicator_dup", c)
		case ind.Retired && !had[ind.ID]:
			fe.Add("indicators", "indicator.err.form_indicator_retired", c)
		case r.org != nil && !ind.ReportedBy(r.org.Code):
			fe.Add("indicators", "indicator.err.form_indicator_org", c, r.org.NameVI)
		default:
			r.indIDs = append(r.indIDs, ind.ID)
			codes = append(codes, c)
		}
	}
	in.Indicators = codes
	return r, fe.Err()
}

// activeTaken turns the unique index on active forms into a message naming
// the form already in use.
func activeTaken(ctx context.Context, q db.Q, orgID *int64, pt period.Type, self int64) error {
	var other string
	var err error
	if orgID == nil {
		err = q.QueryRowContext(ctx, "SELECT code FROM forms WHERE active AND organisation_id IS NULL AND period_type = $1 AND id <> $2", string(pt), self).Scan(&other)
	} else {
		err = q.QueryRowContext(ctx, "SELECT code FROM forms WHERE active AND organisation_id = $1 AND period_type = $2 AND id <> $3", *orgID, string(pt), self).Scan(&other)
	}
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("indicator: forms in use: %w", err)
	}
	return apperr.Field("active", "indicator.err.form_active_taken", other)
}

// formTaken maps a unique violation: the code, or (a concurrent save) the
// one active form per organisation and period type.
func formTaken(err error, code string) error {
	if strings.Contains(err.Error(), "forms_active") {
		return apperr.Field("active", "indicator.err.form_active_taken", "")
	}
	return apperr.Field("code", "indicator.err.form_code_taken", code)
}

func setFormIndicators(ctx context.Context, q db.Q, formID int64, ids []int64) error {
	if _, err := q.ExecContext(ctx, "DELETE FROM form_indicators WHERE form_id = $1", formID); err != nil {
		return fmt.Errorf("indicator: form indicators: %w", err)
	}
	for i, id := range ids {
		if _, err := q.ExecContext(ctx, "INSERT INTO form_indicators(form_id, indicator_id, position) VALUES ($1, $2, $3)", formID, id, i+1); err != nil {
			return fmt.Errorf("indicator: form indicators: %w", err)
		}
	}
	return nil
}

// CreateForm adds a form. Only one active form may exist per organisation
// (or generic) and period type.
func (s *Store) CreateForm(ctx context.Context, in FormInput) (*Form, error) {
	var out *Form
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = createForm(ctx, tx, in)
		return err
	})
	return out, err
}

func createForm(ctx context.Context, q db.Q, in FormInput) (*Form, error) {
	r, err := validateForm(ctx, q, &in, nil)
	if err != nil {
		return nil, err
	}
	active := boolOr(in.Active, true)
	if active {
		if err := activeTaken(ctx, q, r.orgID, in.PeriodType, 0); err != nil {
			return nil, err
		}
	}
	t := now()
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO forms(code, name_vi, name_en, organisation_id, period_type, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		in.Code, in.NameVI, in.NameEN, r.orgID, string(in.PeriodType), active, t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, formTaken(err, in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("indicator: create form: %w", err)
	}
	if err := setFormIndicators(ctx, q, id, r.indIDs); err != nil {
		return nil, err
	}
	f, err := formWhere(ctx, q, "f.id = $1", id)
	if err != nil {
		return nil, err
	}
	return f, audit.Record(ctx, q, audit.Create, entityForm, id, nil, in)
}

// UpdateForm changes a form: its names, organisation, period type,
// indicators and order, and whether it is active.
func (s *Store) UpdateForm(ctx context.Context, id int64, in FormInput) (*Form, error) {
	var out *Form
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := formWhere(ctx, tx, "f.id = $1", id)
		if err != nil {
			return err
		}
		r, err := validateForm(ctx, tx, &in, old)
		if err != nil {
			return err
		}
		active := boolOr(in.Active, old.Active)
		if active {
			if err := activeTaken(ctx, tx, r.orgID, in.PeriodType, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE forms SET code=$1, name_vi=$2, name_en=$3, organisation_id=$4, period_type=$5, active=$6, updated_at=$7 WHERE id=$8`,
			in.Code, in.NameVI, in.NameEN, r.orgID, string(in.PeriodType), active, now(), id)
		if db.IsUniqueViolation(err) {
			return formTaken(err, in.Code)
		}
		if err != nil {
			return fmt.Errorf("indicator: update form: %w", err)
		}
		if err := setFormIndicators(ctx, tx, id, r.indIDs); err != nil {
			return err
		}
		if out, err = formWhere(ctx, tx, "f.id = $1", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, entityForm, id, old.Input(), in)
	})
	return out, err
}

// DeleteForm removes a form; a form reports were made with can only be
// deactivated.
func (s *Store) DeleteForm(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := formWhere(ctx, tx, "f.id = $1", id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM forms WHERE id = $1", id)
		if db.IsForeignKeyViolation(err) {
			return apperr.Wrap(err, apperr.Conflict, "indicator.err.form_in_use")
		}
		if err != nil {
			return fmt.Errorf("indicator: delete form: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, entityForm, id, old.Input(), nil)
	})
}
