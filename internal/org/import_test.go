package org

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/platform/apperr"
)

func TestMatchHeader(t *testing.T) {
	tests := []struct {
		kind, cell, want string
	}{
		{ImportAreas, "ma", ColCode},
		{ImportAreas, "Mã", ColCode},
		{ImportAreas, "CODE", ColCode},
		{ImportAreas, "Mã số", ColCode},
		{ImportAreas, "ten", ColName},
		{ImportAreas, " Tên ", ColName},
		{ImportAreas, "Name", ColName},
		{ImportAreas, "cap", ColLevel},
		{ImportAreas, "Cấp", ColLevel},
		{ImportAreas, "level", ColLevel},
		{ImportAreas, "ma_cha", ColParentCode},
		{ImportAreas, "Mã cha", ColParentCode},
		{ImportAreas, "parent_code", ColParentCode},
		{ImportAreas, "Parent code", ColParentCode},
		{ImportAreas, "ten_cha", ColParentName},
		{ImportAreas, "Tên cấp trên", ColParentName},
		{ImportAreas, "parent_name", ColParentName},
		{ImportAreas, "hieu_luc_tu", ColValidFrom},
		{ImportAreas, "Hiệu lực từ", ColValidFrom},
		{ImportAreas, "valid_from", ColValidFrom},
		{ImportAreas, "HIỆU LỰC ĐẾN", ColValidTo},
		{ImportAreas, "valid to", ColValidTo},
		{ImportAreas, "Ghi chú", ""},
		{ImportAreas, "", ""},
		{ImportAreas, "to_chuc", ""},
		{ImportUnits, "to_chuc", ColOrganisation},
		{ImportUnits, "Tổ chức", ColOrganisation},
		{ImportUnits, "organisation", ColOrganisation},
		{ImportUnits, "Organization", ColOrganisation},
		{ImportUnits, "dia_ban", ColArea},
		{ImportUnits, "Địa bàn", ColArea},
		{ImportUnits, "area", ColArea},
		{ImportUnits, "Tên đơn vị", ColName},
		{ImportUnits, "name", ColName},
		{ImportUnits, "active", ColActive},
		{ImportUnits, "Hoạt động", ColActive},
		{ImportUnits, "ma_cha", ""},
	}
	for _, tt := range tests {
		if got := MatchHeader(tt.kind, tt.cell); got != tt.want {
			t.Errorf("MatchHeader(%s, %q) = %q, want %q", tt.kind, tt.cell, got, tt.want)
		}
	}
}

func standardLevels() []AreaLevel {
	var out []AreaLevel
	for i, in := range StandardLevels {
		out = append(out, AreaLevel{ID: int64(i + 1), Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Depth: in.Depth})
	}
	return out
}

func TestMatchLevel(t *testing.T) {
	levels := standardLevels()
	tests := []struct {
		cell, want string // want "" = no match
	}{
		{"Tỉnh", LevelProvince},
		{"tinh", LevelProvince},
		{"TỈNH", LevelProvince},
		{"province", LevelProvince},
		{"Thành phố trực thuộc Trung ương", LevelProvince},
		{"Huyện", LevelDistrict},
		{"huyen", LevelDistrict},
		{"Quận", LevelDistrict},
		{"Thị xã", LevelDistrict},
		{"District", LevelDistrict},
		{"Xã", LevelCommune},
		{"xa", LevelCommune},
		{"cấp xã", LevelCommune},
		{"Phường", LevelCommune},
		{"Thị trấn", LevelCommune},
		{"commune", LevelCommune},
		{"Thôn", LevelVillage},
		{"Buôn", LevelVillage},
		{"Làng", LevelVillage},
		{"Tổ dân phố", LevelVillage},
		{"village", LevelVillage},
		{"Huyen X", ""},
		{"", ""},
		{"Thành phố", ""}, // a province or a district: ambiguous, refused
		{"cấp", ""},
	}
	for _, tt := range tests {
		got, ok := MatchLevel(levels, tt.cell)
		if tt.want == "" {
			if ok {
				t.Errorf("MatchLevel(%q) = %s, want no match", tt.cell, got.Code)
			}
			continue
		}
		if !ok || got.Code != tt.want {
			t.Errorf("MatchLevel(%q) = %q (%v), want %q", tt.cell, got.Code, ok, tt.want)
		}
	}
	// A level an admin added wins over a synonym; two levels with one name
	// are ambiguous.
	custom := append(standardLevels(), AreaLevel{ID: 9, Code: "ward", NameVI: "Phường", NameEN: "Ward", Depth: 3})
	if got, ok := MatchLevel(custom, "Phường"); !ok || got.Code != "ward" {
		t.Errorf("custom level: %v %v", got, ok)
	}
	dup := append(standardLevels(), AreaLevel{ID: 9, Code: "xa2", NameVI: "Xã", Depth: 3})
	if got, ok := MatchLevel(dup, "Xã"); ok {
		t.Errorf("ambiguous level matched %s", got.Code)
	}
}

