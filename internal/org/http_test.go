package org

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// testAuth authenticates "Authorization: Bearer <name>" as one of its
// principals (as an API token, so forms need no CSRF token).
type testAuth map[string]*auth.Principal

func (a testAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	name := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return a[name], nil
}

type webFixture struct {
	*fixture
	t   *testing.T
	srv *httptest.Server
}

func newWebFixture(t *testing.T, d *db.DB) *webFixture {
	t.Helper()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	f := newFixture(t, d)
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = testAuth{
		"admin":  {UserID: 1, Username: "admin", FullName: "Quản trị", Role: auth.Admin, ViaToken: true},
		"sec":    {UserID: 2, Username: "tk", FullName: "Thư ký", Role: auth.Secretariat, AreaID: f.d1.ID, ScopePath: f.d1.Path, ViaToken: true},
		"viewer": {UserID: 3, Username: "xem", FullName: "Người xem", Role: auth.Viewer, ViaToken: true},
	}
	(&Handler{Store: f.s, Render: rd}).Routes(rt)
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return &webFixture{fixture: f, t: t, srv: srv}
}

func (w *webFixture) do(who, method, path, contentType string, body io.Reader) (*http.Response, string) {
	w.t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+who)
	req.Header.Set("Origin", w.srv.URL)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (w *webFixture) get(who, path string) (*http.Response, string) {
	return w.do(who, "GET", path, "", nil)
}

func (w *webFixture) post(who, path string, form url.Values) (*http.Response, string) {
	return w.do(who, "POST", path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (w *webFixture) json(who, method, path string, v any) (*http.Response, map[string]any) {
	w.t.Helper()
	var body io.Reader = http.NoBody
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	resp, s := w.do(who, method, path, "application/json", body)
	out := map[string]any{}
	if s != "" {
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			w.t.Fatalf("%s %s: not JSON: %s", method, path, s)
		}
	}
	return resp, out
}

func multipartBody(t *testing.T, fields map[string]string, file []byte) (string, io.Reader) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "dia-ban.csv")
		fw.Write(file)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func wantStatus(t *testing.T, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%.1500s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
}

func TestPages(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	ctx := testCtx(t)
	u := must[*Unit](t)(w.s.CreateUnit(ctx, UnitInput{OrganisationID: w.farmers.ID, AreaID: w.c1.ID}))
	b := must[*Bloc](t)(w.s.CreateBloc(ctx, BlocInput{AreaID: w.d1.ID, Name: "Khối Mặt trận huyện Ia Grai"}))
	body := must[*ExternalBody](t)(w.s.CreateExternalBody(ctx, ExternalBodyInput{AreaID: &w.d1.ID, Kind: KindPartyCommittee, Name: "Huyện ủy Ia Grai"}))
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	pages := map[string]string{
		"/org":                                 "Tổ chức, địa bàn",
		"/org/areas":                           "Huyện Ia Grai",
		"/org/areas?q=IA+KHAI":                 "Xã Ia Khai",
		"/org/areas?q=khai+ia":                 "Huyện Ia Grai", // the trail
		"/org/areas?root=" + id(w.d1.ID):       "Làng Dút",
		"/org/areas/" + id(w.c1.ID):            "Hội Nông dân Xã Ia Khai",
		"/org/units":                           "Hội Nông dân Xã Ia Khai",
		"/org/units?area_id=" + id(w.d2.ID):    "Không có đơn vị nào",
		"/org/units?q=nong+dan":                "Hội Nông dân Xã Ia Khai",
		"/org/units/" + id(u.ID):               "Hội Nông dân Xã Ia Khai",
		"/org/organisations":                   "Hội Liên hiệp Phụ nữ",
		"/org/organisations/" + id(w.women.ID): "Hội Liên hiệp Phụ nữ",
		"/org/blocs":                           "Khối Mặt trận huyện Ia Grai",
		"/org/blocs/" + id(b.ID):               "1 đơn vị được tổng hợp",
		"/org/bodies":                          "Huyện ủy Ia Grai",
		"/org/bodies/" + id(body.ID):           "Cấp ủy Đảng",
	}
	for path, want := range pages {
		for _, who := range []string{"admin", "viewer"} {
			resp, s := w.get(who, path)
			wantStatus(t, resp, s, 200)
			if !strings.Contains(s, want) {
				t.Errorf("%s as %s: %q missing", path, who, want)
			}
			if i := strings.Index(s, ">org."); i >= 0 {
				t.Errorf("%s: untranslated key %q", path, s[i:min(len(s), i+50)])
			}
		}
	}
	for _, path := range []string{"/org/areas/new", "/org/areas/merge", "/org/levels/new", "/org/organisations/new", "/org/blocs/new", "/org/bodies/new", "/org/units/new", "/org/import"} {
		resp, s := w.get("admin", path+"?lang=en")
		wantStatus(t, resp, s, 200)
		if resp, _ := w.get("viewer", path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s as viewer: %d", path, resp.StatusCode)
		}
	}
	// Only admins see the edit form of an area; the viewer sees the page.
	_, s := w.get("viewer", "/org/areas/"+id(w.c1.ID))
	if strings.Contains(s, `action="/org/areas/`+id(w.c1.ID)+`"`) {
		t.Error("viewer sees the area form")
	}
	// English.
	_, s = w.get("admin", "/org?lang=en")
	if !strings.Contains(s, "Organisation and areas") {
		t.Error("English overview")
	}
}

