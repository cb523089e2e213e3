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

const levelCols = "id, code, name_vi, name_en, depth"

func scanLevel(row scanner) (*AreaLevel, error) {
	var l AreaLevel
	err := row.Scan(&l.ID, &l.Code, &l.NameVI, &l.NameEN, &l.Depth)
	return &l, err
}

// AreaLevels lists the levels, shallowest first.
func (s *Store) AreaLevels(ctx context.Context) ([]AreaLevel, error) {
	return levels(ctx, s.DB)
}

func levels(ctx context.Context, q db.Q) ([]AreaLevel, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+levelCols+" FROM area_levels ORDER BY depth, id")
	if err != nil {
		return nil, fmt.Errorf("org: levels: %w", err)
	}
	defer rows.Close()
	var out []AreaLevel
	for rows.Next() {
		l, err := scanLevel(rows)
		if err != nil {
			return nil, fmt.Errorf("org: levels: %w", err)
		}
		out = append(out, *l)
	}
	return out, rows.Err()
}

// AreaLevel returns one level.
func (s *Store) AreaLevel(ctx context.Context, id int64) (*AreaLevel, error) {
	l, err := scanLevel(s.DB.QueryRowContext(ctx, "SELECT "+levelCols+" FROM area_levels WHERE id = $1", id))
	if err != nil {
		return nil, notFound(err, "level")
	}
	return l, nil
}

// LevelByCode returns the level with the code ("commune").
func (s *Store) LevelByCode(ctx context.Context, code string) (*AreaLevel, error) {
	return levelByCode(ctx, s.DB, code)
}

func levelByCode(ctx context.Context, q db.Q, code string) (*AreaLevel, error) {
	l, err := scanLevel(q.QueryRowContext(ctx, "SELECT "+levelCols+" FROM area_levels WHERE code = $1", strings.ToLower(strings.TrimSpace(code))))
	if err != nil {
		return nil, notFound(err, "level")
	}
	return l, nil
}

func levelByID(ctx context.Context, q db.Q, id int64) (*AreaLevel, error) {
	l, err := scanLevel(q.QueryRowContext(ctx, "SELECT "+levelCols+" FROM area_levels WHERE id = $1", id))
	if err != nil {
		return nil, notFound(err, "level")
	}
	return l, nil
}

func validLevelCode(c string) bool {
	if c == "" {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validateLevel(in *AreaLevelInput) error {
	var fe apperr.Fields
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.NameVI = vn.NFC(in.NameVI)
	in.NameEN = vn.NFC(in.NameEN)
	if in.Code == "" {
		fe.Add("code", "err.required")
	} else if !validLevelCode(in.Code) || len(in.Code) > maxCode {
		fe.Add("code", "org.err.level_code")
	}
	checkText(&fe, "name_vi", &in.NameVI, true, maxShort)
	checkText(&fe, "name_en", &in.NameEN, false, maxShort)
	if in.Depth < 1 || in.Depth > 20 {
		fe.Add("depth", "org.err.depth")
	}
	return fe.Err()
}

// CreateAreaLevel adds a level.
func (s *Store) CreateAreaLevel(ctx context.Context, in AreaLevelInput) (*AreaLevel, error) {
	if err := validateLevel(&in); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = createLevel(ctx, tx, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.AreaLevel(ctx, id)
}

func createLevel(ctx context.Context, q db.Q, in AreaLevelInput) (int64, error) {
	if _, err := levelByCode(ctx, q, in.Code); err == nil {
		return 0, apperr.Field("code", "org.err.level_code_taken", in.Code)
	}
	var id int64
	err := q.QueryRowContext(ctx, "INSERT INTO area_levels(code, name_vi, name_en, depth) VALUES ($1, $2, $3, $4) RETURNING id",
		in.Code, in.NameVI, in.NameEN, in.Depth).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, apperr.Field("code", "org.err.level_code_taken", in.Code)
	}
	if err != nil {
		return 0, fmt.Errorf("org: create level: %w", err)
	}
	return id, audit.Record(ctx, q, audit.Create, "area_level", id, nil, in)
}

// UpdateAreaLevel changes a level. Its depth may change only while every
// area of the level stays deeper than its parent and shallower than its
// children.
func (s *Store) UpdateAreaLevel(ctx context.Context, id int64, in AreaLevelInput) (*AreaLevel, error) {
	if err := validateLevel(&in); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := levelByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if other, err := levelByCode(ctx, tx, in.Code); err == nil && other.ID != id {
			return apperr.Field("code", "org.err.level_code_taken", in.Code)
		}
		if in.Depth != old.Depth {
			var parentMax, childMin sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(pl.depth) FROM areas a JOIN areas p ON p.id = a.parent_id
				JOIN area_levels pl ON pl.id = p.level_id WHERE a.level_id = $1`, id).Scan(&parentMax); err != nil {
				return fmt.Errorf("org: level depth: %w", err)
			}
			if err := tx.QueryRowContext(ctx, `SELECT MIN(cl.depth) FROM areas a JOIN areas c ON c.parent_id = a.id
				JOIN area_levels cl ON cl.id = c.level_id WHERE a.level_id = $1`, id).Scan(&childMin); err != nil {
				return fmt.Errorf("org: level depth: %w", err)
			}
			if parentMax.Valid && int64(in.Depth) <= parentMax.Int64 || childMin.Valid && int64(in.Depth) >= childMin.Int64 {
				return apperr.Field("depth", "org.err.level_depth_conflict")
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE area_levels SET code=$1, name_vi=$2, name_en=$3, depth=$4 WHERE id=$5",
			in.Code, in.NameVI, in.NameEN, in.Depth, id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "org.err.level_code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("org: update level: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "area_level", id, old, in)
	})
	if err != nil {
		return nil, err
	}
	return s.AreaLevel(ctx, id)
}

// DeleteAreaLevel removes a level no area uses.
func (s *Store) DeleteAreaLevel(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := levelByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM area_levels WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete level: %w", err), old.NameVI)
		}
		return audit.Record(ctx, tx, audit.Delete, "area_level", id, old, nil)
	})
}

// EnsureLevels creates the standard levels (province, district, commune,
// village) that are missing and returns every level. Levels that exist are
// left as they are: admins may have renamed them.
func (s *Store) EnsureLevels(ctx context.Context) ([]AreaLevel, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, in := range StandardLevels {
			_, err := levelByCode(ctx, tx, in.Code)
			if err == nil {
				continue
			}
			if !apperr.Is(err, apperr.NotFound) {
				return err
			}
			if _, err := createLevel(ctx, tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.AreaLevels(ctx)
}
