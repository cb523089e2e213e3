package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const areaCols = `a.id, a.parent_id, a.level_id, a.code, a.name, a.path, a.valid_from, a.valid_to, a.created_at, a.updated_at,
	l.code, l.name_vi, l.name_en, l.depth, COALESCE(p.name, '')`

const areaFrom = ` FROM areas a JOIN area_levels l ON l.id = a.level_id LEFT JOIN areas p ON p.id = a.parent_id`

func scanArea(row scanner) (*Area, error) {
	var a Area
	err := row.Scan(&a.ID, &a.ParentID, &a.LevelID, &a.Code, &a.Name, &a.Path, &a.ValidFrom, &a.ValidTo, &a.CreatedAt, &a.UpdatedAt,
		&a.LevelCode, &a.LevelName, &a.LevelNameEN, &a.LevelDepth, &a.ParentName)
	a.Depth = pathDepth(a.Path)
	return &a, err
}

func queryAreas(ctx context.Context, q db.Q, query string, args ...any) ([]Area, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("org: areas: %w", err)
	}
	defer rows.Close()
	var out []Area
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, fmt.Errorf("org: areas: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

func areaByID(ctx context.Context, q db.Q, id int64) (*Area, error) {
	a, err := scanArea(q.QueryRowContext(ctx, "SELECT "+areaCols+areaFrom+" WHERE a.id = $1", id))
	if err != nil {
		return nil, notFound(err, "area")
	}
	return a, nil
}

// Area returns one area.
func (s *Store) Area(ctx context.Context, id int64) (*Area, error) { return areaByID(ctx, s.DB, id) }

// AreaByCode returns the area with a national code.
func (s *Store) AreaByCode(ctx context.Context, code string) (*Area, error) {
	a, err := scanArea(s.DB.QueryRowContext(ctx, "SELECT "+areaCols+areaFrom+" WHERE a.code = $1", strings.TrimSpace(code)))
	if err != nil {
		return nil, notFound(err, "area")
	}
	return a, nil
}

// AreaFilter selects areas; zero fields do not filter.
type AreaFilter struct {
	// ParentID lists the children of one area; Roots lists the areas
	// without parent.
	ParentID int64
	Roots    bool
	// Under limits to the subtree of an area (the area included).
	Under   int64
	LevelID int64
	// Q is a search text: every word must begin a word of the name, in
	// any order, without regard to diacritics.
	Q string
	// Current hides areas whose validity has ended.
	Current bool
	Limit   int
	Offset  int
}

// Areas lists areas in tree order (by path).
func (s *Store) Areas(ctx context.Context, f AreaFilter) ([]Area, error) {
	var w where
	if f.ParentID != 0 {
		w.add("a.parent_id = ?", f.ParentID)
	}
	if f.Roots {
		w.add("a.parent_id IS NULL")
	}
	if f.Under != 0 {
		path, err := areaPath(ctx, s.DB, f.Under)
		if err != nil {
			return nil, err
		}
		w.add("a.path LIKE ?", path+"%")
	}
	if f.LevelID != 0 {
		w.add("a.level_id = ?", f.LevelID)
	}
	if f.Current {
		w.add("a.valid_to IS NULL")
	}
	words := vn.FoldWords(f.Q)
	for _, word := range words {
		w.add("a.name_folded LIKE ?", "%"+word+"%")
	}
	query := "SELECT " + areaCols + areaFrom + w.String() + " ORDER BY a.path"
	if len(words) == 0 && f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	list, err := queryAreas(ctx, s.DB, query, w.args...)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return list, nil
	}
	// LIKE found candidates; keep those where each word begins a word.
	out := list[:0]
	for _, a := range list {
		if vn.MatchAllWords(vn.Fold(a.Name), words) {
			out = append(out, a)
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

// SearchAreas finds areas by name, diacritics and word order ignored
// ("ia kha", "Ia Khà", "kha ia"), shallowest first, at most limit.
func (s *Store) SearchAreas(ctx context.Context, q string, limit int) ([]Area, error) {
	if len(vn.FoldWords(q)) == 0 {
		return nil, nil
	}
	list, err := s.Areas(ctx, AreaFilter{Q: q})
	if err != nil {
		return nil, err
	}
	sortAreasForSearch(list)
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// sortAreasForSearch orders hits: current before closed, shallow before
// deep, then alphabetically.
func sortAreasForSearch(list []Area) {
	vn.SortFunc(list, func(a Area) string { return a.Name })
	rank := func(a Area) int {
		r := a.LevelDepth * 2
		if a.Closed() {
			r += 100
		}
		return r
	}
	// Stable insertion by rank keeps the alphabetical order within a rank.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && rank(list[j]) < rank(list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// Children lists the areas directly under an area, alphabetically.
func (s *Store) Children(ctx context.Context, id int64) ([]Area, error) {
	list, err := queryAreas(ctx, s.DB, "SELECT "+areaCols+areaFrom+" WHERE a.parent_id = $1", id)
	if err != nil {
		return nil, err
	}
	vn.SortFunc(list, func(a Area) string { return a.Name })
	return list, nil
}

func areaPath(ctx context.Context, q db.Q, id int64) (string, error) {
	var p string
	if err := q.QueryRowContext(ctx, "SELECT path FROM areas WHERE id = $1", id).Scan(&p); err != nil {
		return "", notFound(err, "area path")
	}
	return p, nil
}

// AreaPath returns the materialised path of an area ("/1/5/23/"), for
// scope checks with auth.Principal.
func (s *Store) AreaPath(ctx context.Context, id int64) (string, error) {
	return areaPath(ctx, s.DB, id)
}

// Subtree lists an area and everything under it, in tree order.
func (s *Store) Subtree(ctx context.Context, id int64) ([]Area, error) {
	path, err := areaPath(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	return queryAreas(ctx, s.DB, "SELECT "+areaCols+areaFrom+" WHERE a.path LIKE $1 ORDER BY a.path", path+"%")
}

// Crumb is one ancestor of an area, for breadcrumbs.
type Crumb struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Trails returns, for each path given, the names of the areas on it (root
// first, the area itself last), keyed by path.
func (s *Store) Trails(ctx context.Context, paths []string) (map[string][]Crumb, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, p := range paths {
		for _, id := range pathIDs(p) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	names := map[int64]string{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.DB.QueryContext(ctx, "SELECT id, name FROM areas WHERE id IN ("+placeholders(1, len(chunk))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("org: trails: %w", err)
		}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("org: trails: %w", err)
			}
			names[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("org: trails: %w", err)
		}
	}
	out := map[string][]Crumb{}
	for _, p := range paths {
		var trail []Crumb
		for _, id := range pathIDs(p) {
			trail = append(trail, Crumb{ID: id, Name: names[id]})
		}
		out[p] = trail
	}
	return out, nil
}

// validateArea checks an input for a new area (old == nil) or a change and
// returns the level and the parent (nil for a root).
func validateArea(ctx context.Context, q db.Q, in *AreaInput, old *Area) (*AreaLevel, *Area, error) {
	var fe apperr.Fields
	in.Name = vn.NFC(in.Name)
	checkText(&fe, "name", &in.Name, true, maxName)
	if in.Code != nil {
		c := strings.TrimSpace(*in.Code)
		if c == "" {
			in.Code = nil
		} else {
			in.Code = &c
			if !allDigits(c) || len(c) > 12 {
				fe.Add("code", "org.err.code_digits", c)
			}
		}
	}
	var level *AreaLevel
	var err error
	switch {
	case in.LevelID != 0:
		level, err = levelByID(ctx, q, in.LevelID)
	case in.LevelCode != "":
		level, err = levelByCode(ctx, q, in.LevelCode)
	default:
		fe.Add("level_id", "err.required")
	}
	if err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		v := in.LevelCode
		if in.LevelID != 0 {
			v = strconv.FormatInt(in.LevelID, 10)
		}
		fe.Add("level_id", "err.bad_choice", v)
		level = nil
	}
	if level != nil {
		in.LevelID = level.ID
	}
	var parent *Area
	if in.ParentID != nil && *in.ParentID == 0 {
		in.ParentID = nil
	}
	if in.ParentID != nil {
		parent, err = areaByID(ctx, q, *in.ParentID)
		if err != nil {
			if !apperr.Is(err, apperr.NotFound) {
				return nil, nil, err
			}
			fe.Add("parent_id", "err.bad_choice", strconv.FormatInt(*in.ParentID, 10))
			parent = nil
		}
	}
	if parent != nil && old != nil && strings.HasPrefix(parent.Path, old.Path) {
		fe.Add("parent_id", "org.err.cycle", parent.Name, old.Name)
	}
	if parent != nil && level != nil && parent.LevelDepth >= level.Depth {
		fe.Add("level_id", "org.err.parent_level", parent.LevelName, parent.Name, level.NameVI)
	}
	if in.ValidFrom.Valid() && in.ValidTo.Valid() && in.ValidTo.Before(in.ValidFrom.Time) {
		fe.Add("valid_to", "org.err.date_order")
	}
	if old != nil && level != nil && level.Depth != old.LevelDepth {
		var childMin sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT MIN(l.depth) FROM areas c JOIN area_levels l ON l.id = c.level_id WHERE c.parent_id = $1`,
			old.ID).Scan(&childMin); err != nil {
			return nil, nil, fmt.Errorf("org: child levels: %w", err)
		}
		if childMin.Valid && int64(level.Depth) >= childMin.Int64 {
			fe.Add("level_id", "org.err.child_level", level.NameVI)
		}
	}
	if in.Code != nil && !fe.Has("code") {
		var otherID int64
		var otherName string
		err := q.QueryRowContext(ctx, "SELECT id, name FROM areas WHERE code = $1", *in.Code).Scan(&otherID, &otherName)
		if err == nil && (old == nil || otherID != old.ID) {
			fe.Add("code", "org.err.code_taken", *in.Code, otherName)
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, nil, fmt.Errorf("org: area code: %w", err)
		}
	}
	if in.Name != "" && !fe.Has("parent_id") {
		var oldID int64
		if old != nil {
			oldID = old.ID
		}
		dup, err := siblingNamed(ctx, q, in.ParentID, vn.Fold(in.Name), oldID, in.ValidFrom, in.ValidTo)
		if err != nil {
			return nil, nil, err
		}
		if dup && parent != nil {
			fe.Add("name", "org.err.name_taken", in.Name, parent.Name)
		} else if dup {
			fe.Add("name", "org.err.name_taken_root", in.Name)
		}
	}
	return level, parent, fe.Err()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// siblingNamed tells whether another area under the same parent has the
// same folded name in an overlapping period of validity (a new commune
// may take the name of one it replaced).
func siblingNamed(ctx context.Context, q db.Q, parentID *int64, folded string, exceptID int64, from, to db.Date) (bool, error) {
	var w where
	if parentID == nil {
		w.add("parent_id IS NULL")
	} else {
		w.add("parent_id = ?", *parentID)
	}
	w.add("name_folded = ?", folded)
	w.add("id <> ?", exceptID)
	rows, err := q.QueryContext(ctx, "SELECT valid_from, valid_to FROM areas"+w.String(), w.args...)
	if err != nil {
		return false, fmt.Errorf("org: sibling names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f, t db.Date
		if err := rows.Scan(&f, &t); err != nil {
			return false, fmt.Errorf("org: sibling names: %w", err)
		}
		if overlaps(from, to, f, t) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// overlaps tells whether two periods of validity share a day; an unset
// bound is open.
func overlaps(f1, t1, f2, t2 db.Date) bool {
	if t1.Valid() && f2.Valid() && t1.Before(f2.Time) {
		return false
	}
	if t2.Valid() && f1.Valid() && t2.Before(f1.Time) {
		return false
	}
	return true
}

// CreateArea adds an area under its parent.
func (s *Store) CreateArea(ctx context.Context, in AreaInput) (*Area, error) {
	var a *Area
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = createArea(ctx, tx, in)
		return err
	})
	return a, err
}

func createArea(ctx context.Context, q db.Q, in AreaInput) (*Area, error) {
	level, parent, err := validateArea(ctx, q, &in, nil)
	if err != nil {
		return nil, err
	}
	t := now()
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO areas(parent_id, level_id, code, name, name_folded, path, valid_from, valid_to, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, '/', $6, $7, $8, $8) RETURNING id`,
		in.ParentID, in.LevelID, in.Code, in.Name, vn.Fold(in.Name), in.ValidFrom, in.ValidTo, t).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "org.err.code_taken", *in.Code, "")
	}
	if err != nil {
		return nil, fmt.Errorf("org: create area: %w", err)
	}
	path := "/" + strconv.FormatInt(id, 10) + "/"
	if parent != nil {
		path = parent.Path + strconv.FormatInt(id, 10) + "/"
	}
	if _, err := q.ExecContext(ctx, "UPDATE areas SET path = $1 WHERE id = $2", path, id); err != nil {
		return nil, fmt.Errorf("org: create area: %w", err)
	}
	// Built rather than read back: imports create thousands in a row.
	a := &Area{ID: id, ParentID: in.ParentID, LevelID: level.ID, Code: in.Code, Name: in.Name, Path: path,
		ValidFrom: in.ValidFrom, ValidTo: in.ValidTo, LevelCode: level.Code, LevelName: level.NameVI, LevelNameEN: level.NameEN,
		LevelDepth: level.Depth, Depth: pathDepth(path), CreatedAt: t, UpdatedAt: t}
	if parent != nil {
		a.ParentName = parent.Name
	}
	return a, audit.Record(ctx, q, audit.Create, "area", id, nil, auditArea(a))
}

func auditArea(a *Area) map[string]any {
	return map[string]any{"parent_id": a.ParentID, "level_id": a.LevelID, "code": a.Code, "name": a.Name, "path": a.Path,
		"valid_from": a.ValidFrom, "valid_to": a.ValidTo}
}

// UpdateArea changes an area. Moving it under another parent moves its
// whole subtree (the paths of its descendants change in the same
// transaction); an area cannot move under itself or its descendants.
func (s *Store) UpdateArea(ctx context.Context, id int64, in AreaInput) (*Area, error) {
	var a *Area
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = updateArea(ctx, tx, id, in)
		return err
	})
	return a, err
}

func updateArea(ctx context.Context, q db.Q, id int64, in AreaInput) (*Area, error) {
	old, err := areaByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	_, parent, err := validateArea(ctx, q, &in, old)
	if err != nil {
		return nil, err
	}
	newPath := "/" + strconv.FormatInt(id, 10) + "/"
	if parent != nil {
		newPath = parent.Path + strconv.FormatInt(id, 10) + "/"
	}
	_, err = q.ExecContext(ctx, `UPDATE areas SET parent_id=$1, level_id=$2, code=$3, name=$4, name_folded=$5, valid_from=$6, valid_to=$7, updated_at=$8 WHERE id=$9`,
		in.ParentID, in.LevelID, in.Code, in.Name, vn.Fold(in.Name), in.ValidFrom, in.ValidTo, now(), id)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "org.err.code_taken", *in.Code, "")
	}
	if err != nil {
		return nil, fmt.Errorf("org: update area: %w", err)
	}
	if newPath != old.Path {
		// The area and its descendants: replace the old prefix.
		_, err := q.ExecContext(ctx, `UPDATE areas SET path = CAST($1 AS TEXT) || substr(path, CAST($2 AS INTEGER)) WHERE path LIKE $3`,
			newPath, len(old.Path)+1, old.Path+"%")
		if err != nil {
			return nil, fmt.Errorf("org: move area: %w", err)
		}
	}
	a, err := areaByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return a, audit.Record(ctx, q, audit.Update, "area", id, auditArea(old), auditArea(a))
}

