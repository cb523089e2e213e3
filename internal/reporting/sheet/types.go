package sheet

import (
	"errors"
	"fmt"
	"strings"

	"giaoban/internal/indicator"
)

// Limits of what ReadTemplate and ReadCSV accept, and of what WriteTemplate
// writes (a template that could not be read back is refused).
const (
	MaxBytes = 20 << 20  // size of an uploaded file
	MaxRows  = 200_000   // rows of all data sheets of a workbook, lines of a CSV file
	MaxCells = 1_000_000 // cells (<c> elements) of all data sheets of a workbook
	// MaxXMLBytes bounds the uncompressed XML read from one workbook (a zip
	// bomb stops here).
	MaxXMLBytes = 400 << 20
	// MaxTextLen is the longest text value, in characters.
	MaxTextLen = indicator.MaxTextLen
	// MaxErrors is how many CellErrors are listed; the rest are counted in
	// one last CellError.
	MaxErrors = 1000
)

// Layout is the shape of a template.
type Layout string

// The layouts of a template.
const (
	// SheetPerUnit writes one sheet per unit with one value column.
	SheetPerUnit Layout = "sheet-per-unit"
	// UnitsAsColumns writes one sheet with a value column per unit (many
	// units × one period).
	UnitsAsColumns Layout = "units-as-columns"
)

// Spec describes a template: what to fill, for whom, with what is stored.
type Spec struct {
	Period      string // period code, "2021Q3"
	PeriodLabel string // "Quý III/2021"; "" computes it from Period
	Units       []UnitSpec
	Rows        []RowSpec
	Lang        string // "vi" (default) or "en": the language of the labels
	Layout      Layout // "" means SheetPerUnit
	// Title replaces the default title ("BIỂU NHẬP SỐ LIỆU BÁO CÁO"), e.g.
	// with the form's name.
	Title string
}

// UnitSpec is one unit of a template with its stored values.
type UnitSpec struct {
	ID   int64
	Name string
	// Values are the stored values, keyed by Key(code, option).
	Values map[string]Prefill
}

// RowSpec is one indicator (or one option of its disaggregation) of a
// template.
type RowSpec struct {
	IndicatorCode string
	Option        string // "" for the indicator itself
	OptionName    string // shown after the name: "Số người tham gia – Nữ"
	Section       string // heading text; a heading row is written when it changes
	Name          string
	UnitOfMeasure string // người, lượt, đồng…
	ValueType     indicator.ValueType
	Scale         int // decimals, for indicator.Decimal (0…18)
	// Min and Max bound numeric values; for decimals they are fixed-point
	// (value × 10^Scale), as the indicator package stores them. Integer
	// and money values are never negative (indicator.CheckRange).
	Min, Max *int64
	// Choices are the labels of yes and no, in that order; empty means
	// "Có", "Không" (or "Yes", "No" in English).
	Choices []string
}

// Prefill is a stored value written into a template.
type Prefill struct {
	Raw     string // canonical (see Normalize) or as a user would type it
	Version int64  // version of the stored value, returned in Cell.Version
}

// Key is the key of UnitSpec.Values: the indicator code, "|", the option.
func Key(code, option string) string { return code + "|" + option }

// Cell is one value read from a template or a CSV file.
type Cell struct {
	UnitID        int64
	Period        string
	IndicatorCode string
	Option        string
	// Raw is the value in canonical form; "" means "clear the stored
	// value" (see the package documentation for when that happens).
	Raw string
	// Version is the version of the stored value the file was made from:
	// from a template always set (0: there was no stored value); from CSV
	// nil when the version column is empty (no lost-update check).
	Version *int64
	// Place names the cell for messages: "Đơn vị 1!D12", "dòng 7".
	Place string
}

// CellError is a problem with one cell, row or line of a file.
type CellError struct {
	Sheet   string // sheet name; "" for CSV
	Cell    string // "D12", a range "D12:E12", a row "12"; "" for the sheet
	Line    int    // CSV line (1-based); 0 for workbooks
	Message string // Vietnamese, without the place
}

// Error renders the error with its place: "Trang tính 'X', ô D12: 'ba'
// không phải là số", "Trang tính 'X', dòng 12: …", "Dòng 7: …".
func (e CellError) Error() string {
	if p := e.PlaceText(); p != "" {
		return p + ": " + e.Message
	}
	return e.Message
}

// PlaceText renders the place alone: "Trang tính 'X', ô D12", "Dòng 7".
func (e CellError) PlaceText() string {
	if e.Line > 0 {
		return fmt.Sprintf("Dòng %d", e.Line)
	}
	var b strings.Builder
	if e.Sheet != "" {
		fmt.Fprintf(&b, "Trang tính '%s'", e.Sheet)
	}
	if e.Cell != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
			b.WriteString(cellWord(e.Cell, false))
		} else {
			b.WriteString(cellWord(e.Cell, true))
		}
	}
	return b.String()
}

// cellWord renders "ô D12", "ô D12–E12", "dòng 12".
func cellWord(ref string, capital bool) string {
	w := map[bool]string{false: "ô ", true: "Ô "}[capital]
	if allDigits(ref) {
		w = map[bool]string{false: "dòng ", true: "Dòng "}[capital]
	}
	return w + strings.Replace(ref, ":", "–", 1)
}

// Expect says what a file may contain.
type Expect struct {
	// Period is the period being entered; "" accepts any period (each Cell
	// carries its own).
	Period string
	// UnitIDs are the units the user may enter values for.
	UnitIDs []int64
	// AllUnits accepts every unit (the caller checks scope itself).
	AllUnits bool
	// Rows, when not nil, are the current form's rows: a value for another
	// indicator/option is an error, and values are checked against these
	// specs (for CSV: the only way to check values).
	Rows []RowSpec
}

func (e Expect) unitAllowed(id int64) bool {
	if e.AllUnits {
		return true
	}
	for _, u := range e.UnitIDs {
		if u == id {
			return true
		}
	}
	return false
}

// Errors that a FileError wraps, for programs (errors.Is).
var (
	ErrNotXLSX      = errors.New("sheet: not an XLSX file")
	ErrTooLarge     = errors.New("sheet: file too large")
	ErrNotTemplate  = errors.New("sheet: not a giaoban template, or altered")
	ErrWrongPeriod  = errors.New("sheet: template for another period")
	ErrWrongUnit    = errors.New("sheet: template for a unit not allowed")
	ErrTooManyRows  = errors.New("sheet: too many rows")
	ErrTooManyCells = errors.New("sheet: too many cells")
	ErrBadCSV       = errors.New("sheet: bad CSV file")
)

// FileError refuses a whole file. Its message is Vietnamese and meant for
// users; Unwrap gives one of the Err… values above.
type FileError struct {
	Msg  string
	Kind error
}

func (e *FileError) Error() string { return e.Msg }

// Unwrap returns the kind of the error.
func (e *FileError) Unwrap() error { return e.Kind }

func fileErr(kind error, format string, args ...any) error {
	return &FileError{Msg: fmt.Sprintf(format, args...), Kind: kind}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
