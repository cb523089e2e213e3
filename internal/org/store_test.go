package org

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/i18n"
)

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return audit.WithActor(ctx, audit.Actor{Username: "tester"})
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

// fixture is a small territory: a province with two districts, three
// communes and a village, and two organisations.
type fixture struct {
	s                   *Store
	levels              map[string]AreaLevel
	province, d1, d2    *Area
	c1, c2, c3, village *Area
	farmers, women      *Organisation
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := testCtx(t)
	f := &fixture{s: NewStore(d), levels: map[string]AreaLevel{}}
	for _, l := range must[[]AreaLevel](t)(f.s.EnsureLevels(ctx)) {
		f.levels[l.Code] = l
	}
	area := func(parent *Area, level, name, code string) *Area {
		in := AreaInput{LevelCode: level, Name: name}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		if code != "" {
			in.Code = &code
		}
		return must[*Area](t)(f.s.CreateArea(ctx, in))
	}
	f.province = area(nil, LevelProvince, "Tỉnh Gia Lai", "64")
	f.d1 = area(f.province, LevelDistrict, "Huyện Ia Grai", "628")
	f.d2 = area(f.province, LevelDistrict, "Huyện Chư Păh", "627")
	f.c1 = area(f.d1, LevelCommune, "Xã Ia Khai", "23434")
	f.c2 = area(f.d1, LevelCommune, "Xã Ia Tô", "23437")
	f.c3 = area(f.d2, LevelCommune, "Xã Ia Kha", "23410")
	f.village = area(f.c1, LevelVillage, "Làng Dút", "")
	f.farmers = must[*Organisation](t)(f.s.CreateOrganisation(ctx, OrganisationInput{Code: "hnd", NameVI: "Hội Nông dân", NameEN: "Farmers' Union", ShortName: "Hội Nông dân", SortOrder: 20}))
	f.women = must[*Organisation](t)(f.s.CreateOrganisation(ctx, OrganisationInput{Code: "hlhpn", NameVI: "Hội Liên hiệp Phụ nữ", ShortName: "Hội LHPN", SortOrder: 30}))
	return f
}

