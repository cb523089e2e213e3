package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
)

func TestStatusForEveryCode(t *testing.T) {
	for code, want := range map[apperr.Code]int{
		apperr.Invalid: 422, apperr.Unauthorized: 401, apperr.Forbidden: 403, apperr.NotFound: 404,
		apperr.Conflict: 409, apperr.TooLarge: 413, apperr.TooMany: 429, apperr.Unavailable: 503, apperr.Internal: 500,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestLocalizeNeverLeaksInternalErrors(t *testing.T) {
	code, msg, _ := Localize("vi", http.ErrBodyNotAllowed)
	if code != apperr.Internal || strings.Contains(msg, "body") {
		t.Errorf("internal error shown as %q", msg)
	}
	_, msg, fields := Localize("en", apperr.Field("username", "err.required"))
	if msg != "Some input is not valid." || len(fields) != 1 || fields[0].Message != "Required." || fields[0].Field != "username" {
		t.Errorf("field error: %q %+v", msg, fields)
	}
}

// The router refuses by role before the handler runs, answers JSON on API
// routes and redirects the public to the login page on pages.
func TestRouterChecksThePermissionFirst(t *testing.T) {
	rt := NewRouter(NewRenderer())
	ran := 0
	h := func(w http.ResponseWriter, r *http.Request) error { ran++; return JSON(w, 200, "ok") }
	rt.Handle("GET", "/admin/x", auth.PermUserAdmin, h)
	rt.Handle("GET", "/api/v1/x", auth.PermUserAdmin, h)
	rt.Handle("POST", "/form", auth.PermAuthenticated, h)
	as := func(p *auth.Principal) Authenticator {
		return authFunc(func(*http.Request) (*auth.Principal, error) { return p, nil })
	}
	officer := &auth.Principal{UserID: 1, Role: auth.Officer, CSRF: "tok"}
	cases := []struct {
		who          *auth.Principal
		method, path string
		body         string
		status       int
	}{
		{nil, "GET", "/admin/x", "", 303},
		{nil, "GET", "/api/v1/x", "", 401},
		{officer, "GET", "/admin/x", "", 403},
		{officer, "GET", "/api/v1/x", "", 403},
		{&auth.Principal{Role: auth.Admin}, "GET", "/api/v1/x", "", 200},
		{officer, "POST", "/form", "csrf=wrong", 403},
		{officer, "POST", "/form", "csrf=tok", 200},
		{&auth.Principal{Role: auth.Officer, ViaToken: true}, "POST", "/form", "", 200},
	}
	for _, c := range cases {
		ran = 0
		rt.Auth = as(c.who)
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		if c.body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		rt.Handler().ServeHTTP(w, req)
		if w.Code != c.status {
			t.Errorf("%s %s as %v: %d, want %d (%s)", c.method, c.path, c.who, w.Code, c.status, w.Body.String())
		}
		if (c.status == 200) != (ran == 1) {
			t.Errorf("%s %s: handler ran %d times", c.method, c.path, ran)
		}
		if strings.HasPrefix(c.path, "/api/") && c.status >= 400 && !strings.Contains(w.Body.String(), `"error":{"code":`) {
			t.Errorf("API error body %s", w.Body.String())
		}
	}
}

type authFunc func(*http.Request) (*auth.Principal, error)

func (f authFunc) Authenticate(r *http.Request) (*auth.Principal, error) { return f(r) }

func TestCrossOriginPostsAreRefused(t *testing.T) {
	rt := NewRouter(NewRenderer())
	rt.Handle("POST", "/login", auth.PermPublic, func(w http.ResponseWriter, r *http.Request) error { return nil })
	req := httptest.NewRequest("POST", "http://giaoban.local/login", strings.NewReader("username=a"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	rt.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site login post: %d", w.Code)
	}
}

func TestNavDoesNotDuplicate(t *testing.T) {
	AddNav(NavItem{Key: "x.test", Href: "/x-test", Perm: auth.PermPublic, Order: 5})
	AddNav(NavItem{Key: "x.test", Href: "/x-test", Perm: auth.PermPublic, Order: 5})
	p := &Page{}
	n := 0
	for _, it := range p.Nav() {
		if it.Href == "/x-test" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d copies of the link", n)
	}
}
