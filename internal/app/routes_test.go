package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/platform/auth"
)

// samplePath fills a route pattern's wildcards with records that lie in the
// scope of every role allowed on the route, so a refusal can only come from
// the role. A new route with a wildcard needs an entry here: the test fails
// until it has one.
func (f *fixture) samplePath(pattern string) (string, bool) {
	ctx := context.Background()
	one := func(q string, args ...any) string {
		var id int64
		if err := f.db.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
			f.t.Fatalf("sample for %s: %v", pattern, err)
		}
		return fmt.Sprint(id)
	}
	ids := map[string]func() string{
		"user":      func() string { return fmt.Sprint(f.users[auth.Officer].ID) },
		"token":     func() string { return fmt.Sprint(f.sampleToken) },
		"area":      func() string { return one("SELECT id FROM areas WHERE name = $1", demo.DistrictName) },
		"unit":      func() string { return fmt.Sprint(*f.users[auth.Officer].UnitID) },
		"org":       func() string { return one("SELECT id FROM organisations WHERE code = 'HND'") },
		"bloc":      func() string { return one("SELECT MIN(id) FROM blocs") },
		"body":      func() string { return one("SELECT MIN(id) FROM external_bodies") },
		"level":     func() string { return one("SELECT id FROM area_levels WHERE code = 'village'") },
		"merge":     func() string { return one("SELECT MIN(id) FROM area_merges") },
		"form":      func() string { return one("SELECT MIN(id) FROM forms") },
		"rule":      func() string { return one("SELECT MIN(id) FROM indicator_rules") },
		"indicator": func() string { return one("SELECT MIN(id) FROM indicators") },
		"fund":      func() string { return one("SELECT MIN(id) FROM funds") },
		"meeting":   func() string { return one("SELECT MIN(id) FROM meetings") },
		"task": func() string {
			return one("SELECT MIN(task_id) FROM task_owners WHERE unit_id = $1", *f.users[auth.Officer].UnitID)
		},
	}
	kinds := []struct{ prefix, kind string }{
		{"/admin/users/", "user"}, {"/api/v1/users/", "user"},
		{"/account/tokens/", "token"}, {"/api/v1/tokens/", "token"},
		{"/org/areas/", "area"}, {"/api/v1/areas/", "area"},
		{"/org/units/", "unit"}, {"/api/v1/units/", "unit"},
		{"/org/organisations/", "org"}, {"/api/v1/organisations/", "org"},
		{"/org/blocs/", "bloc"}, {"/api/v1/blocs/", "bloc"},
		{"/org/bodies/", "body"}, {"/api/v1/external-bodies/", "body"},
		{"/org/levels/", "level"}, {"/api/v1/area-levels/", "level"},
		{"/org/merges/", "merge"}, {"/api/v1/area-merges/", "merge"},
		{"/indicators/forms/", "form"}, {"/api/v1/forms/", "form"},
		{"/indicators/rules/", "rule"}, {"/api/v1/rules/", "rule"},
		{"/indicators/", "indicator"}, {"/api/v1/indicators/", "indicator"},
		{"/funds/", "fund"}, {"/api/v1/funds/", "fund"},
		{"/meetings/", "meeting"}, {"/api/v1/meetings/", "meeting"},
		{"/tasks/", "task"}, {"/api/v1/tasks/", "task"},
		{"/lang/", "lang"},
	}
	if pattern == "/{$}" {
		return "/", true
	}
	var fundCode string
	if err := f.db.QueryRowContext(ctx, "SELECT COALESCE(MIN(code), 'none') FROM funds").Scan(&fundCode); err != nil {
		f.t.Fatal(err)
	}
	pattern = strings.NewReplacer(
		"{unit}", fmt.Sprint(*f.users[auth.Officer].UnitID), "{period}", "2021Q3", "{year}", "2021",
		"{code}", fundCode, "{name}", "orgs.png",
		"{account}", one("SELECT COALESCE(MIN(id), 1) FROM fund_accounts"),
		"{pid}", one("SELECT COALESCE(MIN(id), 1) FROM meeting_photos"),
		"{eid}", one("SELECT COALESCE(MIN(id), 1) FROM task_evidence"),
		"{imp}", "1", "{seq}", "1", "{v}", "1",
	).Replace(pattern)
	if !strings.Contains(pattern, "{") {
		return pattern, true
	}
	for _, k := range kinds {
		if strings.HasPrefix(pattern, k.prefix) {
			if k.kind == "lang" {
				return strings.Replace(pattern, "{lang}", "en", 1), true
			}
			return strings.Replace(pattern, "{id}", ids[k.kind](), 1), true
		}
	}
	return "", false
}

// TestEveryRouteEnforcesItsPermissionForEveryRole is the route × role
// table: every registered route is called by every role (the public
// included) and must be refused exactly when the role lacks the route's
// permission.
func TestEveryRouteEnforcesItsPermissionForEveryRole(t *testing.T) {
	f := newFixture(t)
	routes := f.app.Router.Routes()
	// Deleting routes go last, so earlier checks see every sample record.
	sort.SliceStable(routes, func(i, j int) bool { return routes[i].Method != "DELETE" && routes[j].Method == "DELETE" })
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	client := noRedirectClient()
	for _, rt := range routes {
		path, ok := f.samplePath(rt.Pattern)
		if !ok {
			t.Errorf("%s %s: no sample path; add one to samplePath", rt.Method, rt.Pattern)
			continue
		}
		for _, role := range auth.AllRoles {
			name := fmt.Sprintf("%s %s as %s", rt.Method, rt.Pattern, role)
			req := f.request(rt.Method, path, rt.API, role)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			resp.Body.Close()
			allowed := auth.RoleHas(role, rt.Perm)
			refused := resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden ||
				resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login?next=")
			if rt.Pattern == "/login" && role != auth.Public && resp.StatusCode == http.StatusSeeOther {
				refused = false // a logged-in user is sent on from the login page
			}
			switch {
			case allowed && refused:
				t.Errorf("%s: refused (%d) but the role holds %s", name, resp.StatusCode, rt.Perm)
			case !allowed && !refused:
				t.Errorf("%s: answered %d but the role lacks %s", name, resp.StatusCode, rt.Perm)
			case resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode >= 500:
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
		}
	}
}

// request builds a call as a role: API routes with the role's bearer token,
// pages with a fresh session cookie and its CSRF token.
func (f *fixture) request(method, path string, api bool, role auth.Role) *http.Request {
	var body *strings.Reader
	cookie, csrf := f.session(role)
	if method == http.MethodGet || method == http.MethodDelete {
		body = strings.NewReader("")
	} else if api {
		body = strings.NewReader("{}")
	} else {
		body = strings.NewReader(url.Values{"csrf": {csrf}}.Encode())
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	switch {
	case api && role != auth.Public:
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
		req.Header.Set("Content-Type", "application/json")
	case cookie != nil:
		req.AddCookie(cookie)
	}
	if !api && method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}