func TestFormsKeepWhatWasTyped(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	form := url.Values{"name": {"Xã Ia Mới"}, "code": {"23A99"}, "level_id": {strconv.FormatInt(w.levels[LevelCommune].ID, 10)},
		"parent_id": {strconv.FormatInt(w.d1.ID, 10)}, "valid_from": {"31/02/2025"}}
	resp, s := w.post("admin", "/org/areas", form)
	wantStatus(t, resp, s, http.StatusBadRequest)
	for _, want := range []string{`value="Xã Ia Mới"`, `value="23A99"`, `value="31/02/2025"`, "Ngày không hợp lệ"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	form.Set("valid_from", "01/07/2025")
	resp, s = w.post("admin", "/org/areas", form)
	wantStatus(t, resp, s, http.StatusBadRequest)
	if !strings.Contains(s, "chỉ được gồm chữ số") || !strings.Contains(s, `value="Xã Ia Mới"`) {
		t.Errorf("code error not shown with the values:\n%.3000s", s)
	}
	form.Set("code", "23499")
	resp, s = w.post("admin", "/org/areas", form)
	wantStatus(t, resp, s, http.StatusSeeOther)

	// A unit that exists: the message names the organisation and the area.
	must[*Unit](t)(w.s.CreateUnit(testCtx(t), UnitInput{OrganisationID: w.farmers.ID, AreaID: w.c2.ID}))
	resp, s = w.post("sec", "/org/units", url.Values{"organisation_id": {strconv.FormatInt(w.farmers.ID, 10)},
		"area_id": {strconv.FormatInt(w.c2.ID, 10)}, "name": {"Hội ND xã Ia Tô (trùng)"}, "active": {"1"}})
	wantStatus(t, resp, s, http.StatusBadRequest)
	if !strings.Contains(s, "Đã có đơn vị của Hội Nông dân tại Xã Ia Tô") || !strings.Contains(s, "Hội ND xã Ia Tô (trùng)") {
		t.Errorf("duplicate unit:\n%.3000s", s)
	}
}

func TestUnitScopeOverHTTP(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	org := strconv.FormatInt(w.women.ID, 10)
	resp, s := w.post("sec", "/org/units", url.Values{"organisation_id": {org}, "area_id": {strconv.FormatInt(w.c3.ID, 10)}})
	wantStatus(t, resp, s, http.StatusForbidden)
	resp, s = w.post("sec", "/org/units", url.Values{"organisation_id": {org}, "area_id": {strconv.FormatInt(w.c2.ID, 10)}, "active": {"1"}})
	wantStatus(t, resp, s, http.StatusSeeOther)
	r, _ := w.json("sec", "POST", "/api/v1/units", map[string]any{"organisation_id": w.women.ID, "area_id": w.c3.ID})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("API create out of scope: %d", r.StatusCode)
	}
	// The unit form offers only the secretariat's areas.
	_, s = w.get("sec", "/org/units/new")
	if strings.Contains(s, "Xã Ia Kha<") || !strings.Contains(s, "Xã Ia Tô") {
		t.Error("unit form offers areas out of scope")
	}
	if r, _ := w.get("sec", "/org/areas/new"); r.StatusCode != http.StatusForbidden {
		t.Errorf("secretariat creating areas: %d", r.StatusCode)
	}
}

