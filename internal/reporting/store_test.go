package reporting

import (
	"context"
	"strings"
	"testing"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
)

func TestSaveValuesAndVersions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := f.as("canbo")
		u := f.hndDistrict.ID
		res, err := f.s.SaveValues(ctx, u, "2021q3", []ValueInput{
			val("QUY_NHAN", "348.000.000", 0), val("HIEN_MAU.nam", "12", 0), val("HIEN_MAU.nu", "9", 0),
			val("CONG_KHAI", "có", 0), val("GHI_CHU", "  Đã làm  ", 0),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Values) != 5 || res.Values[0].Version != 1 {
			t.Fatalf("saved %+v", res.Values)
		}
		st := f.stored(u, "2021Q3")
		if num(st["QUY_NHAN"]) != 348000000 || num(st["HIEN_MAU.nu"]) != 9 || num(st["CONG_KHAI"]) != 1 || *st["GHI_CHU"].Text != "Đã làm" {
			t.Errorf("stored %+v", st)
		}
		if st["QUY_NHAN"].UpdatedByName != "Nguyễn Văn A" {
			t.Errorf("updated by %q", st["QUY_NHAN"].UpdatedByName)
		}
		// The same value again changes nothing, whatever the version.
		res, err = f.s.SaveValues(ctx, u, "2021Q3", []ValueInput{val("QUY_NHAN", "348000000", 0)})
		if err != nil || res.Unchanged != 1 || len(res.Values) != 0 {
			t.Fatalf("resave: %v %+v", err, res)
		}
		// A change from version 1 gives version 2; clearing keeps the row.
		if _, err := f.s.SaveValues(ctx, u, "2021Q3", []ValueInput{val("QUY_NHAN", "350.000.000", 1), val("GHI_CHU", "", 1)}); err != nil {
			t.Fatal(err)
		}
		st = f.stored(u, "2021Q3")
		if st["QUY_NHAN"].Version != 2 || num(st["QUY_NHAN"]) != 350000000 || !st["GHI_CHU"].Empty() || st["GHI_CHU"].Version != 2 {
			t.Errorf("after change %+v", st)
		}
		r, err := f.s.Report(ctx, u, "2021Q3")
		if err != nil || r == nil || r.Status != Draft {
			t.Fatalf("report %+v %v", r, err)
		}
		if n := auditCount(t, d, "report_values", "update"); n != 2 {
			t.Errorf("%d audit entries for values, want one per save that changed something", n)
		}
	})
}

func TestSaveValuesRefusesBadInput(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := f.as("canbo")
		u := f.hndDistrict.ID
		_, err := f.s.SaveValues(ctx, u, "2021Q3", []ValueInput{
			val("QUY_NHAN", "ba trăm", 0),  // not a number
			val("NHA_KC", "-2", 0),         // negative count
			val("KHONG_DUNG", "1", 0),      // not on the form
			val("KHONG_CO", "1", 0),        // no such indicator
			val("HIEN_MAU", "5", 0),        // disaggregated: needs an option
			val("HIEN_MAU.tre_em", "5", 0), // no such option
			val("QUY_CHI.nam", "5", 0),     // not disaggregated
			val("CONG_KHAI", "có lẽ", 0),   // not yes/no
			val("NHA_BG", "1", 0),          // fine on its own
			val("NHA_BG", "2", 0),          // twice
		})
		if code(err) != apperr.Invalid {
			t.Fatalf("err %v", err)
		}
		keys := fieldKeys(err)
		for field, key := range map[string]string{
			"QUY_NHAN": "reporting.err.value", "NHA_KC": "reporting.err.value", "KHONG_DUNG": "reporting.err.not_in_form",
			"KHONG_CO": "reporting.err.no_indicator", "HIEN_MAU": "reporting.err.bad_option", "HIEN_MAU.tre_em": "reporting.err.bad_option",
			"QUY_CHI.nam": "reporting.err.no_options", "CONG_KHAI": "reporting.err.value",
		} {
			if keys[field] != key {
				t.Errorf("%s: %q, want %q (all: %v)", field, keys[field], key, keys)
			}
		}
		_, msg, fields := web.Localize("vi", err)
		if !strings.Contains(msg, "chưa ghi số liệu nào") {
			t.Errorf("message %q", msg)
		}
		joined := ""
		for _, fe := range fields {
			joined += fe.Message + "\n"
		}
		for _, want := range []string{"'ba trăm'", "Chỉ tiêu ngoài biểu", "Hội Nông dân huyện", "Trùng với ô NHA_BG"} {
			if !strings.Contains(joined, want) {
				t.Errorf("messages lack %q:\n%s", want, joined)
			}
		}
		if st := f.stored(u, "2021Q3"); len(st) != 0 {
			t.Errorf("something was written: %+v", st)
		}
		// A bad period is refused before anything else.
		if _, err := f.s.SaveValues(ctx, u, "2021Q5", nil); code(err) != apperr.Invalid {
			t.Errorf("bad period: %v", err)
		}
	})
}

