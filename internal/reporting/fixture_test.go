package reporting

import (
	"context"
	"testing"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// fixture is a small district with two communes, two organisations, a
// bloc, users of every role and a small catalogue with a quarterly form.
type fixture struct {
	t     *testing.T
	d     *db.DB
	s     *Service
	clock time.Time
	// areas and units by short name
	district, communeA, communeB *org.Area
	bloc                         *org.Bloc
	mttqDistrict, hndDistrict    *org.Unit
	mttqA, hndA, mttqB           *org.Unit
	users                        map[string]*account.User
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ptr[T any](v T) *T { return &v }

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, d: d, s: New(d), users: map[string]*account.User{},
		clock: time.Date(2021, 8, 20, 9, 0, 0, 0, Vietnam)}
	f.s.Now = func() time.Time { return f.clock }
	os := f.s.Org
	must[[]org.AreaLevel](t)(os.EnsureLevels(ctx))
	prov := must[*org.Area](t)(os.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelProvince, Name: "Tỉnh Thử"}))
	f.district = must[*org.Area](t)(os.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelDistrict, Name: "Huyện Thử", ParentID: &prov.ID}))
	f.communeA = must[*org.Area](t)(os.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelCommune, Name: "Xã A", ParentID: &f.district.ID}))
	f.communeB = must[*org.Area](t)(os.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelCommune, Name: "Xã B", ParentID: &f.district.ID}))
	mttq := must[*org.Organisation](t)(os.CreateOrganisation(ctx, org.OrganisationInput{Code: "MTTQ", NameVI: "Mặt trận", SortOrder: 1}))
	hnd := must[*org.Organisation](t)(os.CreateOrganisation(ctx, org.OrganisationInput{Code: "HND", NameVI: "Hội Nông dân", SortOrder: 2}))
	unit := func(o *org.Organisation, a *org.Area, name string) *org.Unit {
		return must[*org.Unit](t)(os.CreateUnit(ctx, org.UnitInput{OrganisationID: o.ID, AreaID: a.ID, Name: name}))
	}
	f.mttqDistrict = unit(mttq, f.district, "Ủy ban MTTQ huyện")
	f.hndDistrict = unit(hnd, f.district, "Hội Nông dân huyện")
	f.mttqA = unit(mttq, f.communeA, "Ủy ban MTTQ xã A")
	f.hndA = unit(hnd, f.communeA, "Hội Nông dân xã A")
	f.mttqB = unit(mttq, f.communeB, "Ủy ban MTTQ xã B")
	f.bloc = must[*org.Bloc](t)(os.CreateBloc(ctx, org.BlocInput{AreaID: f.district.ID, Name: "Khối huyện"}))

	acc := &account.Store{DB: d}
	user := func(name, full string, role auth.Role, unitID, areaID *int64) {
		f.users[name] = must[*account.User](t)(acc.CreateUser(ctx, account.UserInput{Username: name, FullName: full, Role: role,
			UnitID: unitID, AreaID: areaID, Password: "mat-khau-thu-2021"}))
	}
	user("canbo", "Nguyễn Văn A", auth.Officer, &f.hndDistrict.ID, nil)
	user("canbo2", "Trần Thị B", auth.Officer, &f.hndDistrict.ID, nil)
	user("lanhdao", "Siu Thoan", auth.Leader, &f.hndDistrict.ID, nil)
	user("canbo.xa", "Lê Văn C", auth.Officer, &f.mttqA.ID, nil)
	user("thuky", "Rơ Mah H'Lim", auth.Secretariat, nil, &f.district.ID)
	user("thuky.xa", "Thư ký xã", auth.Secretariat, nil, &f.communeB.ID)
	user("xem", "Kpă Ngun", auth.Viewer, nil, &f.district.ID)
	user("quantri", "Quản trị", auth.Admin, nil, nil)

	is := f.s.Ind
	must[*indicator.Section](t)(is.CreateSection(ctx, indicator.SectionInput{Code: "quy", NameVI: "Quỹ", SortOrder: 1}))
	must[*indicator.Section](t)(is.CreateSection(ctx, indicator.SectionInput{Code: "nha", NameVI: "Nhà", SortOrder: 2}))
	must[*indicator.Disaggregation](t)(is.CreateDisaggregation(ctx, indicator.DisaggregationInput{Code: "gender", NameVI: "Giới tính",
		Options: []indicator.Option{{Code: "nam", NameVI: "Nam"}, {Code: "nu", NameVI: "Nữ"}}}))
	ind := func(code, section, name string, vt indicator.ValueType, disagg string, orgs ...string) {
		in := indicator.IndicatorInput{Code: code, NameVI: name, Section: section, UnitVI: "cái", ValueType: vt,
			AggUnits: indicator.Sum, AggPeriods: indicator.Sum, Disaggregation: disagg, Organisations: orgs}
		if vt == indicator.Text {
			in.AggUnits, in.AggPeriods = indicator.None, indicator.None
		}
		must[*indicator.Indicator](t)(is.CreateIndicator(ctx, in))
	}
	ind("QUY_NHAN", "quy", "Tiền tiếp nhận", indicator.Money, "")
	ind("QUY_CHI", "quy", "Tiền chi hỗ trợ", indicator.Money, "")
	ind("HIEN_MAU", "quy", "Lượt hiến máu", indicator.Integer, "gender")
	ind("CONG_KHAI", "quy", "Đã công khai", indicator.YesNo, "")
	ind("GHI_CHU", "quy", "Ghi chú", indicator.Text, "")
	ind("NHA_KC", "nha", "Nhà khởi công", indicator.Integer, "")
	ind("NHA_BG", "nha", "Nhà bàn giao", indicator.Integer, "")
	ind("HOI_VIEN", "nha", "Hội viên mới", indicator.Integer, "", "HND")
	ind("KHONG_DUNG", "nha", "Chỉ tiêu ngoài biểu", indicator.Integer, "")
	must[*indicator.Form](t)(is.CreateForm(ctx, indicator.FormInput{Code: "QUY", NameVI: "Báo cáo quý", PeriodType: "quarter",
		Indicators: []string{"QUY_NHAN", "QUY_CHI", "HIEN_MAU", "CONG_KHAI", "GHI_CHU", "NHA_KC", "NHA_BG", "HOI_VIEN"}}))
	must[*indicator.Rule](t)(is.CreateRule(ctx, indicator.RuleInput{Code: "NHA", Left: "NHA_BG", Operator: "<=", Right: "NHA_KC",
		Severity: indicator.Blocking, MessageVI: "Nhà bàn giao ({left}) không thể nhiều hơn nhà khởi công ({right})."}))
	must[*indicator.Rule](t)(is.CreateRule(ctx, indicator.RuleInput{Code: "QUY", Left: "QUY_CHI", Operator: "<=", Right: "QUY_NHAN",
		Severity: indicator.Warning, MessageVI: "Tiền chi ({left}) nhiều hơn tiền nhận ({right})."}))
	return f
}

