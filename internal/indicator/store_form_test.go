package indicator

import (
	"testing"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestForms(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		orgs := addDemoOrgs(t, d)
		mustSection(t, s, "a", "A")
		mustIndicator(t, s, IndicatorInput{Code: "CHUNG_1", NameVI: "Chung 1", Section: "a"})
		mustIndicator(t, s, IndicatorInput{Code: "CHUNG_2", NameVI: "Chung 2", Section: "a"})
		mustIndicator(t, s, IndicatorInput{Code: "RIENG_HND", NameVI: "Riêng HND", Section: "a", Organisations: []string{"HND"}})
		old := mustIndicator(t, s, IndicatorInput{Code: "CU", NameVI: "Cũ", Section: "a"})

		_, err := s.CreateForm(ctx, FormInput{Code: "", NameVI: "", PeriodType: "week"})
		wantField(t, err, "code", "indicator.err.form_code_required")
		wantField(t, err, "name_vi", "indicator.err.form_name_required")
		wantField(t, err, "period_type", "indicator.err.period_type")
		wantField(t, err, "indicators", "indicator.err.form_no_indicators")
		_, err = s.CreateForm(ctx, FormInput{Code: "X", NameVI: "X", PeriodType: period.Quarter, Indicators: []string{"CHUNG_1", "KHONG_CO"}})
		wantField(t, err, "indicators", "indicator.err.form_indicator_unknown")
		_, err = s.CreateForm(ctx, FormInput{Code: "X", NameVI: "X", PeriodType: period.Quarter, Indicators: []string{"CHUNG_1", "chung_1"}})
		wantField(t, err, "indicators", "indicator.err.form_indicator_dup")
		_, err = s.CreateForm(ctx, FormInput{Code: "X", NameVI: "X", PeriodType: period.Quarter, Organisation: "DTN", Indicators: []string{"RIENG_HND"}})
		wantField(t, err, "indicators", "indicator.err.form_indicator_org")
		_, err = s.CreateForm(ctx, FormInput{Code: "X", NameVI: "X", PeriodType: period.Quarter, Organisation: "HOI_KHAC", Indicators: []string{"CHUNG_1"}})
		wantField(t, err, "organisation_id", "indicator.err.org_unknown")
		if _, err := s.SetRetired(ctx, old.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateForm(ctx, FormInput{Code: "X", NameVI: "X", PeriodType: period.Quarter, Indicators: []string{"CU"}})
		wantField(t, err, "indicators", "indicator.err.form_indicator_retired")
		if _, err := s.SetRetired(ctx, old.ID, false); err != nil {
			t.Fatal(err)
		}

		generic, err := s.CreateForm(ctx, FormInput{Code: "quy chung", NameVI: "Báo cáo quý", PeriodType: period.Quarter,
			Indicators: []string{"CHUNG_2", "RIENG_HND", "CHUNG_1", "CU"}})
		if err != nil {
			t.Fatal(err)
		}
		if generic.Code != "QUY_CHUNG" || generic.OrganisationID != nil || !generic.Active || len(generic.Narratives) != 4 ||
			!equalCodes(generic.Indicators, "CHUNG_2", "RIENG_HND", "CHUNG_1", "CU") {
			t.Fatalf("generic form %+v", generic)
		}
		_, err = s.CreateForm(ctx, FormInput{Code: "QUY_CHUNG_2", NameVI: "Trùng", PeriodType: period.Quarter, Indicators: []string{"CHUNG_1"}})
		wantField(t, err, "active", "indicator.err.form_active_taken")
		inactive := false
		if _, err := s.CreateForm(ctx, FormInput{Code: "QUY_CHUNG_2", NameVI: "Dự thảo", PeriodType: period.Quarter, Indicators: []string{"CHUNG_1"}, Active: &inactive}); err != nil {
			t.Fatalf("an inactive second form: %v", err)
		}
		_, err = s.CreateForm(ctx, FormInput{Code: "QUY_CHUNG", NameVI: "Trùng mã", PeriodType: period.Month, Indicators: []string{"CHUNG_1"}})
		wantField(t, err, "code", "indicator.err.form_code_taken")

		// The generic form, seen by DTN, leaves out HND's own indicator and the retired one.
		if _, err := s.SetRetired(ctx, old.ID, true); err != nil {
			t.Fatal(err)
		}
		f, err := s.FormFor(ctx, orgs["DTN"], period.Quarter)
		if err != nil || f.ID != generic.ID || !equalCodes(f.Indicators, "CHUNG_2", "CHUNG_1") {
			t.Fatalf("DTN form %+v %v", f, err)
		}
		f, _ = s.FormFor(ctx, orgs["HND"], period.Quarter)
		if !equalCodes(f.Indicators, "CHUNG_2", "RIENG_HND", "CHUNG_1") {
			t.Fatalf("HND form through the generic one: %v", codesOf(f.Indicators))
		}
		// FormByID keeps the retired indicator: old reports show it.
		if f, _ := s.FormByID(ctx, generic.ID); len(f.Indicators) != 4 {
			t.Fatalf("FormByID dropped indicators: %v", codesOf(f.Indicators))
		}
		// An organisation's own form wins.
		own, err := s.CreateForm(ctx, FormInput{Code: "QUY_HND", NameVI: "Quý HND", PeriodType: period.Quarter, OrganisationID: ptr(orgs["HND"]),
			Indicators: []string{"RIENG_HND", "CHUNG_1"}})
		if err != nil || own.OrganisationCode != "hnd" {
			t.Fatalf("own form %+v %v", own, err)
		}
		if f, _ := s.FormFor(ctx, orgs["HND"], period.Quarter); f.ID != own.ID {
			t.Fatalf("HND gets form %s", f.Code)
		}
		if f, _ := s.FormFor(ctx, orgs["DTN"], period.Quarter); f.ID != generic.ID {
			t.Fatalf("DTN gets form %s", f.Code)
		}
		if _, err := s.FormFor(ctx, orgs["HND"], period.Month); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("no monthly form: %v", err)
		}

		// Update: reorder, keep a retired indicator already there, deactivate.
		in := generic.Input()
		in.Indicators = []string{"CU", "CHUNG_1"}
		no := false
		in.Active = &no
		upd, err := s.UpdateForm(ctx, generic.ID, in)
		if err != nil || upd.Active || !equalCodes(upd.Indicators, "CU", "CHUNG_1") {
			t.Fatalf("update %+v %v", upd, err)
		}
		if _, err := s.FormFor(ctx, orgs["DTN"], period.Quarter); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("deactivated form still served: %v", err)
		}
		forms, err := s.Forms(ctx)
		if err != nil || len(forms) != 3 {
			t.Fatalf("forms %d %v", len(forms), err)
		}
		if err := s.DeleteForm(ctx, own.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FormByID(ctx, own.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("deleted form: %v", err)
		}
		if auditCount(t, d, entityForm, audit.Create) != 3 || auditCount(t, d, entityForm, audit.Update) != 1 || auditCount(t, d, entityForm, audit.Delete) != 1 {
			t.Error("audit log incomplete for forms")
		}
	})
}

