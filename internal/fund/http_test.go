package fund_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/xuri/excelize/v2"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// testAuth authenticates requests by the X-Test-User header (tests only).
type testAuth map[string]*auth.Principal

func (a testAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return a[r.Header.Get("X-Test-User")], nil
}

type server struct {
	t   *testing.T
	srv *httptest.Server
	f   *fixture
	h   *fund.Handler
}

func newServer(t *testing.T, d *db.DB) *server {
	f := newFixture(t, d)
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	admin := *f.admin
	admin.CSRF = "tok"
	commune := *f.communeSecretariat
	commune.CSRF = "tok"
	rt.Auth = testAuth{"admin": &admin, "commune": &commune}
	h := &fund.Handler{Store: f.s, Render: rd, Limiter: fund.NewRateLimiter(0, 0)}
	h.Routes(rt)
	rt.NotFound()
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return &server{t: t, srv: srv, f: f, h: h}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (s *server) do(method, path, user string, body io.Reader, ctype string) resp {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
		req.Header.Set("X-CSRF-Token", "tok")
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{r.StatusCode, r.Header, string(b)}
}

func (s *server) get(path, user string) resp { return s.do("GET", path, user, nil, "") }

func (s *server) post(path, user string, form url.Values) resp {
	return s.do("POST", path, user, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (s *server) api(method, path string, v any) resp {
	b, _ := json.Marshal(v)
	return s.do(method, path, "admin", bytes.NewReader(b), "application/json")
}

var leak = regexp.MustCompile(`>\s*fund\.[a-z_.]+`)

func (s *server) page(path, user string, want int) string {
	s.t.Helper()
	r := s.get(path, user)
	if r.status != want {
		s.t.Fatalf("GET %s as %q: %d, want %d\n%.2000s", path, user, r.status, want, r.body)
	}
	if m := leak.FindString(r.body); m != "" {
		s.t.Errorf("GET %s: untranslated key %q", path, m)
	}
	return r.body
}

func TestHTTP(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		f := s.f
		id := fmt.Sprint(f.fund.ID)
		base := "/funds/" + id

		t.Run("the secretariat sets up the fund and records a cash receipt", func(t *testing.T) {
			s.page("/funds", "admin", 200)
			s.page("/funds/new", "admin", 200)
			s.page(base, "admin", 200)
			r := s.post(base+"/accounts", "admin", url.Values{"bin": {"970436"}, "account_no": {"0071001234567"}, "holder": {"UY BAN MTTQ VN HUYEN IA GRAI NAM"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("add account: %d %.500s", r.status, r.body)
			}
			for _, p := range []string{"/qr.png", "/qr.svg", "/poster", "/poster?amount=500.000", "/poster.pdf"} {
				if r := s.get(base+p, "admin"); r.status != 200 {
					t.Errorf("%s: %d %.300s", p, r.status, r.body)
				}
			}
			if r := s.get(base+"/poster.pdf", "admin"); !strings.HasPrefix(r.body, "%PDF") {
				t.Error("poster is not a PDF")
			}
			// A form with mistakes is shown again with what was typed.
			r = s.post(base+"/receipts", "admin", url.Values{"date": {"31/02/2021"}, "donor_name": {"Nguyễn Văn Tư"}, "amount": {"5 trăm"}})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Nguyễn Văn Tư") || !strings.Contains(r.body, "31/02/2021") {
				t.Fatalf("bad receipt form: %d %.1500s", r.status, r.body)
			}
			r = s.post(base+"/receipts", "admin", url.Values{"date": {"15/07/2021"}, "donor_name": {"Nguyễn Văn Tư"}, "amount": {"1.005.000"},
				"channel": {"cash"}, "address": {"Thôn 3, xã Ia Tô"}, "phone": {"0905123456"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("receipt: %d %.1500s", r.status, r.body)
			}
			body := s.page(base+"/entries", "admin", 200)
			if !strings.Contains(body, "Thôn 3, xã Ia Tô") {
				t.Error("the ledger does not show the private address to the secretariat")
			}
			pdf := s.get(base+"/receipts/1/pdf", "admin")
			if pdf.status != 200 || !strings.HasPrefix(pdf.body, "%PDF") || pdf.header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("receipt pdf: %d %.200s", pdf.status, pdf.body)
			}
			// Disbursement over the balance, then one within.
			r = s.post(base+"/disbursements", "admin", url.Values{"date": {"16/07/2021"}, "recipient": {"Chốt kiểm soát Km 12"}, "amount": {"2.000.000"}, "purpose": {"Thăm hỏi"}})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "1.005.000 đ") {
				t.Fatalf("disbursement over the balance: %d %.2000s", r.status, r.body)
			}
			r = s.post(base+"/disbursements", "admin", url.Values{"date": {"16/07/2021"}, "recipient": {"Chốt kiểm soát Km 12"}, "recipient_kind": {"checkpoint"},
				"amount": {"300.000"}, "purpose": {"Thăm hỏi, tặng quà"}, "area_id": {fmt.Sprint(f.commune.ID)}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("disbursement: %d %.1500s", r.status, r.body)
			}
			s.page(base+"/reverse/2", "admin", 200)
			if r := s.post(base+"/reverse/2", "admin", url.Values{"date": {"17/07/2021"}, "reason": {"Ghi nhầm"}}); r.status != http.StatusSeeOther {
				t.Fatalf("reverse: %d %.1500s", r.status, r.body)
			}
			s.page(base+"/transfers/new", "admin", 200)
		})

		t.Run("a commune secretariat cannot touch the district fund", func(t *testing.T) {
			for _, p := range []string{base, base + "/entries", base + "/receipts/1/pdf", base + "/poster"} {
				if r := s.get(p, "commune"); r.status != http.StatusForbidden {
					t.Errorf("%s as commune secretariat: %d", p, r.status)
				}
			}
			if r := s.post(base+"/receipts", "commune", url.Values{"date": {"15/07/2021"}, "donor_name": {"X"}, "amount": {"1"}}); r.status != http.StatusForbidden {
				t.Errorf("receipt as commune secretariat: %d", r.status)
			}
		})

		t.Run("statement import: upload, preview, commit", func(t *testing.T) {
			s.page(base+"/import", "admin", 200)
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", "tok")
			mw.WriteField("profile", "Vietcombank")
			fw, _ := mw.CreateFormFile("file", "vcb.csv")
			fw.Write([]byte(vcbStatement))
			mw.Close()
			r := s.do("POST", base+"/import", "admin", &buf, mw.FormDataContentType())
			if r.status != http.StatusSeeOther {
				t.Fatalf("upload: %d %.1500s", r.status, r.body)
			}
			loc := r.header.Get("Location")
			body := s.page(loc, "admin", 200)
			if !strings.Contains(body, "31/02/2021") {
				t.Errorf("preview does not list the rejected date")
			}
			s.page(loc+"?action=receipt", "admin", 200)
			if r := s.post(base+"/profiles", "admin", url.Values{"import": {loc[strings.LastIndex(loc, "/")+1:]}, "name": {"VCB quỹ huyện"}}); r.status != http.StatusSeeOther {
				t.Errorf("save profile: %d %.500s", r.status, r.body)
			}
			if r := s.post(loc, "admin", url.Values{}); r.status != http.StatusSeeOther {
				t.Fatalf("commit: %d %.1500s", r.status, r.body)
			}
			if n := count(t, d, "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1 AND import_id <> ''", f.fund.ID); n != 3 {
				t.Errorf("%d imported entries", n)
			}
		})

		t.Run("public pages", func(t *testing.T) {
			s.page("/quy", "", 200)
			body := s.page("/quy/COVID19", "", 200)
			for _, want := range []string{"0071001234567", "Quý III/2021", "Trễ hạn", "giaoban-fund"} {
				if !strings.Contains(s.page("/quy/COVID19?by=quarter", "", 200)+body, want) {
					t.Errorf("fund page lacks %q", want)
				}
			}
			body = s.page("/quy/COVID19/thu?q=nguyen+van+tu", "", 200)
			if !strings.Contains(body, "Nguyễn Văn Tư") || strings.Contains(body, "Thôn 3") || strings.Contains(body, "0905123456") {
				t.Errorf("public receipts: private details shown or donor missing")
			}
			s.page("/quy/COVID19/chi", "", 200)
			// Cached pages follow the log: a new receipt shows at once.
			before := s.page("/quy/COVID19/thu?q=ro+cham+moi", "", 200)
			if strings.Contains(before, "Rơ Châm Mới") {
				t.Fatal("not recorded yet")
			}
			must[*fund.Entry](t)(s.f.s.RecordReceipt(testCtx(t), s.f.admin, s.f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, 20), DonorName: "Rơ Châm Mới", Amount: 10_000}))
			if after := s.page("/quy/COVID19/thu?q=ro+cham+moi", "", 200); !strings.Contains(after, "Rơ Châm Mới") {
				t.Error("a cached page hides a new receipt")
			}
			s.page("/quy/COVID19/thu?lang=en", "", 200)
			body = s.page("/quy/COVID19/kiem-tra?seq=1", "", 200)
			if !strings.Contains(body, "Đã kiểm chứng") {
				t.Errorf("inclusion not verified on the page")
			}
			if r := s.get("/quy/COVID19/qr.svg", ""); r.status != 200 || !strings.Contains(r.body, "<svg") {
				t.Errorf("public qr: %d", r.status)
			}
			csv := s.get("/quy/COVID19/thu?format=csv", "")
			if csv.status != 200 || !strings.Contains(csv.body, "Nguyễn Văn Tư") || strings.Contains(csv.body, "0905123456") {
				t.Errorf("csv download: %d %.300s", csv.status, csv.body)
			}
			xlsx := s.get("/quy/COVID19/thu?format=xlsx&q=tu", "")
			if xlsx.status != 200 || !strings.HasPrefix(xlsx.body, "PK") {
				t.Errorf("xlsx download: %d", xlsx.status)
			} else if x, err := excelize.OpenReader(strings.NewReader(xlsx.body)); err != nil {
				t.Errorf("xlsx download: %v", err)
			} else {
				// Prints landscape one page wide; the receipt number column
				// holds a whole number.
				pl, _ := x.GetPageLayout("Sheet1")
				sp, _ := x.GetSheetProps("Sheet1")
				w, _ := x.GetColWidth("Sheet1", "C")
				num, _ := x.GetCellValue("Sheet1", "C4")
				if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
					sp.FitToPage == nil || !*sp.FitToPage || w < float64(len(num)) || num == "" {
					t.Errorf("xlsx layout: orientation %v, fit %v/%v, column C %.0f for %q", pl.Orientation, pl.FitToWidth, sp.FitToPage, w, num)
				}
				x.Close()
			}
			if r := s.get("/quy/NOPE", ""); r.status != 404 {
				t.Errorf("unknown fund: %d", r.status)
			}
		})

		t.Run("hostile queries return a normal page", func(t *testing.T) {
			for _, q := range []string{"<script>alert(1)</script>", "'; DROP TABLE fund_entries; --", strings.Repeat("x", 10000), "%00%ff", "\" onmouseover=\"x"} {
				v := url.Values{"q": {q}, "amount": {q}, "from": {q}, "to": {q}, "ref": {q}, "after": {q}, "min": {q}, "max": {q}}
				for _, p := range []string{"/quy/COVID19/thu?", "/quy/COVID19/chi?", "/quy?"} {
					r := s.get(p+v.Encode(), "")
					if r.status != 200 {
						t.Errorf("%s%.20q: %d", p, q, r.status)
					}
					if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, `" onmouseover="x`) {
						t.Errorf("%s: query echoed unescaped", p)
					}
				}
			}
			if r := s.get("/quy/COVID19/kiem-tra?seq=<script>", ""); r.status != 200 || strings.Contains(r.body, "<script>") {
				t.Errorf("verify page with a bad seq: %d", r.status)
			}
		})

		t.Run("public API: checkpoint, inclusion, consistency, statement", func(t *testing.T) {
			var cp struct {
				Size       int64  `json:"size"`
				Checkpoint string `json:"checkpoint"`
				PublicKey  string `json:"public_key"`
			}
			r := s.get("/api/v1/public/funds/COVID19/checkpoint", "")
			if err := json.Unmarshal([]byte(r.body), &cp); err != nil || r.status != 200 {
				t.Fatalf("checkpoint: %d %s", r.status, r.body)
			}
			tree, err := translog.VerifyCheckpoint(cp.Checkpoint, cp.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			var inc fund.Inclusion
			r = s.get(fmt.Sprintf("/api/v1/public/funds/COVID19/inclusion?seq=%d", cp.Size), "")
			if err := json.Unmarshal([]byte(r.body), &inc); err != nil {
				t.Fatalf("inclusion: %s", r.body)
			}
			if err := inc.Check(tree); err != nil {
				t.Errorf("inclusion proof: %v", err)
			}
			r = s.get("/api/v1/public/funds/COVID19/consistency?from=1&to="+fmt.Sprint(cp.Size), "")
			if r.status != 200 || !strings.Contains(r.body, `"proof"`) {
				t.Errorf("consistency: %d %s", r.status, r.body)
			}
			for _, bad := range []string{"?from=0", "?from=5&to=2", "?from=x", "?from=1&to=999999"} {
				if r := s.get("/api/v1/public/funds/COVID19/consistency"+bad, ""); r.status != 422 {
					t.Errorf("consistency%s: %d", bad, r.status)
				}
			}
			st := s.get("/api/v1/public/funds/COVID19/statement.csv", "")
			if _, err := translog.VerifyStatement(strings.NewReader(st.body), cp.Checkpoint, cp.PublicKey); err != nil {
				t.Errorf("statement: %v", err)
			}
		})

		t.Run("secretariat API", func(t *testing.T) {
			r := s.api("POST", "/api/v1/funds/"+id+"/receipts", map[string]any{"date": "2021-07-20", "donor_name": "Siu H'Nia", "amount": 750000, "channel": "cash"})
			if r.status != 201 || !strings.Contains(r.body, "PT-COVID19-2021-") {
				t.Fatalf("api receipt: %d %s", r.status, r.body)
			}
			r = s.api("POST", "/api/v1/funds/"+id+"/disbursements", map[string]any{"date": "2021-07-20", "recipient": "X", "amount": 1_000_000_000, "purpose": "y"})
			if r.status != 422 || !strings.Contains(r.body, "Số dư của quỹ") {
				t.Errorf("api disbursement over balance: %d %s", r.status, r.body)
			}
			r = s.api("GET", "/api/v1/funds/"+id+"/receipts?q=siu", nil)
			if r.status != 200 || !strings.Contains(r.body, "Siu H'Nia") {
				t.Errorf("api receipts: %d %s", r.status, r.body)
			}
			r = s.api("PATCH", "/api/v1/funds/"+id, map[string]any{"target": 600000000})
			if r.status != 200 || !strings.Contains(r.body, `"target":600000000`) {
				t.Errorf("api patch: %d %s", r.status, r.body)
			}
			r = s.do("POST", "/api/v1/funds/"+id+"/import?dry_run=1", "admin", strings.NewReader(vcbStatement), "text/csv")
			if r.status != 200 || !strings.Contains(r.body, `"dry_run"`) {
				t.Errorf("api import dry run: %d %s", r.status, r.body)
			}
			r = s.api("POST", "/api/v1/funds/"+id+"/reversals", map[string]any{"seq": 1, "reason": "Nhầm"})
			if r.status != 201 {
				t.Errorf("api reversal: %d %s", r.status, r.body)
			}
			if r := s.api("GET", "/api/v1/funds", nil); r.status != 200 || !strings.Contains(r.body, "COVID19") {
				t.Errorf("api funds: %d", r.status)
			}
		})

		t.Run("rate limit", func(t *testing.T) {
			s.h.Limiter = fund.NewRateLimiter(0.001, 2)
			for i := 0; i < 2; i++ {
				if r := s.get("/quy", ""); r.status != 200 {
					t.Fatalf("request %d: %d", i, r.status)
				}
			}
			r := s.get("/quy", "")
			if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Quá nhiều yêu cầu") {
				t.Errorf("over the limit: %d %q %.300s", r.status, r.header.Get("Retry-After"), r.body)
			}
			s.h.Limiter = fund.NewRateLimiter(0, 0)
		})
	})
}