func TestImportOverHTTP(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	file := []byte("Mã;Tên;Cấp;Mã cha\n23500;Xã Ia Mơ;Xã;628\n;Thôn 1;Thôn;23500\n")

	// 1. Preview: nothing written, the file rides in the form.
	ct, body := multipartBody(t, map[string]string{"kind": "areas"}, file)
	resp, s := w.do("admin", "POST", "/org/import", ct, body)
	wantStatus(t, resp, s, 200)
	if !strings.Contains(s, "Sẽ thêm 2, cập nhật 0, giữ nguyên 0 dòng.") || countRows(t, d, "areas") != 7 {
		t.Fatalf("preview:\n%.3000s", s)
	}
	m := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(s)
	dg := regexp.MustCompile(`name="digest" value="([^"]+)"`).FindStringSubmatch(s)
	if m == nil || dg == nil {
		t.Fatal("no inline data in the preview")
	}
	// 2. Apply with the carried data.
	ct, body = multipartBody(t, map[string]string{"kind": "areas", "apply": "1", "data": html.UnescapeString(m[1]), "digest": dg[1]}, nil)
	resp, s = w.do("admin", "POST", "/org/import", ct, body)
	wantStatus(t, resp, s, 200)
	if !strings.Contains(s, "Đã nhập xong: thêm 2") || countRows(t, d, "areas") != 9 {
		t.Fatalf("apply:\n%.3000s", s)
	}
	// A re-upload that differs from the preview is refused.
	ct, body = multipartBody(t, map[string]string{"kind": "areas", "apply": "1", "digest": dg[1]}, []byte("ten,cap\nKhác,Tỉnh\n"))
	resp, s = w.do("admin", "POST", "/org/import", ct, body)
	wantStatus(t, resp, s, http.StatusBadRequest)
	if !strings.Contains(s, "Tệp khác với tệp đã xem trước") || countRows(t, d, "areas") != 9 {
		t.Fatal("a changed file was applied")
	}
	// 3. Errors are listed with line and column.
	ct, body = multipartBody(t, map[string]string{"kind": "areas"}, []byte("ma,ten,cap\n1,A,Huyen X\n2,,Xã\n"))
	resp, s = w.do("admin", "POST", "/org/import", ct, body)
	wantStatus(t, resp, s, http.StatusUnprocessableEntity)
	for _, want := range []string{"Dòng 2, cột &#39;cap&#39;: cấp &#39;Huyen X&#39; không có trong danh mục", "Dòng 3, cột &#39;ten&#39;: bắt buộc nhập."} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%.3000s", want, s)
		}
	}
	// Secretariats import units, not areas.
	ct, body = multipartBody(t, map[string]string{"kind": "areas"}, file)
	if resp, _ := w.do("sec", "POST", "/org/import", ct, body); resp.StatusCode != http.StatusForbidden {
		t.Errorf("secretariat importing areas: %d", resp.StatusCode)
	}

	// The API: a dry run, then the import, then errors as JSON fields.
	unitFile := "to_chuc,dia_ban\nhlhpn,23434\n"
	resp, s = w.do("admin", "POST", "/api/v1/import/units?dry_run=1", "text/csv", strings.NewReader(unitFile))
	wantStatus(t, resp, s, 200)
	if !strings.Contains(s, `"created":1`) || countRows(t, d, "units") != 0 {
		t.Fatalf("dry run: %s", s)
	}
	resp, s = w.do("admin", "POST", "/api/v1/import/units", "text/csv", strings.NewReader(unitFile))
	wantStatus(t, resp, s, 201)
	resp, s = w.do("admin", "POST", "/api/v1/import/areas?lang=en", "text/csv", strings.NewReader("ma,ten,cap\n1,A,Huyen X\n"))
	wantStatus(t, resp, s, 422)
	var e struct {
		Error struct {
			Code   string
			Fields []struct{ Field, Message string }
		}
	}
	json.Unmarshal([]byte(s), &e)
	if e.Error.Code != "invalid" || len(e.Error.Fields) != 1 || !strings.HasPrefix(e.Error.Fields[0].Message, "Line 2, column 'cap': level 'Huyen X' is not in the list") {
		t.Fatalf("API errors: %s", s)
	}
}

