package rollup_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

// On a fresh install there is no bloc: the report and the dashboard say
// that one must be created first, with the way to it for the admin, instead
// of an error page.
func TestNoBlocYetIsAPage(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		people := headerAuth{
			"admin":  {UserID: 1, Username: "quantri", Role: auth.Admin},
			"viewer": {UserID: 2, Username: "huyenuy", Role: auth.Viewer},
		}
		rd := web.NewRenderer()
		rt := web.NewRouter(rd)
		rt.Auth = people
		(&rollup.Handler{Service: rollup.New(d), Render: rd}).Routes(rt)
		for _, c := range []struct {
			who, url, lang string
			want, not      []string
		}{
			{"admin", "/consolidated", "vi", []string{"cần tạo khối trước", `href="/org/blocs/new"`}, nil},
			{"admin", "/dashboard", "vi", []string{"cần tạo khối trước", `href="/org/blocs/new"`}, nil},
			{"admin", "/consolidated?period=2021Q3", "en", []string{"a bloc must be created first", "Create a bloc"}, nil},
			{"viewer", "/consolidated", "vi", []string{"cần tạo khối trước", "quản trị hệ thống tạo khối"}, []string{"/org/blocs/new"}},
			{"viewer", "/dashboard", "en", []string{"a bloc must be created first", "Ask the system administrator"}, []string{"/org/blocs/new"}},
		} {
			req := httptest.NewRequest("GET", c.url, nil)
			req.Header.Set("X-Test-User", c.who)
			req.AddCookie(&http.Cookie{Name: "giaoban_lang", Value: c.lang})
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Errorf("GET %s as %s: %d, want 200: %.300s", c.url, c.who, w.Code, body)
				continue
			}
			for _, s := range c.want {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s as %s (%s): no %q", c.url, c.who, c.lang, s)
				}
			}
			for _, s := range c.not {
				if strings.Contains(body, s) {
					t.Errorf("GET %s as %s: offers %q", c.url, c.who, s)
				}
			}
		}
		// A bloc asked for by id that does not exist stays a 404, and so
		// do the exports and the API, which have no page to show.
		for _, u := range []string{"/consolidated?bloc=7", "/consolidated/export.pdf", "/api/v1/consolidated"} {
			req := httptest.NewRequest("GET", u, nil)
			req.Header.Set("X-Test-User", "admin")
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			if w.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", u, w.Code)
			}
		}
	})
}
