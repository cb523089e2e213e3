package org

// Import, part one: reading a CSV or XLSX file into rows. Everything here is
// pure (no database): it finds the header, maps the columns, normalises the
// cells and lists every problem it can see on its own. Resolving levels,
// parents, organisations and areas against the database, and applying the
// rows, is in import_apply.go.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/vn"
)

// Import limits.
const (
	MaxImportBytes = 20 << 20
	MaxImportRows  = 100_000
	// MaxInlineBytes is the largest file the preview page carries in a
	// hidden field for the second POST; larger files are chosen again.
	MaxInlineBytes = 5 << 20
)

// Kinds of import.
const (
	ImportAreas = "areas"
	ImportUnits = "units"
)

// Canonical column names. They are also the header of the export, so an
// export imports back unchanged.
const (
	ColCode         = "ma"
	ColName         = "ten"
	ColLevel        = "cap"
	ColParentCode   = "ma_cha"
	ColParentName   = "ten_cha"
	ColValidFrom    = "hieu_luc_tu"
	ColValidTo      = "hieu_luc_den"
	ColOrganisation = "to_chuc"
	ColArea         = "dia_ban"
	ColActive       = "hoat_dong"
)

// Header aliases, already folded (vn.Fold): Vietnamese with or without
// diacritics, English, underscores or spaces.
var areaHeaders = map[string][]string{
	ColCode:       {"ma", "code", "ma so", "ma dia ban", "ma hanh chinh", "ma dvhc", "ma don vi hanh chinh", "area code"},
	ColName:       {"ten", "name", "ten dia ban", "ten dvhc", "ten don vi hanh chinh", "area name"},
	ColLevel:      {"cap", "level", "cap hanh chinh", "cap dia ban", "level code"},
	ColParentCode: {"ma cha", "parent code", "ma cap tren", "ma dia ban cap tren"},
	ColParentName: {"ten cha", "parent name", "ten cap tren", "truc thuoc", "parent"},
	ColValidFrom:  {"hieu luc tu", "valid from", "tu ngay", "ngay hieu luc"},
	ColValidTo:    {"hieu luc den", "valid to", "den ngay", "ngay het hieu luc"},
}

var unitHeaders = map[string][]string{
	ColOrganisation: {"to chuc", "organisation", "organization", "ma to chuc", "doan the", "to chuc doan the", "organisation code"},
	ColArea:         {"dia ban", "area", "ma dia ban", "area code"},
	ColName:         {"ten", "name", "ten don vi", "unit name", "unit"},
	ColActive:       {"active", "hoat dong", "dang hoat dong", "con hoat dong"},
}

var requiredColumns = map[string][]string{
	ImportAreas: {ColName, ColLevel},
	ImportUnits: {ColOrganisation, ColArea},
}

// MatchHeader returns the canonical column a header cell names for an
// import kind, or "" when it names none.
func MatchHeader(kind, cell string) string {
	table := areaHeaders
	if kind == ImportUnits {
		table = unitHeaders
	}
	f := vn.Fold(cell)
	if f == "" {
		return ""
	}
	for col, aliases := range table {
		for _, a := range aliases {
			if f == a {
				return col
			}
		}
	}
	return ""
}

// Problem is one thing wrong with an import, located by line and column
// (the column as written in the file's header; "" for the whole row).
// Key and Args are the message without the location.
type Problem struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Key    string `json:"-"`
	Args   []any  `json:"-"`
}

// Message renders the problem with its location in lang:
// "Dòng 7, cột 'cap': cấp 'Huyen X' không có trong danh mục".
func (p Problem) Message(lang string) string {
	msg := i18n.T(lang, p.Key, p.Args...)
	if p.Column == "" {
		return i18n.T(lang, "org.import.at_line", p.Line, msg)
	}
	return i18n.T(lang, "org.import.at", p.Line, p.Column, msg)
}

// ImportError lists every problem of a rejected import. It is the cause
// of the Invalid apperr.Error the importers return.
type ImportError struct{ Problems []Problem }

func (e *ImportError) Error() string {
	return fmt.Sprintf("org: import rejected: %d problems", len(e.Problems))
}

// Messages renders every problem in lang.
func (e *ImportError) Messages(lang string) []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Message(lang)
	}
	return out
}

// ImportProblems returns the problems of a rejected import, if err is one.
func ImportProblems(err error) (*ImportError, bool) {
	var ie *ImportError
	ok := errors.As(err, &ie)
	return ie, ok
}