// TestLostUpdate: two people edit the same report; the second save of a
// value the first one changed is refused with both values named, and
// nothing of the second batch is written.
func TestLostUpdate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.hndDistrict.ID
		a, b := f.as("canbo"), f.as("canbo2")
		if _, err := f.s.SaveValues(a, u, "2021Q3", []ValueInput{val("NHA_KC", "10", 0)}); err != nil {
			t.Fatal(err)
		}
		// Both open the report: NHA_KC = 10 at version 1.
		ea := must[*Entry](t)(f.s.Entry(a, u, "2021Q3", "vi"))
		eb := must[*Entry](t)(f.s.Entry(b, u, "2021Q3", "vi"))
		va, vb := cellVersion(ea, "NHA_KC"), cellVersion(eb, "NHA_KC")
		if va != 1 || vb != 1 {
			t.Fatalf("versions %d %d", va, vb)
		}
		f.clock = time.Date(2021, 8, 20, 14, 5, 0, 0, Vietnam)
		if _, err := f.s.SaveValues(a, u, "2021Q3", []ValueInput{val("NHA_KC", "12", va)}); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(3 * time.Minute)
		_, err := f.s.SaveValues(b, u, "2021Q3", []ValueInput{val("NHA_KC", "15", vb), val("QUY_NHAN", "1.000.000", 0)})
		if code(err) != apperr.Conflict {
			t.Fatalf("second save: %v", err)
		}
		_, msg, _ := web.Localize("vi", err)
		want := "Chỉ tiêu 'Nhà khởi công' vừa được Nguyễn Văn A sửa thành 12 lúc 14:05; giá trị của bạn: 15. Hãy chọn giá trị đúng và lưu lại."
		if msg != want {
			t.Errorf("message\n got %q\nwant %q", msg, want)
		}
		if _, en, _ := web.Localize("en", err); !strings.Contains(en, "Nguyễn Văn A") || !strings.Contains(en, "15") {
			t.Errorf("English message %q", en)
		}
		st := f.stored(u, "2021Q3")
		if num(st["NHA_KC"]) != 12 || st["NHA_KC"].Version != 2 {
			t.Errorf("first save lost: %+v", st["NHA_KC"])
		}
		if _, ok := st["QUY_NHAN"]; ok {
			t.Error("the refused batch wrote QUY_NHAN")
		}
		// B chooses 15 knowing of 12: saving from the new version works.
		if _, err := f.s.SaveValues(b, u, "2021Q3", []ValueInput{val("NHA_KC", "15", 2), val("QUY_NHAN", "1.000.000", 0)}); err != nil {
			t.Fatal(err)
		}
		// A saves 15 from the old version: the value is what is stored, no conflict.
		if _, err := f.s.SaveValues(a, u, "2021Q3", []ValueInput{val("NHA_KC", "15", 2)}); err != nil {
			t.Errorf("same value: %v", err)
		}
		// Changed and changed back: the user saw what is stored, no conflict.
		if _, err := f.s.SaveValues(b, u, "2021Q3", []ValueInput{val("NHA_KC", "12", 3)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveValues(b, u, "2021Q3", []ValueInput{val("NHA_KC", "15", 4)}); err != nil {
			t.Fatal(err)
		}
		seen := "15"
		in := val("NHA_KC", "20", 3) // started at version 3 (15), stored is 15 at version 5
		in.Seen = &seen
		if _, err := f.s.SaveValues(a, u, "2021Q3", []ValueInput{in}); err != nil {
			t.Errorf("changed back: %v", err)
		}
		// Narratives follow the same rule.
		if _, err := f.s.SaveNarratives(a, u, "2021Q3", []NarrativeInput{{Section: "ket_qua", HTML: "Một", Version: ptr(int64(0))}}); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.SaveNarratives(b, u, "2021Q3", []NarrativeInput{{Section: "ket_qua", HTML: "Hai", Version: ptr(int64(0))}})
		if code(err) != apperr.Conflict {
			t.Errorf("narrative conflict: %v", err)
		}
	})
}

