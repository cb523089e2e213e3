package rollup_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/docgen"
	"giaoban/internal/period"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

// The English report writes numbers the English way (22,524; 348,000,000;
// 12.5) in its drafted text, its table and its documents; the Vietnamese
// one, the default, keeps 22.524.
func TestEnglishReportFormatsNumbersInEnglish(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
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
	for lang, c := range map[string]struct{ want, not []string }{
		"en": {[]string{"22,524", "348 million đồng"}, []string{"22.524"}},
		"vi": {[]string{"22.524", "348 triệu đồng"}, []string{"22,524"}},
	} {
		q := rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2021Q3"), Lang: lang}
		rep, err := s.Report(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(rep.Generated, w) {
				t.Errorf("%s draft lacks %q: %s", lang, w, rep.Generated)
			}
		}
		for _, w := range c.not {
			if strings.Contains(rep.Generated, w) {
				t.Errorf("%s draft says %q: %s", lang, w, rep.Generated)
			}
		}
		row := rep.Table.Row("QUY_COVID_TIEP_NHAN")
		if want := map[string]string{"en": "348,000,000", "vi": "348.000.000"}[lang]; row == nil || !strings.HasPrefix(row.Fmt(row.Total), want+" ") {
			t.Errorf("%s covid total: %v, want %s", lang, row, want)
		}
		doc, err := s.Document(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, b := range doc.Blocks {
			if tb, ok := b.(docgen.Table); ok {
				for _, r := range tb.Rows {
					for _, c := range r {
						cells = append(cells, c.Text)
					}
				}
			}
		}
		all := "|" + strings.Join(cells, "|") + "|"
		money := map[string]string{"en": "|348.0|", "vi": "|348,0|"}[lang]
		count := map[string]string{"en": "|22,524|", "vi": "|22.524|"}[lang]
		if !strings.Contains(all, money) || !strings.Contains(all, count) {
			t.Errorf("%s document tables lack %s or %s: %.500s", lang, money, count, all)
		}
	}
	// The page in English.
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = adminAuth{}
	(&rollup.Handler{Service: s, Render: rd}).Routes(rt)
	req := httptest.NewRequest("GET", "/consolidated?period=2021Q3", nil)
	req.AddCookie(&http.Cookie{Name: "giaoban_lang", Value: "en"})
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, req)
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, "348,000,000") || !strings.Contains(body, "22,524") || strings.Contains(body, "22.524") {
		t.Errorf("English page: %d, 348,000,000 %v, 22,524 %v, 22.524 %v", w.Code, strings.Contains(body, "348,000,000"), strings.Contains(body, "22,524"), strings.Contains(body, "22.524"))
	}
}
