package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"giaoban/internal/account"
	"giaoban/internal/app"
	"giaoban/internal/demo"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// fixture is the demo scenario served by a test server, with a session
// and an API token for every role.
type fixture struct {
	t      *testing.T
	db     *db.DB
	app    *app.App
	srv    *httptest.Server
	users  map[auth.Role]*account.User
	tokens map[auth.Role]string
	// sampleToken is an admin's token that route tests may revoke.
	sampleToken int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, "sqlite")
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	a := app.New(d, app.Config{})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	f := &fixture{t: t, db: d, app: a, srv: srv, users: map[auth.Role]*account.User{}, tokens: map[auth.Role]string{}}
	for _, du := range demo.Users {
		role := auth.Role(du.Role)
		if f.users[role] != nil {
			continue
		}
		u, err := a.Accounts.UserByUsername(ctx, du.Username)
		if err != nil {
			t.Fatal(err)
		}
		f.users[role] = u
		tok, _, err := a.Accounts.CreateToken(ctx, u.ID, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[role] = tok
	}
	_, sample, err := a.Accounts.CreateToken(ctx, f.users[auth.Admin].ID, "sample", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.sampleToken = sample.ID
	return f
}

// session opens a fresh session for a role (nil for the public).
func (f *fixture) session(role auth.Role) (cookie *http.Cookie, csrf string) {
	if role == auth.Public {
		return nil, ""
	}
	tok, csrf, err := f.app.Accounts.OpenSession(context.Background(), f.users[role].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return &http.Cookie{Name: account.SessionCookie, Value: tok}, csrf
}

// client does not follow redirects, so tests see them.
func noRedirectClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login logs in through the form, as a browser does, and returns the client.
func (f *fixture) login(username, password string) (*http.Client, *http.Response) {
	c := noRedirectClient()
	resp, err := c.PostForm(f.srv.URL+"/login", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		f.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c, resp
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func contains(t *testing.T, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Errorf("want %q in:\n%.2000s", want, s)
	}
}
