package vn

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1.000"},
		{1234567, "1.234.567"},
		{-1234567, "-1.234.567"},
		{-999, "-999"},
		{348000000, "348.000.000"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := FormatInt(tt.in); got != tt.want {
			t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{348000000, "348.000.000 đ"},
		{14000000, "14.000.000 đ"},
		{0, "0 đ"},
		{-50000, "-50.000 đ"},
	}
	for _, tt := range tests {
		if got := FormatMoney(tt.in); got != tt.want {
			t.Errorf("FormatMoney(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		v     int64
		scale int
		want  string
	}{
		{12345, 2, "123,45"},
		{150, 2, "1,50"},
		{5, 2, "0,05"},
		{-5, 2, "-0,05"},
		{0, 1, "0,0"},
		{123456789, 1, "12.345.678,9"},
		{123456789, 0, "123.456.789"},
		{123456789, -1, "123.456.789"},
		{1, 18, "0,000000000000000001"},
		{math.MaxInt64, 3, "9.223.372.036.854.775,807"},
		{math.MinInt64, 19, "-0,9223372036854775808"},
		{math.MinInt64, 25, "-0,0000009223372036854775808"},
	}
	for _, tt := range tests {
		if got := FormatDecimal(tt.v, tt.scale); got != tt.want {
			t.Errorf("FormatDecimal(%d, %d) = %q, want %q", tt.v, tt.scale, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		num, den int64
		want     string
	}{
		{7, 8, "87,5%"},
		{1, 1, "100,0%"},
		{0, 5, "0,0%"},
		{1, 3, "33,3%"},
		{2, 3, "66,7%"},
		{-1, 3, "-33,3%"},
		{1, -3, "-33,3%"},
		{-1, -3, "33,3%"},
		{1, 2000, "0,1%"},  // 0,05 rounds half away from zero
		{1, 20001, "0,0%"}, // no "-0,0%" either
		{-1, 20001, "0,0%"},
		{25, 2, "1.250,0%"},
		{3, 0, "—"},
		{0, 0, "—"},
		{math.MaxInt64, 1, "922.337.203.685.477.580.700,0%"},
		{math.MinInt64, -1, "922.337.203.685.477.580.800,0%"},
		{math.MaxInt64, math.MaxInt64, "100,0%"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.num, tt.den); got != tt.want {
			t.Errorf("FormatPercent(%d, %d) = %q, want %q", tt.num, tt.den, got, tt.want)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"1234567", 1234567},
		{"1.234.567", 1234567},
		{"1,234,567", 1234567},
		{"1 234 567", 1234567},
		{"1\u00a0234\u00a0567", 1234567},
		{"1\u202f234", 1234},
		{"  42 ", 42},
		{"-1.234.567", -1234567},
		{"+5", 5},
		{"\u22125", -5},
		{"007", 7},
		{"1.234", 1234},
		{"999", 999},
		{"9.223.372.036.854.775.807", math.MaxInt64},
		{"-9.223.372.036.854.775.808", math.MinInt64},
		{"-0", 0},
	}
	for _, tt := range tests {
		got, err := ParseInt(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseIntErrors(t *testing.T) {
	tests := []struct {
		in      string
		kind    error
		message string
	}{
		{"", ErrSyntax, "chưa nhập số"},
		{"   ", ErrSyntax, "chưa nhập số"},
		{"ba", ErrSyntax, "'ba' không phải là số"},
		{"12a", ErrSyntax, "'12a' không phải là số"},
		{"1.23.4", ErrSyntax, "'1.23.4' không phải là số: mỗi nhóm hàng nghìn phải có đủ 3 chữ số (ví dụ 1.234.567)"},
		{"12.3456", ErrSyntax, "nhóm hàng nghìn"},
		{"1234.567", ErrSyntax, "nhóm hàng nghìn"},
		{"1,5", ErrSyntax, "nhóm hàng nghìn"},
		{"0.123", ErrSyntax, "nhóm hàng nghìn"},
		{"1.234,567", ErrSyntax, "dùng lẫn"},
		{"1 234.567", ErrSyntax, "dùng lẫn"},
		{"1..234", ErrSyntax, "không phải là số"},
		{".123", ErrSyntax, "không phải là số"},
		{"123.", ErrSyntax, "không phải là số"},
		{"-", ErrSyntax, "không phải là số"},
		{"--5", ErrSyntax, "không phải là số"},
		{"- 5", ErrSyntax, "không phải là số"},
		{"5-", ErrSyntax, "không phải là số"},
		{"１２", ErrSyntax, "không phải là số"}, // full-width digits
		{"1e6", ErrSyntax, "không phải là số"},
		{"0x10", ErrSyntax, "không phải là số"},
		{"9.223.372.036.854.775.808", ErrRange, "quá lớn"},
		{"-9223372036854775809", ErrRange, "quá nhỏ"},
		{"99999999999999999999999", ErrRange, "quá lớn"},
	}
	for _, tt := range tests {
		got, err := ParseInt(tt.in)
		if err == nil {
			t.Errorf("ParseInt(%q) = %d, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, tt.kind) {
			t.Errorf("ParseInt(%q): error %q is not %v", tt.in, err, tt.kind)
		}
		if !strings.Contains(err.Error(), tt.message) {
			t.Errorf("ParseInt(%q): error %q does not contain %q", tt.in, err, tt.message)
		}
		var e *Error
		if !errors.As(err, &e) || e.Input != strings.TrimSpace(tt.in) {
			t.Errorf("ParseInt(%q): error %#v does not carry the input", tt.in, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"348.000.000 đ", 348000000},
		{"348.000.000đ", 348000000},
		{"348.000.000 ₫", 348000000},
		{"348000000 đồng", 348000000},
		{"348.000.000 Đồng", 348000000},
		{"348.000.000 ĐỒNG", 348000000},
		{"14,000,000 VND", 14000000},
		{"14000000vnd", 14000000},
		{"14.000.000 VNĐ", 14000000},
		{"14.000.000 vnđ", 14000000},
		{"  5 000 000  ", 5000000},
		{"-50.000 đ", -50000},
		{"1.000.000,00", 1000000},
		{"1,000,000.00", 1000000},
		{"1000000.00", 1000000},
		{"1000000,0", 1000000},
		{"1.000.000,00 VND", 1000000},
		{"0 đ", 0},
		{"1.234", 1234},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	// NFD input (some keyboards) is normalised first.
	if got, err := ParseMoney("1.000 \u0111\u006f\u0302\u0300ng"); err != nil || got != 1000 {
		t.Errorf("ParseMoney(NFD đồng) = %d, %v", got, err)
	}
}

func TestParseMoneyErrors(t *testing.T) {
	tests := []struct {
		in      string
		kind    error
		message string
	}{
		{"", ErrSyntax, "chưa nhập số tiền"},
		{"đ", ErrSyntax, "'đ' không phải là số tiền"},
		{"ba triệu", ErrSyntax, "không phải là số"},
		{"1.5", ErrSyntax, "không có phần lẻ"},
		{"1.000,50", ErrSyntax, "không có phần lẻ"},
		{"1,000.5 đ", ErrSyntax, "không có phần lẻ"},
		{"1.000.00", ErrSyntax, "nhóm hàng nghìn"},
		{"1.23.4 đ", ErrSyntax, "nhóm hàng nghìn"},
		{"USD 100", ErrSyntax, "không phải là số"},
		{"100 USD", ErrSyntax, "không phải là số"},
		{"100 đ đ", ErrSyntax, "không phải là số"},
		{"99.999.999.999.999.999.999 đ", ErrRange, "quá lớn"},
		// Words are not a number; the message does not blame the separators.
		{"1,5 triệu", ErrSyntax, "'1,5 triệu' không phải là số"},
		{"1.500 nghìn", ErrSyntax, "'1.500 nghìn' không phải là số"},
		{"500k", ErrSyntax, "'500k' không phải là số"},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if err == nil {
			t.Errorf("ParseMoney(%q) = %d, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("ParseMoney(%q): error %q (%v), want %v containing %q", tt.in, err, errors.Unwrap(err), tt.kind, tt.message)
		}
		if strings.ContainsFunc(tt.in, unicode.IsLetter) && !strings.HasPrefix(tt.in, "99") && strings.Contains(err.Error(), "dấu phân cách") {
			t.Errorf("ParseMoney(%q): %q blames the separators of words", tt.in, err)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in    string
		scale int
		want  int64
	}{
		{"1,5", 2, 150},
		{"1.5", 2, 150},
		{"1,55", 2, 155},
		{"0,05", 2, 5},
		{"-0,05", 2, -5},
		{"12", 2, 1200},
		{"1.234,5", 2, 123450},
		{"1.234.567,89", 2, 123456789},
		{"1,234.5", 2, 123450},
		{"1,234,567.89", 2, 123456789},
		{"1 234,5", 1, 12345},
		{"1.234", 2, 123400},      // Vietnamese thousands
		{"1.234.567", 0, 1234567}, // thousands
		{"1,234,567", 0, 1234567}, // thousands
		{"1,234", 3, 1234},        // one comma: decimal
		{"0.125", 3, 125},         // leading zero: decimal
		{"12.50", 2, 1250},
		{"1234.5", 1, 12345},
		{"87,5", 1, 875},
		{"7", 0, 7},
		{"0,000000000000000001", 18, 1},
		{"9,223372036854775807", 18, math.MaxInt64},
		{"-9,223372036854775808", 18, math.MinInt64},
		{" +3,5 ", 1, 35},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in, tt.scale)
		if err != nil || got != tt.want {
			t.Errorf("ParseDecimal(%q, %d) = %d, %v; want %d", tt.in, tt.scale, got, err, tt.want)
		}
	}
}

func TestParseDecimalErrors(t *testing.T) {
	tests := []struct {
		in      string
		scale   int
		kind    error
		message string
	}{
		{"1,555", 2, ErrSyntax, "tối đa 2 chữ số sau dấu phẩy"},
		{"1,50", 1, ErrSyntax, "tối đa 1 chữ số"},
		{"1,5", 0, ErrSyntax, "cần nhập số nguyên"},
		{"", 2, ErrSyntax, "chưa nhập số"},
		{"abc", 2, ErrSyntax, "'abc' không phải là số"},
		{"1,", 2, ErrSyntax, "không phải là số"},
		{",5", 2, ErrSyntax, "không phải là số"},
		{"1,5,6", 2, ErrSyntax, "nhóm hàng nghìn"},
		{"1.23,5", 2, ErrSyntax, "nhóm hàng nghìn"},
		{"1,5.234,5", 2, ErrSyntax, "không phải là số"},
		{"1,5e3", 2, ErrSyntax, "không phải là số"},
		{"1,5 6", 2, ErrSyntax, "không phải là số"},
		{"92233720368547758,08", 2, ErrRange, "quá lớn"},
		{"10", 18, ErrRange, "quá lớn"},
		{"1", -1, ErrRange, "không được hỗ trợ"},
		{"1", 19, ErrRange, "không được hỗ trợ"},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in, tt.scale)
		if err == nil {
			t.Errorf("ParseDecimal(%q, %d) = %d, want an error", tt.in, tt.scale, got)
			continue
		}
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("ParseDecimal(%q, %d): error %q, want %v containing %q", tt.in, tt.scale, err, tt.kind, tt.message)
		}
	}
}

func TestDecimalRoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 5, 150, 12345, 123456789, -987654321, math.MaxInt64, math.MinInt64} {
		for scale := 0; scale <= 18; scale++ {
			s := FormatDecimal(v, scale)
			got, err := ParseDecimal(s, scale)
			if err != nil || got != v {
				t.Errorf("ParseDecimal(FormatDecimal(%d, %d) = %q) = %d, %v", v, scale, s, got, err)
			}
		}
	}
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "1.234.567", "1,234,567", "1 234 567", "-5", "1.23.4", "ba", "9223372036854775808", "\u22121", "1\u00a0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseInt(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) {
				t.Fatalf("ParseInt(%q): error %v wraps neither ErrSyntax nor ErrRange", s, err)
			}
			return
		}
		back, err := ParseInt(FormatInt(n))
		if err != nil || back != n {
			t.Fatalf("ParseInt(FormatInt(%d) = %q) = %d, %v", n, FormatInt(n), back, err)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"348.000.000 đ", "14,000,000 VND", "1.000,00", "đồng", "-5đ", "1.5", "₫"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseMoney(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) {
				t.Fatalf("ParseMoney(%q): error %v wraps neither ErrSyntax nor ErrRange", s, err)
			}
			return
		}
		back, err := ParseMoney(FormatMoney(d))
		if err != nil || back != d {
			t.Fatalf("ParseMoney(FormatMoney(%d) = %q) = %d, %v", d, FormatMoney(d), back, err)
		}
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1,5", "1.5", "1.234,5", "1,234.5", "0,05", "-1,5"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, scale int) {
		v, err := ParseDecimal(s, scale)
		if err != nil {
			return
		}
		back, err := ParseDecimal(FormatDecimal(v, scale), scale)
		if err != nil || back != v {
			t.Fatalf("ParseDecimal(FormatDecimal(%d, %d) = %q) = %d, %v", v, scale, FormatDecimal(v, scale), back, err)
		}
	})
}
