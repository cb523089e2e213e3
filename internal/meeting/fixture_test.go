package meeting_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"giaoban/internal/meeting"
	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
)

func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ptr[T any](v T) *T { return &v }

// fixture is a district with two communes, the district bloc with its
// units (the Front, the Farmers' Union, the Women's Union), a commune
// unit, a second bloc of a commune, the district's external bodies, and
// one principal per role.
type fixture struct {
	d          *db.DB
	s          *meeting.Service
	clock      time.Time
	district   *org.Area
	commune    *org.Area
	bloc       *org.Bloc
	communeBl  *org.Bloc
	mttq, hnd  *org.Unit
	hlhpn      *org.Unit
	hndCommune *org.Unit
	huyenUy    *org.ExternalBody
	bodies     []*org.ExternalBody // boards and the People's Committee
	// Contexts acting as each principal.
	admin, secretariat, officer, leader, viewer, otherOfficer, communeOfficer, communeSecretariat context.Context
	principals                                                                                    map[string]*auth.Principal
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := testCtx(t)
	os := org.NewStore(d)
	must[[]org.AreaLevel](t)(os.EnsureLevels(ctx))
	area := func(parent *org.Area, level, name string) *org.Area {
		in := org.AreaInput{LevelCode: level, Name: name}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		return must[*org.Area](t)(os.CreateArea(ctx, in))
	}
	f := &fixture{d: d, s: meeting.New(d), principals: map[string]*auth.Principal{}}
	f.clock = time.Date(2021, 8, 20, 9, 0, 0, 0, meeting.Vietnam)
	f.s.Now = func() time.Time { return f.clock }
	province := area(nil, org.LevelProvince, "Tỉnh Gia Lai")
	f.district = area(province, org.LevelDistrict, "Huyện Ia Grai Nam")
	f.commune = area(f.district, org.LevelCommune, "Xã Ia Tô")
	other := area(province, org.LevelDistrict, "Huyện Khác")
	orgn := func(code, name, short string, sort int) *org.Organisation {
		return must[*org.Organisation](t)(os.CreateOrganisation(ctx, org.OrganisationInput{Code: code, NameVI: name, ShortName: short, SortOrder: sort}))
	}
	mttq := orgn("MTTQ", "Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ", 10)
	hnd := orgn("HND", "Hội Nông dân Việt Nam", "Hội Nông dân", 20)
	hlhpn := orgn("HLHPN", "Hội Liên hiệp Phụ nữ Việt Nam", "Hội LHPN", 30)
	unit := func(o *org.Organisation, a *org.Area, name string) *org.Unit {
		return must[*org.Unit](t)(os.CreateUnit(ctx, org.UnitInput{OrganisationID: o.ID, AreaID: a.ID, Name: name}))
	}
	f.mttq = unit(mttq, f.district, "Ủy ban MTTQ Việt Nam huyện Ia Grai Nam")
	f.hnd = unit(hnd, f.district, "Hội Nông dân huyện Ia Grai Nam")
	f.hlhpn = unit(hlhpn, f.district, "Hội Liên hiệp Phụ nữ huyện Ia Grai Nam")
	f.hndCommune = unit(hnd, f.commune, "Hội Nông dân xã Ia Tô")
	otherUnit := unit(mttq, other, "Ủy ban MTTQ huyện Khác")
	_ = otherUnit
	f.bloc = must[*org.Bloc](t)(os.CreateBloc(ctx, org.BlocInput{AreaID: f.district.ID, Name: "Khối Mặt trận và các đoàn thể huyện Ia Grai Nam"}))
	f.communeBl = must[*org.Bloc](t)(os.CreateBloc(ctx, org.BlocInput{AreaID: f.commune.ID, Name: "Khối Mặt trận và các đoàn thể xã Ia Tô"}))
	body := func(kind, name, short string, parent *org.ExternalBody) *org.ExternalBody {
		in := org.ExternalBodyInput{AreaID: &f.district.ID, Kind: kind, Name: name, ShortName: short}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		return must[*org.ExternalBody](t)(os.CreateExternalBody(ctx, in))
	}
	f.huyenUy = body(org.KindPartyCommittee, "Huyện ủy Ia Grai Nam", "Huyện ủy", nil)
	f.bodies = []*org.ExternalBody{
		body(org.KindPartyBoard, "Ban Tổ chức Huyện ủy", "Ban Tổ chức", f.huyenUy),
		body(org.KindPartyBoard, "Ban Tuyên giáo Huyện ủy", "Ban Tuyên giáo", f.huyenUy),
		body(org.KindPartyBoard, "Ban Dân vận Huyện ủy", "Ban Dân vận", f.huyenUy),
		body(org.KindGovernment, "Ủy ban nhân dân huyện Ia Grai Nam", "UBND huyện", nil),
	}
	user := func(name string, role auth.Role, unit *org.Unit, area *org.Area) context.Context {
		var uid any
		if unit != nil {
			uid = unit.ID
		}
		var aid any
		if area != nil {
			aid = area.ID
		}
		var id int64
		if err := d.Writer().QueryRowContext(ctx, `INSERT INTO users(username, full_name, password_hash, role, unit_id, area_id)
			VALUES ($1, $2, 'x', $3, $4, $5) RETURNING id`, name, "Người dùng "+name, string(role), uid, aid).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p := &auth.Principal{UserID: id, Username: name, FullName: "Người dùng " + name, Role: role}
		if unit != nil {
			p.UnitID = unit.ID
			p.ScopePath = unit.AreaPath
		}
		if area != nil {
			p.AreaID = area.ID
			p.ScopePath = area.Path
		}
		f.principals[name] = p
		return audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{UserID: id, Username: name})
	}
	f.admin = user("admin", auth.Admin, nil, nil)
	f.secretariat = user("thuky", auth.Secretariat, nil, f.district)
	f.officer = user("canbo.hnd", auth.Officer, f.hnd, nil)
	f.leader = user("lanhdao.hnd", auth.Leader, f.hnd, nil)
	f.viewer = user("huyenuy", auth.Viewer, nil, f.district)
	f.otherOfficer = user("canbo.mttq", auth.Officer, f.mttq, nil)
	f.communeOfficer = user("canbo.hnd.iato", auth.Officer, f.hndCommune, nil)
	f.communeSecretariat = user("thuky.iato", auth.Secretariat, nil, f.commune)
	return f
}

