// Package demo holds the seed scenario: the Q3 2021 review cycle of one
// district bloc in the Central Highlands, from the article in shared/seed.
// The article does not name the district: the district, its communes and
// people are fictional (the pages say so); the article's titles, dates,
// figures and the chair's name are used as they are. Each room adds its part
// of the scenario here.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/db"
)

// marker is the settings key that records which parts of the scenario exist.
const marker = "demo.seeded.org"

// Seed creates the scenario in an empty database, or does nothing when it
// is already there. It reports whether it created anything.
func Seed(ctx context.Context, d *db.DB) (bool, error) {
	var v string
	err := d.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", marker).Scan(&v)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("demo: %w", err)
	}
	s := &seeder{d: d}
	if err := s.org(ctx); err != nil {
		return false, err
	}
	if _, err := (&indicator.Store{DB: d}).InstallDefault(ctx); err != nil {
		return false, fmt.Errorf("demo: indicator catalogue: %w", err)
	}
	if err := s.users(ctx); err != nil {
		return false, err
	}
	if err := s.funds(ctx); err != nil {
		return false, err
	}
	if err := s.reports(ctx); err != nil {
		return false, err
	}
	if err := s.meetings(ctx); err != nil {
		return false, err
	}
	if _, err := d.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ($1, '1'), ('demo.notice', '1')", marker); err != nil {
		return false, fmt.Errorf("demo: mark seeded: %w", err)
	}
	return true, nil
}

// seeder remembers the ids of what it created, by a short name.
type seeder struct {
	d     *db.DB
	areas map[string]int64 // by area name
	orgs  map[string]int64 // by organisation code
	units map[string]int64 // by "ORG@area name"
}
