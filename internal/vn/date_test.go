package vn

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestFormatDate(t *testing.T) {
	tests := []struct {
		in                    time.Time
		short, withTime, long string
	}{
		{time.Date(2021, 8, 26, 14, 5, 0, 0, time.UTC), "26/08/2021", "26/08/2021 14:05", "ngày 26 tháng 8 năm 2021"},
		{date(2021, 8, 30), "30/08/2021", "30/08/2021 00:00", "ngày 30 tháng 8 năm 2021"},
		{date(2021, 2, 5), "05/02/2021", "05/02/2021 00:00", "ngày 05 tháng 02 năm 2021"},
		{date(2023, 1, 1), "01/01/2023", "01/01/2023 00:00", "ngày 01 tháng 01 năm 2023"},
		{date(2021, 3, 9), "09/03/2021", "09/03/2021 00:00", "ngày 09 tháng 3 năm 2021"},
		{date(2021, 9, 10), "10/09/2021", "10/09/2021 00:00", "ngày 10 tháng 9 năm 2021"},
		{date(2024, 12, 31), "31/12/2024", "31/12/2024 00:00", "ngày 31 tháng 12 năm 2024"},
		{time.Date(2021, 11, 15, 23, 59, 59, 0, time.FixedZone("ICT", 7*3600)), "15/11/2021", "15/11/2021 23:59", "ngày 15 tháng 11 năm 2021"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.in); got != tt.short {
			t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.short)
		}
		if got := FormatDateTime(tt.in); got != tt.withTime {
			t.Errorf("FormatDateTime(%v) = %q, want %q", tt.in, got, tt.withTime)
		}
		if got := FormatDateLong(tt.in); got != tt.long {
			t.Errorf("FormatDateLong(%v) = %q, want %q", tt.in, got, tt.long)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"26/08/2021", date(2021, 8, 26)},
		{"26/8/2021", date(2021, 8, 26)},
		{"5/2/2021", date(2021, 2, 5)},
		{"05/02/2021", date(2021, 2, 5)},
		{"26-08-2021", date(2021, 8, 26)},
		{"26.08.2021", date(2021, 8, 26)},
		{"2021-08-26", date(2021, 8, 26)},
		{"2021-8-6", date(2021, 8, 6)},
		{"  14/09/2021 ", date(2021, 9, 14)},
		{"29/02/2024", date(2024, 2, 29)},
		{"29/02/2000", date(2000, 2, 29)},
		{"31/12/9999", date(9999, 12, 31)},
		{"01/01/0001", date(1, 1, 1)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in      string
		kind    error
		message string
	}{
		{"31/02/2021", ErrRange, "ngày không hợp lệ: '31/02/2021' (tháng 2 năm 2021 chỉ có 28 ngày)"},
		{"29/02/2021", ErrRange, "chỉ có 28 ngày"},
		{"29/02/1900", ErrRange, "chỉ có 28 ngày"},
		{"31/04/2021", ErrRange, "tháng 4 năm 2021 chỉ có 30 ngày"},
		{"32/01/2021", ErrRange, "chỉ có 31 ngày"},
		{"00/01/2021", ErrRange, "ngày phải từ 1"},
		{"15/13/2021", ErrRange, "tháng phải từ 1 đến 12"},
		{"15/00/2021", ErrRange, "tháng phải từ 1 đến 12"},
		{"2021-02-30", ErrRange, "chỉ có 28 ngày"},
		{"01/01/0000", ErrRange, "năm"},
		{"", ErrSyntax, "ngày không hợp lệ: chưa nhập ngày"},
		{"hôm nay", ErrSyntax, "ngày không hợp lệ: 'hôm nay'"},
		{"26/08/21", ErrSyntax, "năm phải có 4 chữ số"},
		{"26/08", ErrSyntax, "ngày/tháng/năm"},
		{"26/08/2021/1", ErrSyntax, "ngày/tháng/năm"},
		{"26/08-2021", ErrSyntax, "dùng lẫn"},
		{"26 08 2021", ErrSyntax, "ngày/tháng/năm"},
		{"2021/08/26", ErrSyntax, "ngày/tháng/năm"},
		{"2021.08.26", ErrSyntax, "ngày/tháng/năm"},
		{"026/08/2021", ErrSyntax, "ngày/tháng/năm"},
		{"26//2021", ErrSyntax, "ngày/tháng/năm"},
		{"/08/2021", ErrSyntax, "ngày/tháng/năm"},
		{"26/08/2021 14:05", ErrSyntax, "ngày/tháng/năm"},
		{"26/08/2021/", ErrSyntax, "ngày/tháng/năm"},
		{"-26/08/2021", ErrSyntax, "ngày/tháng/năm"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("ParseDate(%q): error %q, want %v containing %q", tt.in, err, tt.kind, tt.message)
		}
		if !strings.HasPrefix(err.Error(), "ngày không hợp lệ: ") {
			t.Errorf("ParseDate(%q): error %q does not start with \"ngày không hợp lệ: \"", tt.in, err)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"26/08/2021", "5/2/2021", "2021-08-26", "31/02/2021", "26.08.2021", "29/02/2024", "1/1/0000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ngày không hợp lệ") {
				t.Fatalf("ParseDate(%q): error %q is not Vietnamese", s, err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		back, err := ParseDate(FormatDate(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseDate(FormatDate(%v) = %q) = %v, %v", d, FormatDate(d), back, err)
		}
	})
}
