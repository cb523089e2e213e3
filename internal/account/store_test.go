package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestAccountStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Username: "tester"})
		st := &account.Store{DB: d}

		t.Run("create validates every field and writes nothing on error", func(t *testing.T) {
			_, err := st.CreateUser(ctx, account.UserInput{Username: "a b", Role: "boss", Password: "123"})
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid {
				t.Fatalf("err %v", err)
			}
			fields := map[string]bool{}
			for _, f := range e.Fields {
				fields[f.Field] = true
			}
			for _, f := range []string{"username", "full_name", "role", "password"} {
				if !fields[f] {
					t.Errorf("no error for %s in %v", f, e.Fields)
				}
			}
			if n, _ := st.CountUsers(ctx); n != 0 {
				t.Errorf("%d users written", n)
			}
		})

		admin, err := st.CreateUser(ctx, account.UserInput{Username: " Quan.Tri ", FullName: "Quản trị", Role: auth.Admin, Password: "mat-khau-1"})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("user names are normalised and unique", func(t *testing.T) {
			if admin.Username != "quan.tri" {
				t.Errorf("username %q", admin.Username)
			}
			_, err := st.CreateUser(ctx, account.UserInput{Username: "QUAN.TRI", FullName: "X", Role: auth.Viewer, Password: "12345678"})
			if e, ok := apperr.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Key != "account.err.username_taken" {
				t.Errorf("duplicate: %v", err)
			}
		})

		t.Run("creation and changes are audited with old and new values", func(t *testing.T) {
			if _, err := st.UpdateUser(ctx, admin.ID, account.UserInput{FullName: "Quản trị hệ thống", Role: auth.Admin}); err != nil {
				t.Fatal(err)
			}
			entries, err := audit.List(ctx, d, audit.Filter{Entity: "user", EntityID: "1"})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) < 2 {
				t.Fatalf("entries %+v", entries)
			}
			up := entries[0]
			if up.Action != "update" || up.Username != "tester" || up.Old == nil || !strings.Contains(*up.Old, "Quản trị\"") || !strings.Contains(*up.New, "Quản trị hệ thống") {
				t.Errorf("update entry %+v", up)
			}
			for _, e := range entries {
				if e.New != nil && strings.Contains(*e.New, "argon2") {
					t.Error("a password hash reached the audit log")
				}
			}
		})

		t.Run("login, session, wrong password, lock", func(t *testing.T) {
			tok, u, err := st.Login(ctx, "QUAN.TRI", "mat-khau-1", "10.0.0.1", "test")
			if err != nil || u.ID != admin.ID {
				t.Fatalf("login: %v", err)
			}
			p, err := st.PrincipalBySession(ctx, tok)
			if err != nil || p == nil || p.Role != auth.Admin || p.CSRF == "" {
				t.Fatalf("principal %+v %v", p, err)
			}
			if p, _ := st.PrincipalBySession(ctx, tok+"x"); p != nil {
				t.Error("a wrong token found a session")
			}
			for i := 0; i < account.MaxFailuresPerUser; i++ {
				_, _, err := st.Login(ctx, "quan.tri", "wrong", "10.0.0.2", "test")
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Fatalf("failure %d: %v", i, err)
				}
			}
			if _, _, err := st.Login(ctx, "quan.tri", "mat-khau-1", "10.0.0.3", "test"); apperr.CodeOf(err) != apperr.TooMany {
				t.Errorf("locked account logged in: %v", err)
			}
			// Unknown users get the same answer as wrong passwords.
			_, _, err = st.Login(ctx, "nobody", "x", "10.0.0.4", "test")
			if e, _ := apperr.As(err); e == nil || e.Fields[0].Key != "account.err.bad_credentials" {
				t.Errorf("unknown user: %v", err)
			}
			if err := st.Logout(ctx, auth.HashToken(tok)); err != nil {
				t.Fatal(err)
			}
			if p, _ := st.PrincipalBySession(ctx, tok); p != nil {
				t.Error("session survived logout")
			}
		})

		t.Run("password change ends other sessions", func(t *testing.T) {
			u, err := st.CreateUser(ctx, account.UserInput{Username: "xem", FullName: "Người xem", Role: auth.Viewer, Password: "12345678"})
			if err != nil {
				t.Fatal(err)
			}
			keep, _, _ := st.OpenSession(ctx, u.ID)
			other, _, _ := st.OpenSession(ctx, u.ID)
			err = st.ChangePassword(ctx, u.ID, "wrong", "new-password", auth.HashToken(keep))
			if e, ok := apperr.As(err); !ok || e.Fields[0].Field != "current" {
				t.Fatalf("wrong current password: %v", err)
			}
			if err := st.ChangePassword(ctx, u.ID, "12345678", "new-password", auth.HashToken(keep)); err != nil {
				t.Fatal(err)
			}
			if p, _ := st.PrincipalBySession(ctx, keep); p == nil {
				t.Error("the current session was closed")
			}
			if p, _ := st.PrincipalBySession(ctx, other); p != nil {
				t.Error("another session survived the password change")
			}
		})

		t.Run("API tokens: expire and revoke", func(t *testing.T) {
			secret, tok, err := st.CreateToken(ctx, admin.ID, "báo cáo", time.Hour)
			if err != nil || !strings.HasPrefix(secret, "gb_") {
				t.Fatal(err)
			}
			p, err := st.PrincipalByToken(ctx, secret)
			if err != nil || p == nil || !p.ViaToken {
				t.Fatalf("token principal %+v %v", p, err)
			}
			if err := st.RevokeToken(ctx, admin.ID+1000, tok.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("someone else revoked the token: %v", err)
			}
			if err := st.RevokeToken(ctx, admin.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			if p, _ := st.PrincipalByToken(ctx, secret); p != nil {
				t.Error("revoked token still works")
			}
			expired, _, err := st.CreateToken(ctx, admin.ID, "cũ", time.Nanosecond)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
			if p, _ := st.PrincipalByToken(ctx, expired); p != nil {
				t.Error("expired token still works")
			}
		})

		t.Run("deactivated users lose their sessions", func(t *testing.T) {
			tok, _, _ := st.OpenSession(ctx, admin.ID)
			off := false
			if _, err := st.UpdateUser(ctx, admin.ID, account.UserInput{FullName: "Quản trị", Role: auth.Admin, Active: &off}); err != nil {
				t.Fatal(err)
			}
			if p, _ := st.PrincipalBySession(ctx, tok); p != nil {
				t.Error("a deactivated user kept a session")
			}
		})
	})
}
