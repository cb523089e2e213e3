package sheet

import (
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/vn"
)

// Normalize parses a value as a user types it for row (what a text cell or
// a CSV field holds: "1.234.567", "348.000.000 đ", "1,5", "có") with
// indicator.ParseValue — the same rules and messages as the web form —
// and returns it in canonical form:
//
//   - integer, money: plain digits ("348000000");
//   - decimal: a decimal comma and exactly row.Scale decimals ("1234,50");
//   - yes/no: "1" (có) or "0" (không); the row's Choices are accepted too;
//   - text: NFC, without surrounding spaces.
//
// An empty (or blank) input gives "" and no error. Range (Min, Max, no
// negative counts or money) and text length are checked. Errors are
// Vietnamese, without the place: "'ba' không phải là số".
func Normalize(row RowSpec, s string) (string, error) {
	in := vn.NFC(s)
	if in == "" {
		return "", nil
	}
	if row.ValueType == indicator.YesNo && len(row.Choices) >= 2 {
		yes, no := choices(row, "")
		switch vn.Fold(in) {
		case vn.Fold(yes):
			return "1", nil
		case vn.Fold(no):
			return "0", nil
		}
	}
	num, text, err := indicator.ParseValue(row.indicator(), in)
	if err != nil {
		if row.ValueType == indicator.YesNo && len(row.Choices) >= 2 {
			yes, no := choices(row, "")
			return "", fmt.Errorf("'%s' không hợp lệ: hãy chọn %s hoặc %s", in, yes, no)
		}
		return "", err
	}
	switch {
	case text != nil:
		return *text, nil
	case num != nil:
		return FormatRaw(row.ValueType, row.Scale, *num), nil
	}
	return "", nil
}

func (r RowSpec) indicator() indicator.Indicator {
	return indicator.Indicator{Code: r.IndicatorCode, ValueType: r.ValueType, Scale: r.Scale, Min: r.Min, Max: r.Max}
}

// FormatRaw returns the canonical form of the number v for a value type
// (see Normalize): v is the fixed-point value for decimals and 1/0 for
// yes/no. Text has no numbers: it gives strconv.FormatInt(v).
func FormatRaw(vt indicator.ValueType, scale int, v int64) string {
	switch vt {
	case indicator.Decimal:
		return fixedString(v, scale, ',')
	case indicator.YesNo:
		if v != 0 {
			return "1"
		}
		return "0"
	}
	return strconv.FormatInt(v, 10)
}

