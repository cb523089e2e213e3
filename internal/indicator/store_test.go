package indicator

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func testCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return audit.WithActor(c, audit.Actor{Username: "test"})
}

// demoOrgs are the organisations the demo creates; the org room stores
// codes in lower case.
var demoOrgs = []string{"MTTQ", "HND", "HLHPN", "DTN", "HCCB", "LDLD", "HCTD"}

func addOrg(t *testing.T, d *db.DB, code string, order int) int64 {
	t.Helper()
	var id int64
	err := d.Writer().QueryRowContext(context.Background(), `INSERT INTO organisations(code, name_vi, name_en, short_name, sort_order, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, lower(code), "Tổ chức "+code, "Organisation "+code, code, order, true, time.Now().UTC()).Scan(&id)
	if err != nil {
		t.Fatalf("add organisation %s: %v", code, err)
	}
	return id
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func addDemoOrgs(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for i, c := range demoOrgs {
		out[c] = addOrg(t, d, c, (i+1)*10)
	}
	return out
}

// addValuesTable makes sure the reporting room's table of values exists
// (a stand-in with the same columns when its migration is not there).
func addValuesTable(t *testing.T, d *db.DB) {
	t.Helper()
	ok, err := tableExists(context.Background(), d, d.Dialect, ValuesTable)
	if err != nil || ok {
		return
	}
	_, err = d.ExecContext(context.Background(), `CREATE TABLE data_values (
		unit_id      BIGINT NOT NULL REFERENCES units(id),
		period       TEXT NOT NULL,
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		option       TEXT NOT NULL DEFAULT '',
		value_num    BIGINT,
		updated_at   TIMESTAMP NOT NULL)`)
	if err != nil {
		t.Fatal(err)
	}
}

// addValue reports a value for the indicator (for a unit made on the fly).
func addValue(t *testing.T, d *db.DB, indicatorID int64) {
	t.Helper()
	ctx, w, now := context.Background(), d.Writer(), time.Now().UTC()
	var level, area, unit int64
	if err := w.QueryRowContext(ctx, "INSERT INTO area_levels(code, name_vi, name_en, depth) VALUES ($1, 'Xã', 'Commune', 3) RETURNING id",
		fmt.Sprintf("lvl%d", indicatorID)).Scan(&level); err != nil {
		t.Fatal(err)
	}
	if err := w.QueryRowContext(ctx, "INSERT INTO areas(level_id, name, name_folded, path, created_at, updated_at) VALUES ($1, 'Xã A', 'xa a', '/', $2, $2) RETURNING id",
		level, now).Scan(&area); err != nil {
		t.Fatal(err)
	}
	org := addOrg(t, d, fmt.Sprintf("T%d", indicatorID), 999)
	if err := w.QueryRowContext(ctx, "INSERT INTO units(organisation_id, area_id, name, name_folded, active, created_at, updated_at) VALUES ($1, $2, 'Đơn vị', 'don vi', $3, $4, $4) RETURNING id",
		org, area, true, now).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, "INSERT INTO data_values(unit_id, period, indicator_id, value_num, updated_at) VALUES ($1, '2021Q3', $2, 1, $3)",
		unit, indicatorID, now); err != nil {
		t.Fatal(err)
	}
}

// fieldKey returns the message key of a field's error ("" when none).
func fieldKey(err error, field string) string {
	e, ok := apperr.As(err)
	if !ok {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Key
		}
	}
	return ""
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s on %s", key, field)
	}
	if got := fieldKey(err, field); got != key {
		t.Fatalf("error %v: field %s has %q, want %q", err, field, got, key)
	}
}

func wantCode(t *testing.T, err error, code apperr.Code, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code || key != "" && e.Key != key {
		t.Fatalf("error %v, want %s %s", err, code, key)
	}
}

func auditCount(t *testing.T, d *db.DB, entity, action string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND action = $2", entity, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustSection(t *testing.T, s *Store, code, name string) {
	t.Helper()
	if _, err := s.CreateSection(testCtx(t), SectionInput{Code: code, NameVI: name}); err != nil {
		t.Fatal(err)
	}
}

func mustIndicator(t *testing.T, s *Store, in IndicatorInput) *Indicator {
	t.Helper()
	ind, err := s.CreateIndicator(testCtx(t), in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Code, err)
	}
	return ind
}

func TestSectionsAndDisaggregations(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		_, err := s.CreateSection(ctx, SectionInput{Code: "Nhà ở", NameVI: ""})
		wantField(t, err, "code", "indicator.err.section_code_format")
		wantField(t, err, "name_vi", "indicator.err.section_name_required")
		mustSection(t, s, " NHA ", "Nhà Đại đoàn kết, nhà Tình nghĩa")
		_, err = s.CreateSection(ctx, SectionInput{Code: "nha", NameVI: "Trùng"})
		wantField(t, err, "code", "indicator.err.section_code_taken")
		if _, err := s.CreateSection(ctx, SectionInput{Code: "an_sinh", NameVI: "An sinh xã hội", SortOrder: -1}); err != nil {
			t.Fatal(err)
		}
		secs, err := s.Sections(ctx)
		if err != nil || len(secs) != 2 || secs[0].Code != "an_sinh" || secs[1].Code != "nha" {
			t.Fatalf("sections %+v %v", secs, err)
		}
		if _, err := s.UpdateSection(ctx, "nha", SectionInput{Code: "nha_o", NameVI: "Nhà ở", SortOrder: 5}); err != nil {
			t.Fatal(err)
		}

		_, err = s.CreateDisaggregation(ctx, DisaggregationInput{Code: "gender", NameVI: "Giới tính", Options: []Option{{Code: "nam", NameVI: "Nam"}, {Code: "nam", NameVI: "Nữ"}}})
		wantField(t, err, "options[1]", "indicator.err.option_dup")
		_, err = s.CreateDisaggregation(ctx, DisaggregationInput{Code: "gender", NameVI: "Giới tính", Options: []Option{{Code: "nam", NameVI: "Nam"}}})
		wantField(t, err, "options", "indicator.err.options_few")
		g, err := s.CreateDisaggregation(ctx, DisaggregationInput{Code: "gender", NameVI: "Giới tính", Options: []Option{{Code: "nam", NameVI: "Nam"}, {Code: "nu", NameVI: "Nữ"}}})
		if err != nil || len(g.Options) != 2 {
			t.Fatalf("%+v %v", g, err)
		}
		ind := mustIndicator(t, s, IndicatorInput{Code: "HIEN_MAU_LUOT", NameVI: "Số lượt hiến máu", Section: "nha_o", Disaggregation: "gender"})
		if ind.Disaggregation == nil || ind.Disaggregation.Code != "gender" || len(ind.Disaggregation.Options) != 2 {
			t.Fatalf("disaggregation not attached: %+v", ind.Disaggregation)
		}
		// Options can be renamed and added, and removed while no value uses them.
		if _, err := s.UpdateDisaggregation(ctx, "gender", DisaggregationInput{Code: "gender", NameVI: "Giới", Options: []Option{{Code: "nam", NameVI: "Nam giới"}, {Code: "nu", NameVI: "Nữ giới"}, {Code: "khac", NameVI: "Khác"}}}); err != nil {
			t.Fatal(err)
		}
		addValuesTable(t, d)
		addValue(t, d, ind.ID)
		_, err = s.UpdateDisaggregation(ctx, "gender", DisaggregationInput{Code: "gender", NameVI: "Giới", Options: []Option{{Code: "nam", NameVI: "Nam"}, {Code: "nu", NameVI: "Nữ"}}})
		wantField(t, err, "options", "indicator.err.option_in_use")
		wantCode(t, s.DeleteDisaggregation(ctx, "gender"), apperr.Conflict, "indicator.err.disagg_in_use")
		wantCode(t, s.DeleteSection(ctx, "nha_o"), apperr.Conflict, "indicator.err.section_in_use")
		if err := s.DeleteSection(ctx, "an_sinh"); err != nil {
			t.Fatal(err)
		}
		if auditCount(t, d, entitySection, audit.Create) != 2 || auditCount(t, d, entitySection, audit.Update) != 1 ||
			auditCount(t, d, entitySection, audit.Delete) != 1 || auditCount(t, d, entityDisaggregation, audit.Update) != 1 {
			t.Error("audit log incomplete for sections and disaggregations")
		}
	})
}

func TestIndicatorValidation(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		addDemoOrgs(t, d)
		mustSection(t, s, "quy", "Vận động ủng hộ, quỹ")
		cases := []struct {
			in         IndicatorInput
			field, key string
		}{
			{IndicatorInput{NameVI: "x", Section: "quy"}, "code", "indicator.err.code_required"},
			{IndicatorInput{Code: "1ABC", NameVI: "x", Section: "quy"}, "code", "indicator.err.code_format"},
			{IndicatorInput{Code: "QUỸ", NameVI: "x", Section: "quy"}, "code", "indicator.err.code_format"},
			{IndicatorInput{Code: "A", Section: "quy"}, "name_vi", "indicator.err.name_required"},
			{IndicatorInput{Code: "A", NameVI: "x"}, "section", "indicator.err.section_required"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "khong_co"}, "section", "indicator.err.section_unknown"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: "date"}, "value_type", "indicator.err.value_type"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: Decimal}, "scale", "indicator.err.scale"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: Decimal, Scale: 7}, "scale", "indicator.err.scale"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", AggUnits: "median"}, "agg_units", "indicator.err.aggregation"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: Text, AggPeriods: Sum}, "agg_periods", "indicator.err.aggregation_text"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: Text, Max: i64(3)}, "min", "indicator.err.bounds_type"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", Min: i64(-1)}, "min", "indicator.err.min_negative"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", Min: i64(5), Max: i64(4)}, "max", "indicator.err.min_max"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", Organisations: []string{"HND", "HOI_NGUOI_MU"}}, "organisations", "indicator.err.org_unknown"},
			{IndicatorInput{Code: "A", NameVI: "x", Section: "quy", Disaggregation: "tuoi"}, "disaggregation", "indicator.err.disagg_unknown"},
		}
		for _, c := range cases {
			_, err := s.CreateIndicator(ctx, c.in)
			wantField(t, err, c.field, c.key)
		}
		if _, err := s.CreateDisaggregation(ctx, DisaggregationInput{Code: "gender", NameVI: "Giới tính", Options: []Option{{Code: "nam", NameVI: "Nam"}, {Code: "nu", NameVI: "Nữ"}}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateIndicator(ctx, IndicatorInput{Code: "A", NameVI: "x", Section: "quy", ValueType: YesNo, Disaggregation: "gender"})
		wantField(t, err, "disaggregation", "indicator.err.disagg_type")

		// Defaults and normalisation.
		ind := mustIndicator(t, s, IndicatorInput{Code: " quy covid-tiep nhan ", NameVI: "  Tiền ủng hộ  ", Section: "QUY", ValueType: Money,
			Organisations: []string{"mttq", "HND", "Mttq"}, Scale: 3})
		if ind.Code != "QUY_COVID_TIEP_NHAN" || ind.NameVI != "Tiền ủng hộ" || ind.Section != "quy" || ind.Scale != 0 ||
			ind.AggUnits != Sum || ind.AggPeriods != Sum || len(ind.Organisations) != 2 || !ind.ReportedBy("HND") || ind.ReportedBy("DTN") {
			t.Fatalf("normalised indicator %+v", ind)
		}
		txt := mustIndicator(t, s, IndicatorInput{Code: "GHI_CHU", NameVI: "Ghi chú", Section: "quy", ValueType: Text})
		if txt.AggUnits != None || txt.AggPeriods != None {
			t.Fatalf("text aggregation %s/%s", txt.AggUnits, txt.AggPeriods)
		}
		_, err = s.CreateIndicator(ctx, IndicatorInput{Code: "quy_covid_tiep_nhan", NameVI: "x", Section: "quy"})
		wantField(t, err, "code", "indicator.err.code_taken")
	})
}

func TestIndicatorLifecycle(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		mustSection(t, s, "nha", "Nhà")
		mustSection(t, s, "tuyen_truyen", "Tuyên truyền")
		started := mustIndicator(t, s, IndicatorInput{Code: "NHA_KHOI_CONG", NameVI: "Nhà khởi công", Section: "nha", UnitVI: "ngôi nhà", SortOrder: 10})
		handed := mustIndicator(t, s, IndicatorInput{Code: "NHA_BAN_GIAO", NameVI: "Nhà bàn giao", Section: "nha", UnitVI: "ngôi nhà", SortOrder: 20})
		talk := mustIndicator(t, s, IndicatorInput{Code: "TUYEN_TRUYEN_BUOI", NameVI: "Buổi tuyên truyền", Section: "tuyen_truyen"})

		got, err := s.IndicatorByCode(ctx, "nha_ban_giao")
		if err != nil || got.ID != handed.ID {
			t.Fatalf("by code: %+v %v", got, err)
		}
		if _, err := s.IndicatorByID(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("missing id: %v", err)
		}

		// Edit everything while unused, code included.
		in := talk.Input()
		in.Code, in.NameVI, in.ValueType = "TUYEN_TRUYEN_LUOT", "Lượt người tham dự tuyên truyền", Integer
		talk, err = s.UpdateIndicator(ctx, talk.ID, in)
		if err != nil || talk.Code != "TUYEN_TRUYEN_LUOT" {
			t.Fatalf("update: %+v %v", talk, err)
		}

		// A rule naming it fixes its code and forbids deleting it.
		if _, err := s.CreateRule(ctx, RuleInput{Code: "NHA", Left: "nha_ban_giao", Operator: "≤", Right: "NHA_KHOI_CONG", Severity: Warning, MessageVI: "Bàn giao nhiều hơn khởi công"}); err != nil {
			t.Fatal(err)
		}
		in = handed.Input()
		in.Code = "NHA_BAN_GIAO_2"
		_, err = s.UpdateIndicator(ctx, handed.ID, in)
		wantField(t, err, "code", "indicator.err.code_in_rule")
		wantCode(t, s.DeleteIndicator(ctx, handed.ID), apperr.Conflict, "indicator.err.in_rule_delete")

		// Once it has values: only retire, no new code, no new type.
		addValuesTable(t, d)
		addValue(t, d, started.ID)
		if used, err := s.InUse(ctx, started.ID); err != nil || !used {
			t.Fatalf("in use = %v, %v", used, err)
		}
		if used, _ := s.InUse(ctx, talk.ID); used {
			t.Fatal("unused indicator reported in use")
		}
		wantCode(t, s.DeleteIndicator(ctx, started.ID), apperr.Conflict, "indicator.err.in_use_delete")
		in = started.Input()
		in.ValueType = Decimal
		in.Scale = 1
		_, err = s.UpdateIndicator(ctx, started.ID, in)
		wantField(t, err, "value_type", "indicator.err.in_use_type")
		in = started.Input()
		in.Code = "NHA_KHOI_CONG_MOI"
		_, err = s.UpdateIndicator(ctx, started.ID, in)
		wantField(t, err, "code", "indicator.err.in_use_code")
		in = started.Input()
		in.NameVI = "Số nhà khởi công xây dựng"
		if _, err := s.UpdateIndicator(ctx, started.ID, in); err != nil {
			t.Fatalf("renaming an indicator in use: %v", err)
		}
		if r, err := s.SetRetired(ctx, started.ID, true); err != nil || !r.Retired {
			t.Fatalf("retire: %+v %v", r, err)
		}
		active, _ := s.Indicators(ctx, false)
		all, _ := s.Indicators(ctx, true)
		if len(active) != 2 || len(all) != 3 {
			t.Fatalf("%d active, %d in all", len(active), len(all))
		}
		// Order: section, then sort order.
		if all[0].Code != "NHA_KHOI_CONG" || all[1].Code != "NHA_BAN_GIAO" || all[2].Code != "TUYEN_TRUYEN_LUOT" {
			t.Fatalf("order %s %s %s", all[0].Code, all[1].Code, all[2].Code)
		}
		if _, err := s.SetRetired(ctx, started.ID, false); err != nil {
			t.Fatal(err)
		}

		// An unused indicator is deleted, and leaves the forms that had it.
		f, err := s.CreateForm(ctx, FormInput{Code: "Q", NameVI: "Quý", PeriodType: period.Quarter, Indicators: []string{"TUYEN_TRUYEN_LUOT", "NHA_KHOI_CONG"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteIndicator(ctx, talk.ID); err != nil {
			t.Fatal(err)
		}
		if f, _ = s.FormByID(ctx, f.ID); len(f.Indicators) != 1 || f.Indicators[0].Code != "NHA_KHOI_CONG" {
			t.Fatalf("form after delete: %+v", f.Indicators)
		}
		if auditCount(t, d, entityIndicator, audit.Create) != 3 || auditCount(t, d, entityIndicator, audit.Update) != 2 ||
			auditCount(t, d, entityIndicator, "retire") != 1 || auditCount(t, d, entityIndicator, "unretire") != 1 ||
			auditCount(t, d, entityIndicator, audit.Delete) != 1 {
			t.Error("audit log incomplete for indicators")
		}
	})
}

func TestSearch(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		orgs := addDemoOrgs(t, d)
		if _, err := s.InstallDefault(ctx); err != nil {
			t.Fatal(err)
		}
		codes := func(f Filter) []string {
			list, err := s.Search(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, ind := range list {
				out = append(out, ind.Code)
			}
			return out
		}
		if got := codes(Filter{Q: "HIEN MAU"}); !slices.Equal(got, []string{"HIEN_MAU_LUOT", "HIEN_MAU_DON_VI"}) {
			t.Errorf("hien mau: %v", got)
		}
		if got := codes(Filter{Q: "nhà tình nghĩa bàn giao"}); !slices.Contains(got, "NHA_TINH_NGHIA_BAN_GIAO") || slices.Contains(got, "NHA_DDK_BAN_GIAO") {
			t.Errorf("nha tinh nghia: %v", got)
		}
		if got := codes(Filter{Q: "VIEM DA NOI CUC"}); !slices.Contains(got, "VIEM_DA_NOI_CUC_TUYEN_TRUYEN") {
			t.Errorf("typed without diacritics: %v", got)
		}
		if got := codes(Filter{Section: "giam_sat"}); len(got) != 5 || got[0] != "GIAM_SAT_CUOC" {
			t.Errorf("section giam_sat: %v", got)
		}
		dtn := codes(Filter{OrganisationID: orgs["DTN"]})
		if !slices.Contains(dtn, "TINH_NGUYEN_GIO") || slices.Contains(dtn, "NHA_DDK_BAN_GIAO") || !slices.Contains(dtn, "HIEN_MAU_LUOT") {
			t.Errorf("reported by DTN: %v", dtn)
		}
		if got := codes(Filter{Q: "khong co gi nhu the nay"}); len(got) != 0 {
			t.Errorf("nonsense: %v", got)
		}
	})
}
