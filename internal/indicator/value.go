package indicator

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"giaoban/internal/vn"
)

// MaxTextLen is the longest text value, in characters.
const MaxTextLen = 500

// ValueError is a value that cannot be stored for an indicator. Its
// message is Vietnamese and names the problem, so it can be shown as it is
// ("'ba' không phải là số"); the caller adds the place (a cell, a field).
type ValueError struct {
	Indicator string // the indicator's code
	Input     string // the raw input, trimmed
	Msg       string
}

func (e *ValueError) Error() string { return e.Msg }

func valueErr(ind Indicator, raw, format string, args ...any) error {
	return &ValueError{Indicator: ind.Code, Input: raw, Msg: fmt.Sprintf(format, args...)}
}

// yesNo maps the folded answers ParseValue accepts for a yes/no indicator.
var yesNo = map[string]int64{
	"co": 1, "x": 1, "1": 1, "yes": 1, "y": 1, "true": 1, "dung": 1,
	"khong": 0, "0": 0, "no": 0, "n": 0, "false": 0, "k": 0,
}

// ParseValue reads what a user typed (a web cell, an Excel cell, an API
// string) for an indicator. Numbers come back in num (money in đồng,
// decimals as fixed-point with ind.Scale digits, yes/no as 1 or 0), text in
// text. An empty input means "no value": (nil, nil, nil).
//
//   - Integer: vn.ParseInt ("1.234", "1 234", "1,234"); negative counts are refused.
//   - Money: vn.ParseMoney ("348.000.000 đ", "348000000", "1,000,000.00"); negative refused.
//   - Decimal: vn.ParseDecimal(raw, ind.Scale) ("1,5", "1.5").
//   - YesNo: có/không, co/khong, x, 1/0, yes/no, true/false, in any case,
//     with or without diacritics.
//   - Text: NFC, trimmed, at most MaxTextLen characters.
//
// Min and Max of the indicator are enforced on numbers. Every error is a
// *ValueError with a Vietnamese message.
func ParseValue(ind Indicator, raw string) (num *int64, text *string, err error) {
	s := vn.NFC(raw)
	if s == "" {
		return nil, nil, nil
	}
	var n int64
	switch ind.ValueType {
	case Text:
		if utf8.RuneCountInString(s) > MaxTextLen {
			return nil, nil, valueErr(ind, s, "Nội dung quá dài (%s ký tự, tối đa %d)", vn.FormatInt(int64(utf8.RuneCountInString(s))), MaxTextLen)
		}
		return nil, &s, nil
	case YesNo:
		v, ok := yesNo[vn.Fold(s)]
		if !ok {
			return nil, nil, valueErr(ind, s, "'%s' không hợp lệ: nhập Có hoặc Không", s)
		}
		n = v
	case Integer:
		v, err := vn.ParseInt(s)
		if err != nil {
			return nil, nil, wrapVN(ind, s, err)
		}
		if v < 0 {
			return nil, nil, valueErr(ind, s, "Số âm không hợp lệ cho chỉ tiêu đếm")
		}
		n = v
	case Money:
		v, err := vn.ParseMoney(s)
		if err != nil {
			return nil, nil, wrapVN(ind, s, err)
		}
		if v < 0 {
			return nil, nil, valueErr(ind, s, "Số tiền không được âm")
		}
		n = v
	case Decimal:
		v, err := vn.ParseDecimal(s, ind.Scale)
		if err != nil {
			return nil, nil, wrapVN(ind, s, err)
		}
		n = v
	default:
		return nil, nil, valueErr(ind, s, "Chỉ tiêu %s có kiểu giá trị không hợp lệ '%s'", ind.Code, ind.ValueType)
	}
	if err := CheckRange(ind, n); err != nil {
		return nil, nil, err
	}
	return &n, nil, nil
}

// CheckRange tells whether a number lies within the indicator's Min and Max
// (and is not negative for counts and money); the error is a *ValueError.
func CheckRange(ind Indicator, n int64) error {
	if n < 0 && (ind.ValueType == Integer || ind.ValueType == Money) {
		if ind.ValueType == Money {
			return valueErr(ind, "", "Số tiền không được âm")
		}
		return valueErr(ind, "", "Số âm không hợp lệ cho chỉ tiêu đếm")
	}
	if ind.ValueType == Text || ind.ValueType == YesNo {
		return nil
	}
	if ind.Max != nil && n > *ind.Max {
		return valueErr(ind, "", "Giá trị %s vượt quá tối đa %s", formatNum(ind, n), formatNum(ind, *ind.Max))
	}
	if ind.Min != nil && n < *ind.Min {
		return valueErr(ind, "", "Giá trị %s nhỏ hơn tối thiểu %s", formatNum(ind, n), formatNum(ind, *ind.Min))
	}
	return nil
}

// wrapVN keeps the message of a vn parser (already Vietnamese, already
// naming the input).
func wrapVN(ind Indicator, raw string, err error) error {
	var ve *vn.Error
	if errors.As(err, &ve) {
		return &ValueError{Indicator: ind.Code, Input: raw, Msg: ve.Msg}
	}
	return valueErr(ind, raw, "'%s' không phải là số", raw)
}

// formatNum formats a number of the indicator without a currency sign for
// money (messages read "vượt quá tối đa 1.000.000 đ" with it).
func formatNum(ind Indicator, n int64) string {
	switch ind.ValueType {
	case Money:
		return vn.FormatMoney(n)
	case Decimal:
		return vn.FormatDecimal(n, ind.Scale)
	}
	return vn.FormatInt(n)
}

// FormatValue shows a stored value the Vietnamese way: "1.234",
// "348.000.000 đ", "1,5", "Có"/"Không", or the text. No value gives "".
func FormatValue(ind Indicator, num *int64, text *string) string {
	if ind.ValueType == Text {
		if text == nil {
			return ""
		}
		return *text
	}
	if num == nil {
		if text != nil {
			return *text
		}
		return ""
	}
	if ind.ValueType == YesNo {
		if *num != 0 {
			return "Có"
		}
		return "Không"
	}
	return formatNum(ind, *num)
}

// FormatInput is FormatValue for putting a value back into an input: the
// same text, which ParseValue reads back to the same value.
func FormatInput(ind Indicator, num *int64, text *string) string {
	s := FormatValue(ind, num, text)
	if ind.ValueType == Money {
		s = strings.TrimSuffix(s, " đ")
	}
	return s
}
