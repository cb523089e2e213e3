package org

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const unitCols = `u.id, u.organisation_id, u.area_id, u.name, u.active, u.created_at, u.updated_at,
	o.code, o.name_vi, a.name, a.code, a.path`

const unitFrom = ` FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id`

const unitOrder = " ORDER BY a.path, o.sort_order, o.id, u.id"

func scanUnit(row scanner) (*Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.OrganisationID, &u.AreaID, &u.Name, &u.Active, &u.CreatedAt, &u.UpdatedAt,
		&u.OrganisationCode, &u.OrganisationName, &u.AreaName, &u.AreaCode, &u.AreaPath)
	return &u, err
}

func queryUnits(ctx context.Context, q db.Q, query string, args ...any) ([]Unit, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("org: units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("org: units: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

func unitByID(ctx context.Context, q db.Q, id int64) (*Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, "SELECT "+unitCols+unitFrom+" WHERE u.id = $1", id))
	if err != nil {
		return nil, notFound(err, "unit")
	}
	return u, nil
}

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id int64) (*Unit, error) { return unitByID(ctx, s.DB, id) }

// UnitAt returns the unit of an organisation in an area.
func (s *Store) UnitAt(ctx context.Context, organisationID, areaID int64) (*Unit, error) {
	return unitAt(ctx, s.DB, organisationID, areaID)
}

func unitAt(ctx context.Context, q db.Q, organisationID, areaID int64) (*Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, "SELECT "+unitCols+unitFrom+" WHERE u.organisation_id = $1 AND u.area_id = $2", organisationID, areaID))
	if err != nil {
		return nil, notFound(err, "unit")
	}
	return u, nil
}

// UnitFilter selects units; zero fields do not filter.
type UnitFilter struct {
	OrganisationID int64
	// AreaID: units at exactly this area; Under: units anywhere in the
	// area's subtree.
	AreaID     int64
	Under      int64
	Q          string
	ActiveOnly bool
	Limit      int
	Offset     int
}

// Units lists units in tree order, then by organisation.
func (s *Store) Units(ctx context.Context, f UnitFilter) ([]Unit, error) {
	var w where
	if f.OrganisationID != 0 {
		w.add("u.organisation_id = ?", f.OrganisationID)
	}
	if f.AreaID != 0 {
		w.add("u.area_id = ?", f.AreaID)
	}
	if f.Under != 0 {
		path, err := areaPath(ctx, s.DB, f.Under)
		if err != nil {
			return nil, err
		}
		w.add("a.path LIKE ?", path+"%")
	}
	if f.ActiveOnly {
		w.add("u.active")
	}
	words := vn.FoldWords(f.Q)
	for _, word := range words {
		w.add("u.name_folded LIKE ?", "%"+word+"%")
	}
	query := "SELECT " + unitCols + unitFrom + w.String() + unitOrder
	if len(words) == 0 && f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	list, err := queryUnits(ctx, s.DB, query, w.args...)
	if err != nil || len(words) == 0 {
		return list, err
	}
	out := list[:0]
	for _, u := range list {
		if vn.MatchAllWords(vn.Fold(u.Name), words) {
			out = append(out, u)
		}
	}
	if f.Offset > 0 {
		out = out[min(f.Offset, len(out)):]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// SearchUnits finds units by name, diacritics and word order ignored.
func (s *Store) SearchUnits(ctx context.Context, q string, limit int) ([]Unit, error) {
	if len(vn.FoldWords(q)) == 0 {
		return nil, nil
	}
	return s.Units(ctx, UnitFilter{Q: q, Limit: limit})
}

// UnitsInSubtree lists the units of an area and of every area under it:
// what a bloc consolidates.
func (s *Store) UnitsInSubtree(ctx context.Context, areaID int64) ([]Unit, error) {
	return s.Units(ctx, UnitFilter{Under: areaID})
}

// UnitAreaPath returns the materialised path of a unit's area, for scope
// checks (auth.Principal.CanActForUnit).
func (s *Store) UnitAreaPath(ctx context.Context, unitID int64) (string, error) {
	var p string
	err := s.DB.QueryRowContext(ctx, "SELECT a.path FROM units u JOIN areas a ON a.id = u.area_id WHERE u.id = $1", unitID).Scan(&p)
	if err != nil {
		return "", notFound(err, "unit area path")
	}
	return p, nil
}

// validateUnit checks an input and fills a default name.
func validateUnit(ctx context.Context, q db.Q, in *UnitInput, exceptID int64) error {
	var fe apperr.Fields
	in.Name = vn.NFC(in.Name)
	var o *Organisation
	var a *Area
	var err error
	if in.OrganisationID == 0 {
		fe.Add("organisation_id", "err.required")
	} else if o, err = orgByID(ctx, q, in.OrganisationID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		fe.Add("organisation_id", "err.bad_choice", strconv.FormatInt(in.OrganisationID, 10))
	}
	if in.AreaID == 0 {
		fe.Add("area_id", "err.required")
	} else if a, err = areaByID(ctx, q, in.AreaID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		fe.Add("area_id", "err.bad_choice", strconv.FormatInt(in.AreaID, 10))
	}
	if in.Name == "" && o != nil && a != nil {
		in.Name = DefaultUnitName(*o, *a)
	}
	checkText(&fe, "name", &in.Name, true, maxName)
	if o != nil && a != nil {
		other, err := unitAt(ctx, q, o.ID, a.ID)
		if err == nil && other.ID != exceptID {
			fe.Add("area_id", "org.err.unit_taken", o.NameVI, a.Name)
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	return fe.Err()
}

// DefaultUnitName is the name a unit gets when none is given: the
// organisation's short name and the area's name ("Hội Nông dân xã Ia Kha").
func DefaultUnitName(o Organisation, a Area) string {
	return vn.NFC(o.Short() + " " + a.Name)
}

func auditUnit(u *Unit) map[string]any {
	return map[string]any{"organisation_id": u.OrganisationID, "area_id": u.AreaID, "name": u.Name, "active": u.Active}
}

// CreateUnit adds a unit (no scope check: see CreateUnitAs).
func (s *Store) CreateUnit(ctx context.Context, in UnitInput) (*Unit, error) {
	var u *Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = createUnit(ctx, tx, in)
		return err
	})
	return u, err
}

func createUnit(ctx context.Context, q db.Q, in UnitInput) (*Unit, error) {
	if err := validateUnit(ctx, q, &in, 0); err != nil {
		return nil, err
	}
	active := in.Active == nil || *in.Active
	t := now()
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO units(organisation_id, area_id, name, name_folded, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, in.OrganisationID, in.AreaID, in.Name, vn.Fold(in.Name), active, t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("area_id", "org.err.unit_taken", "", "")
	}
	if err != nil {
		return nil, fmt.Errorf("org: create unit: %w", err)
	}
	u, err := unitByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return u, audit.Record(ctx, q, audit.Create, "unit", id, nil, auditUnit(u))
}

// UpdateUnit changes a unit (no scope check: see UpdateUnitAs).
func (s *Store) UpdateUnit(ctx context.Context, id int64, in UnitInput) (*Unit, error) {
	var u *Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = updateUnit(ctx, tx, id, in)
		return err
	})
	return u, err
}

