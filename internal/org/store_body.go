package org

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const bodyCols = `b.id, b.area_id, b.parent_id, b.kind, b.name, b.short_name, b.created_at, b.updated_at,
	COALESCE(a.name, ''), COALESCE(p.name, '')`

const bodyFrom = ` FROM external_bodies b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN external_bodies p ON p.id = b.parent_id`

func scanBody(row scanner) (*ExternalBody, error) {
	var b ExternalBody
	err := row.Scan(&b.ID, &b.AreaID, &b.ParentID, &b.Kind, &b.Name, &b.ShortName, &b.CreatedAt, &b.UpdatedAt, &b.AreaName, &b.ParentName)
	return &b, err
}

// ExternalBodies lists the external bodies, of one area when areaID is
// not 0, each parent followed by its children.
func (s *Store) ExternalBodies(ctx context.Context, areaID int64) ([]ExternalBody, error) {
	query := "SELECT " + bodyCols + bodyFrom
	var args []any
	if areaID != 0 {
		query += " WHERE b.area_id = $1"
		args = append(args, areaID)
	}
	rows, err := s.DB.QueryContext(ctx, query+" ORDER BY COALESCE(a.path, ''), b.id", args...)
	if err != nil {
		return nil, fmt.Errorf("org: external bodies: %w", err)
	}
	defer rows.Close()
	var list []ExternalBody
	for rows.Next() {
		b, err := scanBody(rows)
		if err != nil {
			return nil, fmt.Errorf("org: external bodies: %w", err)
		}
		list = append(list, *b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("org: external bodies: %w", err)
	}
	return parentsFirst(list), nil
}

// parentsFirst orders bodies so that each is followed by its children.
func parentsFirst(list []ExternalBody) []ExternalBody {
	in := map[int64]bool{}
	kids := map[int64][]ExternalBody{}
	for _, b := range list {
		in[b.ID] = true
	}
	var roots []ExternalBody
	for _, b := range list {
		if b.ParentID != nil && in[*b.ParentID] {
			kids[*b.ParentID] = append(kids[*b.ParentID], b)
		} else {
			roots = append(roots, b)
		}
	}
	out := make([]ExternalBody, 0, len(list))
	done := map[int64]bool{}
	var walk func(b ExternalBody)
	walk = func(b ExternalBody) {
		if done[b.ID] {
			return
		}
		done[b.ID] = true
		out = append(out, b)
		for _, k := range kids[b.ID] {
			walk(k)
		}
	}
	for _, b := range roots {
		walk(b)
	}
	for _, b := range list { // bodies caught in a cycle, should one exist
		walk(b)
	}
	return out
}

func bodyByID(ctx context.Context, q db.Q, id int64) (*ExternalBody, error) {
	b, err := scanBody(q.QueryRowContext(ctx, "SELECT "+bodyCols+bodyFrom+" WHERE b.id = $1", id))
	if err != nil {
		return nil, notFound(err, "external body")
	}
	return b, nil
}

// ExternalBody returns one external body.
func (s *Store) ExternalBody(ctx context.Context, id int64) (*ExternalBody, error) {
	return bodyByID(ctx, s.DB, id)
}

func validateBody(ctx context.Context, q db.Q, in *ExternalBodyInput, id int64) error {
	var fe apperr.Fields
	in.Name = vn.NFC(in.Name)
	in.ShortName = vn.NFC(in.ShortName)
	checkText(&fe, "name", &in.Name, true, maxName)
	checkText(&fe, "short_name", &in.ShortName, false, maxShort)
	if !slices.Contains(BodyKinds, in.Kind) {
		fe.Add("kind", "err.bad_choice", in.Kind)
	}
	if in.AreaID != nil && *in.AreaID == 0 {
		in.AreaID = nil
	}
	if in.AreaID != nil {
		if ok, err := exists(ctx, q, "areas", *in.AreaID); err != nil {
			return err
		} else if !ok {
			fe.Add("area_id", "err.bad_choice", strconv.FormatInt(*in.AreaID, 10))
		}
	}
	if in.ParentID != nil && *in.ParentID == 0 {
		in.ParentID = nil
	}
	if in.ParentID != nil {
		// Walk up from the new parent: meeting the body itself is a cycle.
		seen := map[int64]bool{}
		for cur := in.ParentID; cur != nil; {
			if id != 0 && *cur == id {
				fe.Add("parent_id", "org.err.body_cycle")
				break
			}
			if seen[*cur] {
				break
			}
			seen[*cur] = true
			p, err := bodyByID(ctx, q, *cur)
			if apperr.Is(err, apperr.NotFound) {
				fe.Add("parent_id", "err.bad_choice", strconv.FormatInt(*cur, 10))
				break
			}
			if err != nil {
				return err
			}
			cur = p.ParentID
		}
	}
	return fe.Err()
}

func auditBody(b *ExternalBody) map[string]any {
	return map[string]any{"area_id": b.AreaID, "parent_id": b.ParentID, "kind": b.Kind, "name": b.Name, "short_name": b.ShortName}
}

// CreateExternalBody adds an external body.
func (s *Store) CreateExternalBody(ctx context.Context, in ExternalBodyInput) (*ExternalBody, error) {
	var b *ExternalBody
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = createBody(ctx, tx, in)
		return err
	})
	return b, err
}

