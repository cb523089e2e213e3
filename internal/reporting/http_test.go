package reporting

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// testAuth maps the X-Test-User header to a fixture user.
type testAuth struct{ f *fixture }

func (a testAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	name := r.Header.Get("X-Test-User")
	if name == "" {
		return nil, nil
	}
	p := auth.FromContext(a.f.as(name))
	p.CSRF = "tok-" + name
	return p, nil
}

type client struct {
	t   *testing.T
	srv *httptest.Server
}

func newServer(t *testing.T, f *fixture) *client {
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = testAuth{f}
	(&Handler{Service: f.s, Render: rd}).Routes(rt)
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv}
}

func (c *client) do(user, method, path, contentType, body string) (int, string, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
		req.Header.Set("X-CSRF-Token", "tok-"+user)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) get(user, path string) (int, string) {
	st, b, _ := c.do(user, "GET", path, "", "")
	return st, b
}

func (c *client) post(user, path string, form url.Values) (int, string, http.Header) {
	return c.do(user, "POST", path, "application/x-www-form-urlencoded", form.Encode())
}

func (c *client) json(user, method, path string, v any) (int, map[string]any) {
	b, _ := json.Marshal(v)
	st, body, _ := c.do(user, method, path, "application/json", string(b))
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		c.t.Fatalf("%s %s: %d %s", method, path, st, body)
	}
	return st, out
}

func has(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("want %q in page:\n%.3000s", w, page)
		}
	}
}