func TestAPI(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	resp, a := w.json("admin", "POST", "/api/v1/areas", map[string]any{"parent_id": w.d2.ID, "level_code": "commune", "name": "Xã Ia Nhin", "code": "23411"})
	if resp.StatusCode != 201 || a["path"] == nil {
		t.Fatalf("create area: %d %v", resp.StatusCode, a)
	}
	aid := int64(a["id"].(float64))
	resp, a = w.json("admin", "PATCH", "/api/v1/areas/"+strconv.FormatInt(aid, 10), map[string]any{"parent_id": w.d1.ID})
	if resp.StatusCode != 200 || !strings.HasPrefix(a["path"].(string), w.d1.Path) || a["name"] != "Xã Ia Nhin" {
		t.Fatalf("move area: %d %v", resp.StatusCode, a)
	}
	resp, a = w.json("admin", "PATCH", "/api/v1/areas/"+strconv.FormatInt(w.d1.ID, 10), map[string]any{"parent_id": aid})
	if resp.StatusCode != 422 || !strings.Contains(a["error"].(map[string]any)["fields"].([]any)[0].(map[string]any)["message"].(string), "không thể nằm dưới chính nó") {
		t.Fatalf("cycle: %d %v", resp.StatusCode, a)
	}
	resp, a = w.json("viewer", "GET", "/api/v1/areas/"+strconv.FormatInt(w.d1.ID, 10)+"/subtree", nil)
	if resp.StatusCode != 200 || len(a["items"].([]any)) != 5 {
		t.Fatalf("subtree: %d %v", resp.StatusCode, a)
	}
	resp, a = w.json("viewer", "GET", "/api/v1/areas?q=ia+nhin", nil)
	if resp.StatusCode != 200 || len(a["items"].([]any)) != 1 {
		t.Fatalf("search: %v", a)
	}
	if resp, _ := w.json("viewer", "POST", "/api/v1/areas", map[string]any{"name": "x"}); resp.StatusCode != 403 {
		t.Errorf("viewer creating an area: %d", resp.StatusCode)
	}
	resp, a = w.json("admin", "POST", "/api/v1/units", map[string]any{"organisation_id": w.farmers.ID, "area_id": aid})
	if resp.StatusCode != 201 || a["name"] != "Hội Nông dân Xã Ia Nhin" {
		t.Fatalf("create unit: %d %v", resp.StatusCode, a)
	}
	uid := strconv.FormatInt(int64(a["id"].(float64)), 10)
	resp, a = w.json("admin", "PATCH", "/api/v1/units/"+uid, map[string]any{"active": false})
	if resp.StatusCode != 200 || a["active"] != false || a["name"] != "Hội Nông dân Xã Ia Nhin" {
		t.Fatalf("patch unit: %d %v", resp.StatusCode, a)
	}
	resp, a = w.json("admin", "DELETE", "/api/v1/areas/"+strconv.FormatInt(aid, 10), nil)
	if resp.StatusCode != 409 || !strings.Contains(a["error"].(map[string]any)["message"].(string), "đang được sử dụng") {
		t.Fatalf("delete area in use: %d %v", resp.StatusCode, a)
	}
	if resp, _ := w.json("admin", "DELETE", "/api/v1/units/"+uid, nil); resp.StatusCode != 204 {
		t.Fatalf("delete unit: %d", resp.StatusCode)
	}
	if resp, _ := w.json("admin", "DELETE", "/api/v1/areas/"+strconv.FormatInt(aid, 10), nil); resp.StatusCode != 204 {
		t.Fatalf("delete area: %d", resp.StatusCode)
	}
	resp, a = w.json("admin", "POST", "/api/v1/area-merges", map[string]any{"from_ids": []int64{w.c1.ID, w.c2.ID}, "to_id": w.c3.ID, "effective": "2025-07-01"})
	if resp.StatusCode != 201 || len(a["items"].([]any)) != 2 {
		t.Fatalf("merge: %d %v", resp.StatusCode, a)
	}
	resp, a = w.json("viewer", "GET", "/api/v1/area-merges?area_id="+strconv.FormatInt(w.c3.ID, 10), nil)
	if resp.StatusCode != 200 || len(a["items"].([]any)) != 2 {
		t.Fatalf("merges: %v", a)
	}
	for _, path := range []string{"/api/v1/area-levels", "/api/v1/organisations", "/api/v1/units", "/api/v1/blocs", "/api/v1/external-bodies"} {
		if resp, a := w.json("viewer", "GET", path, nil); resp.StatusCode != 200 || a["items"] == nil {
			t.Errorf("%s: %d %v", path, resp.StatusCode, a)
		}
	}

	// Exports: CSV with a BOM and the import's columns.
	r, s := w.get("viewer", "/org/areas.csv")
	if r.StatusCode != 200 || !strings.HasPrefix(s, "\uFEFFma,ten,cap,ma_cha,ten_cha,hieu_luc_tu,hieu_luc_den\r\n") {
		t.Fatalf("areas.csv: %d %.200q", r.StatusCode, s)
	}
	r, s = w.get("viewer", "/org/units.xlsx")
	if r.StatusCode != 200 || !strings.HasPrefix(s, "PK") {
		t.Fatalf("units.xlsx: %d", r.StatusCode)
	}
}