func TestParseAreasCSV(t *testing.T) {
	data := "\uFEFFMã;Tên;Cấp;Mã cha;Hiệu lực từ;Ghi chú\r\n" +
		"64;Tỉnh Gia Lai;Tỉnh;;;\r\n" +
		"\r\n" +
		"628;\"Huyện Ia Grai; mới\";Huyện;64;01/01/2000;x\r\n" +
		"23434;  Xã Ia Khai ;xa;628;2000-01-01;\r\n" +
		"12A;;Xã;628;32/01/2021;\r\n"
	sh, err := ParseAreas([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 3 {
		t.Fatalf("rows = %+v", sh.Rows)
	}
	r := sh.Rows[1]
	if r.Line != 4 || r.Name != "Huyện Ia Grai; mới" || r.ParentCode != "64" || r.ValidFrom.ISO() != "2000-01-01" {
		t.Errorf("row = %+v", r)
	}
	if sh.Rows[2].Name != "Xã Ia Khai" || sh.Rows[2].ValidFrom.ISO() != "2000-01-01" {
		t.Errorf("row = %+v", sh.Rows[2])
	}
	if len(sh.Ignored) != 1 || sh.Ignored[0] != "Ghi chú" {
		t.Errorf("ignored = %v", sh.Ignored)
	}
	// Line 6: bad code, no name, bad date; all three reported.
	var got []string
	for _, p := range sh.Problems {
		got = append(got, p.Message("vi"))
	}
	want := []string{
		"Dòng 6, cột 'Mã': mã '12A' chỉ được gồm chữ số.",
		"Dòng 6, cột 'Hiệu lực từ': ngày '32/01/2021' không hợp lệ (nhập dạng dd/mm/yyyy).",
		"Dòng 6, cột 'Tên': bắt buộc nhập.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code apperr.Code
		key  string
	}{
		{"empty", []byte("  \n"), apperr.Invalid, "org.import.err.empty"},
		{"utf-16", []byte{0xFF, 0xFE, 't', 0, 'e', 0}, apperr.Invalid, "org.import.err.utf16"},
		{"windows-1258", []byte("ten,cap\nX\xe3 A,X\xe3\n"), apperr.Invalid, "org.import.err.not_utf8"},
		{"too large", bytes.Repeat([]byte("a"), MaxImportBytes+1), apperr.TooLarge, "org.import.err.too_large"},
		{"too many rows", []byte("ten,cap\n" + strings.Repeat("a,Xã\n", MaxImportRows+1)), apperr.TooLarge, "org.import.err.too_many_rows"},
		{"broken xlsx", []byte("PK\x03\x04garbage"), apperr.Invalid, "org.import.err.xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAreas(tt.data)
			e, ok := apperr.As(err)
			if !ok || e.Code != tt.code || e.Key != tt.key {
				t.Fatalf("err = %v, want %s %s", err, tt.code, tt.key)
			}
		})
	}
	sh, err := ParseAreas([]byte("ma,ten\n1,A\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Problems) != 1 || sh.Problems[0].Message("en") != "Line 1: column 'cap' is missing." {
		t.Errorf("problems = %+v", sh.Problems)
	}
}

func TestDetectComma(t *testing.T) {
	tests := map[string]rune{
		"ma,ten,cap\n":          ',',
		"ma;ten;cap\n":          ';',
		"ma\tten\tcap\n":        '\t',
		"\"a,b\";ten;cap\n":     ';',
		"ten\n":                 ',',
		"ma;\"t,e,n,x\";cap\n1": ';',
	}
	for in, want := range tests {
		if got := detectComma([]byte(in)); got != want {
			t.Errorf("detectComma(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseUnits(t *testing.T) {
	sh, err := ParseUnits([]byte("Tổ chức,Địa bàn,Tên,Hoạt động\nhnd,23434,,có\n,23434,x,\nhlhpn,Xã Ia Khai,Hội LHPN xã Ia Khai,maybe\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 2 || sh.Rows[0].Active == nil || !*sh.Rows[0].Active || sh.Rows[1].Area != "Xã Ia Khai" {
		t.Fatalf("rows = %+v", sh.Rows)
	}
	if len(sh.Problems) != 2 {
		t.Fatalf("problems = %+v", sh.Problems)
	}
}

func TestParseXLSX(t *testing.T) {
	data := xlsxOf(t, [][]any{
		{"ma", "ten", "cap", "ma_cha", "hieu_luc_tu"},
		{64, "Tỉnh Gia Lai", "Tỉnh", nil, nil},
		nil,
		{"628", "Huyện Ia Grai", "Huyện", "64", 36526}, // 01/01/2000 as an Excel date
	})
	sh, err := ParseAreas(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Problems) != 0 || len(sh.Rows) != 2 {
		t.Fatalf("rows %+v problems %+v", sh.Rows, sh.Problems)
	}
	if r := sh.Rows[1]; r.Line != 4 || r.ParentCode != "64" || r.ValidFrom.ISO() != "2000-01-01" || sh.Rows[0].Code != "64" {
		t.Errorf("rows = %+v", sh.Rows)
	}
}

// xlsxOf builds an XLSX file whose first sheet holds rows (nil: an empty row).
func xlsxOf(t testing.TB, rows [][]any) []byte {
	t.Helper()
	b, err := buildXLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func buildXLSX(rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
