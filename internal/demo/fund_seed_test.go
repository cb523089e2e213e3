package demo_test

import (
	"context"
	"testing"
	"time"

	"giaoban/internal/demo"
	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
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