func cellVersion(e *Entry, key string) int64 {
	for _, s := range e.Sections {
		for _, r := range s.Rows {
			for _, c := range r.Cells {
				if c.Key == key {
					return c.Version
				}
			}
		}
	}
	return -1
}

func TestWorkflowThroughTheService(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.hndDistrict.ID
		officer, leader, secretariat := f.as("canbo"), f.as("lanhdao"), f.as("thuky")
		if _, err := f.s.SaveValues(officer, u, "2021Q3", []ValueInput{val("NHA_KC", "3", 0), val("NHA_BG", "5", 0)}); err != nil {
			t.Fatal(err)
		}
		// A blocking rule refuses the submission.
		_, err := f.s.Submit(officer, u, "2021Q3")
		if code(err) != apperr.Invalid || !strings.Contains(localized(err), "Nhà bàn giao (5) không thể nhiều hơn nhà khởi công (3)") {
			t.Fatalf("blocked submit: %v / %s", err, localized(err))
		}
		if _, err := f.s.SaveValues(officer, u, "2021Q3", []ValueInput{val("NHA_BG", "2", 1)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Approve(officer, u, "2021Q3"); code(err) != apperr.Forbidden {
			t.Errorf("officer approves: %v", err)
		}
		r, err := f.s.Submit(officer, u, "2021Q3")
		if err != nil || r.Status != Submitted || r.Late || r.SubmittedName != "Nguyễn Văn A" {
			t.Fatalf("submit: %+v %v", r, err)
		}
		if _, err := f.s.SaveValues(officer, u, "2021Q3", []ValueInput{val("NHA_BG", "1", 2)}); code(err) != apperr.Invalid || !strings.Contains(localized(err), "đang chờ duyệt") {
			t.Errorf("save while submitted: %v", err)
		}
		if _, err := f.s.ReturnReport(leader, u, "2021Q3", "  "); code(err) != apperr.Invalid {
			t.Errorf("return without comment: %v", err)
		}
		r, err = f.s.ReturnReport(leader, u, "2021Q3", "Thiếu số hội viên mới")
		if err != nil || r.Status != Returned || r.ReturnComment != "Thiếu số hội viên mới" {
			t.Fatalf("return: %+v %v", r, err)
		}
		if _, err := f.s.SaveValues(officer, u, "2021Q3", []ValueInput{val("HOI_VIEN", "7", 0)}); err != nil {
			t.Fatal(err)
		}
		f.clock = time.Date(2021, 9, 25, 8, 0, 0, 0, Vietnam) // after the deadline (19/09)
		r, err = f.s.Submit(officer, u, "2021Q3")
		if err != nil || r.Status != Submitted || r.Late || r.ReturnComment != "" {
			t.Fatalf("resubmit (first sent on time, stays on time): %+v %v", r, err)
		}
		r, err = f.s.Approve(leader, u, "2021Q3")
		if err != nil || r.Status != Approved || r.ApprovedName != "Siu Thoan" {
			t.Fatalf("approve: %+v %v", r, err)
		}
		_, err = f.s.SaveValues(secretariat, u, "2021Q3", []ValueInput{val("HOI_VIEN", "8", 1)})
		if code(err) != apperr.Invalid || !strings.Contains(localized(err), "đã được duyệt nên số liệu bị khóa") {
			t.Errorf("save when approved: %v %s", err, localized(err))
		}
		if _, err := f.s.SaveNarratives(officer, u, "2021Q3", []NarrativeInput{{Section: "ket_qua", HTML: "x"}}); code(err) != apperr.Conflict {
			t.Errorf("narrative when approved: %v", err)
		}
		if _, err := f.s.Reopen(secretariat, u, "2021Q3", ""); code(err) != apperr.Invalid {
			t.Errorf("reopen without reason: %v", err)
		}
		if _, err := f.s.Reopen(officer, u, "2021Q3", "Sửa"); code(err) != apperr.Forbidden {
			t.Errorf("officer reopens: %v", err)
		}
		r, err = f.s.Reopen(secretariat, u, "2021Q3", "Số hội viên nhập nhầm")
		if err != nil || r.Status != Returned || r.ApprovedAt != nil {
			t.Fatalf("reopen: %+v %v", r, err)
		}
		if _, err := f.s.SaveValues(secretariat, u, "2021Q3", []ValueInput{val("HOI_VIEN", "8", 1)}); err != nil {
			t.Errorf("secretariat corrects for the unit: %v", err)
		}
		evs := must[[]Event](t)(f.s.Events(context.Background(), r.ID))
		var got []string
		for _, e := range evs {
			got = append(got, string(e.Action)+":"+string(e.From)+">"+string(e.To))
		}
		want := "submit:draft>submitted return:submitted>returned submit:returned>submitted approve:submitted>approved reopen:approved>returned"
		if strings.Join(got, " ") != want {
			t.Errorf("events\n got %s\nwant %s", strings.Join(got, " "), want)
		}
		if evs[1].Comment != "Thiếu số hội viên mới" || evs[4].FullName != "Rơ Mah H'Lim" {
			t.Errorf("event details %+v", evs)
		}
		for action, n := range map[string]int{"submit": 2, "return": 1, "approve": 1, "reopen": 1} {
			if got := auditCount(t, d, "report", action); got != n {
				t.Errorf("audit %s: %d, want %d", action, got, n)
			}
		}
	})
}