// as returns a context acting as the named user (as the web layer builds it).
func (f *fixture) as(name string) context.Context {
	u := f.users[name]
	p := &auth.Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role}
	if u.UnitID != nil {
		p.UnitID = *u.UnitID
		path, err := f.s.Org.UnitAreaPath(context.Background(), p.UnitID)
		if err != nil {
			f.t.Fatal(err)
		}
		p.ScopePath = path
	}
	if u.AreaID != nil {
		p.AreaID = *u.AreaID
		path, err := f.s.Org.AreaPath(context.Background(), p.AreaID)
		if err != nil {
			f.t.Fatal(err)
		}
		p.ScopePath = path
	}
	ctx := auth.WithPrincipal(context.Background(), p)
	return audit.WithActor(ctx, audit.Actor{UserID: u.ID, Username: u.Username})
}

// vals builds value inputs: code[.option], value, version (-1: none given).
func val(key, v string, version int64) ValueInput {
	code, opt := splitKey(key)
	in := ValueInput{Indicator: code, Option: opt, Value: RawValue(v)}
	if version >= 0 {
		in.Version = &version
	}
	return in
}

// stored returns the stored cells of a unit and period by key.
func (f *fixture) stored(unitID int64, per string) map[string]Value {
	f.t.Helper()
	m, err := loadValues(context.Background(), f.d, []int64{unitID}, []string{per})
	if err != nil {
		f.t.Fatal(err)
	}
	if m[unitID][per] == nil {
		return map[string]Value{}
	}
	return m[unitID][per]
}

func num(v Value) int64 {
	if v.Num == nil {
		return -1
	}
	return *v.Num
}

func code(err error) apperr.Code { return apperr.CodeOf(err) }

func auditCount(t *testing.T, d *db.DB, entity, action string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND action = $2", entity, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldKeys lists the field names and keys of an error, for messages.
func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			out[f.Field] = f.Key
		}
	}
	return out
}

func periodSettings(day, early, deadline int) period.Settings {
	return period.Settings{Cutoff: period.CutoffRule{Day: day, MonthsEarly: early}, Deadline: period.DeadlineRule{DaysAfterCutoff: deadline}}
}
