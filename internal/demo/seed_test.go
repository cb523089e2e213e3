package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"giaoban/internal/app"
	"giaoban/internal/demo"
	"giaoban/internal/fund"
	"giaoban/internal/period"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/rollup"
)

// TestSeedNamesUnitsOnce checks the names of the units the demo creates:
// "<organisation> <commune>" with the commune said once ("Đoàn Thanh niên
// xã Ia Tô", never "Đoàn xã xã Ia Tô").
func TestSeedNamesUnitsOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, "SELECT u.name, o.code, a.name FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byKey := map[string]string{}
	for rows.Next() {
		var name, code, area string
		if err := rows.Scan(&name, &code, &area); err != nil {
			t.Fatal(err)
		}
		byKey[code+"@"+area] = name
		low := strings.ToLower(name)
		for _, twice := range []string{"xã xã", "thị trấn thị trấn", "huyện huyện"} {
			if strings.Contains(low, twice) {
				t.Errorf("unit %q (%s@%s) says %q", name, code, area, twice)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"DTN@Xã Ia Tô":             "Đoàn Thanh niên xã Ia Tô",
		"DTN@Thị trấn Ia Blang":    "Đoàn Thanh niên thị trấn Ia Blang",
		"MTTQ@Xã Ia Tô":            "Ủy ban MTTQ xã Ia Tô",
		"DTN@" + demo.DistrictName: "Huyện đoàn " + demo.DistrictShort,
		"HND@" + demo.DistrictName: "Hội Nông dân huyện " + demo.DistrictShort,
		"HLHPN@Xã Ia O":            "Hội LHPN xã Ia O",
	} {
		if byKey[key] != want {
			t.Errorf("unit %s is named %q, want %q", key, byKey[key], want)
		}
	}
}

// TestFundEntriesAreTheClerks checks that the demo fund's entries are
// recorded by an existing account, the district secretariat, as a real
// user's would be: the receipts' "người lập phiếu" is someone.
func TestFundEntriesAreTheClerks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, `SELECT e.created_by, COUNT(*), MIN(u.full_name), MIN(u.role) FROM fund_entries e
		LEFT JOIN users u ON u.username = e.created_by GROUP BY e.created_by`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seen int
	for rows.Next() {
		var by string
		var n int
		var name, role *string
		if err := rows.Scan(&by, &n, &name, &role); err != nil {
			t.Fatal(err)
		}
		seen += n
		if by != demo.FundClerk || name == nil || role == nil || *role != "secretariat" || *name == "" {
			t.Errorf("%d fund entries recorded by %q (account name %v, role %v); want the secretariat %q", n, by, name, role, demo.FundClerk)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatal("no fund entries")
	}
	var clerk string
	for _, u := range demo.Users {
		if u.Username == demo.FundClerk {
			clerk = u.FullName
		}
	}
	if clerk == "" {
		t.Errorf("no demo account %q", demo.FundClerk)
	}
}

// TestQ2FundFigureSaysItsWindow: the Q2 2021 report's 86 million of the
// district Front against 51.05 million in the ledger for April–June is
// not a mismatch: the bloc closes its figures early (Q2 = 21/02–20/05),
// and the report's note says so, with the dates, which sum to the figure.
func TestQ2FundFigureSaysItsWindow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	st := fund.NewStore(d)
	rs := rollup.New(d)
	app.ConnectFunds(st, rs.Rep)
	ctx = auth.WithPrincipal(ctx, &auth.Principal{Role: auth.Admin, Username: "test"})
	var blocID, unitID int64
	if err := d.QueryRowContext(ctx, "SELECT id FROM blocs").Scan(&blocID); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id
		WHERE o.code = 'MTTQ' AND a.name = $1`, demo.DistrictName).Scan(&unitID); err != nil {
		t.Fatal(err)
	}
	rep, err := rs.Report(ctx, rollup.ReportQuery{BlocID: blocID, Period: period.MustParse("2021Q2"), Drafts: true, Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	row := rep.Table.Row("QUY_COVID_TIEP_NHAN")
	if row == nil || row.Derived == nil || row.Window == nil {
		t.Fatalf("Q2 covid row: %+v", row)
	}
	if row.Window.From.ISO() != "2021-02-21" || row.Window.To.ISO() != "2021-05-20" {
		t.Errorf("Q2 window %s–%s, want 2021-02-21–2021-05-20", row.Window.From.ISO(), row.Window.To.ISO())
	}
	var mttq int64 = -1
	for i, o := range rep.Table.Orgs {
		if o.Code == "MTTQ" && row.ByOrg[i].OK {
			mttq = row.ByOrg[i].V
		}
	}
	want := demo.FundFigures["2021Q2"]["MTTQ@"+demo.DistrictName].Received
	inWindow, _, err := st.Totals(ctx, demo.FundCode, unitID, row.Window.From, row.Window.To)
	if err != nil {
		t.Fatal(err)
	}
	calendar, _, err := st.Totals(ctx, demo.FundCode, unitID, db.D(2021, 4, 1), db.D(2021, 6, 30))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("district Front, Q2 2021: report %d, ledger in the window %d, ledger April–June %d", mttq, inWindow, calendar)
	if mttq != want || inWindow != want {
		t.Errorf("district Front Q2 2021: report %d, ledger over the window %d, want %d both", mttq, inWindow, want)
	}
	for lang, s := range map[string]string{"vi": "từ ngày 21/02/2021 đến ngày 20/05/2021", "en": "dated 21/02/2021 to 20/05/2021"} {
		if note := row.DerivedNote(lang); !strings.Contains(note, s) {
			t.Errorf("%s note %q lacks %q", lang, note, s)
		}
	}
}
