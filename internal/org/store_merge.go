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

const mergeCols = `m.id, m.from_area_id, m.to_area_id, m.effective, m.note, f.name, t.name`
const mergeFrom = ` FROM area_merges m JOIN areas f ON f.id = m.from_area_id JOIN areas t ON t.id = m.to_area_id`

func queryMerges(ctx context.Context, q db.Q, query string, args ...any) ([]AreaMerge, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("org: merges: %w", err)
	}
	defer rows.Close()
	var out []AreaMerge
	for rows.Next() {
		var m AreaMerge
		if err := rows.Scan(&m.ID, &m.FromAreaID, &m.ToAreaID, &m.Effective, &m.Note, &m.FromName, &m.ToName); err != nil {
			return nil, fmt.Errorf("org: merges: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Merges lists the mergers an area took part in (either side), or every
// merger when areaID is 0, newest first.
func (s *Store) Merges(ctx context.Context, areaID int64) ([]AreaMerge, error) {
	if areaID == 0 {
		return queryMerges(ctx, s.DB, "SELECT "+mergeCols+mergeFrom+" ORDER BY m.effective DESC, m.id")
	}
	return queryMerges(ctx, s.DB, "SELECT "+mergeCols+mergeFrom+" WHERE m.from_area_id = $1 OR m.to_area_id = $1 ORDER BY m.effective DESC, m.id", areaID)
}

// MergeAreas records that the areas in.FromIDs were merged into in.ToID
// from the day in.Effective on (the 2025 reform merged communes into new
// ones). Each merged area's validity ends the day before; its history stays
// attached to it, and Successors/Predecessors follow the mapping. Nothing
// is written unless every merged area passes the checks.
func (s *Store) MergeAreas(ctx context.Context, in MergeInput) ([]AreaMerge, error) {
	fromIDs, toID, effective, note := in.FromIDs, in.ToID, in.Effective, vn.NFC(in.Note)
	var fe apperr.Fields
	if !effective.Valid() {
		fe.Add("effective", "err.required")
	}
	if tooLong(note, maxNote) {
		fe.Add("note", "err.too_long", maxNote)
	}
	seen := map[int64]bool{}
	var from []int64
	for _, id := range fromIDs {
		if id != 0 && !seen[id] {
			seen[id] = true
			from = append(from, id)
		}
	}
	if len(from) == 0 {
		fe.Add("from_ids", "org.err.merge_none")
	}
	if toID == 0 {
		fe.Add("to_id", "err.required")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	dayBefore := db.NewDate(effective.AddDate(0, 0, -1))
	var ids []int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		to, err := areaByID(ctx, tx, toID)
		if err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return apperr.Field("to_id", "err.bad_choice", strconv.FormatInt(toID, 10))
			}
			return err
		}
		if to.ValidTo.Valid() && to.ValidTo.Before(effective.Time) || to.ValidFrom.Valid() && to.ValidFrom.After(effective.Time) {
			fe.Add("to_id", "org.err.merge_target_invalid", to.Name, vn.FormatDate(effective.Time))
		}
		for _, id := range from {
			f, err := areaByID(ctx, tx, id)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					fe.Add("from_ids", "err.bad_choice", strconv.FormatInt(id, 10))
					continue
				}
				return err
			}
			switch {
			case id == toID:
				fe.Add("from_ids", "org.err.merge_self", f.Name)
			case len(to.Path) > len(f.Path) && to.Path[:len(f.Path)] == f.Path:
				fe.Add("from_ids", "org.err.merge_ancestor", f.Name, to.Name)
			case f.ValidTo.Valid() && f.ValidTo.Before(dayBefore.Time):
				fe.Add("from_ids", "org.err.merge_closed", f.Name, vn.FormatDate(f.ValidTo.Time))
			case f.ValidFrom.Valid() && f.ValidFrom.After(dayBefore.Time):
				fe.Add("from_ids", "org.err.merge_too_new", f.Name, vn.FormatDate(f.ValidFrom.Time))
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM area_merges WHERE from_area_id = $1 AND to_area_id = $2", id, toID).Scan(&n); err != nil {
				return fmt.Errorf("org: merge: %w", err)
			}
			if n > 0 {
				fe.Add("from_ids", "org.err.merge_exists", f.Name, to.Name)
			}
			if fe.Err() != nil {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE areas SET valid_to = $1, updated_at = $2 WHERE id = $3", dayBefore, now(), id); err != nil {
				return fmt.Errorf("org: merge: %w", err)
			}
			if err := audit.Record(ctx, tx, audit.Update, "area", id, map[string]any{"valid_to": f.ValidTo}, map[string]any{"valid_to": dayBefore}); err != nil {
				return err
			}
			var mid int64
			if err := tx.QueryRowContext(ctx, "INSERT INTO area_merges(from_area_id, to_area_id, effective, note) VALUES ($1, $2, $3, $4) RETURNING id",
				id, toID, effective, note).Scan(&mid); err != nil {
				return fmt.Errorf("org: merge: %w", err)
			}
			ids = append(ids, mid)
			if err := audit.Record(ctx, tx, audit.Create, "area_merge", mid, nil,
				map[string]any{"from_area_id": id, "to_area_id": toID, "effective": effective, "note": note}); err != nil {
				return err
			}
		}
		return fe.Err()
	})
	if err != nil {
		return nil, err
	}
	var out []AreaMerge
	for _, id := range ids {
		ms, err := queryMerges(ctx, s.DB, "SELECT "+mergeCols+mergeFrom+" WHERE m.id = $1", id)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// Successors follows the mergers forward from an area: the areas it was
// merged into, then the areas those were merged into, and so on, in the
// order of their effective dates. Roll-ups use it to carry an old area's
// figures into the area that replaced it.
func (s *Store) Successors(ctx context.Context, areaID int64) ([]AreaMerge, error) {
	return s.walkMerges(ctx, areaID, "m.from_area_id", func(m AreaMerge) int64 { return m.ToAreaID })
}

// Predecessors follows the mergers backward: the areas merged into this
// one, and the areas merged into those, and so on.
func (s *Store) Predecessors(ctx context.Context, areaID int64) ([]AreaMerge, error) {
	return s.walkMerges(ctx, areaID, "m.to_area_id", func(m AreaMerge) int64 { return m.FromAreaID })
}

func (s *Store) walkMerges(ctx context.Context, start int64, col string, next func(AreaMerge) int64) ([]AreaMerge, error) {
	seen := map[int64]bool{start: true}
	frontier := []int64{start}
	var out []AreaMerge
	for len(frontier) > 0 {
		id := frontier[0]
		frontier = frontier[1:]
		ms, err := queryMerges(ctx, s.DB, "SELECT "+mergeCols+mergeFrom+" WHERE "+col+" = $1 ORDER BY m.effective, m.id", id)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out = append(out, m)
			if n := next(m); !seen[n] {
				seen[n] = true
				frontier = append(frontier, n)
			}
		}
	}
	return out, nil
}
