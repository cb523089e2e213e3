package org

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(testCtx(t), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const areaFile = `ma,ten,cap,ma_cha,ten_cha,hieu_luc_tu,hieu_luc_den
66,Tỉnh Đắk Lắk,Tỉnh,,,,
645,Huyện Ea Súp,Huyện,66,,01/01/2000,30/06/2025
24400,Xã Ea Lê,Xã,645,,,
24401,Xã Ea Rốk,Xã,645,,,
,Buôn Ea Lê,Buôn,24400,,,
,Thôn 1,Thôn,,Xã Ea Rốk,,
,Thôn 1,Thôn,24400,,,
`

func TestImportAreas(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		s := NewStore(d)
		must[[]AreaLevel](t)(s.EnsureLevels(ctx))

		t.Run("a preview writes nothing", func(t *testing.T) {
			res := must[*ImportResult](t)(s.ImportAreas(ctx, []byte(areaFile), true))
			if res.Created != 7 || res.Applied || countRows(t, d, "areas") != 0 {
				t.Fatalf("dry run: %+v", res)
			}
		})

		t.Run("apply, then the same file changes nothing", func(t *testing.T) {
			res := must[*ImportResult](t)(s.ImportAreas(ctx, []byte(areaFile), false))
			if res.Created != 7 || !res.Applied || countRows(t, d, "areas") != 7 {
				t.Fatalf("first import: %+v", res)
			}
			if n := auditCount(t, d, "area", audit.Create); n != 7 {
				t.Errorf("audit entries = %d", n)
			}
			village := must[*Area](t)(s.Area(ctx, res.Rows[5].ID))
			rok := must[*Area](t)(s.AreaByCode(ctx, "24401"))
			if *village.ParentID != rok.ID || village.Depth != 4 {
				t.Errorf("Thôn 1 of Ea Rốk: %+v", village)
			}
			district := must[*Area](t)(s.AreaByCode(ctx, "645"))
			if district.ValidTo.ISO() != "2025-06-30" {
				t.Errorf("district validity: %s", district.ValidTo.ISO())
			}
			again := must[*ImportResult](t)(s.ImportAreas(ctx, []byte(areaFile), false))
			if again.Created != 0 || again.Updated != 0 || again.Unchanged != 7 {
				t.Fatalf("second import: %+v", again)
			}
			if countRows(t, d, "areas") != 7 || auditCount(t, d, "area", audit.Update) != 0 {
				t.Fatal("the second import wrote something")
			}
		})

		t.Run("a changed row updates, and moves", func(t *testing.T) {
			changed := strings.Replace(areaFile, "24401,Xã Ea Rốk,Xã,645", "24401,Xã Ea Rốk (mới),Xã,66", 1)
			res := must[*ImportResult](t)(s.ImportAreas(ctx, []byte(changed), false))
			if res.Updated != 1 || res.Created != 0 || len(res.Rows[3].Changes) != 2 {
				t.Fatalf("update: %+v", res.Rows[3])
			}
			// Thôn 1 names its parent by the old name: now unknown.
			_, err := s.ImportAreas(ctx, []byte(changed), true)
			ie, ok := ImportProblems(err)
			if !ok || len(ie.Problems) != 1 || ie.Problems[0].Line != 7 {
				t.Fatalf("old parent name: %v", err)
			}
			rok := must[*Area](t)(s.AreaByCode(ctx, "24401"))
			province := must[*Area](t)(s.AreaByCode(ctx, "66"))
			if *rok.ParentID != province.ID {
				t.Fatal("not moved")
			}
			kids := must[[]Area](t)(s.Children(ctx, rok.ID))
			if len(kids) != 1 || !strings.HasPrefix(kids[0].Path, rok.Path) {
				t.Fatalf("child path not moved: %+v", kids)
			}
		})

		t.Run("all or nothing, every bad row listed", func(t *testing.T) {
			before := countRows(t, d, "areas")
			bad := "ma,cap,ten,ma_cha,hieu_luc_tu\n" +
				"30,Tỉnh,Tỉnh Hải Dương,,\n" + // fine
				"301,Huyen X,Huyện Mới,30,\n" + // line 3: unknown level
				"302,Huyện,Huyện Khác,99,\n" + // line 4: unknown parent
				"303,Huyện,,30,\n" + // line 5: no name
				"304,Huyện,Huyện Ngày,30,31/02/2021\n" + // line 6: bad date
				"30001,Xã,Xã Trên,,\n" + // fine: a root commune
				"305,Huyện,Huyện Dưới,30001,\n" + // line 8: district under a commune
				"30,Tỉnh,Tỉnh Trùng,,\n" // line 9: code repeated
			_, err := s.ImportAreas(ctx, []byte(bad), false)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("err = %v", err)
			}
			ie, _ := ImportProblems(err)
			var msgs []string
			for _, m := range ie.Messages("vi") {
				msgs = append(msgs, m)
			}
			want := []string{
				"Dòng 3, cột 'cap': cấp 'Huyen X' không có trong danh mục (Tỉnh, Huyện, Xã, Thôn).",
				"Dòng 4, cột 'ma_cha': không tìm thấy địa bàn cấp trên '99'",
				"Dòng 5, cột 'ten': bắt buộc nhập.",
				"Dòng 6, cột 'hieu_luc_tu': ngày '31/02/2021' không hợp lệ",
				"Dòng 8, cột 'cap': địa bàn cấp trên 'Xã Trên' phải ở cấp cao hơn cấp Huyện.",
				"Dòng 9, cột 'ma': '30' đã có ở dòng 2.",
			}
			if len(msgs) != len(want) {
				t.Fatalf("problems:\n%s", strings.Join(msgs, "\n"))
			}
			for i := range want {
				if !strings.HasPrefix(msgs[i], want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, msgs[i], want[i])
				}
			}
			if countRows(t, d, "areas") != before {
				t.Fatal("a rejected file wrote rows")
			}
		})

		t.Run("export imports back unchanged", func(t *testing.T) {
			// A closed commune and a new one with the same name under the same
			// parent, and villages whose names repeat: the export must still
			// name each area so that the import finds it.
			province := must[*Area](t)(s.AreaByCode(ctx, "66"))
			lv := must[*AreaLevel](t)(s.LevelByCode(ctx, LevelCommune))
			old := must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &province.ID, LevelID: lv.ID, Name: "Xã Cũ", ValidTo: db.D(2025, 6, 30)}))
			must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &province.ID, LevelID: lv.ID, Name: "Xã Cũ", ValidFrom: db.D(2025, 7, 1)}))
			must[*Area](t)(s.CreateArea(ctx, AreaInput{ParentID: &old.ID, LevelCode: LevelVillage, Name: "Thôn 1"}))
			tab := must[*Table](t)(s.ExportAreas(ctx, 0))
			var csvBuf, xlsxBuf bytes.Buffer
			if err := tab.WriteCSV(&csvBuf); err != nil {
				t.Fatal(err)
			}
			if err := tab.WriteXLSX(&xlsxBuf, "Địa bàn"); err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string][]byte{"csv": csvBuf.Bytes(), "xlsx": xlsxBuf.Bytes()} {
				res, err := s.ImportAreas(ctx, data, true)
				if err != nil {
					ie, _ := ImportProblems(err)
					t.Fatalf("%s: %v %v\n%s", name, err, ie.Messages("vi"), csvBuf.String())
				}
				if res.Created != 0 || res.Updated != 0 || res.Unchanged != len(tab.Rows) {
					t.Fatalf("%s re-import: %+v\n%s", name, res, csvBuf.String())
				}
			}
		})
	})
}