func TestEntryPageFormPostAndWorkflow(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		u := f.hndDistrict.ID
		path := fmt.Sprintf("/reports/%d/2021Q3", u)

		st, page := c.get("canbo", path)
		if st != 200 {
			t.Fatalf("entry page: %d %s", st, page)
		}
		has(t, page, `name="v:NHA_KC"`, `inputmode="numeric"`, `name="ver:NHA_KC" value="0"`, `name="v:HIEN_MAU.nu"`,
			`name="n:ket_qua"`, `value="submit"`, `/static/report-entry.js`, "Hội Nông dân huyện", "Quý III/2021", "19/09/2021")
		if strings.Contains(page, "/approve") {
			t.Error("an officer sees the approve button")
		}
		if st, _ := c.get("", path); st != http.StatusSeeOther {
			t.Errorf("public: %d", st)
		}

		// Plain form post (no script): values and a narrative.
		form := url.Values{"csrf": {"tok-canbo"}, "do": {"save"}, "v:NHA_KC": {"5"}, "ver:NHA_KC": {"0"}, "seen:NHA_KC": {""},
			"v:QUY_NHAN": {""}, "ver:QUY_NHAN": {"0"}, "seen:QUY_NHAN": {""},
			"n:ket_qua": {"Đã <b>làm</b>"}, "nh:ket_qua": {textHash("")}, "nv:ket_qua": {"0"}}
		st, body, hdr := c.post("canbo", path, form)
		if st != http.StatusSeeOther || hdr.Get("Location") != path {
			t.Fatalf("save: %d %s", st, body)
		}
		if v := f.stored(u, "2021Q3")["NHA_KC"]; num(v) != 5 || v.Version != 1 {
			t.Errorf("stored %+v", v)
		}
		// A second officer posts from the page as it was before: conflict,
		// the page comes back with both values and what was typed kept.
		form.Set("v:NHA_KC", "7")
		form.Set("csrf", "tok-canbo2")
		st, page, _ = c.post("canbo2", path, form)
		if st != http.StatusConflict {
			t.Fatalf("conflict: %d", st)
		}
		has(t, page, html.EscapeString("Chỉ tiêu 'Nhà khởi công' vừa được Nguyễn Văn A sửa thành 5"), "giá trị của bạn: 7",
			`name="v:NHA_KC" value="7"`, `name="ver:NHA_KC" value="1"`, `name="seen:NHA_KC" value="5"`)
		// Bad input: the page names the cell and keeps the typed text.
		st, page, _ = c.post("canbo", path, url.Values{"csrf": {"tok-canbo"}, "v:NHA_BG": {"ba"}, "ver:NHA_BG": {"0"}, "seen:NHA_BG": {""}})
		if st != http.StatusBadRequest {
			t.Fatalf("bad input: %d", st)
		}
		has(t, page, `value="ba"`, html.EscapeString("'ba' không phải là số"))

		// Submit from the form, then the leader returns and approves.
		st, _, _ = c.post("canbo", path, url.Values{"csrf": {"tok-canbo"}, "do": {"submit"}})
		if st != http.StatusSeeOther {
			t.Fatalf("submit: %d", st)
		}
		st, page = c.get("lanhdao", path)
		has(t, page, path+"/approve", path+"/return", "readonly")
		st, page, _ = c.post("lanhdao", path+"/return", url.Values{"csrf": {"tok-lanhdao"}, "comment": {""}})
		if st != http.StatusBadRequest || !strings.Contains(page, html.EscapeString("Hãy ghi ý kiến")) {
			t.Errorf("return without comment: %d", st)
		}
		if st, _, _ := c.post("lanhdao", path+"/return", url.Values{"csrf": {"tok-lanhdao"}, "comment": {"Bổ sung số hội viên"}}); st != http.StatusSeeOther {
			t.Errorf("return: %d", st)
		}
		_, page = c.get("canbo", path)
		has(t, page, "Bổ sung số hội viên")
		c.post("canbo", path+"/submit", url.Values{"csrf": {"tok-canbo"}})
		if st, _, _ := c.post("lanhdao", path+"/approve", url.Values{"csrf": {"tok-lanhdao"}}); st != http.StatusSeeOther {
			t.Errorf("approve: %d", st)
		}
		_, page = c.get("canbo", path)
		has(t, page, html.EscapeString("Báo cáo đã được duyệt nên số liệu bị khóa"), "Quá trình xử lý")
		// Saving an approved report from a stale page is refused.
		st, page, _ = c.post("canbo", path, url.Values{"csrf": {"tok-canbo"}, "v:NHA_KC": {"9"}, "ver:NHA_KC": {"1"}, "seen:NHA_KC": {"5"}})
		if st != http.StatusBadRequest || !strings.Contains(page, "bị khóa") {
			t.Errorf("save when approved: %d", st)
		}
		if st, _, _ := c.post("canbo", path+"/approve", url.Values{"csrf": {"tok-canbo"}}); st != http.StatusForbidden {
			t.Errorf("officer approves: %d", st)
		}
		// English.
		_, page = c.get("lanhdao", path+"?lang=en")
		has(t, page, "Reopen approved report", "Same period last year")
	})
}

func TestReportAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		u := f.hndDistrict.ID
		base := fmt.Sprintf("/api/v1/reports/%d/2021Q3", u)
		st, res := c.json("canbo", "PUT", base+"/values", []map[string]any{
			{"indicator": "QUY_NHAN", "value": 348000000, "version": 0},
			{"indicator": "HIEN_MAU", "option": "nam", "value": "12", "version": 0},
			{"indicator": "CONG_KHAI", "value": true},
		})
		if st != 200 || len(res["values"].([]any)) != 3 {
			t.Fatalf("put values: %d %v", st, res)
		}
		st, res = c.json("canbo2", "PUT", base+"/values", []map[string]any{{"indicator": "QUY_NHAN", "value": "1", "version": 0}})
		errBody, _ := res["error"].(map[string]any)
		if st != http.StatusConflict || !strings.Contains(fmt.Sprint(errBody["message"]), "Nguyễn Văn A") || len(errBody["fields"].([]any)) != 1 {
			t.Errorf("conflict: %d %v", st, res)
		}
		st, res = c.json("canbo", "PUT", base+"/values", []map[string]any{{"indicator": "NHA_KC", "value": "ba"}, {"indicator": "NHA_BG", "value": "1"}})
		if st != http.StatusUnprocessableEntity || f.stored(u, "2021Q3")["NHA_BG"].Version != 0 {
			t.Errorf("invalid batch: %d %v", st, res)
		}
		st, res = c.json("canbo", "PUT", base+"/narratives", []map[string]any{{"section": "ket_qua", "html": "<script>x</script><p>Tốt</p>", "version": 0}})
		if st != 200 {
			t.Errorf("narratives: %d %v", st, res)
		}
		st, res = c.json("xem", "GET", base, nil)
		if st != 200 || res["status"] != "draft" || len(res["values"].([]any)) != 3 || res["editable"] != false {
			t.Errorf("get: %d %v", st, res)
		}
		if narr := res["narratives"].([]any)[0].(map[string]any); narr["html"] != "<p>Tốt</p>" {
			t.Errorf("narrative %v", narr)
		}
		if st, _ := c.json("canbo", "POST", base+"/submit", nil); st != 200 {
			t.Errorf("submit: %d", st)
		}
		if st, res := c.json("lanhdao", "POST", base+"/return", map[string]any{}); st != http.StatusUnprocessableEntity {
			t.Errorf("return without comment: %d %v", st, res)
		}
		if st, res := c.json("lanhdao", "POST", base+"/approve", nil); st != 200 || res["status"] != "approved" {
			t.Errorf("approve: %d %v", st, res)
		}
		if st, res := c.json("thuky", "POST", base+"/reopen", map[string]any{"comment": "Sai số"}); st != 200 || res["status"] != "returned" {
			t.Errorf("reopen: %d %v", st, res)
		}
		if st, res := c.json("xem", "GET", fmt.Sprintf("/api/v1/reports?period=2021Q3"), nil); st != 200 || len(res["items"].([]any)) != 1 {
			t.Errorf("list: %d %v", st, res)
		}
		if st, res := c.json("thuky", "GET", fmt.Sprintf("/api/v1/completeness?bloc=%d&period=2021Q3", f.bloc.ID), nil); st != 200 || res["total"].(map[string]any)["units"].(float64) != 5 {
			t.Errorf("completeness: %d %v", st, res)
		}
		if st, _ := c.json("thuky", "GET", "/api/v1/completeness", nil); st != http.StatusUnprocessableEntity {
			t.Errorf("completeness without bloc: %d", st)
		}
		st, res = c.json("thuky", "PUT", fmt.Sprintf("/api/v1/period-settings?bloc=%d", f.bloc.ID), map[string]any{"cutoff": map[string]any{"day": 21, "months_early": 1}, "deadline": map[string]any{"days_after_cutoff": 3}})
		if st != 200 || res["settings"].(map[string]any)["cutoff"].(map[string]any)["day"].(float64) != 21 {
			t.Errorf("settings: %d %v", st, res)
		}
		st, res = c.json("thuky", "PUT", "/api/v1/plans/2021/targets", []map[string]any{{"indicator": "NHA_KC", "unit_id": u, "value": "8"}})
		if st != 200 || res["changed"].(float64) != 1 {
			t.Errorf("targets: %d %v", st, res)
		}
		if st, res := c.json("canbo", "GET", "/api/v1/plans/2021/targets", nil); st != 200 || len(res["items"].([]any)) != 1 {
			t.Errorf("targets read: %d %v", st, res)
		}
		if st, _ := c.json("canbo", "PUT", "/api/v1/plans/2021/targets", []map[string]any{}); st != http.StatusForbidden {
			t.Errorf("officer sets targets: %d", st)
		}
	})
}

