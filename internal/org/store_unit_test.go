package org

import (
	"strings"
	"testing"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/i18n"
)

func TestUnitStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s

		u := must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID}))
		if u.Name != "Hội Nông dân Xã Ia Khai" || !u.Active || u.AreaPath != f.c1.Path || u.OrganisationCode != "hnd" {
			t.Fatalf("unit = %+v", u)
		}
		if n := auditCount(t, d, "unit", audit.Create); n != 1 {
			t.Errorf("unit audit entries = %d", n)
		}

		t.Run("one unit per organisation and area, named in the message", func(t *testing.T) {
			_, err := s.CreateUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID, Name: "Trùng"})
			fe := fieldErr(t, err, "area_id")
			msg := i18n.T("vi", fe.Key, fe.Args...)
			if fe.Key != "org.err.unit_taken" || !strings.Contains(msg, "Hội Nông dân") || !strings.Contains(msg, "Xã Ia Khai") {
				t.Fatalf("message %q (%s)", msg, fe.Key)
			}
			other := must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.women.ID, AreaID: f.c1.ID, Name: "Hội LHPN xã Ia Khai"}))
			_, err = s.UpdateUnit(ctx, other.ID, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID, Name: "x"})
			if fieldErr(t, err, "area_id").Key != "org.err.unit_taken" {
				t.Fatal("update into a taken place accepted")
			}
		})

		t.Run("update and audit", func(t *testing.T) {
			off := false
			up := must[*Unit](t)(s.UpdateUnit(ctx, u.ID, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID, Name: "Hội Nông dân xã Ia Khai", Active: &off}))
			if up.Name != "Hội Nông dân xã Ia Khai" || up.Active {
				t.Fatalf("updated = %+v", up)
			}
			if n := auditCount(t, d, "unit", audit.Update); n != 1 {
				t.Errorf("update audit entries = %d", n)
			}
			p := must[string](t)(s.UnitAreaPath(ctx, u.ID))
			if p != f.c1.Path {
				t.Errorf("UnitAreaPath = %s", p)
			}
		})

		t.Run("lists and search", func(t *testing.T) {
			in := must[[]Unit](t)(s.UnitsInSubtree(ctx, f.d1.ID))
			if len(in) != 2 {
				t.Fatalf("units in d1 subtree = %d", len(in))
			}
			if out := must[[]Unit](t)(s.UnitsInSubtree(ctx, f.d2.ID)); len(out) != 0 {
				t.Fatalf("units in d2 = %d", len(out))
			}
			hits := must[[]Unit](t)(s.SearchUnits(ctx, "ia khai nong", 10))
			if len(hits) != 1 || hits[0].ID != u.ID {
				t.Fatalf("search = %+v", hits)
			}
			byOrg := must[[]Unit](t)(s.Units(ctx, UnitFilter{OrganisationID: f.women.ID}))
			if len(byOrg) != 1 {
				t.Fatalf("by organisation = %d", len(byOrg))
			}
		})

		t.Run("delete in use is refused", func(t *testing.T) {
			err := s.DeleteOrganisation(ctx, f.farmers.ID)
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("deleting an organisation with units: %v", err)
			}
			err = s.DeleteArea(ctx, f.c1.ID)
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("deleting an area with units: %v", err)
			}
			if _, err := d.ExecContext(ctx, `INSERT INTO users(username, full_name, password_hash, role, unit_id) VALUES ('cb', 'Cán bộ', 'x', 'officer', $1)`, u.ID); err != nil {
				t.Fatal(err)
			}
			err = s.DeleteUnit(ctx, u.ID)
			_, msg, _ := localize("vi", err)
			if !apperr.Is(err, apperr.Conflict) || !strings.Contains(msg, "đang được sử dụng") {
				t.Fatalf("deleting a unit with a user: %v (%s)", err, msg)
			}
			tmp := must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.women.ID, AreaID: f.c3.ID}))
			if err := s.DeleteUnit(ctx, tmp.ID); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("ensure unit returns the existing one", func(t *testing.T) {
			again := must[*Unit](t)(s.EnsureUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID}))
			if again.ID != u.ID {
				t.Fatal("EnsureUnit created a second unit")
			}
			o := must[*Organisation](t)(s.EnsureOrganisation(ctx, OrganisationInput{Code: "HND", NameVI: "Khác"}))
			if o.ID != f.farmers.ID {
				t.Fatal("EnsureOrganisation created a second organisation")
			}
		})
	})
}