func TestImportUnits(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		file := "to_chuc;dia_ban;ten;hoat_dong\n" +
			"hnd;23434;;có\n" + // by codes, default name
			"Hội Liên hiệp Phụ nữ;Xã Ia Tô;Hội LHPN xã Ia Tô;\n" + // by names
			"HOI NONG DAN;xa ia kha;;\n" + // folded names
			"hnd;Huyện Ia Grai / Xã Ia Khai / Làng Dút;Chi hội Nông dân làng Dút;không\n" // a trail
		res := must[*ImportResult](t)(s.ImportUnits(ctx, nil, []byte(file), false))
		if res.Created != 4 {
			t.Fatalf("import: %+v", res)
		}
		u := must[*Unit](t)(s.Unit(ctx, res.Rows[0].ID))
		if u.Name != "Hội Nông dân Xã Ia Khai" || u.AreaID != f.c1.ID {
			t.Errorf("unit 1 = %+v", u)
		}
		v := must[*Unit](t)(s.Unit(ctx, res.Rows[3].ID))
		if v.AreaID != f.village.ID || v.Active {
			t.Errorf("unit 4 = %+v", v)
		}
		again := must[*ImportResult](t)(s.ImportUnits(ctx, nil, []byte(file), false))
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 4 {
			t.Fatalf("second import: %+v", again)
		}

		// Export, re-import: unchanged.
		tab := must[*Table](t)(s.ExportUnits(ctx, 0))
		var buf bytes.Buffer
		if err := tab.WriteXLSX(&buf, "Đơn vị"); err != nil {
			t.Fatal(err)
		}
		back := must[*ImportResult](t)(s.ImportUnits(ctx, nil, buf.Bytes(), true))
		if back.Unchanged != 4 || back.Created+back.Updated != 0 {
			t.Fatalf("export re-import: %+v", back)
		}

		// A secretariat of d1 importing units of d2: refused, every row named.
		sec := &auth.Principal{Role: auth.Secretariat, ScopePath: f.d1.Path}
		scoped := "to_chuc,dia_ban\nhlhpn,23434\nhlhpn,23410\nhnd,Huyện Chư Păh\nxyz,23437\nhlhpn,23434\n"
		_, err := s.ImportUnits(ctx, sec, []byte(scoped), false)
		ie, ok := ImportProblems(err)
		if !ok {
			t.Fatalf("err = %v", err)
		}
		msgs := strings.Join(ie.Messages("vi"), "\n")
		for _, want := range []string{
			"Dòng 3, cột 'dia_ban': địa bàn 'Xã Ia Kha' nằm ngoài phạm vi quản lý của bạn.",
			"Dòng 4, cột 'dia_ban': địa bàn 'Huyện Chư Păh' nằm ngoài phạm vi quản lý của bạn.",
			"Dòng 5, cột 'to_chuc': không có tổ chức 'xyz'",
			"Dòng 6, cột 'dia_ban': đơn vị của Hội Liên hiệp Phụ nữ tại Xã Ia Khai đã có ở dòng 2.",
		} {
			if !strings.Contains(msgs, want) {
				t.Errorf("missing %q in\n%s", want, msgs)
			}
		}
		if n := countRows(t, d, "units"); n != 4 {
			t.Fatalf("units after a rejected import = %d", n)
		}
	})
}