func TestListCompletenessAndPlanPages(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		must[*Report](t)(f.s.Submit(f.as("thuky"), f.mttqA.ID, "2021Q3"))
		st, page := c.get("canbo", "/reports")
		if st != 200 {
			t.Fatalf("list: %d", st)
		}
		has(t, page, "Hội Nông dân huyện", fmt.Sprintf("/reports/%d/2021Q3", f.hndDistrict.ID))
		_, page = c.get("thuky", "/reports")
		has(t, page, `<select id="unit" name="unit"`, "Ủy ban MTTQ xã A", "Báo cáo chờ duyệt")
		// The pending list names the period, not its code.
		has(t, page, `">Quý III/2021</td>`)
		if strings.Contains(page, ">2021Q3<") {
			t.Error("the pending list shows the raw period code")
		}
		_, page = c.get("thuky", "/reports?lang=en")
		has(t, page, `">Q3 2021</td>`)
		st, _, hdr := c.do("thuky", "GET", fmt.Sprintf("/reports?unit=%d&period=2021q3", f.mttqA.ID), "", "")
		if st != http.StatusSeeOther || hdr.Get("Location") != fmt.Sprintf("/reports/%d/2021Q3", f.mttqA.ID) {
			t.Errorf("chooser: %d %s", st, hdr.Get("Location"))
		}
		st, page = c.get("thuky", fmt.Sprintf("/reports/completeness?bloc=%d&period=2021Q3", f.bloc.ID))
		if st != 200 {
			t.Fatalf("completeness: %d %s", st, page)
		}
		has(t, page, "Khối huyện", "Gửi đúng hạn", "Chưa nhập", "Đơn vị cần nhắc", "Ủy ban MTTQ xã B", `name="cutoff_day"`, "20,0%")
		_, page = c.get("xem", fmt.Sprintf("/reports/completeness?bloc=%d&period=2021Q3", f.bloc.ID))
		if strings.Contains(page, `name="cutoff_day"`) {
			t.Error("a viewer may change the settings")
		}
		st, page, _ = c.post("thuky", "/reports/completeness/settings", url.Values{"csrf": {"tok-thuky"}, "bloc": {fmt.Sprint(f.bloc.ID)},
			"period": {"2021Q3"}, "cutoff_day": {"40"}, "months_early": {"0"}, "deadline_days": {"5"}})
		if st != http.StatusBadRequest || !strings.Contains(page, `value="40"`) {
			t.Errorf("bad settings: %d", st)
		}
		st, _, _ = c.post("thuky", "/reports/completeness/settings", url.Values{"csrf": {"tok-thuky"}, "bloc": {fmt.Sprint(f.bloc.ID)},
			"period": {"2021Q3"}, "cutoff_day": {"21"}, "months_early": {"1"}, "deadline_days": {"3"}})
		if st != http.StatusSeeOther {
			t.Errorf("settings: %d", st)
		}
		st, page = c.get("thuky", fmt.Sprintf("/plans/2021?unit=%d", f.mttqA.ID))
		if st != 200 {
			t.Fatalf("plan: %d %s", st, page)
		}
		has(t, page, `name="t:NHA_KC"`, fmt.Sprintf(`value="unit:%d"`, f.mttqA.ID))
		st, page, _ = c.post("thuky", "/plans/2021", url.Values{"csrf": {"tok-thuky"}, "scope": {fmt.Sprintf("unit:%d", f.mttqA.ID)},
			"bloc": {fmt.Sprint(f.bloc.ID)}, "t:NHA_KC": {"mười"}})
		if st != http.StatusBadRequest || !strings.Contains(page, `value="mười"`) {
			t.Errorf("bad target: %d", st)
		}
		st, _, _ = c.post("thuky", "/plans/2021", url.Values{"csrf": {"tok-thuky"}, "scope": {fmt.Sprintf("unit:%d", f.mttqA.ID)},
			"bloc": {fmt.Sprint(f.bloc.ID)}, "t:NHA_KC": {"8"}})
		if st != http.StatusSeeOther {
			t.Errorf("target: %d", st)
		}
		_, page = c.get("canbo", "/plans/2021")
		has(t, page, "Cả khối")
		if strings.Contains(page, `name="t:NHA_KC"`) {
			t.Error("an officer may edit the plan")
		}
		if st, _, hdr := c.do("canbo", "GET", "/plans", "", ""); st != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/plans/") {
			t.Errorf("plans: %d", st)
		}
	})
}
