package reporting_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"giaoban/internal/demo"
	"giaoban/internal/fund"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
)

// TestDemoTotalsAreTheArticlesFigures seeds the demo and checks that the
// bloc totals of Q3 2021 are the article's figures, whether all reports or
// only approved ones are counted, and that completeness is as the scenario
// says.
func TestDemoTotalsAreTheArticlesFigures(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		start := time.Now()
		if _, err := demo.Seed(ctx, d); err != nil {
			t.Fatal(err)
		}
		t.Logf("demo seeded in %v", time.Since(start))
		svc := reporting.New(d)
		ctx = auth.WithPrincipal(ctx, &auth.Principal{Role: auth.Admin, Username: "test"})
		var district int64
		if err := d.QueryRowContext(ctx, "SELECT id FROM areas WHERE name = $1", demo.DistrictName).Scan(&district); err != nil {
			t.Fatal(err)
		}
		for _, approvedOnly := range []bool{false, true} {
			tot, err := svc.BlocTotals(ctx, district, "2021Q3", approvedOnly)
			if err != nil {
				t.Fatal(err)
			}
			for code, want := range demo.ArticleTotals {
				if tot[code] != want {
					t.Errorf("approved only %v: %s = %d, want %d", approvedOnly, code, tot[code], want)
				}
			}
			for _, code := range []string{"TUYEN_TRUYEN_PHAP_LUAT_BUOI", "HIEN_MAU_LUOT", "KHAO_SAT_TAO_HON_CUOC", "MO_HINH_KINH_TE",
				"COVID_TUYEN_TRUYEN_BUOI", "VIEM_DA_NOI_CUC_TUYEN_TRUYEN", "CVD_DTTS_BUOI"} {
				if tot[code] <= 0 {
					t.Errorf("%s: no value", code)
				}
			}
			if tot["KHAO_SAT_TAO_HON_CUOC"] != 8 {
				t.Errorf("surveys with Ban Dân vận: %d", tot["KHAO_SAT_TAO_HON_CUOC"])
			}
		}
		for _, per := range []string{"2021Q2", "2020Q3"} {
			tot, err := svc.BlocTotals(ctx, district, per, true)
			if err != nil || tot["TUYEN_TRUYEN_BUOI"] == 0 {
				t.Errorf("%s: comparisons have no data (%v)", per, err)
			}
		}
		var blocID int64
		if err := d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&blocID); err != nil {
			t.Fatal(err)
		}
		sum, err := svc.Completeness(ctx, blocID, "2021Q3")
		if err != nil {
			t.Fatal(err)
		}
		c := sum.Total.Counts
		if sum.Total.Units != 56 || c[reporting.WasReturned] != 1 || c[reporting.InDraft] != 1 || c[reporting.SubmittedLate] != 1 ||
			c[reporting.IsApproved] != 53 || sum.Total.OnTime != 51 || len(sum.Remind) != 2 {
			t.Errorf("completeness: units %d, counts %v, on time %d, remind %d", sum.Total.Units, c, sum.Total.OnTime, len(sum.Remind))
		}
		for _, per := range []string{"2021Q2", "2020Q3"} {
			s, err := svc.Completeness(ctx, blocID, per)
			if err != nil || s.Total.Approved != 56 || s.Total.OnTime != 56 {
				t.Errorf("%s: %+v %v", per, s.Total, err)
			}
		}
		ts, err := svc.Targets(ctx, 2021)
		if err != nil || len(ts) < 300 {
			t.Errorf("plan 2021: %d targets (%v)", len(ts), err)
		}
		var events, audits int
		d.QueryRowContext(ctx, "SELECT COUNT(*) FROM report_events").Scan(&events)
		d.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE entity IN ('report', 'report_values')").Scan(&audits)
		if events < 3*56*2-10 || audits < events {
			t.Errorf("%d events, %d audit entries", events, audits)
		}
		// Seeding is deterministic: a second database gets the same numbers.
		if dbtest.SQLite == string(d.Dialect) {
			d2 := dbtest.Open(t, dbtest.SQLite)
			if _, err := demo.Seed(context.Background(), d2); err != nil {
				t.Fatal(err)
			}
			a, _ := svc.BlocTotals(ctx, district, "2021Q3", false)
			b, _ := reporting.New(d2).BlocTotals(ctx, district, "2021Q3", false)
			for k, v := range a {
				if b[k] != v {
					t.Errorf("not deterministic: %s %d vs %d", k, v, b[k])
				}
			}
		}
	})
}

type adminAuth struct{}

func (adminAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return &auth.Principal{Role: auth.Admin, Username: "quantri", FullName: "Quản trị", CSRF: "x"}, nil
}

// TestDemoPagesAreLightAndTranslated opens the pages of the seeded demo in
// both languages: each under 150 KB, no message key left untranslated.
func TestDemoPagesAreLightAndTranslated(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = adminAuth{}
	svc := reporting.New(d)
	svc.Derived = fund.NewStore(d) // as app.ConnectFunds does
	(&reporting.Handler{Service: svc, Render: rd}).Routes(rt)
	srv := httptest.NewServer(rt.Handler())
	defer srv.Close()
	var unit, bloc int64
	d.QueryRowContext(ctx, "SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id WHERE UPPER(o.code) = 'MTTQ' AND a.name = $1", demo.DistrictName).Scan(&unit)
	d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&bloc)
	paths := []string{
		fmt.Sprintf("/reports/%d/2021Q3", unit), fmt.Sprintf("/reports/%d/2021Q2", unit), "/reports",
		fmt.Sprintf("/reports/completeness?bloc=%d&period=2021Q3", bloc), "/plans/2021", fmt.Sprintf("/plans/2021?unit=%d", unit),
	}
	for _, p := range paths {
		for _, lang := range []string{"vi", "en"} {
			resp, err := http.Get(srv.URL + p + map[bool]string{true: "&", false: "?"}[strings.Contains(p, "?")] + "lang=" + lang)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(b)
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", p, resp.StatusCode)
				continue
			}
			if len(page) > 150<<10 {
				t.Errorf("%s (%s): %d bytes", p, lang, len(page))
			}
			if i := strings.Index(page, ">reporting."); i >= 0 {
				t.Errorf("%s (%s): untranslated key near %q", p, lang, page[i:min(len(page), i+60)])
			}
			t.Logf("%s (%s): %d bytes", p, lang, len(page))
			if strings.HasSuffix(p, "/2021Q3") && lang == "vi" && (!strings.Contains(page, "Số liệu lấy từ sổ quỹ COVID19, không nhập tay.") ||
				!strings.Contains(page, `<strong>207.000.000</strong>`) || !strings.Contains(page, `href="/quy/COVID19"`) || strings.Contains(page, `name="v:QUY_COVID_TIEP_NHAN"`)) {
				t.Errorf("%s: the fund's figure is not shown read-only with its source", p)
			}
			if os.Getenv("DUMP_PAGE") != "" && lang == "vi" && strings.HasSuffix(p, "/2021Q3") {
				os.WriteFile(os.Getenv("DUMP_PAGE"), b, 0o644)
			}
		}
	}
}
