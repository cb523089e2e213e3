package app_test

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"giaoban/internal/account"
	"giaoban/internal/demo"
	"giaoban/internal/platform/auth"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/login", "/static/app.css", "/api/v1/me", "/no-such-page"} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		} {
			if h.Get(k) != want {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), want)
			}
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
}

func TestLoginLogoutAndSessionCookie(t *testing.T) {
	f := newFixture(t)
	u := demo.Users[1]
	c, resp := f.login(u.Username, u.Password)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == account.SessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", session)
	}
	resp, err := c.Get(f.srv.URL + "/account")
	if err != nil {
		t.Fatal(err)
	}
	page := body(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("account page: %d", resp.StatusCode)
	}
	contains(t, page, html.EscapeString(u.FullName))
	// Logging out needs the CSRF token of the session.
	csrf := between(page, `name="csrf" value="`, `"`)
	resp, err = c.PostForm(f.srv.URL+"/logout", url.Values{"csrf": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a wrong CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, err = c.PostForm(f.srv.URL+"/logout", url.Values{"csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	resp, err = c.Get(f.srv.URL + "/account")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout /account answered %d, want a redirect to login", resp.StatusCode)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func TestWrongPasswordIsGenericAndRateLimited(t *testing.T) {
	f := newFixture(t)
	u := demo.Users[0]
	var pages []string
	for i := 0; i < account.MaxFailuresPerUser; i++ {
		_, resp := f.login(u.Username, "wrong-password")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("attempt %d: %d", i, resp.StatusCode)
		}
	}
	// Unknown user and wrong password read the same.
	c := noRedirectClient()
	for _, name := range []string{"no-such-user", u.Username} {
		resp, err := c.PostForm(f.srv.URL+"/login", url.Values{"username": {name}, "password": {"x"}})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, body(t, resp))
	}
	contains(t, pages[0], "Tên đăng nhập hoặc mật khẩu không đúng.")
	// The right password is refused too while the account is locked.
	_, resp := f.login(u.Username, u.Password)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login after %d failures: %d, want 429", account.MaxFailuresPerUser, resp.StatusCode)
	}
}

func TestLanguageSwitch(t *testing.T) {
	f := newFixture(t)
	c := noRedirectClient()
	resp, err := c.Get(f.srv.URL + "/lang/en?next=/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = c.Get(f.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page := body(t, resp)
	contains(t, page, `<html lang="en">`)
	contains(t, page, "Log in")
	// An open redirect is refused.
	resp, err = c.Get(f.srv.URL + "/lang/vi?next=//evil.example")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Location") != "/" {
		t.Errorf("next=//evil.example redirected to %q", resp.Header.Get("Location"))
	}
}

func TestAPIErrorsAreJSONWithCodeAndMessage(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		method, path, token, body string
		status                    int
		code                      string
	}{
		{"GET", "/api/v1/me", "", "", 401, "unauthorized"},
		{"GET", "/api/v1/me", "gb_not-a-token", "", 401, "unauthorized"},
		{"GET", "/api/v1/users", f.tokens[auth.Officer], "", 403, "forbidden"},
		{"GET", "/api/v1/users/999999", f.tokens[auth.Admin], "", 404, "not_found"},
		{"POST", "/api/v1/users", f.tokens[auth.Admin], `{"username":"","role":"boss"}`, 422, "invalid"},
		{"POST", "/api/v1/users", f.tokens[auth.Admin], `{"username":`, 422, "invalid"},
		{"POST", "/api/v1/users", f.tokens[auth.Admin], `{"nonsense":1}`, 422, "invalid"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, f.srv.URL+c.path, strings.NewReader(c.body))
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Fields  []struct{ Field, Message string }
			} `json:"error"`
		}
		b := body(t, resp)
		if err := json.Unmarshal([]byte(b), &e); err != nil {
			t.Errorf("%s %s: not JSON: %s", c.method, c.path, b)
			continue
		}
		if resp.StatusCode != c.status || e.Error.Code != c.code || e.Error.Message == "" {
			t.Errorf("%s %s %s: %d %+v, want %d %s", c.method, c.path, c.body, resp.StatusCode, e.Error, c.status, c.code)
		}
		if c.status == 422 && strings.Contains(c.body, "boss") {
			fields := map[string]string{}
			for _, fe := range e.Error.Fields {
				fields[fe.Field] = fe.Message
			}
			if fields["username"] == "" || fields["role"] == "" {
				t.Errorf("field errors %+v should name username and role", e.Error.Fields)
			}
		}
	}
}

func TestOpenAPIDocumentIsValidAndCoversEveryAPIRoute(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+path] = true
			if op.Summary == "" {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}
	registered := map[string]bool{}
	for _, rt := range f.app.Router.Routes() {
		if rt.API {
			registered[rt.Method+" "+rt.Pattern] = true
			if !documented[rt.Method+" "+rt.Pattern] {
				t.Errorf("route %s %s is not in the API document", rt.Method, rt.Pattern)
			}
		}
	}
	for op := range documented {
		if !registered[op] {
			t.Errorf("documented operation %s has no route", op)
		}
	}
	if len(registered) < 10 {
		t.Errorf("only %d API routes", len(registered))
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	contains(t, body(t, resp), `"status":"ok"`)
	http.Get(f.srv.URL + "/login")
	resp, err = http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	contains(t, body(t, resp), `giaoban_http_request_duration_seconds_bucket{code="200",method="GET",route="GET /login"`)
	f.db.Close()
	resp, err = http.Get(f.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed: %d", resp.StatusCode)
	}
}

// TestEveryPageIsLightAndTranslated opens every page a role can GET, in
// both languages, and checks its weight and that no message key leaked.
func TestEveryPageIsLightAndTranslated(t *testing.T) {
	f := newFixture(t)
	const limit = 150 << 10
	client := noRedirectClient()
	for _, rt := range f.app.Router.Routes() {
		if rt.Method != "GET" || rt.API || rt.Pattern == "/metrics" || strings.HasPrefix(rt.Pattern, "/static/") || strings.HasPrefix(rt.Pattern, "/lang/") {
			continue
		}
		path, ok := f.samplePath(rt.Pattern)
		if !ok {
			continue
		}
		for _, role := range []auth.Role{auth.Admin, auth.Secretariat} {
			if !auth.RoleHas(role, rt.Perm) {
				continue
			}
			for _, lang := range []string{"vi", "en"} {
				req := f.request("GET", path+sep(path)+"lang="+lang, false, role)
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				page := body(t, resp)
				if resp.StatusCode != 200 {
					continue
				}
				if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
					continue
				}
				if len(page) > limit {
					t.Errorf("%s as %s (%s): %d bytes, over %d", path, role, lang, len(page), limit)
				}
				for _, leak := range []string{"account.", "org.", "form.", "err.", "nav.", "role."} {
					if i := strings.Index(page, ">"+leak); i >= 0 {
						t.Errorf("%s (%s): untranslated key near %q", path, lang, page[i:min(len(page), i+60)])
					}
				}
				// A standalone document (the news article) is in Vietnamese whatever the interface language.
				if !strings.HasSuffix(path, ".html") && !strings.Contains(page, fmt.Sprintf(`<html lang="%s">`, lang)) {
					t.Errorf("%s: not in %s", path, lang)
				}
			}
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
