package org

import (
	"context"
	"fmt"
)

// Counts summarises the organisation model for the overview page.
type Counts struct {
	Areas         int64           `json:"areas"`
	CurrentAreas  int64           `json:"current_areas"`
	Organisations int64           `json:"organisations"`
	Units         int64           `json:"units"`
	Blocs         int64           `json:"blocs"`
	Bodies        int64           `json:"external_bodies"`
	Merges        int64           `json:"merges"`
	ByLevel       map[int64]int64 `json:"by_level"` // level id → current areas
}

// Counts counts what the organisation model holds.
func (s *Store) Counts(ctx context.Context) (*Counts, error) {
	c := &Counts{ByLevel: map[int64]int64{}}
	for _, q := range []struct {
		dst   *int64
		query string
	}{
		{&c.Areas, "SELECT COUNT(*) FROM areas"},
		{&c.CurrentAreas, "SELECT COUNT(*) FROM areas WHERE valid_to IS NULL"},
		{&c.Organisations, "SELECT COUNT(*) FROM organisations"},
		{&c.Units, "SELECT COUNT(*) FROM units"},
		{&c.Blocs, "SELECT COUNT(*) FROM blocs"},
		{&c.Bodies, "SELECT COUNT(*) FROM external_bodies"},
		{&c.Merges, "SELECT COUNT(*) FROM area_merges"},
	} {
		if err := s.DB.QueryRowContext(ctx, q.query).Scan(q.dst); err != nil {
			return nil, fmt.Errorf("org: counts: %w", err)
		}
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT level_id, COUNT(*) FROM areas WHERE valid_to IS NULL GROUP BY level_id")
	if err != nil {
		return nil, fmt.Errorf("org: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("org: counts: %w", err)
		}
		c.ByLevel[id] = n
	}
	return c, rows.Err()
}
