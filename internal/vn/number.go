package vn

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormatInt formats n with dots between groups of thousands:
// 1234567 → "1.234.567", -1234567 → "-1.234.567".
func FormatInt(n int64) string {
	neg, u := magnitude(n)
	var buf [32]byte
	b := appendGrouped(buf[:0], u, neg)
	return string(b)
}

// FormatMoney formats an amount of đồng for tables and forms:
// 348000000 → "348.000.000 đ".
//
// The amount and "đ" are separated by an ordinary space, not a no-break
// space: the text is copied into spreadsheets, CSV files, search boxes and
// tests, where an NBSP causes silent mismatches. Templates that must keep
// the sign on the same line set white-space: nowrap on the cell instead.
func FormatMoney(d int64) string {
	return FormatInt(d) + " đ"
}

// FormatDecimal formats the fixed-point value v with scale decimal digits
// (v is the value times 10^scale) with a decimal comma and thousand dots:
// FormatDecimal(12345, 2) = "123,45", FormatDecimal(123456789, 1) =
// "12.345.678,9", FormatDecimal(-5, 2) = "-0,05". A scale of zero or less
// formats v as an integer.
func FormatDecimal(v int64, scale int) string {
	if scale <= 0 {
		return FormatInt(v)
	}
	neg, u := magnitude(v)
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	intDigits, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	ip, _ := strconv.ParseUint(intDigits, 10, 64) // at most 19 digits: fits
	b := make([]byte, 0, len(digits)+len(digits)/3+2)
	b = appendGrouped(b, ip, neg)
	b = append(b, ',')
	b = append(b, frac...)
	return string(b)
}

// FormatPercent formats num/den as a percentage with one decimal, rounded
// half away from zero: FormatPercent(7, 8) = "87,5%", FormatPercent(1, 1) =
// "100,0%". It returns "—" (an em dash, "no data") when den is zero.
func FormatPercent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	// tenths of a percent = round(num * 1000 / den)
	neg := (num < 0) != (den < 0)
	_, n := magnitude(num)
	_, d := magnitude(den)
	if n > (math.MaxUint64-d)/2000 || d > math.MaxUint64/2 {
		return formatPercentBig(num, den)
	}
	tenths := (2000*n + d) / (2 * d)
	b := appendGrouped(nil, tenths/10, neg && tenths != 0)
	b = append(b, ',', byte('0'+tenths%10), '%')
	return string(b)
}

// formatPercentBig is FormatPercent for |num| too large to multiply by 2000
// in uint64.
func formatPercentBig(num, den int64) string {
	n, d := big.NewInt(num), big.NewInt(den)
	neg := n.Sign()*d.Sign() < 0
	n.Abs(n)
	d.Abs(d)
	// tenths = (2000n + d) / 2d
	t := new(big.Int).Mul(n, big.NewInt(2000))
	t.Add(t, d)
	t.Quo(t, d.Mul(d, big.NewInt(2)))
	digits := t.String()
	if len(digits) < 2 {
		digits = "0" + digits
	}
	b := appendGroupedDigits(nil, digits[:len(digits)-1], neg && t.Sign() != 0)
	b = append(b, ',', digits[len(digits)-1], '%')
	return string(b)
}

// magnitude splits n into its sign and absolute value (math.MinInt64
// included).
func magnitude(n int64) (neg bool, u uint64) {
	if n < 0 {
		return true, uint64(-(n + 1)) + 1
	}
	return false, uint64(n)
}

// appendGrouped appends u with thousand dots, after a minus sign if neg.
func appendGrouped(b []byte, u uint64, neg bool) []byte {
	var digits [20]byte
	return appendGroupedDigits(b, strconv.AppendUint(digits[:0], u, 10), neg)
}

// appendGroupedDigits appends the decimal digits d with thousand dots,
// after a minus sign if neg.
func appendGroupedDigits[D []byte | string](b []byte, d D, neg bool) []byte {
	if neg {
		b = append(b, '-')
	}
	for i := 0; i < len(d); i++ {
		if i > 0 && (len(d)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, d[i])
	}
	return b
}

// ParseInt parses an integer as people and spreadsheets write it:
// "1.234.567", "1,234,567", "1 234 567" (also with NBSP or thin spaces),
// "1234567", with an optional leading sign ("-", "+" or the minus sign
// U+2212) and surrounding white space. Thousand groups must be complete:
// "1.23.4", "12.3456" and "1.234,567" (two different separators) are
// rejected, as are "1,5" (a decimal, see ParseDecimal), a leading zero before
// a group ("0.123"), letters and numbers outside int64. The error message is
// Vietnamese and can be shown as is: "'ba' không phải là số".
func ParseInt(s string) (int64, error) {
	in := strings.TrimFunc(s, isTrimmable)
	neg, body := cutSign(in)
	u, err := parseGrouped(in, body, 0)
	if err != nil {
		return 0, err
	}
	return toInt64(in, u, neg)
}