func localized(err error) string {
	_, msg, fields := web.Localize("vi", err)
	for _, f := range fields {
		msg += " | " + f.Message
	}
	return msg
}

func TestLateSubmissionAgainstTheBlocDeadline(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// The bloc closes Q3 early: window 21/05–20/08, due 23/08.
		if err := f.s.SetBlocSettings(f.as("thuky"), f.bloc.ID, periodSettings(21, 1, 3)); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetBlocSettings(f.as("canbo"), f.bloc.ID, periodSettings(15, 0, 5)); code(err) != apperr.Forbidden {
			t.Errorf("officer changes settings: %v", err)
		}
		if err := f.s.SetBlocSettings(f.as("thuky"), f.bloc.ID, periodSettings(30, 3, 99)); code(err) != apperr.Invalid || len(fieldKeys(err)) != 3 {
			t.Errorf("bad settings: %v", err)
		}
		sec := f.as("thuky")
		f.clock = time.Date(2021, 8, 23, 22, 0, 0, 0, Vietnam)
		must[*Report](t)(f.s.Submit(sec, f.mttqA.ID, "2021Q3"))
		f.clock = time.Date(2021, 8, 24, 7, 0, 0, 0, Vietnam)
		must[*Report](t)(f.s.Submit(sec, f.hndA.ID, "2021Q3"))
		a := must[*Report](t)(f.s.Report(sec, f.mttqA.ID, "2021Q3"))
		b := must[*Report](t)(f.s.Report(sec, f.hndA.ID, "2021Q3"))
		if a.Late || !b.Late {
			t.Errorf("late: %v %v", a.Late, b.Late)
		}
		sum := must[*Summary](t)(f.s.Completeness(sec, f.bloc.ID, "2021Q3"))
		states := map[int64]State{}
		for _, r := range sum.Rows {
			states[r.UnitID] = r.State
		}
		if states[f.mttqA.ID] != OnTime || states[f.hndA.ID] != SubmittedLate || states[f.mttqB.ID] != NotStarted || len(sum.Rows) != 5 {
			t.Errorf("states %+v", states)
		}
		if !sum.Remind[0].Overdue || sum.Total.Reported != 2 || sum.Total.OnTime != 1 {
			t.Errorf("summary %+v", sum.Total)
		}
		// A commune secretariat sees its commune only.
		sumB := must[*Summary](t)(f.s.Completeness(f.as("thuky.xa"), f.bloc.ID, "2021Q3"))
		if len(sumB.Rows) != 1 || sumB.Rows[0].UnitID != f.mttqB.ID {
			t.Errorf("scoped rows %+v", sumB.Rows)
		}
	})
}