func TestUnitScope(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		sec := &auth.Principal{UserID: 7, Username: "tk", Role: auth.Secretariat, AreaID: f.d1.ID, ScopePath: f.d1.Path}

		mine, err := s.CreateUnitAs(ctx, sec, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c2.ID})
		if err != nil {
			t.Fatalf("secretariat of d1 creating in its commune: %v", err)
		}
		_, err = s.CreateUnitAs(ctx, sec, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c3.ID})
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("secretariat of d1 creating in d2: %v", err)
		}
		_, err = s.UpdateUnitAs(ctx, sec, mine.ID, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c3.ID})
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("secretariat moving a unit out of scope: %v", err)
		}
		theirs := must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.women.ID, AreaID: f.c3.ID}))
		if err := s.DeleteUnitAs(ctx, sec, theirs.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("secretariat deleting out of scope: %v", err)
		}
		for _, role := range []auth.Role{auth.Viewer, auth.Officer, auth.Leader} {
			p := &auth.Principal{Role: role, ScopePath: f.d1.Path}
			if _, err := s.CreateUnitAs(ctx, p, UnitInput{OrganisationID: f.women.ID, AreaID: f.c2.ID}); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s may create units: %v", role, err)
			}
		}
		admin := &auth.Principal{Role: auth.Admin}
		if _, err := s.CreateUnitAs(ctx, admin, UnitInput{OrganisationID: f.women.ID, AreaID: f.c2.ID}); err != nil {
			t.Fatalf("admin: %v", err)
		}
	})
}

func TestBlocsAndBodies(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.d1.ID}))
		must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c1.ID}))
		must[*Unit](t)(s.CreateUnit(ctx, UnitInput{OrganisationID: f.farmers.ID, AreaID: f.c3.ID}))

		b := must[*Bloc](t)(s.CreateBloc(ctx, BlocInput{AreaID: f.d1.ID, Name: "Khối Mặt trận và các đoàn thể huyện Ia Grai"}))
		if members := must[[]Unit](t)(s.BlocMembers(ctx, b.ID)); len(members) != 1 {
			t.Errorf("members = %d", len(members))
		}
		if all := must[[]Unit](t)(s.BlocUnits(ctx, b.ID)); len(all) != 2 {
			t.Errorf("consolidated units = %d", len(all))
		}
		_, err := s.CreateBloc(ctx, BlocInput{AreaID: f.d1.ID, Name: "Khối thứ hai"})
		if fieldErr(t, err, "area_id").Key != "org.err.bloc_taken" {
			t.Error("second bloc on an area accepted")
		}
		if again := must[*Bloc](t)(s.EnsureBloc(ctx, BlocInput{AreaID: f.d1.ID, Name: "x"})); again.ID != b.ID {
			t.Error("EnsureBloc created a second bloc")
		}
		b = must[*Bloc](t)(s.UpdateBloc(ctx, b.ID, BlocInput{AreaID: f.d1.ID, Name: "Khối MTTQ huyện"}))
		if b.Name != "Khối MTTQ huyện" || auditCount(t, d, "bloc", audit.Update) != 1 {
			t.Error("bloc update not recorded")
		}

		hu := must[*ExternalBody](t)(s.CreateExternalBody(ctx, ExternalBodyInput{AreaID: &f.d1.ID, Kind: KindPartyCommittee, Name: "Huyện ủy Ia Grai", ShortName: "Huyện ủy"}))
		dv := must[*ExternalBody](t)(s.CreateExternalBody(ctx, ExternalBodyInput{AreaID: &f.d1.ID, ParentID: &hu.ID, Kind: KindPartyBoard, Name: "Ban Dân vận Huyện ủy", ShortName: "Ban Dân vận"}))
		if dv.ParentName != "Huyện ủy Ia Grai" {
			t.Errorf("parent name %q", dv.ParentName)
		}
		_, err = s.UpdateExternalBody(ctx, hu.ID, ExternalBodyInput{AreaID: &f.d1.ID, ParentID: &dv.ID, Kind: KindPartyCommittee, Name: "Huyện ủy Ia Grai"})
		if fieldErr(t, err, "parent_id").Key != "org.err.body_cycle" {
			t.Error("body cycle accepted")
		}
		_, err = s.CreateExternalBody(ctx, ExternalBodyInput{Kind: "club", Name: ""})
		fieldErr(t, err, "kind")
		fieldErr(t, err, "name")
		list := must[[]ExternalBody](t)(s.ExternalBodies(ctx, f.d1.ID))
		if len(list) != 2 || list[0].ID != hu.ID || list[1].ID != dv.ID {
			t.Errorf("bodies = %+v", list)
		}
		if again := must[*ExternalBody](t)(s.EnsureExternalBody(ctx, ExternalBodyInput{AreaID: &f.d1.ID, ParentID: &hu.ID, Kind: KindPartyBoard, Name: "BAN DAN VAN HUYEN UY"})); again.ID != dv.ID {
			t.Error("EnsureExternalBody created a second body")
		}
		if err := s.DeleteExternalBody(ctx, hu.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("deleting a body with children: %v", err)
		}
		if err := s.DeleteExternalBody(ctx, dv.ID); err != nil {
			t.Fatal(err)
		}
	})
}
