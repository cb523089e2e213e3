package fund

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"giaoban/internal/fund/statement"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/vn"
)

// Saved mapping profiles: how one bank's export is read (its column
// headers, encoding, separator, sheet), saved by name from an import
// preview and offered for the next import. They complete the built-in
// profiles of package statement.

// SavedProfile is a mapping profile saved in the database.
type SavedProfile struct {
	ID      int64             `json:"id"`
	Profile statement.Profile `json:"profile"`
}

// SavedProfiles lists the saved profiles by name.
func (s *Store) SavedProfiles(ctx context.Context) ([]SavedProfile, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, profile FROM fund_profiles ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("fund: profiles: %w", err)
	}
	defer rows.Close()
	var out []SavedProfile
	for rows.Next() {
		var p SavedProfile
		var js string
		if err := rows.Scan(&p.ID, &js); err != nil {
			return nil, fmt.Errorf("fund: profiles: %w", err)
		}
		if json.Unmarshal([]byte(js), &p.Profile) == nil {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// ProfileNames lists the profiles an import may use: the built-in ones,
// then the saved ones.
func (s *Store) ProfileNames(ctx context.Context) ([]string, error) {
	var out []string
	for _, p := range statement.Profiles {
		out = append(out, p.Name)
	}
	saved, err := s.SavedProfiles(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range saved {
		out = append(out, p.Profile.Name)
	}
	return out, nil
}

// Profile returns the profile called name: a saved one first, then a
// built-in one; "" is Auto. NotFound when there is none.
func (s *Store) Profile(ctx context.Context, name string) (statement.Profile, error) {
	name = strings.TrimSpace(name)
	if name == "" || vn.Fold(name) == "auto" {
		return statement.Profile{}, nil
	}
	var js string
	err := s.DB.QueryRowContext(ctx, "SELECT profile FROM fund_profiles WHERE name = $1", name).Scan(&js)
	if err == nil {
		var p statement.Profile
		if err := json.Unmarshal([]byte(js), &p); err != nil {
			return statement.Profile{}, fmt.Errorf("fund: profile %s: %w", name, err)
		}
		return p, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return statement.Profile{}, fmt.Errorf("fund: profile %s: %w", name, err)
	}
	if p, ok := statement.ProfileByName(name); ok {
		return p, nil
	}
	return statement.Profile{}, apperr.Field("profile", "fund.err.no_profile", name)
}

// SaveProfile saves (or replaces) a mapping profile under its name.
func (s *Store) SaveProfile(ctx context.Context, p *auth.Principal, prof statement.Profile) (*SavedProfile, error) {
	if p == nil || !p.Has(auth.PermFundManage) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	prof.Name = vn.NFC(strings.TrimSpace(prof.Name))
	var fe apperr.Fields
	checkText(&fe, "name", prof.Name, true, maxShort)
	if _, builtin := statement.ProfileByName(prof.Name); builtin || vn.Fold(prof.Name) == "auto" {
		fe.Add("name", "fund.err.profile_builtin", prof.Name)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	js, err := json.Marshal(prof)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO fund_profiles (name, profile, created_at, updated_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (name) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at RETURNING id`,
			prof.Name, string(js), now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("fund: save profile: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "fund_profile", id, nil, prof)
	})
	if err != nil {
		return nil, err
	}
	return &SavedProfile{ID: id, Profile: prof}, nil
}