func TestScope(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.hndDistrict.ID
		if _, err := f.s.SaveValues(f.as("canbo.xa"), u, "2021Q3", []ValueInput{val("NHA_KC", "1", 0)}); code(err) != apperr.Invalid || fieldKeys(err)["NHA_KC"] != "reporting.err.unit_scope" {
			t.Errorf("officer of another unit saves: %v", err)
		}
		if _, err := f.s.Entry(f.as("canbo.xa"), u, "2021Q3", "vi"); code(err) != apperr.NotFound {
			t.Errorf("officer of another unit reads: %v", err)
		}
		if _, err := f.s.Entry(f.as("thuky.xa"), u, "2021Q3", "vi"); code(err) != apperr.NotFound {
			t.Errorf("commune secretariat reads a district unit: %v", err)
		}
		e, err := f.s.Entry(f.as("xem"), u, "2021Q3", "vi")
		if err != nil || e.Editable || len(e.Actions) != 0 {
			t.Errorf("viewer: %v %+v", err, e)
		}
		if _, err := f.s.SaveValues(f.as("xem"), u, "2021Q3", []ValueInput{val("NHA_KC", "1", 0)}); code(err) != apperr.Forbidden {
			t.Errorf("viewer saves: %v", err)
		}
		if _, err := f.s.SaveValues(f.as("lanhdao"), u, "2021Q3", []ValueInput{val("NHA_KC", "1", 0)}); code(err) != apperr.Forbidden {
			t.Errorf("leader saves: %v", err)
		}
		if _, err := f.s.Submit(f.as("thuky.xa"), f.mttqA.ID, "2021Q3"); code(err) != apperr.NotFound {
			t.Errorf("secretariat of another commune submits: %v", err)
		}
		if _, err := f.s.SaveValues(f.as("thuky"), f.mttqA.ID, "2021Q3", []ValueInput{val("NHA_KC", "1", 0)}); err != nil {
			t.Errorf("district secretariat enters for a commune: %v", err)
		}
		if _, err := f.s.SaveValues(context.Background(), u, "2021Q3", nil); code(err) != apperr.Unauthorized {
			t.Errorf("no principal: %v", err)
		}
		list := must[[]Report](t)(f.s.Reports(f.as("canbo"), ReportFilter{}))
		if len(list) != 0 {
			t.Errorf("officer sees another unit's report: %+v", list)
		}
		list = must[[]Report](t)(f.s.Reports(f.as("xem"), ReportFilter{Period: "2021Q3"}))
		if len(list) != 1 || list[0].UnitID != f.mttqA.ID {
			t.Errorf("viewer's list %+v", list)
		}
	})
}

func TestNarrativesAreSanitised(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := f.as("canbo")
		u := f.hndDistrict.ID
		out, err := f.s.SaveNarratives(ctx, u, "2021Q3", []NarrativeInput{
			{Section: "ket_qua", HTML: `<p onclick="x()">Tiếp nhận <b>348 triệu</b></p><script>alert(1)</script>`},
			{Section: "kien_nghi", HTML: "Dòng 1\nDòng 2"},
		})
		if err != nil || len(out) != 2 {
			t.Fatalf("%v %+v", err, out)
		}
		e := must[*Entry](t)(f.s.Entry(ctx, u, "2021Q3", "vi"))
		got := map[string]string{}
		for _, n := range e.Narratives {
			got[n.Code] = n.HTML
		}
		if got["ket_qua"] != "<p>Tiếp nhận <strong>348 triệu</strong></p>" || got["kien_nghi"] != "<p>Dòng 1<br>Dòng 2</p>" || len(e.Narratives) != 4 {
			t.Errorf("narratives %+v", got)
		}
		if _, err := f.s.SaveNarratives(ctx, u, "2021Q3", []NarrativeInput{{Section: "bi_mat", HTML: "x"}}); code(err) != apperr.Invalid {
			t.Errorf("unknown section: %v", err)
		}
	})
}