// problemsErr returns an Invalid error listing the problems (nil for
// none), sorted by line; each field is "line 7, cap".
func problemsErr(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
	e := &apperr.Error{Code: apperr.Invalid, Key: "org.import.err.rejected", Args: []any{len(ps)}, Err: &ImportError{Problems: ps}}
	for _, p := range ps {
		field := "line " + strconv.Itoa(p.Line)
		if p.Column != "" {
			field += ", " + p.Column
		}
		e.Fields = append(e.Fields, apperr.FieldError{Field: field, Key: p.Key, Args: p.Args})
	}
	return e
}

// sheet is the raw content of a file: its header and data rows.
type sheet struct {
	header     []string
	headerLine int
	rows       []sheetRow
}

type sheetRow struct {
	line  int
	cells []string
}

// isXLSX tells whether data is a ZIP archive (an XLSX file).
func isXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// readSheet reads a CSV or XLSX file: the first non-empty row is the
// header; empty rows are skipped.
func readSheet(data []byte) (*sheet, error) {
	if len(data) > MaxImportBytes {
		return nil, apperr.New(apperr.TooLarge, "org.import.err.too_large", MaxImportBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, apperr.New(apperr.Invalid, "org.import.err.empty")
	}
	if isXLSX(data) {
		return readXLSX(data)
	}
	return readCSV(data)
}

func (s *sheet) add(line int, cells []string) error {
	empty := true
	for i, c := range cells {
		cells[i] = vn.NFC(c)
		if cells[i] != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	if s.header == nil {
		s.header, s.headerLine = cells, line
		return nil
	}
	if len(s.rows) >= MaxImportRows {
		return apperr.New(apperr.TooLarge, "org.import.err.too_many_rows", MaxImportRows)
	}
	s.rows = append(s.rows, sheetRow{line: line, cells: cells})
	return nil
}

func readCSV(data []byte) (*sheet, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, apperr.New(apperr.Invalid, "org.import.err.utf16")
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return nil, apperr.New(apperr.Invalid, "org.import.err.not_utf8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectComma(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var s sheet
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, apperr.Wrap(err, apperr.Invalid, "org.import.err.csv", line)
		}
		line, _ := r.FieldPos(0)
		if err := s.add(line, rec); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// detectComma picks the separator of the first line: a semicolon (what
// Excel writes where the comma is the decimal mark, as in Vietnam), a tab,
// or a comma.
func detectComma(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	counts := map[rune]int{}
	inQuote := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func readXLSX(data []byte) (sh *sheet, err error) {
	// A damaged file must not take the server down with it: the XLSX
	// reader is third-party code fed with whatever was uploaded.
	defer func() {
		if v := recover(); v != nil {
			sh, err = nil, apperr.Wrap(fmt.Errorf("xlsx panic: %v", v), apperr.Invalid, "org.import.err.xlsx")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 256 << 20})
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "org.import.err.xlsx")
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return nil, apperr.New(apperr.Invalid, "org.import.err.empty")
	}
	rows, err := f.Rows(list[0])
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "org.import.err.xlsx")
	}
	defer rows.Close()
	var s sheet
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "org.import.err.xlsx")
		}
		if err := s.add(line, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "org.import.err.xlsx")
	}
	return &s, nil
}

// columns maps the header of a sheet to canonical columns.
type columns struct {
	index  map[string]int    // canonical → cell index
	label  map[string]string // canonical → header as written
	ignore []string          // header cells that name no column
}

func mapColumns(kind string, s *sheet) (*columns, []Problem) {
	c := &columns{index: map[string]int{}, label: map[string]string{}}
	var ps []Problem
	for i, h := range s.header {
		col := MatchHeader(kind, h)
		switch {
		case col == "":
			if h != "" {
				c.ignore = append(c.ignore, h)
			}
		case c.label[col] != "":
			ps = append(ps, Problem{Line: s.headerLine, Column: h, Key: "org.import.err.dup_column", Args: []any{c.label[col]}})
		default:
			c.index[col], c.label[col] = i, h
		}
	}
	for _, col := range requiredColumns[kind] {
		if _, ok := c.index[col]; !ok {
			ps = append(ps, Problem{Line: s.headerLine, Key: "org.import.err.missing_column", Args: []any{col}})
		}
	}
	return c, ps
}

