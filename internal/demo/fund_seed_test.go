package demo_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"giaoban/internal/app"
	"giaoban/internal/demo"
	"giaoban/internal/fund"
	"giaoban/internal/period"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

// TestFundSeed checks the demo's Covid-19 fund: the article's totals for Q3
// 2021 under every cut-off rule, a few hundred receipts from organisations
// and individuals (some anonymous, by transfer and in cash), the
// disbursements to checkpoints, isolated patients and contact tracers, the
// per-unit figures of the reports, and a log that verifies.
func TestFundSeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	st := fund.NewStore(d)
	for _, w := range []struct {
		name     string
		from, to db.Date
	}{
		{"calendar Q3", db.D(2021, 7, 1), db.D(2021, 9, 30)},
		{"Decree 09 window", db.D(2021, 6, 15), db.D(2021, 9, 14)},
		{"the bloc's early cut-off", db.D(2021, 5, 21), db.D(2021, 8, 20)},
	} {
		rec, paid, err := st.Totals(ctx, demo.FundCode, 0, w.from, w.to)
		if err != nil {
			t.Fatal(err)
		}
		if rec != demo.FundReceived || paid != demo.FundPaidOut {
			t.Errorf("%s: received %d, paid out %d; want %d and %d", w.name, rec, paid, int64(demo.FundReceived), int64(demo.FundPaidOut))
		}
	}
	if demo.FundReceived != demo.ArticleTotals["QUY_COVID_TIEP_NHAN"] || demo.FundPaidOut != demo.ArticleTotals["QUY_COVID_CHI_HO_TRO"] {
		t.Error("the fund's totals are not the article's")
	}
	f, err := st.FundByCode(ctx, demo.FundCode)
	if err != nil {
		t.Fatal(err)
	}
	var allIn, allOut int64
	for _, units := range demo.FundFigures {
		for _, v := range units {
			allIn, allOut = allIn+v.Received, allOut+v.PaidOut
		}
	}
	if f.Name != "Quỹ phòng, chống dịch Covid-19 huyện Ia Grai Nam" || f.UnitName == "" || f.Balance != allIn-allOut {
		t.Errorf("fund %+v", f)
	}
	var n, orgs, people, anon, cash, transfer int
	d.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN party_kind = 'organisation' THEN 1 ELSE 0 END), SUM(CASE WHEN party_kind = 'individual' THEN 1 ELSE 0 END),
		SUM(CASE WHEN anonymous THEN 1 ELSE 0 END), SUM(CASE WHEN channel = 'cash' THEN 1 ELSE 0 END), SUM(CASE WHEN channel = 'transfer' THEN 1 ELSE 0 END)
		FROM fund_entries WHERE fund_id = $1 AND kind = 'receipt'`, f.ID).Scan(&n, &orgs, &people, &anon, &cash, &transfer)
	t.Logf("receipts %d: %d organisations, %d individuals, %d anonymous, %d cash, %d transfer", n, orgs, people, anon, cash, transfer)
	if n < 200 || n > 600 || orgs < 10 || people < 100 || anon < 3 || cash < 30 || transfer < 100 {
		t.Errorf("receipts %d: %d organisations, %d individuals, %d anonymous, %d cash, %d transfer", n, orgs, people, anon, cash, transfer)
	}
	// The units' figures in the reports are the fund's, unit by unit.
	rows, err := d.QueryContext(ctx, "SELECT DISTINCT unit_id FROM fund_entries WHERE fund_id = $1", f.ID)
	if err != nil {
		t.Fatal(err)
	}
	var units []int64
	for rows.Next() {
		var u int64
		rows.Scan(&u)
		units = append(units, u)
	}
	rows.Close()
	var sumRec, sumPaid int64
	for _, u := range units {
		rec, paid, err := st.Totals(ctx, "COVID19", u, db.D(2021, 7, 1), db.D(2021, 9, 30))
		if err != nil {
			t.Fatal(err)
		}
		sumRec += rec
		sumPaid += paid
	}
	if len(units) < 10 || sumRec != demo.FundReceived || sumPaid != demo.FundPaidOut {
		t.Errorf("%d units: %d received, %d paid out", len(units), sumRec, sumPaid)
	}
	if res, err := st.VerifyLog(ctx, f.ID); err != nil {
		t.Fatalf("the demo's log does not verify: %v %v", err, res.Problems)
	}
	dis, err := st.DisclosureStatus(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range dis {
		if m.Status != "on_time" {
			t.Errorf("disclosure of %s: %s", m.Label, m.Status)
		}
	}
	v, ok, err := st.IndicatorValue(ctx, "QUY_COVID_TIEP_NHAN", 0, db.D(2021, 5, 21), db.D(2021, 8, 20))
	if err != nil || !ok || v.Value != demo.FundReceived || v.Source == "" {
		t.Errorf("indicator value %+v %v %v", v, ok, err)
	}
}

// TestDemoConsolidatedFromFund checks that the consolidated Q3 2021 report
// shows the fund's figures, not typed ones: 348.000.000 đ received (and the
// comparisons with Q2 2021 and Q3 2020) come from the ledger, and a
// receipt recorded or reversed moves the consolidated figure at once
// (approved reports stay as approved until reopened).
func TestDemoConsolidatedFromFund(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	st := fund.NewStore(d)
	rs := rollup.New(d)
	app.ConnectFunds(st, rs.Rep)
	admin := &auth.Principal{Role: auth.Admin, Username: "test"}
	ctx = audit.WithActor(auth.WithPrincipal(ctx, admin), audit.Actor{Username: "test"})
	var district int64
	if err := d.QueryRowContext(ctx, "SELECT id FROM areas WHERE name = $1", demo.DistrictName).Scan(&district); err != nil {
		t.Fatal(err)
	}
	unit := func(org, area string) int64 {
		var id int64
		if err := d.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id
			WHERE o.code = $1 AND a.name = $2`, org, area).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	row := func(approved bool, code string) *rollup.Row {
		t.Helper()
		tab, err := rs.Table(ctx, rollup.TableQuery{AreaID: district, Period: period.MustParse("2021Q3"), Approved: approved, Lang: "vi"})
		if err != nil {
			t.Fatal(err)
		}
		r := tab.Row(code)
		if r == nil {
			t.Fatalf("no row %s", code)
		}
		return r
	}
	r := row(true, "QUY_COVID_TIEP_NHAN")
	if r.Total.V != 348_000_000 || r.Derived == nil || r.Derived.Label != "sổ quỹ COVID19" || r.Derived.URL != "/quy/COVID19" {
		t.Errorf("received: %+v, mark %+v", r.Total, r.Derived)
	}
	var q2, q3 int64
	for _, v := range demo.FundFigures["2021Q2"] {
		q2 += v.Received
	}
	for _, v := range demo.FundFigures["2020Q3"] {
		q3 += v.Received
	}
	if r.Prev.V != q2 || r.LastYear.V != q3 || q2 == 0 || q3 == 0 {
		t.Errorf("comparisons: previous %+v (want %d), last year %+v (want %d)", r.Prev, q2, r.LastYear, q3)
	}
	if p := row(true, "QUY_COVID_CHI_HO_TRO"); p.Total.V != demo.FundPaidOut || p.Derived == nil {
		t.Errorf("paid out: %+v", p.Total)
	}
	// The page and the workbook say where the figures come from, and which
	// dates of the ledger the period counts (the bloc's window).
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = adminAuth{}
	(&rollup.Handler{Service: rs, Render: rd}).Routes(rt)
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, httptest.NewRequest("GET", "/consolidated?period=2021Q3", nil))
	if page := w.Body.String(); w.Code != 200 || !strings.Contains(page, "Số liệu lấy từ sổ quỹ COVID19: các khoản ghi sổ từ ngày 21/05/2021 đến ngày 20/08/2021") || !strings.Contains(page, `href="/quy/COVID19"`) {
		t.Errorf("consolidated page (%d) does not mark the fund's rows", w.Code)
	}
	w = httptest.NewRecorder()
	rt.ServeHTTP(w, httptest.NewRequest("GET", "/consolidated/export.xlsx?period=2021Q3", nil))
	if w.Code != 200 || !strings.Contains(xlsxStrings(t, w.Body.Bytes()), "(Số liệu lấy từ sổ quỹ COVID19: các khoản ghi sổ từ ngày 21/05/2021 đến ngày 20/08/2021") {
		t.Errorf("consolidated workbook (%d) does not mark the fund's rows", w.Code)
	}
	var typed, derived int
	d.QueryRowContext(ctx, `SELECT SUM(CASE WHEN v.derived_source IS NULL OR v.updated_by IS NOT NULL THEN 1 ELSE 0 END), COUNT(*)
		FROM data_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.code IN ('QUY_COVID_TIEP_NHAN', 'QUY_COVID_CHI_HO_TRO')`).Scan(&typed, &derived)
	if typed != 0 || derived < 20 {
		t.Errorf("fund figures: %d typed, %d derived", typed, derived)
	}

	// A receipt for a unit whose report is still under review (submitted
	// late, not approved): the consolidated figure with drafts moves at
	// once; the approved one does not.
	f, err := st.FundByCode(ctx, demo.FundCode)
	if err != nil {
		t.Fatal(err)
	}
	pending := unit("HCCB", "Xã Ia Bă")
	if _, err := st.RecordReceipt(ctx, admin, f.ID, fund.ReceiptInput{Date: db.D(2021, 8, 10), DonorName: "Trần Văn Hùng", Amount: 1_500_000,
		Channel: "cash", UnitID: pending}); err != nil {
		t.Fatal(err)
	}
	if got := row(false, "QUY_COVID_TIEP_NHAN").Total.V; got != 349_500_000 {
		t.Errorf("with drafts after a new receipt: %d", got)
	}
	if got := row(true, "QUY_COVID_TIEP_NHAN").Total.V; got != 348_000_000 {
		t.Errorf("approved only after a new receipt: %d", got)
	}
	// A receipt of an approved commune reversed: frozen until the report
	// is reopened, then the consolidated figure follows.
	iaO := unit("MTTQ", "Xã Ia O")
	var seq, amount int64
	if err := d.QueryRowContext(ctx, "SELECT seq, amount FROM fund_entries WHERE fund_id = $1 AND unit_id = $2 AND kind = 'receipt' AND date >= '2021-07-01' ORDER BY seq LIMIT 1",
		f.ID, iaO).Scan(&seq, &amount); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reverse(ctx, admin, f.ID, fund.ReversalInput{Seq: seq, Date: db.D(2021, 8, 19), Reason: "Ghi nhầm"}); err != nil {
		t.Fatal(err)
	}
	if got := row(false, "QUY_COVID_TIEP_NHAN").Total.V; got != 349_500_000 {
		t.Errorf("approved report changed by a reversal: %d", got)
	}
	if _, err := rs.Rep.Reopen(ctx, iaO, "2021Q3", "Sổ quỹ đã điều chỉnh"); err != nil {
		t.Fatal(err)
	}
	if got := row(false, "QUY_COVID_TIEP_NHAN").Total.V; got != 349_500_000-amount {
		t.Errorf("after reopening: %d, want %d", got, 349_500_000-amount)
	}
}

type adminAuth struct{}

func (adminAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return &auth.Principal{Role: auth.Admin, Username: "quantri", FullName: "Quản trị", CSRF: "x"}, nil
}

// xlsxStrings returns the shared strings of a workbook.
func xlsxStrings(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/sharedStrings") || strings.HasPrefix(f.Name, "xl/worksheets/") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(rc)
			rc.Close()
			out.Write(x)
		}
	}
	return out.String()
}