// TestPublicRowsEscaped: the receipts table, written in Go, escapes what
// donors' names and notes hold, and hostile queries answered by the
// in-memory index (no reference) return a normal page.
func TestPublicRowsEscaped(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.f.receipt(t, `Trần "<i>Văn</i>" & Con`, 300_000, 2, "FT<b>9")
		r := s.get("/quy/COVID19/thu?q=tran+van", "")
		if r.status != 200 || strings.Contains(r.body, "<i>Văn</i>") || !strings.Contains(r.body, "Trần &#34;&lt;i&gt;Văn&lt;/i&gt;&#34; &amp; Con") ||
			strings.Contains(r.body, "FT<b>9") || !strings.Contains(r.body, "300.000") || !strings.Contains(r.body, "02/07/2021") {
			t.Errorf("%d %s", r.status, r.body)
		}
		for _, q := range []string{"<script>alert(1)</script>", "'; DROP TABLE fund_entries; --", strings.Repeat("nguyễn ", 2000), "%00%ff", "\" onmouseover=\"x"} {
			v := url.Values{"q": {q}, "amount": {q}, "from": {q}, "to": {q}, "after": {q}, "min": {q}, "max": {q}}
			r := s.get("/quy/COVID19/thu?"+v.Encode(), "")
			if r.status != 200 || strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, `" onmouseover="x`) {
				t.Errorf("%.20q: %d", q, r.status)
			}
		}
	})
}
