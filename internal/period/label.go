package period

import (
	"fmt"
	"time"
)

var romanQuarter = [...]string{"", "I", "II", "III", "IV"}

// LabelVI returns the Vietnamese name of the type: "Tháng", "Quý", "6 tháng",
// "9 tháng", "Năm" ("" for unknown types).
func (t Type) LabelVI() string {
	switch t {
	case Month:
		return "Tháng"
	case Quarter:
		return "Quý"
	case SixMonths:
		return "6 tháng"
	case NineMonths:
		return "9 tháng"
	case Year:
		return "Năm"
	}
	return ""
}

// LabelEN returns the English name of the type: "Month", "Quarter",
// "Six months", "Nine months", "Year" ("" for unknown types).
func (t Type) LabelEN() string {
	switch t {
	case Month:
		return "Month"
	case Quarter:
		return "Quarter"
	case SixMonths:
		return "Six months"
	case NineMonths:
		return "Nine months"
	case Year:
		return "Year"
	}
	return ""
}

// LabelVI returns the Vietnamese label of p as used in report titles:
// "Tháng 8/2021", "Quý III/2021", "6 tháng đầu năm 2021", "6 tháng cuối năm
// 2021", "9 tháng đầu năm 2021", "Năm 2021". Invalid periods give "".
// Mid-sentence, lower-case the first letter ("báo cáo quý III/2021").
func (p Period) LabelVI() string {
	if !p.Valid() {
		return ""
	}
	switch p.Type {
	case Month:
		return fmt.Sprintf("Tháng %d/%d", p.Index, p.Year)
	case Quarter:
		return fmt.Sprintf("Quý %s/%d", romanQuarter[p.Index], p.Year)
	case SixMonths:
		if p.Index == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case NineMonths:
		return fmt.Sprintf("9 tháng đầu năm %d", p.Year)
	default:
		return fmt.Sprintf("Năm %d", p.Year)
	}
}

// LabelEN returns the English label of p: "August 2021", "Q3 2021",
// "First half 2021", "Second half 2021", "First nine months 2021",
// "Year 2021". Invalid periods give "".
func (p Period) LabelEN() string {
	if !p.Valid() {
		return ""
	}
	switch p.Type {
	case Month:
		return fmt.Sprintf("%s %d", time.Month(p.Index), p.Year)
	case Quarter:
		return fmt.Sprintf("Q%d %d", p.Index, p.Year)
	case SixMonths:
		if p.Index == 1 {
			return fmt.Sprintf("First half %d", p.Year)
		}
		return fmt.Sprintf("Second half %d", p.Year)
	case NineMonths:
		return fmt.Sprintf("First nine months %d", p.Year)
	default:
		return fmt.Sprintf("Year %d", p.Year)
	}
}

// Label returns the label of p in lang: LabelEN for "en", LabelVI
// otherwise (Vietnamese is the default language).
func (p Period) Label(lang string) string {
	if lang == "en" {
		return p.LabelEN()
	}
	return p.LabelVI()
}

// CodeLabel names the period of a stored code for people in lang ("2021Q3"
// as "Quý III/2021" or "Q3 2021"); a code that does not parse is returned
// as it is, so nothing stored is hidden.
func CodeLabel(code, lang string) string {
	p, err := Parse(code)
	if err != nil {
		return code
	}
	return p.Label(lang)
}
