package reporting

import (
	"context"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// TestDerivedRule is the table of what a refresh does to a derived cell.
func TestDerivedRule(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	src, url := "Sổ quỹ COVID19: tiền tiếp nhận (3 phiếu thu)", "/quy/COVID19"
	derived := func(v int64) derivedStored {
		return derivedStored{Present: true, Num: n(v), Version: 2, Derived: true, Source: src, URL: url}
	}
	typed := func(v int64) derivedStored { return derivedStored{Present: true, Num: n(v), Version: 1} }
	want := func(v int64) derivedWant { return derivedWant{Found: true, Value: v, Source: src, URL: url} }
	for _, c := range []struct {
		name string
		st   Status
		have derivedStored
		want derivedWant
		step derivedStep
	}{
		{"nothing anywhere", Draft, derivedStored{}, derivedWant{}, stepKeep},
		{"first receipt", Draft, derivedStored{}, want(5_000_000), stepInsert},
		{"first receipt, report not started", "", derivedStored{}, want(5_000_000), stepInsert},
		{"same figure, same source", Draft, derived(5_000_000), want(5_000_000), stepKeep},
		{"new receipt", Draft, derived(5_000_000), want(7_000_000), stepUpdate},
		{"same figure, source counts another entry", Draft, derived(5_000_000), derivedWant{Found: true, Value: 5_000_000, Source: src + ".", URL: url}, stepUpdate},
		{"every entry reversed", Draft, derived(5_000_000), derivedWant{}, stepDelete},
		{"returned report follows", Returned, derived(5_000_000), want(7_000_000), stepUpdate},
		{"submitted report follows", Submitted, derived(5_000_000), want(7_000_000), stepUpdate},
		{"approved report frozen", Approved, derived(5_000_000), want(7_000_000), stepFrozen},
		{"approved, entries reversed", Approved, derived(5_000_000), derivedWant{}, stepFrozen},
		{"approved, a receipt arrives", Approved, derivedStored{}, want(1_000_000), stepFrozen},
		{"approved, same figure, other sentence", Approved, derived(5_000_000), derivedWant{Found: true, Value: 5_000_000, Source: "x", URL: url}, stepKeep},
		{"approved, unchanged", Approved, derived(5_000_000), want(5_000_000), stepKeep},
		{"typed before the fund, fund silent", Draft, typed(4_000_000), derivedWant{}, stepKeep},
		{"typed before the fund, fund has it", Draft, typed(4_000_000), want(4_000_000), stepUpdate},
		{"typed, approved, fund differs", Approved, typed(4_000_000), want(5_000_000), stepFrozen},
	} {
		if got := derivedRule(c.st, c.have, c.want); got != c.step {
			t.Errorf("%s: step %d, want %d", c.name, got, c.step)
		}
	}
}

// TestDerivedFromFund records receipts and disbursements in a fund and
// checks, on SQLite and PostgreSQL, that the receiving units' reports and
// the consolidated totals follow at once, that typed or imported values
// of the derived indicators are refused naming the cell, that an approved
// report is frozen (with a notice on its entry page) until reopened, and
// that a reversal takes the figure out.
func TestDerivedFromFund(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		is := f.s.Ind
		for _, c := range []string{"QUY_COVID_TIEP_NHAN", "QUY_COVID_CHI_HO_TRO"} {
			must[*indicator.Indicator](t)(is.CreateIndicator(ctx, indicator.IndicatorInput{Code: c, NameVI: "Tiền " + c, Section: "quy", UnitVI: "đồng",
				ValueType: indicator.Money, AggUnits: indicator.Sum, AggPeriods: indicator.Sum}))
		}
		form := must[*indicator.Form](t)(is.FormFor(ctx, f.mttqA.OrganisationID, period.Quarter))
		in := form.Input()
		in.Indicators = append(in.Indicators, "QUY_COVID_TIEP_NHAN", "QUY_COVID_CHI_HO_TRO")
		must[*indicator.Form](t)(is.UpdateForm(ctx, form.ID, in))

		funds := fund.NewStore(d)
		f.s.Derived = funds
		funds.AfterCommit(f.s.FundHook)
		admin := &auth.Principal{Role: auth.Admin, Username: "thu"}
		fctx := audit.WithActor(auth.WithPrincipal(ctx, admin), audit.Actor{Username: "thu"})
		fu := must[*fund.Fund](t)(funds.CreateFund(fctx, admin, fund.FundInput{Code: "COVID19", Name: "Quỹ phòng, chống dịch Covid-19 huyện Thử",
			Purpose: fund.PurposeEpidemic, UnitID: f.mttqDistrict.ID, Campaign: "COVID19", StartDate: db.D(2021, 6, 1)}))
		receipt := func(unitID, amount int64, date db.Date) *fund.Entry {
			t.Helper()
			return must[*fund.Entry](t)(funds.RecordReceipt(fctx, admin, fu.ID, fund.ReceiptInput{Date: date, DonorName: "Nguyễn Văn Minh",
				Amount: amount, Channel: "cash", UnitID: unitID}))
		}
		var qID int64
		if err := d.QueryRowContext(ctx, "SELECT id FROM indicators WHERE code = 'QUY_COVID_TIEP_NHAN'").Scan(&qID); err != nil {
			t.Fatal(err)
		}
		// consolidated is what the roll-up keeps for the whole country
		// (triggers, no job) and what the bloc totals read.
		consolidated := func(approved bool) (rollupTotal, blocTotal int64) {
			t.Helper()
			a := 0
			if approved {
				a = 1
			}
			if err := d.QueryRowContext(ctx, "SELECT COALESCE(SUM(total), 0) FROM rollup_cells WHERE area_id = 0 AND approved = $1 AND period = '2021Q3' AND indicator_id = $2",
				a, qID).Scan(&rollupTotal); err != nil {
				t.Fatal(err)
			}
			tot := must[map[string]int64](t)(f.s.BlocTotals(f.as("thuky"), f.district.ID, "2021Q3", approved))
			return rollupTotal, tot["QUY_COVID_TIEP_NHAN"]
		}
		check := func(what string, unitID int64, wantUnit, wantTotal int64) {
			t.Helper()
			v, ok := f.stored(unitID, "2021Q3")["QUY_COVID_TIEP_NHAN"]
			if got := num(v); wantUnit == 0 && ok || wantUnit != 0 && got != wantUnit {
				t.Errorf("%s: unit's value %d (stored %v), want %d", what, got, ok, wantUnit)
			}
			if r, b := consolidated(false); r != wantTotal || b != wantTotal {
				t.Errorf("%s: consolidated %d (roll-up) / %d (bloc totals), want %d", what, r, b, wantTotal)
			}
		}

		// Typed, through the form or the API, or imported: refused, naming the cell.
		_, err := f.s.SaveValues(f.as("canbo.xa"), f.mttqA.ID, "2021Q3", []ValueInput{val("QUY_COVID_TIEP_NHAN", "5.000.000", 0)})
		if code(err) != apperr.Invalid || fieldKeys(err)["QUY_COVID_TIEP_NHAN"] != "reporting.err.derived" {
			t.Errorf("typed derived value: %v %v", err, fieldKeys(err))
		}
		_, err = f.s.Apply(f.as("thuky"), Batch{Period: "2021Q3", Cells: []CellValue{
			{UnitID: f.mttqA.ID, IndicatorCode: "NHA_KC", Raw: "2", Place: "Sheet1!D5"},
			{UnitID: f.mttqA.ID, IndicatorCode: "QUY_COVID_CHI_HO_TRO", Raw: "1000000", Place: "Sheet1!D9"}}})
		if code(err) != apperr.Invalid || fieldKeys(err)["Sheet1!D9"] != "reporting.err.derived" || len(fieldKeys(err)) != 1 {
			t.Errorf("imported derived value: %v %v", err, fieldKeys(err))
		}
		if err == nil || !strings.Contains(err.Error(), "sổ quỹ COVID19") {
			t.Errorf("%v does not name the source", err)
		}
		check("before any receipt", f.mttqA.ID, 0, 0)

		// A receipt: the unit's report and the consolidated total at once.
		receipt(f.mttqA.ID, 5_000_000, db.D(2021, 8, 1))
		check("first receipt", f.mttqA.ID, 5_000_000, 5_000_000)
		var src, by *string
		if err := d.QueryRowContext(ctx, `SELECT derived_source, CAST(updated_by AS TEXT) FROM data_values WHERE unit_id = $1 AND period = '2021Q3' AND indicator_id = $2`,
			f.mttqA.ID, qID).Scan(&src, &by); err != nil || src == nil || !strings.Contains(*src, "15/06/2021 đến 14/09/2021") || by != nil {
			t.Errorf("derived mark: source %v, by %v (%v)", src, by, err)
		}
		b := receipt(f.mttqB.ID, 3_000_000, db.D(2021, 9, 14))
		check("second unit", f.mttqB.ID, 3_000_000, 8_000_000)
		receipt(f.mttqB.ID, 4_000_000, db.D(2021, 9, 15)) // after the cut-off: Q4
		check("next quarter's receipt", f.mttqB.ID, 3_000_000, 8_000_000)
		if q4 := f.stored(f.mttqB.ID, "2021Q4"); num(q4["QUY_COVID_TIEP_NHAN"]) != 4_000_000 {
			t.Errorf("Q4: %v", q4)
		}
		must[*fund.Entry](t)(funds.RecordDisbursement(fctx, admin, fu.ID, fund.DisbursementInput{Date: db.D(2021, 8, 5), Recipient: "Chốt kiểm soát",
			RecipientKind: "checkpoint", Amount: 1_000_000, Channel: "cash", Purpose: "Thăm hỏi", DecisionNo: "1/QĐ", Approver: "Ban Thường trực", UnitID: f.mttqA.ID}))
		if v := f.stored(f.mttqA.ID, "2021Q3")["QUY_COVID_CHI_HO_TRO"]; num(v) != 1_000_000 {
			t.Errorf("paid out: %v", num(v))
		}

		// The entry page shows the value read-only, with its source.
		e := must[*Entry](t)(f.s.Entry(f.as("canbo.xa"), f.mttqA.ID, "2021Q3", "vi"))
		row := entryRowOf(e, "QUY_COVID_TIEP_NHAN")
		if row == nil || row.Derived == nil || row.Derived.URL != "/quy/COVID19" || !strings.Contains(row.Derived.Source, "1 phiếu thu") ||
			row.Cells[0].Input != "5.000.000" || row.Derived.Changed != "" {
			t.Fatalf("entry row %+v", row)
		}

		// Approved: frozen; the page says the ledger changed since.
		f.s.Submit(f.as("canbo.xa"), f.mttqA.ID, "2021Q3")
		if _, err := f.s.Approve(f.as("thuky"), f.mttqA.ID, "2021Q3"); err != nil {
			t.Fatal(err)
		}
		if r, _ := consolidated(true); r != 5_000_000 {
			t.Errorf("approved total %d", r)
		}
		receipt(f.mttqA.ID, 2_000_000, db.D(2021, 8, 2))
		check("receipt after approval", f.mttqA.ID, 5_000_000, 8_000_000)
		e = must[*Entry](t)(f.s.Entry(f.as("canbo.xa"), f.mttqA.ID, "2021Q3", "vi"))
		if row := entryRowOf(e, "QUY_COVID_TIEP_NHAN"); row.Derived.Changed == "" || !strings.HasPrefix(row.Derived.Changed, "7.000.000") || row.Cells[0].Input != "5.000.000" {
			t.Errorf("approved row %+v", row.Derived)
		}
		if _, err := f.s.Reopen(f.as("thuky"), f.mttqA.ID, "2021Q3", "Cập nhật sổ quỹ"); err != nil {
			t.Fatal(err)
		}
		check("reopened", f.mttqA.ID, 7_000_000, 10_000_000)

		// A reversal takes the figure out.
		if _, err := funds.Reverse(fctx, admin, fu.ID, fund.ReversalInput{Seq: b.Seq, Date: db.D(2021, 9, 1), Reason: "Ghi nhầm đơn vị"}); err != nil {
			t.Fatal(err)
		}
		check("reversed", f.mttqB.ID, 0, 7_000_000)

		// A ledger change the hook did not see (another store without it):
		// opening the page writes nothing (no new version to trip another
		// person's open form); submitting brings the figure in.
		quiet := fund.NewStore(d)
		must[*fund.Entry](t)(quiet.RecordReceipt(fctx, admin, fu.ID, fund.ReceiptInput{Date: db.D(2021, 8, 3), DonorName: "Trần Thị Lan",
			Amount: 500_000, Channel: "cash", UnitID: f.mttqA.ID}))
		before := must[*Report](t)(reportOf(ctx, d, f.mttqA.ID, "2021Q3"))
		must[*Entry](t)(f.s.Entry(f.as("canbo.xa"), f.mttqA.ID, "2021Q3", "vi"))
		after := must[*Report](t)(reportOf(ctx, d, f.mttqA.ID, "2021Q3"))
		if after.Version != before.Version || num(f.stored(f.mttqA.ID, "2021Q3")["QUY_COVID_TIEP_NHAN"]) != 7_000_000 {
			t.Errorf("opening the page wrote: version %d → %d", before.Version, after.Version)
		}
		if _, err := f.s.Submit(f.as("canbo.xa"), f.mttqA.ID, "2021Q3"); err != nil {
			t.Fatal(err)
		}
		check("submitted after an unseen receipt", f.mttqA.ID, 7_500_000, 7_500_000)
	})
}

func entryRowOf(e *Entry, code string) *EntryRow {
	for i := range e.Sections {
		for j := range e.Sections[i].Rows {
			if e.Sections[i].Rows[j].Code == code {
				return &e.Sections[i].Rows[j]
			}
		}
	}
	return nil
}
