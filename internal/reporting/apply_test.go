package reporting

import (
	"strings"
	"testing"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func cell(unit int64, code, raw, place string) CellValue {
	c, opt := splitKey(code)
	return CellValue{UnitID: unit, IndicatorCode: c, Option: opt, Raw: raw, Place: place}
}

// TestApplyAllOrNothing: a batch for many units with one bad cell writes
// nothing and names every bad place; the corrected batch writes it all;
// Diff says the same without writing.
func TestApplyAllOrNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.as("thuky")
		good := Batch{Period: "2021Q3", Cells: []CellValue{
			cell(f.mttqDistrict.ID, "QUY_NHAN", "300.000.000", "Sheet1!D5"),
			cell(f.mttqA.ID, "QUY_NHAN", "48000000", "Sheet1!D6"),
			cell(f.hndA.ID, "HIEN_MAU.nam", "7", "Sheet1!E7"),
			cell(f.hndA.ID, "HOI_VIEN", "12", "Sheet1!F7"),
			cell(f.mttqB.ID, "NHA_KC", "", "Sheet1!G8"),
		}}
		bad := good
		bad.Cells = append(append([]CellValue(nil), good.Cells...),
			cell(f.mttqB.ID, "NHA_BG", "ba", "Sheet1!D12"),
			cell(f.mttqA.ID, "HOI_VIEN", "3", "Sheet1!F6"), // the MTTQ form does not have it
			cell(f.hndA.ID, "KHONG_DUNG", "1", "Sheet1!H7"),
			CellValue{UnitID: f.hndA.ID, Period: "2021Q2", IndicatorCode: "NHA_KC", Raw: "1", Place: "dòng 9"},
			cell(9999, "NHA_KC", "1", "dòng 10"),
		)
		_, err := f.s.Apply(sec, bad)
		if code(err) != apperr.Invalid {
			t.Fatalf("bad batch: %v", err)
		}
		keys, msgs := fieldKeys(err), localized(err)
		for place, key := range map[string]string{"dòng 9": "reporting.err.other_period", "Sheet1!D12": "reporting.err.value", "Sheet1!F6": "reporting.err.not_in_form",
			"Sheet1!H7": "reporting.err.not_in_form", "dòng 10": "reporting.err.no_unit"} {
			if keys[place] != key {
				t.Errorf("%s: %q, want %q", place, keys[place], key)
			}
		}
		for _, want := range []string{"'ba' không phải là số", "Hội viên mới", "Ủy ban MTTQ xã A"} {
			if !strings.Contains(msgs, want) {
				t.Errorf("messages lack %q: %s", want, msgs)
			}
		}
		for _, u := range []int64{f.mttqDistrict.ID, f.mttqA.ID, f.hndA.ID} {
			if st := f.stored(u, "2021Q3"); len(st) != 0 {
				t.Errorf("unit %d: written %+v", u, st)
			}
			if r, _ := f.s.Report(sec, u, "2021Q3"); r != nil {
				t.Errorf("unit %d: report created by a refused batch", u)
			}
		}

		diff, err := f.s.Diff(sec, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(diff.Changes) != 4 || diff.Unchanged != 1 || diff.Units != 3 || diff.Changes[0].New != "300.000.000 đ" || diff.Changes[0].Old != "" {
			t.Errorf("diff %+v", diff)
		}
		if st := f.stored(f.mttqDistrict.ID, "2021Q3"); len(st) != 0 {
			t.Error("Diff wrote")
		}
		res, err := f.s.Apply(sec, good)
		if err != nil || len(res.Changes) != 4 {
			t.Fatalf("apply: %v %+v", err, res)
		}
		tot := must[map[string]int64](t)(f.s.BlocTotals(sec, f.district.ID, "2021Q3", false))
		if tot["QUY_NHAN"] != 348000000 || tot["HIEN_MAU"] != 7 {
			t.Errorf("totals %v", tot)
		}
		// Second run: old → new in the diff; versions from the file are checked.
		again := Batch{Period: "2021Q3", Cells: []CellValue{cell(f.mttqA.ID, "QUY_NHAN", "50.000.000", "Sheet1!D6")}}
		diff = must[*ApplyResult](t)(f.s.Diff(sec, again))
		if len(diff.Changes) != 1 || diff.Changes[0].Old != "48.000.000 đ" || diff.Changes[0].New != "50.000.000 đ" || diff.Changes[0].OldVersion != 1 {
			t.Errorf("diff %+v", diff.Changes)
		}
		stale := int64(0)
		again.Cells[0].Version = &stale
		if _, err := f.s.Apply(sec, again); code(err) != apperr.Conflict || !strings.Contains(localized(err), "Rơ Mah H'Lim") {
			t.Errorf("stale file: %v %s", err, localized(err))
		}

		// A blocking rule refuses the batch, naming the unit.
		rule := Batch{Period: "2021Q3", Cells: []CellValue{cell(f.mttqB.ID, "NHA_BG", "2", "Sheet1!D12")}}
		if _, err := f.s.Apply(sec, rule); code(err) != apperr.Invalid || !strings.Contains(localized(err), "Ủy ban MTTQ xã B: Nhà bàn giao (2)") {
			t.Errorf("rule: %v %s", err, localized(err))
		}
		// An approved report refuses the batch, naming the unit.
		must[*Report](t)(f.s.Submit(sec, f.hndA.ID, "2021Q3"))
		must[*Report](t)(f.s.Approve(sec, f.hndA.ID, "2021Q3"))
		locked := Batch{Period: "2021Q3", Cells: []CellValue{cell(f.hndA.ID, "HOI_VIEN", "13", "Sheet1!F7"), cell(f.mttqA.ID, "QUY_NHAN", "1", "Sheet1!D6")}}
		_, err = f.s.Apply(sec, locked)
		if fieldKeys(err)["Sheet1!F7"] != "reporting.err.unit_locked_approved" || !strings.Contains(localized(err), "Hội Nông dân xã A") {
			t.Errorf("locked: %v %s", err, localized(err))
		}
		if num(f.stored(f.mttqA.ID, "2021Q3")["QUY_NHAN"]) != 48000000 {
			t.Error("the refused batch wrote another unit")
		}
		// Scope: a commune secretariat cannot import for another commune.
		_, err = f.s.Apply(f.as("thuky.xa"), Batch{Period: "2021Q3", Cells: []CellValue{cell(f.mttqA.ID, "QUY_NHAN", "1", "A1")}})
		if fieldKeys(err)["A1"] != "reporting.err.unit_scope" {
			t.Errorf("scope: %v", err)
		}
		if _, err := f.s.Apply(f.as("canbo"), Batch{Period: "bad"}); code(err) != apperr.Invalid {
			t.Errorf("bad period: %v", err)
		}
	})
}

func TestFieldsErrorIsBounded(t *testing.T) {
	var fe apperr.Fields
	for i := 0; i < MaxFieldErrors+5; i++ {
		fe.Add("A1", "reporting.err.value", "x")
	}
	e, _ := apperr.As(fieldsError(fe, false))
	if len(e.Fields) != MaxFieldErrors+1 || e.Fields[MaxFieldErrors].Key != "reporting.err.more" || e.Args[0] != MaxFieldErrors+5 {
		t.Errorf("%d fields, last %+v, args %v", len(e.Fields), e.Fields[len(e.Fields)-1], e.Args)
	}
}