// Has tells whether the file has the column.
func (c *columns) Has(col string) bool { _, ok := c.index[col]; return ok }

func (c *columns) get(r sheetRow, col string) string {
	i, ok := c.index[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// AreaRow is one area row of an import file.
type AreaRow struct {
	Line       int
	Code       string
	Name       string
	Level      string
	ParentCode string
	ParentName string
	ValidFrom  db.Date
	ValidTo    db.Date
}

// AreaSheet is a parsed area file.
type AreaSheet struct {
	Rows     []AreaRow
	Problems []Problem
	cols     *columns
	// Ignored lists header cells that name no known column.
	Ignored []string
}

// Has tells whether the file has a column (by canonical name).
func (s *AreaSheet) Has(col string) bool { return s.cols != nil && s.cols.Has(col) }

// ParseAreas reads an area file (CSV or XLSX). A file that cannot be read
// at all returns an error; problems with rows are listed in Problems, and
// a row without a name is never in Rows.
func ParseAreas(data []byte) (*AreaSheet, error) {
	sh, err := readSheet(data)
	if err != nil {
		return nil, err
	}
	if sh.header == nil {
		return nil, apperr.New(apperr.Invalid, "org.import.err.empty")
	}
	cols, ps := mapColumns(ImportAreas, sh)
	out := &AreaSheet{cols: cols, Ignored: cols.ignore, Problems: ps}
	if len(ps) > 0 {
		return out, nil
	}
	for _, r := range sh.rows {
		row := AreaRow{
			Line:       r.line,
			Code:       cols.get(r, ColCode),
			Name:       cols.get(r, ColName),
			Level:      cols.get(r, ColLevel),
			ParentCode: cols.get(r, ColParentCode),
			ParentName: cols.get(r, ColParentName),
		}
		bad := func(col, key string, args ...any) {
			out.Problems = append(out.Problems, Problem{Line: r.line, Column: cols.label[col], Key: key, Args: args})
		}
		row.Code = cleanCode(row.Code)
		row.ParentCode = cleanCode(row.ParentCode)
		if row.Code != "" && (!allDigits(row.Code) || len(row.Code) > 12) {
			bad(ColCode, "org.import.err.code", row.Code)
		}
		if row.ParentCode != "" && (!allDigits(row.ParentCode) || len(row.ParentCode) > 12) {
			bad(ColParentCode, "org.import.err.code", row.ParentCode)
		}
		if row.Level == "" {
			bad(ColLevel, "org.import.err.required")
		}
		if tooLong(row.Name, maxName) {
			bad(ColName, "org.import.err.too_long", maxName)
		}
		var derr error
		if row.ValidFrom, derr = parseDateCell(cols.get(r, ColValidFrom)); derr != nil {
			bad(ColValidFrom, "org.import.err.date", cols.get(r, ColValidFrom))
		}
		if row.ValidTo, derr = parseDateCell(cols.get(r, ColValidTo)); derr != nil {
			bad(ColValidTo, "org.import.err.date", cols.get(r, ColValidTo))
		}
		if row.ValidFrom.Valid() && row.ValidTo.Valid() && row.ValidTo.Before(row.ValidFrom.Time) {
			bad(ColValidTo, "org.import.err.date_order")
		}
		if row.Name == "" {
			bad(ColName, "org.import.err.required")
			continue
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// cleanCode trims a code and drops a trailing ".0" that spreadsheets add
// to numbers.
func cleanCode(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "'")
	if strings.HasSuffix(s, ".0") && allDigits(strings.TrimSuffix(s, ".0")) {
		s = strings.TrimSuffix(s, ".0")
	}
	return s
}

// parseDateCell reads a date cell: dd/mm/yyyy, yyyy-mm-dd, or an Excel
// serial day number (what a date cell holds in an XLSX file).
func parseDateCell(s string) (db.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return db.Date{}, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "/-") {
		if n < 1 || n > 2958465 || math.IsNaN(n) {
			return db.Date{}, fmt.Errorf("serial %s out of range", s)
		}
		// Excel's day 1 is 1900-01-01, counting the non-existent 29/02/1900.
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		return db.NewDate(t), nil
	}
	t, err := vn.ParseDate(s)
	if err != nil {
		return db.Date{}, err
	}
	return db.NewDate(t), nil
}

// UnitRow is one unit row of an import file.
type UnitRow struct {
	Line         int
	Organisation string
	Area         string
	Name         string
	Active       *bool
}

// UnitSheet is a parsed unit file.
type UnitSheet struct {
	Rows     []UnitRow
	Problems []Problem
	cols     *columns
	Ignored  []string
}

// Has tells whether the file has a column (by canonical name).
func (s *UnitSheet) Has(col string) bool { return s.cols != nil && s.cols.Has(col) }

// ParseUnits reads a unit file (CSV or XLSX). Rows must name the
// organisation and the area; the name may be empty (it is then built from
// the organisation's short name and the area's name when applying).
func ParseUnits(data []byte) (*UnitSheet, error) {
	sh, err := readSheet(data)
	if err != nil {
		return nil, err
	}
	if sh.header == nil {
		return nil, apperr.New(apperr.Invalid, "org.import.err.empty")
	}
	cols, ps := mapColumns(ImportUnits, sh)
	out := &UnitSheet{cols: cols, Ignored: cols.ignore, Problems: ps}
	if len(ps) > 0 {
		return out, nil
	}
	for _, r := range sh.rows {
		row := UnitRow{
			Line:         r.line,
			Organisation: cols.get(r, ColOrganisation),
			Area:         cleanCode(cols.get(r, ColArea)),
			Name:         cols.get(r, ColName),
		}
		bad := func(col, key string, args ...any) {
			out.Problems = append(out.Problems, Problem{Line: r.line, Column: cols.label[col], Key: key, Args: args})
		}
		ok := true
		if row.Organisation == "" {
			bad(ColOrganisation, "org.import.err.required")
			ok = false
		}
		if row.Area == "" {
			bad(ColArea, "org.import.err.required")
			ok = false
		}
		if tooLong(row.Name, maxName) {
			bad(ColName, "org.import.err.too_long", maxName)
		}
		if v := cols.get(r, ColActive); v != "" {
			b, good := ParseBool(v)
			if !good {
				bad(ColActive, "org.import.err.bool", v)
			} else {
				row.Active = &b
			}
		}
		if ok {
			out.Rows = append(out.Rows, row)
		}
	}
	return out, nil
}

// ParseBool reads yes/no cells in Vietnamese or English.
func ParseBool(s string) (bool, bool) {
	switch vn.Fold(s) {
	case "1", "x", "co", "yes", "y", "true", "dung", "hoat dong", "dang hoat dong":
		return true, true
	case "0", "khong", "no", "n", "false", "sai", "ngung", "ngung hoat dong", "khong hoat dong":
		return false, true
	}
	return false, false
}

// Level synonyms: what people write in a level column, folded, and the
// standard level it means.
var levelSynonyms = map[string]string{
	"tinh": LevelProvince, "thanh pho truc thuoc trung uong": LevelProvince, "tp truc thuoc trung uong": LevelProvince,
	"huyen": LevelDistrict, "quan": LevelDistrict, "thi xa": LevelDistrict, "thanh pho thuoc tinh": LevelDistrict,
	"xa": LevelCommune, "phuong": LevelCommune, "thi tran": LevelCommune, "dac khu": LevelCommune,
	"thon": LevelVillage, "ban": LevelVillage, "buon": LevelVillage, "lang": LevelVillage, "ap": LevelVillage,
	"to dan pho": LevelVillage, "khu pho": LevelVillage, "xom": LevelVillage, "khom": LevelVillage, "soc": LevelVillage,
	"plei": LevelVillage, "khu dan cu": LevelVillage,
}

// MatchLevel finds the level a cell names: its code ("commune"), its
// Vietnamese or English name ("Xã", "xa", "Commune"), with or without
// "cấp", or a kind of area of that level ("Phường", "Thị trấn" → commune;
// "Quận", "Thị xã" → district; "Buôn", "Tổ dân phố" → village).
func MatchLevel(levels []AreaLevel, cell string) (AreaLevel, bool) {
	f := vn.Fold(cell)
	f = strings.TrimPrefix(f, "cap ")
	if f == "" {
		return AreaLevel{}, false
	}
	var found []AreaLevel
	for _, l := range levels {
		if f == vn.Fold(l.Code) || f == vn.Fold(l.NameVI) || f == vn.Fold(l.NameEN) {
			found = append(found, l)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	if len(found) > 1 {
		return AreaLevel{}, false
	}
	if code, ok := levelSynonyms[f]; ok {
		for _, l := range levels {
			if l.Code == code {
				return l, true
			}
		}
	}
	return AreaLevel{}, false
}
