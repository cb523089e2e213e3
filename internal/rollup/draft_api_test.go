package rollup_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	url2 "net/url"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

// headerAuth picks the principal named by the X-Test-User header, as an
// API token would (no CSRF token needed).
type headerAuth map[string]*auth.Principal

func (h headerAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return h[r.Header.Get("X-Test-User")], nil
}

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

// The API reads and saves the secretariat's text of the results section:
// anyone who sees the bloc reads it; only its secretariat saves it, from
// the version it read (an older one is a conflict, as on the page).
func TestDraftAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, d); err != nil {
			t.Fatal(err)
		}
		var blocID, areaID int64
		if err := d.QueryRowContext(ctx, "SELECT id, area_id FROM blocs").Scan(&blocID, &areaID); err != nil {
			t.Fatal(err)
		}
		path, err := org.NewStore(d).AreaPath(ctx, areaID)
		if err != nil {
			t.Fatal(err)
		}
		kids, err := org.NewStore(d).Children(ctx, areaID)
		if err != nil || len(kids) == 0 {
			t.Fatalf("communes: %v", err)
		}
		people := headerAuth{
			"thuky":   {UserID: 2, Username: "thuky", Role: auth.Secretariat, ScopePath: path, ViaToken: true},
			"huyenuy": {UserID: 5, Username: "huyenuy", Role: auth.Viewer, ScopePath: path, ViaToken: true},
			"xa":      {UserID: 99, Username: "thuky.xa", Role: auth.Secretariat, ScopePath: kids[0].Path, ViaToken: true},
		}
		rd := web.NewRenderer()
		rt := web.NewRouter(rd)
		rt.Auth = people
		(&rollup.Handler{Service: rollup.New(d), Render: rd}).Routes(rt)
		call := func(method, who, url, body string) (*httptest.ResponseRecorder, map[string]any, apiErr) {
			t.Helper()
			req := httptest.NewRequest(method, url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if who != "" {
				req.Header.Set("X-Test-User", who)
			}
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			var ok map[string]any
			var bad apiErr
			if w.Code == http.StatusOK {
				if err := json.Unmarshal(w.Body.Bytes(), &ok); err != nil {
					t.Fatalf("%s %s: %v\n%s", method, url, err, w.Body.String())
				}
			} else if err := json.Unmarshal(w.Body.Bytes(), &bad); err != nil || bad.Error.Code == "" || bad.Error.Message == "" {
				t.Fatalf("%s %s: %d, not a JSON error: %v\n%s", method, url, w.Code, err, w.Body.String())
			}
			return w, ok, bad
		}
		url := "/api/v1/consolidated/draft?bloc=" + itoa(blocID) + "&period=2021Q3"

		// Nobody edited it yet: the drafted text, version 0.
		w, v, _ := call("GET", "thuky", url, "")
		if w.Code != http.StatusOK || v["edited"] != false || v["version"] != 0.0 || v["can_edit"] != true || v["html"] != v["generated_html"] ||
			!strings.Contains(v["html"].(string), "348 triệu đồng") || v["period"] != "2021Q3" || v["area_id"] != float64(areaID) {
			t.Fatalf("GET: %d %v", w.Code, v)
		}
		if _, v, _ := call("GET", "huyenuy", url, ""); v["can_edit"] != false {
			t.Errorf("viewer may edit: %v", v)
		}
		if w, _, _ := call("GET", "", url, ""); w.Code != http.StatusUnauthorized {
			t.Errorf("anonymous GET: %d", w.Code)
		}
		if w, _, e := call("GET", "thuky", "/api/v1/consolidated/draft?bloc="+itoa(blocID)+"&period=2021Q7", ""); w.Code != http.StatusUnprocessableEntity || e.Error.Fields[0].Field != "period" {
			t.Errorf("bad period: %d %+v", w.Code, e)
		}

		edit := `{"html":"<p>Tiếp nhận ủng hộ 348 triệu đồng.</p><script>alert(1)</script><p>Bàn giao 7 ngôi nhà Tình nghĩa.</p>","number":"45/BC-MTTQ","date":"2021-08-25","version":0}`
		// Not the bloc's secretariat: refused.
		for who, status := range map[string]int{"huyenuy": http.StatusForbidden, "xa": http.StatusForbidden, "": http.StatusUnauthorized} {
			if w, _, e := call("PUT", who, url, edit); w.Code != status {
				t.Errorf("PUT as %q: %d %+v, want %d", who, w.Code, e, status)
			}
		}
		// Bad input: named fields.
		for body, field := range map[string]string{
			`{"html":"  ","version":0}`:                                      "html",
			`{"html":"<p>x</p>","colour":"red"}`:                             "colour",
			`{"html":"<p>x</p>","number":"` + strings.Repeat("9", 61) + `"}`: "number",
		} {
			w, _, e := call("PUT", "thuky", url, body)
			if w.Code != http.StatusUnprocessableEntity || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != field {
				t.Errorf("PUT %s: %d %+v, want a 422 on %s", body, w.Code, e, field)
			}
		}
		if w, _, e := call("PUT", "thuky", "/api/v1/consolidated/draft?period=2021Q3", edit); w.Code != http.StatusUnprocessableEntity || e.Error.Fields[0].Field != "bloc" {
			t.Errorf("PUT without a bloc: %d %+v", w.Code, e)
		}

		// Saved, sanitised, version 1.
		w, v, _ = call("PUT", "thuky", url, edit)
		if w.Code != http.StatusOK || v["edited"] != true || v["version"] != 1.0 || v["number"] != "45/BC-MTTQ" || v["date"] != "2021-08-25" ||
			strings.Contains(v["html"].(string), "script") || !strings.Contains(v["html"].(string), "Bàn giao 7 ngôi nhà Tình nghĩa.") ||
			v["generated_html"] == v["html"] || v["updated_by"] == nil {
			t.Fatalf("PUT: %d %v", w.Code, v)
		}
		// The same save again started from version 0: a conflict, nothing
		// overwritten.
		w, _, e := call("PUT", "thuky", url, strings.Replace(edit, "348", "349", 1))
		if w.Code != http.StatusConflict || e.Error.Code != "conflict" || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != "html" {
			t.Errorf("stale PUT: %d %+v", w.Code, e)
		}
		if _, v, _ := call("GET", "huyenuy", url, ""); v["version"] != 1.0 || !strings.Contains(v["html"].(string), "348 triệu") {
			t.Errorf("after the conflict: %v", v)
		}
		// From version 1: version 2. A commune's report has its own text.
		if w, v, _ := call("PUT", "thuky", url, strings.Replace(strings.Replace(edit, "348", "349", 1), `"version":0`, `"version":1`, 1)); w.Code != http.StatusOK || v["version"] != 2.0 {
			t.Errorf("PUT from version 1: %d %v", w.Code, v)
		}
		sub := url + "&area=" + itoa(kids[0].ID)
		if _, v, _ := call("GET", "xa", sub, ""); v["edited"] != false || v["can_edit"] != false || v["area_id"] != float64(kids[0].ID) {
			t.Errorf("commune's draft: %v", v)
		}
		// The page shows the saved text.
		req := httptest.NewRequest("GET", "/consolidated?period=2021Q3", nil)
		req.Header.Set("X-Test-User", "huyenuy")
		pw := httptest.NewRecorder()
		rt.ServeHTTP(pw, req)
		if pw.Code != http.StatusOK || !strings.Contains(pw.Body.String(), "Tiếp nhận ủng hộ 349 triệu đồng.") {
			t.Errorf("page after the API save: %d", pw.Code)
		}
		// The web form takes the date as people write it (dd/mm/yyyy) and
		// shows it that way; a date that does not exist is refused with the
		// typed text kept and nothing saved.
		form := func(date string, version int) *httptest.ResponseRecorder {
			body := url2.Values{"html": {"<p>Tiếp nhận ủng hộ 350 triệu đồng.</p>"}, "number": {"46/BC-MTTQ"}, "date": {date}, "version": {itoa(int64(version))}}
			req := httptest.NewRequest("POST", "/consolidated/draft?bloc="+itoa(blocID)+"&period=2021Q3", strings.NewReader(body.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Test-User", "thuky")
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			return w
		}
		if w := form("31/02/2021", 2); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `value="31/02/2021"`) {
			t.Errorf("bad date: %d", w.Code)
		}
		if _, v, _ := call("GET", "huyenuy", url, ""); v["version"] != 2.0 {
			t.Errorf("a refused form saved: %v", v)
		}
		if w := form("26/08/2021", 2); w.Code != http.StatusSeeOther && w.Code != http.StatusFound {
			t.Fatalf("form save: %d\n%s", w.Code, w.Body.String())
		}
		if _, v, _ := call("GET", "huyenuy", url, ""); v["version"] != 3.0 || v["date"] != "2021-08-26" {
			t.Errorf("after the form save: %v", v)
		}
		req = httptest.NewRequest("GET", "/consolidated?bloc="+itoa(blocID)+"&period=2021Q3", nil)
		req.Header.Set("X-Test-User", "thuky")
		pw = httptest.NewRecorder()
		rt.ServeHTTP(pw, req)
		if !strings.Contains(pw.Body.String(), `value="26/08/2021"`) {
			t.Errorf("the page does not show the date as 26/08/2021")
		}
	})
}
