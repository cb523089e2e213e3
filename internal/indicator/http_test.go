package indicator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
)

// headerAuth makes the principal from a test header: "admin" or "officer",
// with "api" for a token call.
type headerAuth struct{}

func (headerAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	switch r.Header.Get("X-Test-Role") {
	case "admin":
		return &auth.Principal{UserID: 1, Username: "quantri", FullName: "Quản trị", Role: auth.Admin, CSRF: "tok", ViaToken: r.Header.Get("X-Test-API") != ""}, nil
	case "officer":
		return &auth.Principal{UserID: 2, Username: "canbo", FullName: "Cán bộ", Role: auth.Officer, UnitID: 1, CSRF: "tok", ViaToken: r.Header.Get("X-Test-API") != ""}, nil
	}
	return nil, nil
}

type client struct {
	t   *testing.T
	srv *httptest.Server
}

func newServer(t *testing.T, d *db.DB) *client {
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = headerAuth{}
	(&Handler{Store: &Store{DB: d}, Render: rd}).Routes(rt)
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv}
}

func (c *client) do(method, path, role string, form url.Values, jsonBody string) (int, string, http.Header) {
	c.t.Helper()
	var body io.Reader
	switch {
	case jsonBody != "":
		body = strings.NewReader(jsonBody)
	case form != nil:
		form.Set("csrf", "tok")
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("X-Test-Role", role)
	req.Header.Set("Origin", c.srv.URL)
	if jsonBody != "" || strings.HasPrefix(path, "/api/") {
		req.Header.Set("X-Test-API", "1")
		req.Header.Set("Content-Type", "application/json")
	} else if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// Codes carry line-break opportunities on pages; compare without them.
	return resp.StatusCode, strings.ReplaceAll(string(b), "<wbr>", ""), resp.Header
}

func (c *client) want(method, path, role string, form url.Values, status int, contains ...string) string {
	c.t.Helper()
	got, body, _ := c.do(method, path, role, form, "")
	if got != status {
		c.t.Fatalf("%s %s as %s: %d, want %d\n%s", method, path, role, got, status, excerpt(body))
	}
	for _, s := range contains {
		if !strings.Contains(body, s) {
			c.t.Fatalf("%s %s as %s: body lacks %q\n%s", method, path, role, s, excerpt(body))
		}
	}
	return body
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}

func TestPages(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c := newServer(t, d)
		addDemoOrgs(t, d)
		c.want("GET", "/indicators", "admin", nil, 200, "Danh mục chỉ tiêu còn trống", "Cài danh mục mặc định")
		if body := c.want("GET", "/indicators", "officer", nil, 200, "Danh mục chỉ tiêu còn trống"); strings.Contains(body, "/indicators/install") {
			t.Fatal("officer offered the install button")
		}
		c.want("POST", "/indicators/install", "officer", url.Values{}, 403)
		c.want("POST", "/indicators/install", "admin", url.Values{}, 303)
		body := c.want("GET", "/indicators", "officer", nil, 200, "Tuyên truyền, vận động", "QUY_COVID_TIEP_NHAN", "Nhà Đại đoàn kết, nhà Tình nghĩa", `data-label="Mã"`)
		if strings.Contains(body, "/indicators/new") {
			t.Fatal("officer offered the new-indicator link")
		}
		body = c.want("GET", "/indicators?q=hien+mau", "officer", nil, 200, "HIEN_MAU_LUOT", "HIEN_MAU_DON_VI", "2 chỉ tiêu")
		if strings.Contains(body, "NHA_DDK_BAN_GIAO") {
			t.Fatal("search did not filter")
		}
		c.want("GET", "/indicators?section=giam_sat", "officer", nil, 200, "GIAM_SAT_CUOC", "5 chỉ tiêu")
		c.want("GET", "/indicators?lang=en", "officer", nil, 200, "Indicator catalogue", "Information and mobilisation")

		ind, err := (&Store{DB: d}).IndicatorByCode(testCtx(t), "HIEN_MAU_LUOT")
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/indicators/%d", ind.ID)
		c.want("GET", path, "officer", nil, 200, "<fieldset disabled>", "HIEN_MAU_LUOT")
		c.want("GET", "/indicators/new", "officer", nil, 403)
		c.want("GET", "/indicators/new", "admin", nil, 200, `name="code"`)

		// A form with mistakes comes back with the messages and what was typed.
		bad := url.Values{"code": {""}, "name_vi": {"Số buổi sinh hoạt chuyên đề"}, "section": {"tuyen_truyen"}, "value_type": {"integer"},
			"agg_units": {"sum"}, "agg_periods": {"sum"}, "min": {"-3"}, "max": {"ba"}, "organisations": {"HND"}}
		body = c.want("POST", "/indicators", "admin", bad, 400, "Chưa nhập mã chỉ tiêu.", "Số buổi sinh hoạt chuyên đề", "&#39;ba&#39; không phải là số")
		if !regexp.MustCompile(`value="HND" checked`).MatchString(body) {
			t.Fatal("ticked organisation lost on error")
		}
		good := url.Values{"code": {"SINH_HOAT_CHUYEN_DE"}, "name_vi": {"Số buổi sinh hoạt chuyên đề"}, "section": {"tuyen_truyen"},
			"value_type": {"integer"}, "agg_units": {"sum"}, "agg_periods": {"sum"}, "max": {"1.000"}, "organisations": {"HND", "HLHPN"}}
		_, _, h := c.do("POST", "/indicators", "admin", good, "")
		loc := h.Get("Location")
		if !strings.HasPrefix(loc, "/indicators/") {
			t.Fatalf("create redirected to %q", loc)
		}
		c.want("GET", loc, "admin", nil, 200, "SINH_HOAT_CHUYEN_DE", `value="1.000"`, `value="HND" checked`)
		edit := url.Values{"action": {"save"}, "code": {"SINH_HOAT_CHUYEN_DE"}, "name_vi": {"Số buổi sinh hoạt chuyên đề (sửa)"}, "section": {"tuyen_truyen"},
			"value_type": {"integer"}, "agg_units": {"sum"}, "agg_periods": {"sum"}}
		c.want("POST", loc, "admin", edit, 303)
		c.want("POST", loc, "officer", edit, 403)
		c.want("POST", loc, "admin", url.Values{"action": {"retire"}}, 303)
		c.want("GET", loc, "admin", nil, 200, "(sửa)", "Dùng lại", "ngừng sử dụng")
		c.want("POST", loc, "admin", url.Values{"action": {"unretire"}}, 303)

		// In use: no delete button, and a delete is refused with the reason.
		addValuesTable(t, d)
		addValue(t, d, ind.ID)
		body = c.want("GET", path, "admin", nil, 200, "đã có số liệu", "Ngừng sử dụng")
		if strings.Contains(body, `value="delete"`) {
			t.Fatal("delete offered for an indicator in use")
		}
		c.want("POST", path, "admin", url.Values{"action": {"delete"}}, 400, "Chỉ tiêu đã có số liệu, chỉ có thể ngừng sử dụng")
		c.want("POST", loc, "admin", url.Values{"action": {"delete"}}, 303)

		// Forms.
		c.want("GET", "/indicators/forms", "officer", nil, 200, "QUY_CHUNG", "THANG_CHUNG", "Mẫu chung cho mọi tổ chức")
		f, _ := (&Store{DB: d}).FormByCode(testCtx(t), "THANG_CHUNG")
		c.want("GET", fmt.Sprintf("/indicators/forms/%d", f.ID), "officer", nil, 200, "Kết quả đạt được", "Kiến nghị, đề xuất", "QUY_COVID_TIEP_NHAN")
		nf := url.Values{"code": {"QUY_HCTD_THU"}, "name_vi": {"Thử"}, "period_type": {"6months"}, "active": {"1"},
			"ind": {"HIEN_MAU_LUOT", "HIEN_MAU_DON_VI", "TU_THIEN_TIEN"}, "pos_HIEN_MAU_LUOT": {"2"}, "pos_HIEN_MAU_DON_VI": {"1"}}
		_, _, h = c.do("POST", "/indicators/forms", "admin", nf, "")
		floc := h.Get("Location")
		if !strings.HasPrefix(floc, "/indicators/forms/") {
			t.Fatalf("form create redirected to %q", floc)
		}
		created, _ := (&Store{DB: d}).FormByCode(testCtx(t), "QUY_HCTD_THU")
		if !equalCodes(created.Indicators, "HIEN_MAU_DON_VI", "HIEN_MAU_LUOT", "TU_THIEN_TIEN") {
			t.Fatalf("form order %v", codesOf(created.Indicators))
		}
		c.want("POST", "/indicators/forms", "admin", url.Values{"code": {"X"}, "name_vi": {"X"}, "period_type": {"quarter"}, "active": {"1"}, "ind": {"HIEN_MAU_LUOT"}},
			400, "Đã có biểu mẫu QUY_CHUNG đang dùng")
		c.want("POST", floc, "admin", url.Values{"action": {"delete"}}, 303)

		// Rules, and trying one with sample numbers.
		c.want("GET", "/indicators/rules", "officer", nil, 200, "QUY_COVID_CHI_KHONG_VUOT_THU", "Chặn gửi", "Cảnh báo")
		r, _ := (&Store{DB: d}).RuleByCode(testCtx(t), "QUY_COVID_CHI_KHONG_VUOT_THU")
		rp := fmt.Sprintf("/indicators/rules/%d", r.ID)
		c.want("GET", rp+"?test=1&v_QUY_COVID_CHI_HO_TRO=20.000.000&v_QUY_COVID_TIEP_NHAN=15.000.000", "officer", nil, 200,
			"Tiền chi hỗ trợ phòng, chống dịch Covid-19 (20.000.000 đ) nhiều hơn tiền tiếp nhận trong kỳ (15.000.000 đ)")
		c.want("GET", rp+"?test=1&v_QUY_COVID_CHI_HO_TRO=14.000.000&v_QUY_COVID_TIEP_NHAN=348.000.000", "officer", nil, 200, "Số liệu mẫu thỏa quy tắc")
		c.want("POST", "/indicators/rules", "admin", url.Values{"code": {"R"}, "left": {"HIEN_MAU_LUOT +"}, "operator": {"<="}, "right": {"KHONG_CO"}, "severity": {"warning"}, "message_vi": {"m"}},
			400, "Vế trái của quy tắc", "KHONG_CO trong quy tắc không có trong danh mục")
		_, _, h = c.do("POST", "/indicators/rules", "admin", url.Values{"code": {"R"}, "left": {"HIEN_MAU_LUOT"}, "operator": {">="}, "right": {"1"},
			"severity": {"warning"}, "message_vi": {"Chưa có ai hiến máu"}, "active": {"1"}}, "")
		rloc := h.Get("Location")
		c.want("POST", rloc, "admin", url.Values{"action": {"delete"}}, 303)
	})
}

func TestAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		c := newServer(t, d)
		addDemoOrgs(t, d)
		if _, err := (&Store{DB: d}).InstallDefault(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []Indicator `json:"items"`
		}
		status, body, _ := c.do("GET", "/api/v1/indicators?organisation=DTN&q=gio+tinh+nguyen", "officer", nil, "")
		if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) != 1 || list.Items[0].Code != "TINH_NGUYEN_GIO" {
			t.Fatalf("list: %d %s", status, body)
		}
		status, body, _ = c.do("GET", "/api/v1/indicators/HIEN_MAU_LUOT", "officer", nil, "")
		if status != 200 || !strings.Contains(body, `"disaggregation":{"id"`) {
			t.Fatalf("get by code: %d %s", status, body)
		}
		status, body, _ = c.do("POST", "/api/v1/indicators", "officer", nil, `{"code":"X"}`)
		if status != 403 {
			t.Fatalf("officer create: %d %s", status, body)
		}
		status, body, _ = c.do("POST", "/api/v1/indicators", "admin", nil, `{"code":"x y","name_vi":"","section":"quy","value_type":"money","min":-1}`)
		if status != 422 || !strings.Contains(body, "Chưa nhập tên chỉ tiêu (tiếng Việt).") || !strings.Contains(body, `"field":"min"`) {
			t.Fatalf("invalid create: %d %s", status, body)
		}
		var ind Indicator
		status, body, _ = c.do("POST", "/api/v1/indicators", "admin", nil, `{"code":"QUY_KHAC","name_vi":"Quỹ khác","section":"quy","value_type":"money","organisations":["MTTQ"]}`)
		if status != 201 || json.Unmarshal([]byte(body), &ind) != nil || ind.AggUnits != Sum {
			t.Fatalf("create: %d %s", status, body)
		}
		status, body, _ = c.do("PATCH", fmt.Sprintf("/api/v1/indicators/%d", ind.ID), "admin", nil, `{"retired":true,"name_en":"Other fund"}`)
		if status != 200 || json.Unmarshal([]byte(body), &ind) != nil || !ind.Retired || ind.NameEN != "Other fund" || ind.NameVI != "Quỹ khác" || len(ind.Organisations) != 1 {
			t.Fatalf("patch: %d %s", status, body)
		}
		if status, body, _ = c.do("DELETE", fmt.Sprintf("/api/v1/indicators/%d", ind.ID), "admin", nil, ""); status != 204 {
			t.Fatalf("delete: %d %s", status, body)
		}
		if status, body, _ = c.do("DELETE", "/api/v1/indicators/HIEN_MAU_LUOT", "admin", nil, ""); status != 409 || !strings.Contains(body, "HIEN_MAU_DON_VI_THEO_LUOT") {
			t.Fatalf("delete of an indicator a rule names: %d %s", status, body)
		}
		if status, body, _ = c.do("GET", "/api/v1/indicator-sections", "officer", nil, ""); status != 200 || !strings.Contains(body, `"code":"nong_thon_moi"`) {
			t.Fatalf("sections: %d %s", status, body)
		}
		if status, body, _ = c.do("GET", "/api/v1/disaggregations", "officer", nil, ""); status != 200 || !strings.Contains(body, `"code":"dtts"`) {
			t.Fatalf("disaggregations: %d %s", status, body)
		}
		var orgID int64
		if err := d.QueryRowContext(testCtx(t), "SELECT id FROM organisations WHERE code = 'hnd'").Scan(&orgID); err != nil {
			t.Fatal(err)
		}
		status, body, _ = c.do("GET", fmt.Sprintf("/api/v1/forms?organisation_id=%d&period_type=quarter", orgID), "officer", nil, "")
		if status != 200 || !strings.Contains(body, `"code":"QUY_HND"`) || !strings.Contains(body, `"code":"ket_qua"`) {
			t.Fatalf("form for HND: %d %s", status, excerpt(body))
		}
		if status, body, _ = c.do("GET", "/api/v1/forms?organisation_id=x&period_type=week", "officer", nil, ""); status != 422 {
			t.Fatalf("bad form query: %d %s", status, body)
		}
		var form Form
		status, body, _ = c.do("POST", "/api/v1/forms", "admin", nil, `{"code":"NAM_CHUNG","name_vi":"Báo cáo năm","period_type":"year","indicators":["HO_THOAT_NGHEO","NTM_TIEU_CHI_DAT"]}`)
		if status != 201 || json.Unmarshal([]byte(body), &form) != nil || len(form.Indicators) != 2 {
			t.Fatalf("form create: %d %s", status, body)
		}
		status, body, _ = c.do("PATCH", fmt.Sprintf("/api/v1/forms/%d", form.ID), "admin", nil, `{"indicators":["NTM_TIEU_CHI_DAT"]}`)
		if status != 200 || json.Unmarshal([]byte(body), &form) != nil || len(form.Indicators) != 1 || form.NameVI != "Báo cáo năm" {
			t.Fatalf("form patch: %d %s", status, body)
		}
		var rule Rule
		status, body, _ = c.do("POST", "/api/v1/rules", "admin", nil, `{"code":"HO_THOAT_NGHEO_DUONG","left":"HO_THOAT_NGHEO","operator":">=","right":"0","severity":"blocking","message_vi":"Số hộ thoát nghèo không âm"}`)
		if status != 201 || json.Unmarshal([]byte(body), &rule) != nil {
			t.Fatalf("rule create: %d %s", status, body)
		}
		if status, body, _ = c.do("PATCH", fmt.Sprintf("/api/v1/rules/%d", rule.ID), "admin", nil, `{"active":false}`); status != 200 || !strings.Contains(body, `"active":false`) {
			t.Fatalf("rule patch: %d %s", status, body)
		}
		if status, body, _ = c.do("GET", "/api/v1/rules", "officer", nil, ""); status != 200 || strings.Contains(body, "HO_THOAT_NGHEO_DUONG") {
			t.Fatalf("active rules: %d", status)
		}
		if status, body, _ = c.do("GET", "/api/v1/rules?all=1", "officer", nil, ""); status != 200 || !strings.Contains(body, "HO_THOAT_NGHEO_DUONG") {
			t.Fatalf("all rules: %d", status)
		}
		if status, _, _ = c.do("GET", fmt.Sprintf("/api/v1/rules/%d", rule.ID), "officer", nil, ""); status != 200 {
			t.Fatalf("rule get: %d", status)
		}
		if status, _, _ = c.do("DELETE", fmt.Sprintf("/api/v1/rules/%d", rule.ID), "admin", nil, ""); status != 204 {
			t.Fatalf("rule delete: %d", status)
		}
		if status, _, _ = c.do("GET", "/api/v1/indicators", "", nil, ""); status != 401 {
			t.Fatalf("public read: %d", status)
		}
	})
}

// TestMessagesExist checks that every message key the templates use is in
// both catalogues.
func TestMessagesExist(t *testing.T) {
	files, _ := filepath.Glob("templates/indicator/*.html")
	re := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	keys := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for _, vt := range ValueTypes {
		keys["indicator.type."+string(vt)] = true
	}
	for _, a := range Aggregations {
		keys["indicator.agg."+string(a)] = true
	}
	for _, op := range Operators {
		keys["indicator.op."+op] = true
	}
	if len(keys) < 50 {
		t.Fatalf("only %d keys found", len(keys))
	}
	for k := range keys {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %s message", k, lang)
			}
		}
	}
}