// DeleteArea removes an area that nothing refers to (no child area, unit,
// bloc, user, merge…).
func (s *Store) DeleteArea(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := areaByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM areas WHERE id = $1", id); err != nil {
			return inUse(fmt.Errorf("org: delete area: %w", err), old.Name)
		}
		return audit.Record(ctx, tx, audit.Delete, "area", id, auditArea(old), nil)
	})
}

// findArea looks an input up: by code when it has one, otherwise by
// parent and folded name among areas valid in an overlapping period.
func findArea(ctx context.Context, q db.Q, in AreaInput) (*Area, error) {
	if in.Code != nil && strings.TrimSpace(*in.Code) != "" {
		a, err := scanArea(q.QueryRowContext(ctx, "SELECT "+areaCols+areaFrom+" WHERE a.code = $1", strings.TrimSpace(*in.Code)))
		if err != nil {
			return nil, notFound(err, "area")
		}
		return a, nil
	}
	var w where
	if in.ParentID == nil || *in.ParentID == 0 {
		w.add("a.parent_id IS NULL")
	} else {
		w.add("a.parent_id = ?", *in.ParentID)
	}
	w.add("a.name_folded = ?", vn.Fold(in.Name))
	list, err := queryAreas(ctx, q, "SELECT "+areaCols+areaFrom+w.String()+" ORDER BY a.id", w.args...)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if overlaps(in.ValidFrom, in.ValidTo, a.ValidFrom, a.ValidTo) {
			return &a, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "err.not_found")
}

// EnsureArea returns the area the input names (by code, or by parent and
// name) and creates it when it does not exist; an existing area is
// returned as it is. For seeding.
func (s *Store) EnsureArea(ctx context.Context, in AreaInput) (*Area, error) {
	var a *Area
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = findArea(ctx, tx, in)
		if err == nil || !apperr.Is(err, apperr.NotFound) {
			return err
		}
		a, err = createArea(ctx, tx, in)
		return err
	})
	return a, err
}