// ParseMoney parses an amount of đồng: what ParseInt accepts, followed by
// an optional currency sign "đ", "₫", "đồng", "VND" or "VNĐ" in any case,
// with or without a space before it ("348.000.000 đ", "348000000VND").
// Because bank exports write amounts as "1,000,000.00", a fractional part of
// one or two zeros after the other separator is accepted and ignored
// ("1.000.000,00", "1,000,000.00", "1000000.00"); a non-zero fraction is an
// error, since the đồng has no subunit. A leading minus is accepted: whether
// a negative amount makes sense is the caller's rule.
func ParseMoney(s string) (int64, error) {
	in := NFC(s)
	body := in
	for _, suf := range moneySuffixes {
		if len(body) >= len(suf) && strings.EqualFold(body[len(body)-len(suf):], suf) {
			body = strings.TrimFunc(body[:len(body)-len(suf)], isTrimmable)
			break
		}
	}
	if body == "" {
		if in == "" {
			return 0, syntaxErr(in, "chưa nhập số tiền")
		}
		return 0, syntaxErr(in, fmt.Sprintf("'%s' không phải là số tiền", in))
	}
	neg, body := cutSign(body)
	// A zero fraction ",00" / ".00" from bank exports.
	if i := strings.LastIndexAny(body, ".,"); i >= 0 {
		frac := body[i+1:]
		intPart := body[:i]
		// "1.000.00" uses the same mark twice: not a fraction; let
		// parseGrouped report the bad grouping.
		if len(frac) >= 1 && len(frac) <= 2 && allDigits(frac) && strings.IndexByte(intPart, body[i]) < 0 {
			if strings.Trim(frac, "0") != "" {
				return 0, syntaxErr(in, fmt.Sprintf("'%s' không hợp lệ: số tiền không có phần lẻ dưới 1 đồng", in))
			}
			body = intPart
		}
	}
	u, err := parseGrouped(in, body, 0)
	if err != nil {
		return 0, err
	}
	return toInt64(in, u, neg)
}

// moneySuffixes are matched case-insensitively, longest first.
var moneySuffixes = []string{"đồng", "vnđ", "vnd", "đ", "₫"}

// ParseDecimal parses a decimal number into a fixed-point value with scale
// decimal digits: ParseDecimal("1,5", 2) = 150. Vietnamese writes a decimal
// comma and thousand dots ("1.234,5"), but input also comes from English
// software ("1,234.5", "1.5"), so the decimal separator is decided thus:
//   - both "." and "," present: the last one is the decimal separator and
//     the other groups thousands ("1.234,5" and "1,234.5" are 1234.5);
//   - only commas: one comma is the decimal separator ("1,5"); several
//     group thousands ("1,234,567");
//   - only dots: several group thousands ("1.234.567"); a single dot with
//     exactly three digits after it and one to three digits (not starting
//     with 0) before it groups thousands, as Vietnamese writes it ("1.234"
//     is 1234); any other single dot is a decimal point ("1.5", "0.125").
//
// Spaces may group thousands too. More decimal digits than scale is an
// error (nothing is rounded silently), as is a value outside int64 or a
// scale outside 0..18.
func ParseDecimal(s string, scale int) (int64, error) {
	in := strings.TrimFunc(s, isTrimmable)
	if scale < 0 || scale > 18 {
		return 0, rangeErr(in, fmt.Sprintf("số chữ số thập phân %d không được hỗ trợ (0 đến 18)", scale))
	}
	neg, body := cutSign(in)
	intPart, frac, hasFrac := splitDecimal(body)
	if hasFrac {
		if frac == "" || !allDigits(frac) || intPart == "" {
			return 0, syntaxErr(in, fmt.Sprintf("'%s' không phải là số", in))
		}
		if len(frac) > scale {
			if scale == 0 {
				return 0, syntaxErr(in, fmt.Sprintf("'%s' không hợp lệ: cần nhập số nguyên", in))
			}
			return 0, syntaxErr(in, fmt.Sprintf("'%s' không hợp lệ: chỉ được có tối đa %d chữ số sau dấu phẩy", in, scale))
		}
	}
	var sep byte
	if hasFrac {
		sep = body[len(intPart)]
	}
	ip, err := parseGrouped(in, intPart, sep)
	if err != nil {
		return 0, err
	}
	var fp uint64
	for i := 0; i < scale; i++ {
		d := uint64(0)
		if i < len(frac) {
			d = uint64(frac[i] - '0')
		}
		fp = fp*10 + d
	}
	pow := uint64(1)
	for i := 0; i < scale; i++ {
		pow *= 10
	}
	if ip > (math.MaxUint64-fp)/pow {
		return 0, rangeErr(in, fmt.Sprintf("số '%s' quá lớn", in))
	}
	return toInt64(in, ip*pow+fp, neg)
}

