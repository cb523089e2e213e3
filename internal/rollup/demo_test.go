package rollup_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

type adminAuth struct{}

func (adminAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return &auth.Principal{UserID: 1, Username: "admin", Role: auth.Admin, CSRF: "t"}, nil
}

// TestDemoQ3Report seeds the demo and checks the consolidated Q3 2021
// report: the drafted narrative carries the article's figures, the
// exports are written, an empty period is refused, the pages answer.
func TestDemoQ3Report(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, d); err != nil {
			t.Fatal(err)
		}
		ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: 1, Username: "admin", Role: auth.Admin})
		s := rollup.New(d)
		var blocID int64
		if err := d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&blocID); err != nil {
			t.Fatal(err)
		}
		q := rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2021Q3"), Lang: "vi"}
		rep, err := s.Report(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"348 triệu đồng", "hơn 14 triệu đồng", "7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết"} {
			if !strings.Contains(rep.Generated, want) {
				t.Errorf("drafted narrative lacks %q:\n%s", want, rep.Generated)
			}
		}
		if r := rep.Table.Row("QUY_COVID_TIEP_NHAN"); r == nil || r.Total.V != 348_000_000 || !r.Prev.OK || !r.LastYear.OK {
			t.Errorf("covid row: %+v", r)
		}
		if rep.Completeness.Units != 56 || len(rep.Narratives) == 0 || len(rep.Children) == 0 {
			t.Errorf("completeness %+v, narratives %d, children %d", rep.Completeness, len(rep.Narratives), len(rep.Children))
		}
		// Drill into a commune: its own figures, a link back.
		sub, err := s.Report(ctx, rollup.ReportQuery{BlocID: blocID, AreaID: rep.Children[0].ID, Period: q.Period, Drafts: true})
		if err != nil || sub.Up == nil || sub.Completeness.Units == 0 || sub.Completeness.Units >= 56 {
			t.Fatalf("drill: %v %+v", err, sub)
		}
		// The edited draft is kept and exported; an old version is refused.
		dr, err := s.SaveDraft(ctx, blocID, "2021Q3", rep.Area.ID, rollup.DraftInput{HTML: "Bản đã sửa: 348 triệu đồng.", Number: "45/BC-MTTQ"})
		if err != nil || dr.Version != 1 {
			t.Fatalf("save draft: %v %+v", err, dr)
		}
		if _, err := s.SaveDraft(ctx, blocID, "2021Q3", rep.Area.ID, rollup.DraftInput{HTML: "khác", Version: 0}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("lost update not refused: %v", err)
		}
		for _, f := range rollup.Formats {
			var buf bytes.Buffer
			if err := s.Export(ctx, q, f, &buf); err != nil || buf.Len() < 1000 {
				t.Errorf("export %s: %v (%d bytes)", f, err, buf.Len())
			}
		}
		doc, err := s.Document(ctx, q)
		if err != nil || doc.Number != "45/BC-MTTQ" || doc.Kind != "BÁO CÁO" || !strings.Contains(doc.Header.ParentBody, "ỦY BAN MTTQ VIỆT NAM") ||
			doc.Signature.OnBehalf != "TM. BAN THƯỜNG TRỰC" || len(doc.Recipients) == 0 {
			t.Errorf("document: %v %+v", err, doc)
		}
		// A period without data is refused, saying so.
		for _, drafts := range []bool{false, true} {
			err := s.Export(ctx, rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2019Q1"), Drafts: drafts}, "pdf", io.Discard)
			if e, ok := apperr.As(err); !ok || e.Code != apperr.NotFound || !strings.HasPrefix(e.Key, "rollup.err.no_") {
				t.Errorf("empty period (drafts %v): %v", drafts, err)
			}
		}
		// The pages.
		rd := web.NewRenderer()
		rt := web.NewRouter(rd)
		rt.Auth = adminAuth{}
		(&rollup.Handler{Service: s, Render: rd}).Routes(rt)
		for url, want := range map[string]int{
			"/consolidated?period=2021Q3":                           200,
			"/consolidated?period=2021Q3&drafts=1":                  200,
			"/api/v1/consolidated?period=2021Q3":                    200,
			"/dashboard?period=2021Q3":                              200,
			"/dashboard/chart/org.png?period=2021Q3":                200,
			"/dashboard/chart/trend.png?period=2021Q3":              200,
			"/dashboard/chart/area.png?period=2021Q3":               200,
			"/dashboard/chart/plan.png?period=2021Q3":               200,
			"/consolidated/export.docx?period=2021Q3":               200,
			"/consolidated/export.pdf?period=2019Q1":                404,
			"/consolidated/templates":                               200,
			"/consolidated/settings?bloc=" + itoa(blocID):           200,
			"/consolidated?period=2021Q3&area=" + itoa(sub.Area.ID): 200,
		} {
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
			if w.Code != want {
				t.Errorf("GET %s: %d, want %d: %.300s", url, w.Code, want, w.Body.String())
			}
			if strings.HasPrefix(url, "/consolidated?period") && !strings.Contains(url, "area=") && !strings.Contains(w.Body.String(), "348.000.000") {
				t.Errorf("GET %s: no total", url)
			}
		}
		// The secretariat's edit through the page: saved once, a second
		// save from the same version is a conflict that keeps the text.
		post := func() *httptest.ResponseRecorder {
			form := "csrf=t&bloc=" + itoa(blocID) + "&period=2021Q3&version=1&number=46%2FBC-MTTQ&date=2021-08-26&html=Tiếp+nhận+348+triệu+đồng"
			req := httptest.NewRequest("POST", "/consolidated/draft", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			return w
		}
		if w := post(); w.Code != http.StatusSeeOther {
			t.Errorf("save draft: %d %.300s", w.Code, w.Body.String())
		}
		if w := post(); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Tiếp nhận 348 triệu đồng") {
			t.Errorf("stale save: %d", w.Code)
		}
		if dr, _ := s.DraftOf(ctx, blocID, "2021Q3", rep.Area.ID); dr == nil || dr.Version != 2 || dr.Number != "46/BC-MTTQ" || dr.Date.ISO() != "2021-08-26" {
			t.Errorf("draft after page save: %+v", dr)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
