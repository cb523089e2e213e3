package demo

import (
	"context"
	"fmt"

	"giaoban/internal/account"
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