// splitDecimal finds the decimal separator of body by the rules of
// ParseDecimal.
func splitDecimal(body string) (intPart, frac string, hasFrac bool) {
	dots, commas := strings.Count(body, "."), strings.Count(body, ",")
	var i int
	switch {
	case dots > 0 && commas > 0:
		i = strings.LastIndexAny(body, ".,")
	case commas == 1:
		i = strings.IndexByte(body, ',')
	case dots == 1:
		i = strings.IndexByte(body, '.')
		before, after := body[:i], body[i+1:]
		if len(after) == 3 && allDigits(after) && len(before) >= 1 && len(before) <= 3 &&
			allDigits(before) && before[0] != '0' {
			return body, "", false // "1.234": thousands
		}
	default:
		return body, "", false
	}
	return body[:i], body[i+1:], true
}

// cutSign removes one leading sign.
func cutSign(s string) (neg bool, rest string) {
	switch {
	case strings.HasPrefix(s, "-"):
		return true, s[1:]
	case strings.HasPrefix(s, "\u2212"):
		return true, s[len("\u2212"):]
	case strings.HasPrefix(s, "+"):
		return false, s[1:]
	}
	return false, s
}

func toInt64(in string, u uint64, neg bool) (int64, error) {
	if neg {
		if u > 1<<63 {
			return 0, rangeErr(in, fmt.Sprintf("số '%s' quá nhỏ", in))
		}
		return int64(-u), nil // -u wraps to the two's complement value
	}
	if u > math.MaxInt64 {
		return 0, rangeErr(in, fmt.Sprintf("số '%s' quá lớn", in))
	}
	return int64(u), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Separator classes for thousand grouping.
const (
	sepNone  = 0
	sepDot   = '.'
	sepComma = ','
	sepSpace = ' '
)

// groupSep classifies a rune as a thousand separator.
func groupSep(r rune) byte {
	switch r {
	case '.':
		return sepDot
	case ',':
		return sepComma
	case ' ', '\u00a0', '\u202f', '\u2009', '\u2007':
		return sepSpace
	}
	return sepNone
}

// parseGrouped parses unsigned digits with optional, consistent thousand
// grouping. in is the whole input, for messages; forbidden is a separator
// that may not group thousands here (the decimal separator), or 0.
func parseGrouped(in, s string, forbidden byte) (uint64, error) {
	notNumber := func() error {
		if in == "" {
			return syntaxErr(in, "chưa nhập số")
		}
		return syntaxErr(in, fmt.Sprintf("'%s' không phải là số", in))
	}
	badGroups := func() error {
		return syntaxErr(in, fmt.Sprintf("'%s' không phải là số: mỗi nhóm hàng nghìn phải có đủ 3 chữ số (ví dụ 1.234.567)", in))
	}
	if s == "" || strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		// Words ("1,5 triệu", "500k") are not a number, whatever the
		// separators around them.
		return 0, notNumber()
	}
	var (
		u        uint64
		overflow bool
		sep      byte // the separator in use, once seen
		groupLen int  // digits in the current group
		groups   int  // completed groups
		first    byte // first digit of the first group
	)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= '0' && c <= '9' {
			if groups == 0 && groupLen == 0 {
				first = c
			}
			if u > (math.MaxUint64-9)/10 {
				overflow = true
			} else {
				u = u*10 + uint64(c-'0')
			}
			groupLen++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		g := groupSep(r)
		if g == sepNone || g == forbidden {
			return 0, notNumber()
		}
		if sep != 0 && g != sep {
			return 0, syntaxErr(in, fmt.Sprintf("'%s' không phải là số: dùng lẫn nhiều loại dấu phân cách hàng nghìn", in))
		}
		sep = g
		if groupLen == 0 {
			return 0, notNumber() // leading or doubled separator
		}
		if groups == 0 {
			if groupLen > 3 || first == '0' {
				return 0, badGroups()
			}
		} else if groupLen != 3 {
			return 0, badGroups()
		}
		groups++
		groupLen = 0
	}
	if groups > 0 && groupLen != 3 {
		if groupLen == 0 {
			return 0, notNumber()
		}
		return 0, badGroups()
	}
	if groupLen == 0 {
		return 0, notNumber()
	}
	if overflow {
		return 0, rangeErr(in, fmt.Sprintf("số '%s' quá lớn", in))
	}
	return u, nil
}
