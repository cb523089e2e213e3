package demo

import (
	"context"
	"fmt"

	"giaoban/internal/account"
	"giaoban/internal/org"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
)

func (s *seeder) users(ctx context.Context) error {
	st := &account.Store{DB: s.d}
	for _, u := range Users {
		in := account.UserInput{Username: u.Username, FullName: u.FullName, Role: auth.Role(u.Role), Password: u.Password}
		if u.Unit != "" {
			id, ok := s.units[u.Unit]
			if !ok {
				return fmt.Errorf("demo: user %s: no unit %s", u.Username, u.Unit)
			}
			in.UnitID = &id
		}
		if u.Area != "" {
			id := s.areas[u.Area]
			in.AreaID = &id
		}
		if _, err := st.CreateUser(ctx, in); err != nil {
			return fmt.Errorf("demo: user %s: %w", u.Username, err)
		}
	}
	return nil
}

// actAs returns ctx acting as a demo account, as its requests would: the
// principal with its scope and display name, and the audit actor whose
// username the records keep (created_by).
func (s *seeder) actAs(ctx context.Context, username string) (context.Context, *auth.Principal, error) {
	u, err := (&account.Store{DB: s.d}).UserByUsername(ctx, username)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: user %s: %w", username, err)
	}
	os := &org.Store{DB: s.d}
	p := &auth.Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role}
	if u.UnitID != nil {
		p.UnitID = *u.UnitID
		if p.ScopePath, err = os.UnitAreaPath(ctx, p.UnitID); err != nil {
			return nil, nil, err
		}
	}
	if u.AreaID != nil {
		p.AreaID = *u.AreaID
		if p.ScopePath, err = os.AreaPath(ctx, p.AreaID); err != nil {
			return nil, nil, err
		}
	}
	return audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{UserID: u.ID, Username: u.Username}), p, nil
}