// A province with a thousand communes: pages stay under the 150 KB budget,
// and forms ask for an area reference instead of a huge select.
func TestPagesStayLightWithALargeTree(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	w := newWebFixture(t, d)
	var b strings.Builder
	b.WriteString("ma,ten,cap,ma_cha\n")
	for i := 0; i < 1200; i++ {
		fmt.Fprintf(&b, "%05d,Xã Thử Nghiệm Số %d,Xã,64\n", 30000+i, i+1)
	}
	must[*ImportResult](t)(w.s.ImportAreas(testCtx(t), []byte(b.String()), false))
	for _, path := range []string{"/org", "/org/areas", "/org/areas?q=xa", "/org/units", "/org/units/new", "/org/areas/new", "/org/areas/merge", "/org/blocs/new", "/org/bodies/new",
		"/org/areas/" + strconv.FormatInt(w.province.ID, 10)} {
		resp, s := w.get("admin", path)
		wantStatus(t, resp, s, 200)
		if len(s) > 150<<10 {
			t.Errorf("%s: %d bytes", path, len(s))
		}
	}
	_, s := w.get("admin", "/org/units/new")
	if !strings.Contains(s, `name="area_id_ref"`) {
		t.Fatal("no area reference field on a large tree")
	}
	resp, s := w.post("admin", "/org/units", url.Values{"organisation_id": {strconv.FormatInt(w.farmers.ID, 10)}, "area_id_ref": {"30007"}, "active": {"1"}})
	wantStatus(t, resp, s, http.StatusSeeOther)
	resp, s = w.post("admin", "/org/units", url.Values{"organisation_id": {strconv.FormatInt(w.farmers.ID, 10)}, "area_id_ref": {"Xã Không Có"}, "active": {"1"}})
	wantStatus(t, resp, s, http.StatusBadRequest)
	if !strings.Contains(s, "Không tìm được đúng một địa bàn theo &#39;Xã Không Có&#39;") || !strings.Contains(s, `value="Xã Không Có"`) {
		t.Errorf("bad reference:\n%.3000s", s)
	}
	_, s = w.get("admin", "/org/units?area_id_ref=Xã+Thử+Nghiệm+Số+8")
	if !strings.Contains(s, "Hội Nông dân Xã Thử Nghiệm Số 8") {
		t.Error("unit list filtered by an area reference")
	}
}