// at is a time of day in Vietnam.
func at(y int, m time.Month, d, h, min int) *time.Time {
	t := time.Date(y, m, d, h, min, 0, 0, meeting.Vietnam)
	return &t
}

// q3Input is the meeting of the seed article, before it is held.
func (f *fixture) q3Input() meeting.MeetingInput {
	in := meeting.MeetingInput{BlocID: f.bloc.ID, Kind: meeting.Quarterly, Period: "2021Q3", StartsAt: at(2021, 8, 26, 14, 0),
		Place: "Hội trường Huyện ủy", Chair: meeting.Person{Name: "Kpă Ngun", Title: "Phó Bí thư Thường trực Huyện ủy", BodyID: &f.huyenUy.ID},
		Agenda:      []string{"Báo cáo kết quả công tác Quý III năm 2021", "Chương trình công tác Quý IV năm 2021"},
		Conclusions: "Tiếp nhận ủng hộ phòng, chống dịch Covid-19 với số tiền 348 triệu đồng."}
	for _, b := range f.bodies {
		in.Attendees = append(in.Attendees, meeting.Attendee{Kind: meeting.AttendeeBody, BodyID: &b.ID})
	}
	for _, u := range []*org.Unit{f.mttq, f.hnd, f.hlhpn} {
		in.Attendees = append(in.Attendees, meeting.Attendee{Kind: meeting.AttendeeUnit, UnitID: &u.ID})
	}
	return in
}

// heldQ3 creates the Q3 meeting and holds it (on the next day's clock).
func (f *fixture) heldQ3(t testing.TB) *meeting.Meeting {
	t.Helper()
	m := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, f.q3Input()))
	f.clock = time.Date(2021, 8, 26, 17, 0, 0, 0, meeting.Vietnam)
	return must[*meeting.Meeting](t)(f.s.Hold(f.secretariat, m.ID, nil))
}

// fields returns the field → message key map of an Invalid error.
func fields(t testing.TB, err error) map[string]string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("error %v is not an application error", err)
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Key
	}
	return out
}

func wantCode(t testing.TB, err error, code apperr.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := apperr.CodeOf(err); got != code {
		var e *apperr.Error
		errors.As(err, &e)
		t.Fatalf("error %v has code %s, want %s", err, got, code)
	}
}

// message renders a key in Vietnamese.
func message(key string, args ...any) string { return i18n.T("vi", key, args...) }