func auditCount(t *testing.T, d *db.DB, entity, action string) int {
	t.Helper()
	list, err := audit.List(testCtx(t), d, audit.Filter{Entity: entity, Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// fieldErr returns the key of the error on field, failing when there is none.
func fieldErr(t *testing.T, err error, field string) apperr.FieldError {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("want a field error on %s, got %v", field, err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f
		}
	}
	t.Fatalf("want a field error on %s, got %v", field, err)
	return apperr.FieldError{}
}

func TestAreaStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s

		t.Run("levels are ensured once", func(t *testing.T) {
			ls := must[[]AreaLevel](t)(s.EnsureLevels(ctx))
			if len(ls) != 4 || ls[0].Code != LevelProvince || ls[3].Depth != 4 {
				t.Fatalf("levels = %+v", ls)
			}
			if n := auditCount(t, d, "area_level", audit.Create); n != 4 {
				t.Errorf("level audit entries = %d, want 4", n)
			}
		})

		t.Run("paths and depth are materialised", func(t *testing.T) {
			v := must[*Area](t)(s.Area(ctx, f.village.ID))
			want := "/" + itoa(f.province.ID) + "/" + itoa(f.d1.ID) + "/" + itoa(f.c1.ID) + "/" + itoa(v.ID) + "/"
			if v.Path != want || v.Depth != 4 || v.LevelCode != LevelVillage || v.ParentName != "Xã Ia Khai" {
				t.Fatalf("village = %+v, want path %s", v, want)
			}
			if p := must[string](t)(s.AreaPath(ctx, f.c1.ID)); p != f.c1.Path {
				t.Errorf("AreaPath = %q, want %q", p, f.c1.Path)
			}
			sub := must[[]Area](t)(s.Subtree(ctx, f.d1.ID))
			if len(sub) != 4 || sub[0].ID != f.d1.ID {
				t.Errorf("subtree of d1 = %d areas", len(sub))
			}
			if n := auditCount(t, d, "area", audit.Create); n != 7 {
				t.Errorf("area audit entries = %d, want 7", n)
			}
		})

		t.Run("moving an area moves its subtree", func(t *testing.T) {
			in := inputOf(f.c1)
			in.ParentID = &f.d2.ID
			moved := must[*Area](t)(s.UpdateArea(ctx, f.c1.ID, in))
			if !strings.HasPrefix(moved.Path, f.d2.Path) {
				t.Fatalf("moved path %s not under %s", moved.Path, f.d2.Path)
			}
			v := must[*Area](t)(s.Area(ctx, f.village.ID))
			if v.Path != moved.Path+itoa(v.ID)+"/" {
				t.Fatalf("village path %s not under moved commune %s", v.Path, moved.Path)
			}
			if n := auditCount(t, d, "area", audit.Update); n < 1 {
				t.Error("no audit entry for the move")
			}
			// And back.
			in.ParentID = &f.d1.ID
			back := must[*Area](t)(s.UpdateArea(ctx, f.c1.ID, in))
			if back.Path != f.c1.Path {
				t.Fatalf("path after moving back = %s, want %s", back.Path, f.c1.Path)
			}
		})

		t.Run("an area cannot become its own ancestor", func(t *testing.T) {
			in := inputOf(f.d1)
			in.ParentID = &f.c1.ID // a child of d1
			in.LevelCode, in.LevelID = "", f.levels[LevelVillage].ID
			_, err := s.UpdateArea(ctx, f.d1.ID, in)
			if fe := fieldErr(t, err, "parent_id"); fe.Key != "org.err.cycle" {
				t.Fatalf("key = %s", fe.Key)
			}
			in.ParentID = &f.d1.ID
			_, err = s.UpdateArea(ctx, f.d1.ID, in)
			if fe := fieldErr(t, err, "parent_id"); fe.Key != "org.err.cycle" {
				t.Fatalf("self parent: key = %s", fe.Key)
			}
			if a := must[*Area](t)(s.Area(ctx, f.d1.ID)); a.Path != f.d1.Path {
				t.Fatalf("refused move changed the path to %s", a.Path)
			}
		})

		t.Run("validation", func(t *testing.T) {
			_, err := s.CreateArea(ctx, AreaInput{ParentID: &f.c1.ID, LevelCode: LevelDistrict, Name: "Huyện lạc chỗ"})
			if fe := fieldErr(t, err, "level_id"); fe.Key != "org.err.parent_level" {
				t.Errorf("parent level: %s", fe.Key)
			}
			_, err = s.CreateArea(ctx, AreaInput{LevelCode: "nope", Name: " "})
			fieldErr(t, err, "level_id")
			fieldErr(t, err, "name")
			_, err = s.CreateArea(ctx, AreaInput{ParentID: &f.d1.ID, LevelCode: LevelCommune, Name: "Xã Mới", Code: ptr("23A"),
				ValidFrom: db.D(2021, 1, 1), ValidTo: db.D(2020, 1, 1)})
			fieldErr(t, err, "code")
			fieldErr(t, err, "valid_to")
			_, err = s.CreateArea(ctx, AreaInput{ParentID: &f.d1.ID, LevelCode: LevelCommune, Name: "Xã Trùng Mã", Code: ptr("23437")})
			if fe := fieldErr(t, err, "code"); fe.Key != "org.err.code_taken" {
				t.Errorf("code taken: %s", fe.Key)
			}
			_, err = s.CreateArea(ctx, AreaInput{ParentID: &f.d1.ID, LevelCode: LevelCommune, Name: "XÃ IA TÔ"})
			if fe := fieldErr(t, err, "name"); fe.Key != "org.err.name_taken" {
				t.Errorf("sibling name: %s", fe.Key)
			}
			// A level change that would put the district below its communes.
			in := inputOf(f.d1)
			in.LevelID = f.levels[LevelVillage].ID
			_, err = s.UpdateArea(ctx, f.d1.ID, in)
			if fe := fieldErr(t, err, "level_id"); fe.Key != "org.err.child_level" {
				t.Errorf("child level: %s", fe.Key)
			}
		})

		t.Run("delete only when unused", func(t *testing.T) {
			err := s.DeleteArea(ctx, f.d1.ID)
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("deleting a district with communes: %v", err)
			}
			_, msg, _ := localize("vi", err)
			if !strings.Contains(msg, "đang được sử dụng") || !strings.Contains(msg, "Huyện Ia Grai") {
				t.Errorf("message %q", msg)
			}
			tmp := must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &f.c2.ID, LevelCode: LevelVillage, Name: "Thôn Tạm"}))
			if err := s.DeleteArea(ctx, tmp.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Area(ctx, tmp.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("deleted area still there: %v", err)
			}
			if n := auditCount(t, d, "area", audit.Delete); n != 1 {
				t.Errorf("delete audit entries = %d", n)
			}
		})

		t.Run("search ignores diacritics, case and word order", func(t *testing.T) {
			for _, q := range []string{"ia kha", "IA KHA", "Ia Khà", "kha ia", "xa ia kh", "Ia Kha\u0300", "IA  KHA"} {
				hits := must[[]Area](t)(s.SearchAreas(ctx, q, 10))
				found := false
				for _, h := range hits {
					if h.ID == f.c3.ID {
						found = true
					}
				}
				if !found {
					t.Errorf("search %q did not find Xã Ia Kha: %v", q, names(hits))
				}
			}
			if hits := must[[]Area](t)(s.SearchAreas(ctx, "ha", 10)); len(hits) != 0 {
				t.Errorf("'ha' is no word prefix, found %v", names(hits))
			}
			hits := must[[]Area](t)(s.SearchAreas(ctx, "ia", 10))
			if len(hits) != 4 { // Ia Grai, Ia Khai, Ia Tô, Ia Kha
				t.Errorf("'ia' found %v", names(hits))
			}
		})

		t.Run("tree", func(t *testing.T) {
			roots := must[[]*AreaNode](t)(s.AreaTree(ctx))
			if len(roots) != 1 || len(roots[0].Children) != 2 || roots[0].Children[0].Name != "Huyện Chư Păh" {
				t.Fatalf("tree roots %+v", roots)
			}
			cut := must[[]*AreaNode](t)(s.AreaTreeUnder(ctx, 0, 3))
			if len(cut[0].Children) != 2 || len(cut[0].Children[0].Children) != 0 || !cut[0].Children[1].Cut() {
				t.Fatalf("cut tree: %+v", cut[0].Children)
			}
		})

		t.Run("ensure area finds the existing one", func(t *testing.T) {
			a := must[*Area](t)(s.EnsureArea(ctx, AreaInput{ParentID: &f.c1.ID, LevelCode: LevelVillage, Name: "LÀNG DÚT"}))
			if a.ID != f.village.ID {
				t.Fatalf("EnsureArea created a new area %d", a.ID)
			}
			b := must[*Area](t)(s.EnsureArea(ctx, AreaInput{LevelCode: LevelProvince, Name: "Gia Lai", Code: ptr("64")}))
			if b.ID != f.province.ID {
				t.Fatal("EnsureArea by code created a new area")
			}
		})
	})
}