// A province's communes (about 3,500 rows, the size of the 2025 lists)
// import from XLSX in one transaction, and a second import changes nothing.
func TestImportLargeXLSX(t *testing.T) {
	if testing.Short() {
		t.Skip("large import")
	}
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		s := NewStore(d)
		must[[]AreaLevel](t)(s.EnsureLevels(ctx))
		rows := [][]any{{"Mã", "Tên", "Cấp", "Mã cha", "Hiệu lực từ"}, {"79", "Thành phố Hồ Chí Minh", "Tỉnh", nil, nil}}
		for i := 0; i < 3500; i++ {
			rows = append(rows, []any{fmt.Sprintf("%05d", 26000+i), fmt.Sprintf("Phường %d", i+1), "Phường", "79", "01/07/2025"})
		}
		data := xlsxOf(t, rows)
		start := time.Now()
		res := must[*ImportResult](t)(s.ImportAreas(ctx, data, false))
		t.Logf("%s: 3,501 areas imported in %v", d.Dialect, time.Since(start))
		if res.Created != 3501 || countRows(t, d, "areas") != 3501 {
			t.Fatalf("created %d", res.Created)
		}
		start = time.Now()
		again := must[*ImportResult](t)(s.ImportAreas(ctx, data, false))
		t.Logf("%s: re-import checked in %v", d.Dialect, time.Since(start))
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 3501 {
			t.Fatalf("second import: created %d updated %d", again.Created, again.Updated)
		}
		hits := must[[]Area](t)(s.SearchAreas(ctx, "phuong 3499", 10))
		if len(hits) != 1 || hits[0].Name != "Phường 3499" {
			t.Fatalf("search after import: %v", names(hits))
		}
	})
}