func TestEntryComparisonsAndTargets(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.as("thuky")
		u := f.mttqA.ID
		for per, v := range map[string]string{"2020Q3": "4", "2021Q1": "1", "2021Q2": "2", "2021Q3": "3"} {
			if _, err := f.s.SaveValues(sec, u, per, []ValueInput{val("NHA_KC", v, 0), val("HIEN_MAU.nam", v, 0), val("HIEN_MAU.nu", "1", 0)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.SetTargets(sec, 2021, []TargetInput{{Indicator: "NHA_KC", UnitID: &u, Value: "8"},
			{Indicator: "NHA_KC", AreaID: &f.district.ID, Value: "20"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SetTargets(f.as("canbo"), 2021, []TargetInput{{Indicator: "NHA_KC", UnitID: &u, Value: "9"}}); code(err) != apperr.Forbidden {
			t.Errorf("officer sets a target: %v", err)
		}
		if _, err := f.s.SetTargets(sec, 2021, []TargetInput{{Indicator: "GHI_CHU", UnitID: &u, Value: "9"}, {Indicator: "NHA_KC", Value: "1"}}); code(err) != apperr.Invalid || len(fieldKeys(err)) != 2 {
			t.Errorf("bad targets: %v", err)
		}
		e := must[*Entry](t)(f.s.Entry(sec, u, "2021Q3", "vi"))
		row := findRow(e, "NHA_KC")
		if row.Previous != "2" || row.SameLastYear != "4" || row.YearToDate != "6" || row.Target != "8" || row.Progress != "75,0%" {
			t.Errorf("row %+v", row)
		}
		hm := findRow(e, "HIEN_MAU")
		if len(hm.Cells) != 2 || hm.Cells[0].OptionName != "Nam" || hm.Total != "4" || hm.Previous != "3" {
			t.Errorf("disaggregated row %+v", hm)
		}
		if e.Sections[0].Name != "Quỹ" || e.PeriodLabel != "Quý III/2021" || e.Deadline.Format("02/01/2006") != "19/09/2021" {
			t.Errorf("entry %+v", e)
		}
		tot := must[map[string]int64](t)(f.s.BlocTotals(sec, f.district.ID, "2021Q3", false))
		if tot["NHA_KC"] != 3 || tot["HIEN_MAU"] != 4 {
			t.Errorf("totals %v", tot)
		}
		if tot := must[map[string]int64](t)(f.s.BlocTotals(sec, f.district.ID, "2021Q3", true)); len(tot) != 0 {
			t.Errorf("approved-only totals %v", tot)
		}
		ts := must[[]Target](t)(f.s.Targets(f.as("canbo.xa"), 2021))
		if len(ts) != 2 {
			t.Errorf("commune officer sees targets %+v", ts)
		}
		// Removing a target: an empty value.
		if n, err := f.s.SetTargets(sec, 2021, []TargetInput{{Indicator: "NHA_KC", UnitID: &u, Value: ""}}); err != nil || n != 1 {
			t.Errorf("remove: %d %v", n, err)
		}
		if auditCount(t, d, "plan", "update") != 2 {
			t.Error("plan changes not audited")
		}
	})
}

func findRow(e *Entry, code string) EntryRow {
	for _, s := range e.Sections {
		for _, r := range s.Rows {
			if r.Code == code {
				return r
			}
		}
	}
	return EntryRow{}
}

func TestMessagesExistInBothLanguages(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		for _, k := range []string{"reporting.err.conflict", "reporting.err.unit_locked_approved", "reporting.err.role.approve", "reporting.state.submitted_late"} {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: %s missing", lang, k)
			}
		}
	}
	for _, a := range Actions {
		if !i18n.Has("en", "reporting.err.role."+string(a)) || !i18n.Has("vi", "reporting.action."+string(a)) {
			t.Errorf("messages of %s missing", a)
		}
	}
	for _, s := range States {
		if !i18n.Has("en", "reporting.state."+string(s)) {
			t.Errorf("state %s missing", s)
		}
	}
}

func TestValuesForTemplates(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.as("thuky")
		must[*SaveResult](t)(f.s.SaveValues(sec, f.mttqA.ID, "2021Q3", []ValueInput{val("NHA_KC", "2", 0), val("HIEN_MAU.nu", "3", 0)}))
		vals := must[map[int64][]Value](t)(f.s.Values(sec, "2021Q3", f.mttqA.ID, f.mttqB.ID))
		if len(vals[f.mttqA.ID]) != 2 || vals[f.mttqA.ID][0].IndicatorCode != "HIEN_MAU" || vals[f.mttqA.ID][1].Version != 1 || len(vals[f.mttqB.ID]) != 0 {
			t.Errorf("values %+v", vals)
		}
		if _, err := f.s.Values(f.as("thuky.xa"), "2021Q3", f.mttqA.ID); code(err) != apperr.NotFound {
			t.Errorf("out of scope: %v", err)
		}
	})
}