func updateUnit(ctx context.Context, q db.Q, id int64, in UnitInput) (*Unit, error) {
	old, err := unitByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := validateUnit(ctx, q, &in, id); err != nil {
		return nil, err
	}
	active := old.Active
	if in.Active != nil {
		active = *in.Active
	}
	_, err = q.ExecContext(ctx, `UPDATE units SET organisation_id=$1, area_id=$2, name=$3, name_folded=$4, active=$5, updated_at=$6 WHERE id=$7`,
		in.OrganisationID, in.AreaID, in.Name, vn.Fold(in.Name), active, now(), id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("area_id", "org.err.unit_taken", "", "")
	}
	if err != nil {
		return nil, fmt.Errorf("org: update unit: %w", err)
	}
	u, err := unitByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return u, audit.Record(ctx, q, audit.Update, "unit", id, auditUnit(old), auditUnit(u))
}

// DeleteUnit removes a unit nothing refers to (no user, report…).
func (s *Store) DeleteUnit(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := unitByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM units WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete unit: %w", err), old.Name)
		}
		return audit.Record(ctx, tx, audit.Delete, "unit", id, auditUnit(old), nil)
	})
}

// EnsureUnit returns the unit of the input's organisation and area,
// creating it when missing. For seeding.
func (s *Store) EnsureUnit(ctx context.Context, in UnitInput) (*Unit, error) {
	var u *Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = unitAt(ctx, tx, in.OrganisationID, in.AreaID)
		if err == nil || !apperr.Is(err, apperr.NotFound) {
			return err
		}
		u, err = createUnit(ctx, tx, in)
		return err
	})
	return u, err
}

// CanManageUnits tells whether p may create or change units at an area
// (given by its path): admins anywhere, secretariats in their subtree.
func CanManageUnits(p *auth.Principal, areaPath string) bool {
	return p.Has(auth.PermUnitManage) && p.CanManageArea(areaPath)
}

func (s *Store) checkUnitScope(ctx context.Context, p *auth.Principal, areaID int64) error {
	if !p.Has(auth.PermUnitManage) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if areaID == 0 {
		return nil // validation reports the missing area
	}
	path, err := areaPath(ctx, s.DB, areaID)
	if apperr.Is(err, apperr.NotFound) {
		return nil // validation reports the unknown area
	}
	if err != nil {
		return err
	}
	if !p.CanManageArea(path) {
		return apperr.New(apperr.Forbidden, "org.err.out_of_scope")
	}
	return nil
}

// CreateUnitAs creates a unit on behalf of p: secretariats only inside
// their area subtree (Forbidden otherwise), admins anywhere.
func (s *Store) CreateUnitAs(ctx context.Context, p *auth.Principal, in UnitInput) (*Unit, error) {
	if err := s.checkUnitScope(ctx, p, in.AreaID); err != nil {
		return nil, err
	}
	return s.CreateUnit(ctx, in)
}

// UpdateUnitAs changes a unit on behalf of p: both the unit's current area
// and its new one must be in p's scope.
func (s *Store) UpdateUnitAs(ctx context.Context, p *auth.Principal, id int64, in UnitInput) (*Unit, error) {
	old, err := s.Unit(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkUnitScope(ctx, p, old.AreaID); err != nil {
		return nil, err
	}
	if err := s.checkUnitScope(ctx, p, in.AreaID); err != nil {
		return nil, err
	}
	return s.UpdateUnit(ctx, id, in)
}

// DeleteUnitAs deletes a unit on behalf of p, inside p's scope.
func (s *Store) DeleteUnitAs(ctx context.Context, p *auth.Principal, id int64) error {
	old, err := s.Unit(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkUnitScope(ctx, p, old.AreaID); err != nil {
		return err
	}
	return s.DeleteUnit(ctx, id)
}