// fixedString writes the fixed-point v with scale decimals and the given
// decimal mark, without grouping: fixedString(-5, 2, ',') = "-0,05".
func fixedString(v int64, scale int, mark byte) string {
	if scale <= 0 {
		return strconv.FormatInt(v, 10)
	}
	neg := v < 0
	var digits string
	if neg {
		digits = strconv.FormatUint(uint64(-(v+1))+1, 10)
	} else {
		digits = strconv.FormatUint(uint64(v), 10)
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(digits[:len(digits)-scale])
	b.WriteByte(mark)
	b.WriteString(digits[len(digits)-scale:])
	return b.String()
}

// choices returns the yes and no labels of row.
func choices(row RowSpec, lang string) (yes, no string) {
	if len(row.Choices) >= 2 && strings.TrimSpace(row.Choices[0]) != "" && strings.TrimSpace(row.Choices[1]) != "" {
		return strings.TrimSpace(row.Choices[0]), strings.TrimSpace(row.Choices[1])
	}
	if lang == "en" {
		return "Yes", "No"
	}
	return "Có", "Không"
}

// cellKind is the type of a worksheet cell as the XML says it.
type cellKind uint8

const (
	kindNumber cellKind = iota // t="n" or no t
	kindString                 // t="s", "str", "inlineStr"
	kindBool                   // t="b"
	kindError                  // t="e"
	kindDate                   // t="d" (ISO 8601)
)

// fromCell converts the value of a worksheet cell to the canonical form
// for row. v is the shared string or the literal of <v>.
func fromCell(row RowSpec, kind cellKind, v string) (string, error) {
	switch kind {
	case kindString:
		return Normalize(row, v)
	case kindError:
		return "", fmt.Errorf("ô có giá trị lỗi %s", v)
	case kindDate:
		if row.ValueType == indicator.Text {
			return Normalize(row, v)
		}
		return "", fmt.Errorf("'%s' là ngày tháng, không phải là số", v)
	case kindBool:
		switch row.ValueType {
		case indicator.YesNo:
			if v == "1" {
				return "1", nil
			}
			return "0", nil
		case indicator.Text:
			if v == "1" {
				return "TRUE", nil
			}
			return "FALSE", nil
		}
		if v == "1" {
			return "", fmt.Errorf("'TRUE' không phải là số")
		}
		return "", fmt.Errorf("'FALSE' không phải là số")
	}
	// A number.
	n, ok := parseNumber(v)
	if !ok {
		return "", fmt.Errorf("'%s' không phải là số", v)
	}
	shown := n.display()
	switch row.ValueType {
	case indicator.Integer, indicator.Money, indicator.Decimal:
		scale := 0
		if row.ValueType == indicator.Decimal {
			scale = row.Scale
		}
		fixed, err := n.fixed(scale, shown)
		if err != nil {
			return "", err
		}
		if err := indicator.CheckRange(row.indicator(), fixed); err != nil {
			return "", err
		}
		return FormatRaw(row.ValueType, row.Scale, fixed), nil
	case indicator.YesNo:
		switch {
		case n.isZero():
			return "0", nil
		case n.digits == "1" && n.exp == 0 && !n.neg:
			return "1", nil
		}
		yes, no := choices(row, "")
		return "", fmt.Errorf("'%s' không hợp lệ: hãy chọn %s hoặc %s", shown, yes, no)
	case indicator.Text:
		return Normalize(row, shown)
	}
	return "", fmt.Errorf("kiểu giá trị '%s' không được hỗ trợ", row.ValueType)
}

// number is a decimal number digits × 10^exp, digits without leading or
// trailing zeros ("" for zero).
type number struct {
	neg    bool
	digits string
	exp    int
}

func (n number) isZero() bool { return n.digits == "" }

// excelDigits is the precision of Excel: numbers that are not plain
// integers are rounded to it, so 0.30000000000000004 (what 0.1+0.2 leaves,
// and what Excel shows as 0,3) reads as 0,3.
const excelDigits = 15

// parseNumber parses the literal of a numeric cell: "123", "-1.5",
// "1.2345E+17". Plain integer literals are taken exactly; others are
// rounded to 15 significant digits.
func parseNumber(lit string) (number, bool) {
	s := strings.TrimSpace(lit)
	if s == "" || len(s) > 400 {
		return number{}, false
	}
	var n number
	body := s
	if body[0] == '-' || body[0] == '+' {
		n.neg = body[0] == '-'
		body = body[1:]
	}
	if allDigits(body) {
		n.digits = strings.TrimLeft(body, "0")
		n.trim()
		if n.digits == "" {
			n.neg = false
		}
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e300 || f < -1e300 {
		return number{}, false
	}
	e := strconv.FormatFloat(f, 'e', excelDigits-1, 64) // "-1.23450000000000e+03"
	n = number{}
	if e[0] == '-' {
		n.neg = true
		e = e[1:]
	}
	mant, expPart, _ := strings.Cut(e, "e")
	x, err := strconv.Atoi(expPart)
	if err != nil {
		return number{}, false
	}
	n.digits = strings.TrimLeft(strings.Replace(mant, ".", "", 1), "0")
	n.exp = x - (excelDigits - 1)
	n.trim()
	if n.digits == "" {
		n.neg = false
		n.exp = 0
	}
	return n, true
}

// trim moves trailing zeros of digits into exp.
func (n *number) trim() {
	for len(n.digits) > 0 && n.digits[len(n.digits)-1] == '0' {
		n.digits = n.digits[:len(n.digits)-1]
		n.exp++
	}
}

// fixed returns n × 10^scale as an int64; more decimals than scale, or a
// number outside int64, is an error.
func (n number) fixed(scale int, shown string) (int64, error) {
	if n.isZero() {
		return 0, nil
	}
	e := n.exp + scale
	if e < 0 {
		if scale == 0 {
			return 0, fmt.Errorf("'%s' không hợp lệ: cần nhập số nguyên", shown)
		}
		return 0, fmt.Errorf("'%s' không hợp lệ: chỉ được có tối đa %d chữ số sau dấu phẩy", shown, scale)
	}
	if len(n.digits)+e > 19 {
		return 0, fmt.Errorf("số '%s' quá lớn", shown)
	}
	u, err := strconv.ParseUint(n.digits+strings.Repeat("0", e), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("số '%s' quá lớn", shown)
	}
	if n.neg {
		if u > 1<<63 {
			return 0, fmt.Errorf("số '%s' quá nhỏ", shown)
		}
		return int64(-u), nil
	}
	if u > 1<<63-1 {
		return 0, fmt.Errorf("số '%s' quá lớn", shown)
	}
	return int64(u), nil
}

// display writes n with a decimal comma and no grouping ("-1,5"), or in
// exponent form when it is very large or very small.
func (n number) display() string {
	if n.isZero() {
		return "0"
	}
	var b strings.Builder
	if n.neg {
		b.WriteByte('-')
	}
	switch {
	case n.exp >= 0 && len(n.digits)+n.exp <= 24:
		b.WriteString(n.digits)
		b.WriteString(strings.Repeat("0", n.exp))
	case n.exp < 0 && -n.exp <= 24:
		d := n.digits
		if len(d) <= -n.exp {
			d = strings.Repeat("0", -n.exp-len(d)+1) + d
		}
		b.WriteString(d[:len(d)+n.exp])
		b.WriteByte(',')
		b.WriteString(d[len(d)+n.exp:])
	default:
		b.WriteString(n.digits[:1])
		if len(n.digits) > 1 {
			b.WriteByte(',')
			b.WriteString(n.digits[1:])
		}
		fmt.Fprintf(&b, "E%+d", n.exp+len(n.digits)-1)
	}
	return b.String()
}

// excelValue is what WriteTemplate writes into a value cell for a stored
// value: a number for numeric rows, the choice for yes/no, the text for
// text; a value that does not parse is written as text so that the user
// sees it (and it is refused when read back unless corrected).
func excelValue(row RowSpec, raw, lang string) any {
	c, err := Normalize(row, raw)
	if err != nil {
		return raw
	}
	if c == "" {
		return nil
	}
	switch row.ValueType {
	case indicator.Integer, indicator.Money:
		v, _ := strconv.ParseInt(c, 10, 64)
		return v
	case indicator.Decimal:
		f, _ := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64)
		return f
	case indicator.YesNo:
		yes, no := choices(row, lang)
		if c == "1" {
			return yes
		}
		return no
	}
	return c
}
