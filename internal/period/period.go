package period

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Type is the kind of a reporting period.
type Type string

// The period types.
const (
	Month      Type = "month"   // tháng
	Quarter    Type = "quarter" // quý
	SixMonths  Type = "6months" // 6 tháng (S1: đầu năm, S2: cuối năm)
	NineMonths Type = "9months" // 9 tháng đầu năm
	Year       Type = "year"    // năm
)

// MinYear and MaxYear bound the years of valid periods: codes have exactly
// four digits and no leading zero.
const (
	MinYear = 1000
	MaxYear = 9999
)

// TypesAll returns every period type, finest first.
func TypesAll() []Type {
	return []Type{Month, Quarter, SixMonths, NineMonths, Year}
}

// Valid reports whether t is one of the known types.
func (t Type) Valid() bool {
	return t.months() != 0
}

// ParseType returns the type named s (one of the Type constants' values,
// case-insensitive).
func ParseType(s string) (Type, error) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	if !t.Valid() {
		return "", fmt.Errorf("loại kỳ báo cáo không hợp lệ: %q", s)
	}
	return t, nil
}

// months is the length of a period of type t in months (0 for unknown types).
func (t Type) months() int {
	switch t {
	case Month:
		return 1
	case Quarter:
		return 3
	case SixMonths:
		return 6
	case NineMonths:
		return 9
	case Year:
		return 12
	}
	return 0
}

// perYear is the number of periods of type t that start in one year: the
// largest valid Index (0 for unknown types).
func (t Type) perYear() int {
	switch t {
	case Month:
		return 12
	case Quarter:
		return 4
	case SixMonths:
		return 2
	case NineMonths, Year:
		return 1
	}
	return 0
}

// Period is one reporting period.
//
// Index is the month (1–12) for Month, the quarter (1–4) for Quarter, the half
// (1 = 6 tháng đầu năm, 2 = 6 tháng cuối năm) for SixMonths, and always 1 for
// NineMonths and Year.
//
// The zero Period is invalid; its Code is "". Methods that compute dates or
// other periods return zero values for invalid periods, and never panic.
type Period struct {
	Type  Type
	Year  int
	Index int
}

// NewMonth returns the month period m/year.
func NewMonth(year, m int) Period { return Period{Month, year, m} }

// NewQuarter returns quarter q (1–4) of year.
func NewQuarter(year, q int) Period { return Period{Quarter, year, q} }

// NewHalf returns half h of year: 1 = 6 tháng đầu năm, 2 = 6 tháng cuối năm.
func NewHalf(year, h int) Period { return Period{SixMonths, year, h} }

// NewNineMonths returns the first nine months of year (9 tháng đầu năm).
func NewNineMonths(year int) Period { return Period{NineMonths, year, 1} }

// NewYear returns the year period.
func NewYear(year int) Period { return Period{Year, year, 1} }

// Valid reports whether p is a period this package can represent: a known
// type, a year in [MinYear, MaxYear] and an index in range for the type.
func (p Period) Valid() bool {
	n := p.Type.perYear()
	return n > 0 && p.Year >= MinYear && p.Year <= MaxYear && p.Index >= 1 && p.Index <= n
}

// ErrInvalidCode is wrapped by every error returned by [Parse].
var ErrInvalidCode = errors.New("mã kỳ báo cáo không hợp lệ")

func invalid(code, reason string) error {
	return fmt.Errorf("%w: %q (%s)", ErrInvalidCode, code, reason)
}

// Parse reads a period code: "202108", "2021Q3", "2021S1", "2021S2", "2021N9"
// or "2021". Letters may be lower case and the code may be surrounded by white
// space; nothing else is tolerated (no "2021-08", "2021Q03", "21Q1").
// Errors wrap [ErrInvalidCode] and are in Vietnamese.
func Parse(code string) (Period, error) {
	s := strings.ToUpper(strings.TrimSpace(code))
	if s == "" {
		return Period{}, invalid(code, "mã trống")
	}
	if len(s) < 4 || !digits(s[:4]) {
		return Period{}, invalid(code, "phải bắt đầu bằng năm gồm 4 chữ số")
	}
	year, _ := strconv.Atoi(s[:4])
	if year < MinYear {
		return Period{}, invalid(code, fmt.Sprintf("năm phải từ %d đến %d", MinYear, MaxYear))
	}
	rest := s[4:]
	switch {
	case rest == "":
		return NewYear(year), nil
	case len(rest) == 2 && digits(rest):
		m, _ := strconv.Atoi(rest)
		if m < 1 || m > 12 {
			return Period{}, invalid(code, "tháng phải từ 01 đến 12")
		}
		return NewMonth(year, m), nil
	case len(rest) == 2 && rest[0] == 'Q':
		if rest[1] < '1' || rest[1] > '4' {
			return Period{}, invalid(code, "quý phải từ 1 đến 4")
		}
		return NewQuarter(year, int(rest[1]-'0')), nil
	case len(rest) == 2 && rest[0] == 'S':
		if rest[1] != '1' && rest[1] != '2' {
			return Period{}, invalid(code, "6 tháng phải là S1 (đầu năm) hoặc S2 (cuối năm)")
		}
		return NewHalf(year, int(rest[1]-'0')), nil
	case len(rest) == 2 && rest[0] == 'N':
		if rest[1] != '9' {
			return Period{}, invalid(code, "chỉ có kỳ 9 tháng đầu năm (N9)")
		}
		return NewNineMonths(year), nil
	}
	return Period{}, invalid(code, "không đúng dạng yyyy, yyyyMM, yyyyQn, yyyySn hoặc yyyyN9")
}

// MustParse is like [Parse] but panics on error; for tests and fixed data.
func MustParse(code string) Period {
	p, err := Parse(code)
	if err != nil {
		panic(err)
	}
	return p
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Code returns the canonical code of p ("202108", "2021Q3", "2021S1",
// "2021N9", "2021"), or "" if p is not valid.
func (p Period) Code() string {
	if !p.Valid() {
		return ""
	}
	switch p.Type {
	case Month:
		return fmt.Sprintf("%04d%02d", p.Year, p.Index)
	case Quarter:
		return fmt.Sprintf("%04dQ%d", p.Year, p.Index)
	case SixMonths:
		return fmt.Sprintf("%04dS%d", p.Year, p.Index)
	case NineMonths:
		return fmt.Sprintf("%04dN9", p.Year)
	default: // Year
		return fmt.Sprintf("%04d", p.Year)
	}
}

// String returns p.Code().
func (p Period) String() string { return p.Code() }

// MarshalText encodes p as its code; the zero Period encodes as "" so that an
// unset period can be stored, any other invalid period is an error.
func (p Period) MarshalText() ([]byte, error) {
	if p == (Period{}) {
		return []byte{}, nil
	}
	if !p.Valid() {
		return nil, fmt.Errorf("kỳ báo cáo không hợp lệ: %#v", p)
	}
	return []byte(p.Code()), nil
}

// UnmarshalText decodes a code with [Parse]; "" decodes as the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	q, err := Parse(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
