package org

import (
	"strings"
	"testing"
)

// The parsers read whatever is uploaded: they must never panic, and never
// hand on a row that lacks what identifies it.

func FuzzParseAreasCSV(f *testing.F) {
	for _, s := range []string{
		"ma,ten,cap,ma_cha\n64,Tỉnh Gia Lai,Tỉnh,\n628,Huyện Ia Grai,Huyện,64\n",
		"\uFEFFMã;Tên;Cấp;Tên cha;Hiệu lực từ;Hiệu lực đến\n;Thôn 1;Thôn;Xã Ia Khai;01/01/2000;30/06/2025\n",
		"ten,cap\n\"a\"\"b\",xa\n\"unterminated,xa\n",
		"code\tname\tlevel\n1\t\tcommune\n",
		"ten,cap,ten,hieu_luc_tu\n,,,\nx,y,z,44434.5\n",
		"\xff\xfe",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := ParseAreas(data)
		if err != nil {
			return
		}
		for _, r := range sh.Rows {
			if r.Name == "" {
				t.Fatalf("accepted a row without a name: %+v", r)
			}
			if r.Line <= 0 {
				t.Fatalf("row without a line number: %+v", r)
			}
		}
		for _, p := range sh.Problems {
			p.Message("vi")
		}
	})
}

func FuzzParseUnitsCSV(f *testing.F) {
	for _, s := range []string{
		"to_chuc,dia_ban,ten,hoat_dong\nhnd,23434,,có\nhlhpn,Xã Ia Khai / Thôn 1,Chi hội,không\n",
		"Tổ chức;Địa bàn\n;\nhnd;\n",
		"organisation,area,name,active\n\"x\",\"y\nz\",,maybe\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := ParseUnits(data)
		if err != nil {
			return
		}
		// A unit's name may be left empty (it is then built from the
		// organisation and the area), but never what identifies the unit.
		for _, r := range sh.Rows {
			if r.Organisation == "" || r.Area == "" {
				t.Fatalf("accepted a row without organisation or area: %+v", r)
			}
		}
	})
}

func FuzzParseXLSX(f *testing.F) {
	f.Add(xlsxOf(f, [][]any{
		{"ma", "ten", "cap", "ma_cha", "hieu_luc_tu"},
		{"64", "Tỉnh Gia Lai", "Tỉnh", nil, nil},
		{"628", "Huyện Ia Grai", "Huyện", "64", 36526},
		{"999", nil, "Huyện", "64", "x"},
	}))
	f.Add(xlsxOf(f, [][]any{
		{"to_chuc", "dia_ban", "ten"},
		{"hnd", "23434", nil},
		{nil, "23434", "x"},
	}))
	f.Add(xlsxOf(f, [][]any{nil, nil, {"ten"}, {""}}))
	f.Add([]byte("ma\tten\tcap\n64\tTỉnh Gia Lai\tTỉnh\n\t\tXã\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Damaged archives rarely get past the ZIP checksums, so text
		// input is also laid out as cells (lines, tabs) in a valid
		// workbook, which reaches the header and cell handling.
		if !isXLSX(data) && len(data) < 4096 {
			var rows [][]any
			for _, line := range strings.Split(string(data), "\n") {
				var cells []any
				for _, c := range strings.Split(line, "\t") {
					cells = append(cells, c)
				}
				rows = append(rows, cells)
			}
			if built, err := buildXLSX(rows); err == nil {
				data = built
			}
		}
		if sh, err := ParseAreas(data); err == nil {
			for _, r := range sh.Rows {
				if r.Name == "" {
					t.Fatalf("accepted an area row without a name: %+v", r)
				}
			}
		}
		if sh, err := ParseUnits(data); err == nil {
			for _, r := range sh.Rows {
				if r.Organisation == "" || r.Area == "" {
					t.Fatalf("accepted a unit row without organisation or area: %+v", r)
				}
			}
		}
	})
}
