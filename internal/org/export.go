package org

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// Table is an export: a header (the import's canonical column names) and
// rows of cells.
type Table struct {
	Header []string
	Rows   [][]string
}

func exportDate(d db.Date) string {
	if !d.Valid() {
		return ""
	}
	return vn.FormatDate(d.Time)
}

// ExportAreas returns the areas (of one subtree when under is not 0) with
// the columns of the area import, parents before children, so that the
// file imports back unchanged.
func (s *Store) ExportAreas(ctx context.Context, under int64) (*Table, error) {
	idx, err := loadAreaIndex(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	levels, err := s.AreaLevels(ctx)
	if err != nil {
		return nil, err
	}
	levelName := map[int64]string{}
	for _, l := range levels {
		// The Vietnamese name reads best; the code when the name is ambiguous.
		if m, ok := MatchLevel(levels, l.NameVI); ok && m.ID == l.ID {
			levelName[l.ID] = l.NameVI
		} else {
			levelName[l.ID] = l.Code
		}
	}
	list, err := s.Areas(ctx, AreaFilter{Under: under})
	if err != nil {
		return nil, err
	}
	t := &Table{Header: []string{ColCode, ColName, ColLevel, ColParentCode, ColParentName, ColValidFrom, ColValidTo}}
	for _, a := range list {
		var pcode, pname string
		if a.ParentID != nil {
			if p := idx.byID[*a.ParentID]; p != nil {
				if p.Code != nil {
					pcode, pname = *p.Code, p.Name
				} else {
					pname = idx.ref(p)
				}
			}
		}
		t.Rows = append(t.Rows, []string{a.CodeString(), a.Name, levelName[a.LevelID], pcode, pname, exportDate(a.ValidFrom), exportDate(a.ValidTo)})
	}
	return t, nil
}

// ExportUnits returns the units (of one subtree when under is not 0) with
// the columns of the unit import.
func (s *Store) ExportUnits(ctx context.Context, under int64) (*Table, error) {
	idx, err := loadAreaIndex(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	list, err := s.Units(ctx, UnitFilter{Under: under})
	if err != nil {
		return nil, err
	}
	t := &Table{Header: []string{ColOrganisation, ColArea, ColName, ColActive}}
	for _, u := range list {
		area := u.AreaName
		if a := idx.byID[u.AreaID]; a != nil {
			area = idx.ref(a)
		}
		active := "có"
		if !u.Active {
			active = "không"
		}
		t.Rows = append(t.Rows, []string{u.OrganisationCode, area, u.Name, active})
	}
	return t, nil
}

// WriteCSV writes the table as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Vietnamese correctly.
func (t *Table) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the table as an XLSX workbook of one sheet, every cell
// as text (codes keep their leading zeros).
func (t *Table) WriteXLSX(w io.Writer, sheet string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("org: xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("org: xlsx: %w", err)
	}
	row := func(n int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	if err := row(1, t.Header); err != nil {
		return fmt.Errorf("org: xlsx: %w", err)
	}
	for i, r := range t.Rows {
		if err := row(i+2, r); err != nil {
			return fmt.Errorf("org: xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("org: xlsx: %w", err)
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName is a safe XLSX sheet name.
func sheetName(s string) string {
	s = strings.NewReplacer("/", " ", "\\", " ", "?", "", "*", "", "[", "(", "]", ")", ":", " ").Replace(s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}
