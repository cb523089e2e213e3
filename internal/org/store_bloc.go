package org

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const blocCols = `b.id, b.area_id, b.name, b.created_at, b.updated_at, a.name, a.path`
const blocFrom = ` FROM blocs b JOIN areas a ON a.id = b.area_id`

func scanBloc(row scanner) (*Bloc, error) {
	var b Bloc
	err := row.Scan(&b.ID, &b.AreaID, &b.Name, &b.CreatedAt, &b.UpdatedAt, &b.AreaName, &b.AreaPath)
	return &b, err
}

// Blocs lists the blocs in tree order of their areas.
func (s *Store) Blocs(ctx context.Context) ([]Bloc, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT "+blocCols+blocFrom+" ORDER BY a.path")
	if err != nil {
		return nil, fmt.Errorf("org: blocs: %w", err)
	}
	defer rows.Close()
	var out []Bloc
	for rows.Next() {
		b, err := scanBloc(rows)
		if err != nil {
			return nil, fmt.Errorf("org: blocs: %w", err)
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

func blocByID(ctx context.Context, q db.Q, id int64) (*Bloc, error) {
	b, err := scanBloc(q.QueryRowContext(ctx, "SELECT "+blocCols+blocFrom+" WHERE b.id = $1", id))
	if err != nil {
		return nil, notFound(err, "bloc")
	}
	return b, nil
}

func blocByArea(ctx context.Context, q db.Q, areaID int64) (*Bloc, error) {
	b, err := scanBloc(q.QueryRowContext(ctx, "SELECT "+blocCols+blocFrom+" WHERE b.area_id = $1", areaID))
	if err != nil {
		return nil, notFound(err, "bloc")
	}
	return b, nil
}

// Bloc returns one bloc.
func (s *Store) Bloc(ctx context.Context, id int64) (*Bloc, error) { return blocByID(ctx, s.DB, id) }

// BlocByArea returns the bloc of an area.
func (s *Store) BlocByArea(ctx context.Context, areaID int64) (*Bloc, error) {
	return blocByArea(ctx, s.DB, areaID)
}

// BlocMembers lists the bloc's member units: the units at its area.
func (s *Store) BlocMembers(ctx context.Context, blocID int64) ([]Unit, error) {
	b, err := s.Bloc(ctx, blocID)
	if err != nil {
		return nil, err
	}
	return s.Units(ctx, UnitFilter{AreaID: b.AreaID})
}

// BlocUnits lists every unit the bloc consolidates: the units of its
// area's whole subtree.
func (s *Store) BlocUnits(ctx context.Context, blocID int64) ([]Unit, error) {
	b, err := s.Bloc(ctx, blocID)
	if err != nil {
		return nil, err
	}
	return s.UnitsInSubtree(ctx, b.AreaID)
}

func validateBloc(ctx context.Context, q db.Q, in *BlocInput, exceptID int64) error {
	var fe apperr.Fields
	in.Name = vn.NFC(in.Name)
	checkText(&fe, "name", &in.Name, true, maxName)
	if in.AreaID == 0 {
		fe.Add("area_id", "err.required")
	} else if a, err := areaByID(ctx, q, in.AreaID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		fe.Add("area_id", "err.bad_choice", strconv.FormatInt(in.AreaID, 10))
	} else if other, err := blocByArea(ctx, q, in.AreaID); err == nil && other.ID != exceptID {
		fe.Add("area_id", "org.err.bloc_taken", a.Name, other.Name)
	}
	return fe.Err()
}

func auditBloc(b *Bloc) map[string]any {
	return map[string]any{"area_id": b.AreaID, "name": b.Name}
}

// CreateBloc adds a bloc; an area has at most one.
func (s *Store) CreateBloc(ctx context.Context, in BlocInput) (*Bloc, error) {
	var b *Bloc
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = createBloc(ctx, tx, in)
		return err
	})
	return b, err
}

func createBloc(ctx context.Context, q db.Q, in BlocInput) (*Bloc, error) {
	if err := validateBloc(ctx, q, &in, 0); err != nil {
		return nil, err
	}
	t := now()
	var id int64
	err := q.QueryRowContext(ctx, "INSERT INTO blocs(area_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
		in.AreaID, in.Name, t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("area_id", "org.err.bloc_taken", "", "")
	}
	if err != nil {
		return nil, fmt.Errorf("org: create bloc: %w", err)
	}
	b, err := blocByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return b, audit.Record(ctx, q, audit.Create, "bloc", id, nil, auditBloc(b))
}

// UpdateBloc changes a bloc.
func (s *Store) UpdateBloc(ctx context.Context, id int64, in BlocInput) (*Bloc, error) {
	var b *Bloc
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := blocByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := validateBloc(ctx, tx, &in, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE blocs SET area_id=$1, name=$2, updated_at=$3 WHERE id=$4", in.AreaID, in.Name, now(), id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("area_id", "org.err.bloc_taken", "", "")
		}
		if err != nil {
			return fmt.Errorf("org: update bloc: %w", err)
		}
		if b, err = blocByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, "bloc", id, auditBloc(old), auditBloc(b))
	})
	return b, err
}

// DeleteBloc removes a bloc nothing refers to.
func (s *Store) DeleteBloc(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := blocByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM blocs WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete bloc: %w", err), old.Name)
		}
		return audit.Record(ctx, tx, audit.Delete, "bloc", id, auditBloc(old), nil)
	})
}

// EnsureBloc returns the bloc of the input's area, creating it when
// missing. For seeding.
func (s *Store) EnsureBloc(ctx context.Context, in BlocInput) (*Bloc, error) {
	var b *Bloc
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = blocByArea(ctx, tx, in.AreaID)
		if err == nil || !apperr.Is(err, apperr.NotFound) {
			return err
		}
		b, err = createBloc(ctx, tx, in)
		return err
	})
	return b, err
}