func TestRules(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		mustSection(t, s, "a", "A")
		mustIndicator(t, s, IndicatorInput{Code: "THU", NameVI: "Thu", Section: "a", ValueType: Money})
		mustIndicator(t, s, IndicatorInput{Code: "CHI", NameVI: "Chi", Section: "a", ValueType: Money})
		mustIndicator(t, s, IndicatorInput{Code: "GHI_CHU", NameVI: "Ghi chú", Section: "a", ValueType: Text})

		_, err := s.CreateRule(ctx, RuleInput{})
		wantField(t, err, "code", "indicator.err.rule_code_required")
		wantField(t, err, "left", "indicator.err.rule_left")
		wantField(t, err, "right", "indicator.err.rule_right")
		wantField(t, err, "operator", "indicator.err.rule_operator")
		wantField(t, err, "message_vi", "indicator.err.rule_message_required")
		_, err = s.CreateRule(ctx, RuleInput{Code: "R", Left: "CHI", Operator: "<=", Right: "THU + KHONG_CO", MessageVI: "m"})
		wantField(t, err, "right", "indicator.err.rule_code_unknown")
		_, err = s.CreateRule(ctx, RuleInput{Code: "R", Left: "GHI_CHU", Operator: "<=", Right: "THU", MessageVI: "m"})
		wantField(t, err, "left", "indicator.err.rule_code_text")
		_, err = s.CreateRule(ctx, RuleInput{Code: "R", Left: "1", Operator: "<=", Right: "2", MessageVI: "m"})
		wantField(t, err, "left", "indicator.err.rule_no_indicator")
		_, err = s.CreateRule(ctx, RuleInput{Code: "R", Left: "CHI", Operator: "<=", Right: "THU", Severity: "fatal", MessageVI: "m"})
		wantField(t, err, "severity", "indicator.err.rule_severity")

		r, err := s.CreateRule(ctx, RuleInput{Code: "chi khong vuot thu", Left: " chi", Operator: "≤", Right: "thu+0", MessageVI: "Chi ({left}) nhiều hơn thu ({right})"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != "CHI_KHONG_VUOT_THU" || r.Left != "CHI" || r.Operator != "<=" || r.Right != "THU + 0" || r.Severity != Warning || !r.Active {
			t.Fatalf("stored rule %+v", r)
		}
		_, err = s.CreateRule(ctx, RuleInput{Code: "CHI_KHONG_VUOT_THU", Left: "CHI", Operator: "<", Right: "THU", MessageVI: "m"})
		wantField(t, err, "code", "indicator.err.rule_code_taken")

		in := r.Input()
		in.Severity, in.Right = Blocking, "THU"
		off := false
		in.Active = &off
		if r, err = s.UpdateRule(ctx, r.ID, in); err != nil || r.Severity != Blocking || r.Active {
			t.Fatalf("update %+v %v", r, err)
		}
		active, _ := s.Rules(ctx)
		all, _ := s.AllRules(ctx)
		if len(active) != 0 || len(all) != 1 {
			t.Fatalf("%d active, %d in all", len(active), len(all))
		}
		if got, err := s.RuleByCode(ctx, "chi_khong_vuot_thu"); err != nil || got.ID != r.ID {
			t.Fatalf("by code %+v %v", got, err)
		}
		if err := s.DeleteRule(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RuleByID(ctx, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("deleted rule: %v", err)
		}
		if auditCount(t, d, entityRule, audit.Create) != 1 || auditCount(t, d, entityRule, audit.Update) != 1 || auditCount(t, d, entityRule, audit.Delete) != 1 {
			t.Error("audit log incomplete for rules")
		}
	})
}

func ptr(v int64) *int64 { return &v }

func equalCodes(inds []Indicator, codes ...string) bool {
	if len(inds) != len(codes) {
		return false
	}
	for i, c := range codes {
		if inds[i].Code != c {
			return false
		}
	}
	return true
}