func createBody(ctx context.Context, q db.Q, in ExternalBodyInput) (*ExternalBody, error) {
	if err := validateBody(ctx, q, &in, 0); err != nil {
		return nil, err
	}
	t := now()
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO external_bodies(area_id, parent_id, kind, name, short_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, in.AreaID, in.ParentID, in.Kind, in.Name, in.ShortName, t).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("org: create external body: %w", err)
	}
	b, err := bodyByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return b, audit.Record(ctx, q, audit.Create, "external_body", id, nil, auditBody(b))
}

// UpdateExternalBody changes an external body; a body cannot become its
// own ancestor.
func (s *Store) UpdateExternalBody(ctx context.Context, id int64, in ExternalBodyInput) (*ExternalBody, error) {
	var b *ExternalBody
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := bodyByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := validateBody(ctx, tx, &in, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE external_bodies SET area_id=$1, parent_id=$2, kind=$3, name=$4, short_name=$5, updated_at=$6 WHERE id=$7`,
			in.AreaID, in.ParentID, in.Kind, in.Name, in.ShortName, now(), id); err != nil {
			return fmt.Errorf("org: update external body: %w", err)
		}
		if b, err = bodyByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, "external_body", id, auditBody(old), auditBody(b))
	})
	return b, err
}

// DeleteExternalBody removes an external body nothing refers to (no child
// body, meeting…).
func (s *Store) DeleteExternalBody(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := bodyByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM external_bodies WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete external body: %w", err), old.Name)
		}
		return audit.Record(ctx, tx, audit.Delete, "external_body", id, auditBody(old), nil)
	})
}

// EnsureExternalBody returns the body with the input's area, parent and
// name (diacritics ignored), creating it when missing. For seeding.
func (s *Store) EnsureExternalBody(ctx context.Context, in ExternalBodyInput) (*ExternalBody, error) {
	var b *ExternalBody
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var w where
		if in.AreaID == nil || *in.AreaID == 0 {
			w.add("b.area_id IS NULL")
		} else {
			w.add("b.area_id = ?", *in.AreaID)
		}
		if in.ParentID == nil || *in.ParentID == 0 {
			w.add("b.parent_id IS NULL")
		} else {
			w.add("b.parent_id = ?", *in.ParentID)
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+bodyCols+bodyFrom+w.String()+" ORDER BY b.id", w.args...)
		if err != nil {
			return fmt.Errorf("org: find external body: %w", err)
		}
		want := vn.Fold(in.Name)
		for rows.Next() {
			c, err := scanBody(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("org: find external body: %w", err)
			}
			if b == nil && vn.Fold(c.Name) == want {
				b = c
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("org: find external body: %w", err)
		}
		if b != nil {
			return nil
		}
		b, err = createBody(ctx, tx, in)
		return err
	})
	return b, err
}