func TestMergeAreas(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		newCommune := must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &f.province.ID, LevelCode: LevelCommune, Name: "Xã Ia Grai", Code: ptr("23500"), ValidFrom: db.D(2025, 7, 1)}))
		ms, err := s.MergeAreas(ctx, MergeInput{FromIDs: []int64{f.c1.ID, f.c2.ID}, ToID: newCommune.ID, Effective: db.D(2025, 7, 1), Note: "NQ 2025"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].ToName != "Xã Ia Grai" {
			t.Fatalf("merges = %+v", ms)
		}
		c1 := must[*Area](t)(s.Area(ctx, f.c1.ID))
		if c1.ValidTo.ISO() != "2025-06-30" || !c1.ValidOn(db.D(2021, 8, 26)) || c1.ValidOn(db.D(2025, 7, 1)) {
			t.Fatalf("merged commune validity %s–%s", c1.ValidFrom.ISO(), c1.ValidTo.ISO())
		}
		if n := auditCount(t, d, "area_merge", audit.Create); n != 2 {
			t.Errorf("merge audit entries = %d", n)
		}
		succ := must[[]AreaMerge](t)(s.Successors(ctx, f.c1.ID))
		if len(succ) != 1 || succ[0].ToAreaID != newCommune.ID {
			t.Fatalf("successors = %+v", succ)
		}
		pred := must[[]AreaMerge](t)(s.Predecessors(ctx, newCommune.ID))
		if len(pred) != 2 {
			t.Fatalf("predecessors = %+v", pred)
		}
		// A second merger later: the chain is followed.
		later := must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &f.province.ID, LevelCode: LevelCommune, Name: "Xã Ia Grai Mới", ValidFrom: db.D(2030, 1, 1)}))
		must[[]AreaMerge](t)(s.MergeAreas(ctx, MergeInput{FromIDs: []int64{newCommune.ID}, ToID: later.ID, Effective: db.D(2030, 1, 1)}))
		succ = must[[]AreaMerge](t)(s.Successors(ctx, f.c1.ID))
		if len(succ) != 2 || succ[1].ToAreaID != later.ID {
			t.Fatalf("chained successors = %+v", succ)
		}
		if pred = must[[]AreaMerge](t)(s.Predecessors(ctx, later.ID)); len(pred) != 3 {
			t.Fatalf("chained predecessors = %+v", pred)
		}
		if all := must[[]AreaMerge](t)(s.Merges(ctx, 0)); len(all) != 3 {
			t.Fatalf("all merges = %d", len(all))
		}

		// Refused: merging into itself, merging an area already closed, the
		// same merger twice; nothing is written.
		_, err = s.MergeAreas(ctx, MergeInput{FromIDs: []int64{f.c3.ID, later.ID}, ToID: later.ID, Effective: db.D(2031, 1, 1)})
		if fe := fieldErr(t, err, "from_ids"); fe.Key != "org.err.merge_self" {
			t.Errorf("self merge: %s", fe.Key)
		}
		if c3 := must[*Area](t)(s.Area(ctx, f.c3.ID)); c3.Closed() {
			t.Error("a refused merger closed an area")
		}
		_, err = s.MergeAreas(ctx, MergeInput{FromIDs: []int64{f.c1.ID}, ToID: f.c3.ID, Effective: db.D(2031, 1, 1)})
		if fe := fieldErr(t, err, "from_ids"); fe.Key != "org.err.merge_closed" {
			t.Errorf("closed: %s", fe.Key)
		}
		_, err = s.MergeAreas(ctx, MergeInput{FromIDs: []int64{f.c3.ID}, ToID: f.d2.ID, Effective: db.Date{}})
		fieldErr(t, err, "effective")
		_, err = s.MergeAreas(ctx, MergeInput{FromIDs: []int64{f.d2.ID}, ToID: f.c3.ID, Effective: db.D(2031, 1, 1)})
		if fe := fieldErr(t, err, "from_ids"); fe.Key != "org.err.merge_ancestor" {
			t.Errorf("ancestor: %s", fe.Key)
		}
	})
}

func TestAreaLevelStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		group := must[*AreaLevel](t)(s.CreateAreaLevel(ctx, AreaLevelInput{Code: "hamlet_group", NameVI: "Cụm dân cư", NameEN: "Hamlet group", Depth: 5}))
		if _, err := s.CreateAreaLevel(ctx, AreaLevelInput{Code: "hamlet_group", NameVI: "X", Depth: 6}); fieldErr(t, err, "code").Key != "org.err.level_code_taken" {
			t.Error("duplicate level code accepted")
		}
		// The commune level cannot go below its villages.
		commune := f.levels[LevelCommune]
		_, err := s.UpdateAreaLevel(ctx, commune.ID, AreaLevelInput{Code: commune.Code, NameVI: "Xã, phường", NameEN: "Commune", Depth: 4})
		if fe := fieldErr(t, err, "depth"); fe.Key != "org.err.level_depth_conflict" {
			t.Errorf("depth conflict: %s", fe.Key)
		}
		renamed := must[*AreaLevel](t)(s.UpdateAreaLevel(ctx, commune.ID, AreaLevelInput{Code: commune.Code, NameVI: "Xã, phường", NameEN: "Commune", Depth: 3}))
		if renamed.NameVI != "Xã, phường" {
			t.Error("rename lost")
		}
		if err := s.DeleteAreaLevel(ctx, commune.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("deleting a used level: %v", err)
		}
		if err := s.DeleteAreaLevel(ctx, group.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func inputOf(a *Area) AreaInput {
	return AreaInput{ParentID: a.ParentID, LevelID: a.LevelID, Code: a.Code, Name: a.Name, ValidFrom: a.ValidFrom, ValidTo: a.ValidTo}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func names(list []Area) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Name)
	}
	return out
}

// localize renders an error as the web layer does.
func localize(lang string, err error) (apperr.Code, string, []string) {
	e, ok := apperr.As(err)
	if !ok {
		return apperr.Internal, err.Error(), nil
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field+": "+i18n.T(lang, f.Key, f.Args...))
	}
	return e.Code, i18n.T(lang, e.Key, e.Args...), fields
}
