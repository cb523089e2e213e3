package fund

import (
	"fmt"
	"testing"
)

func TestReceiptNumber(t *testing.T) {
	tests := []struct {
		code string
		year int
		seq  int64
		want string
	}{
		{"COVID19", 2021, 123, "PT-COVID19-2021-000123"},
		{"covid19", 2021, 1, "PT-COVID19-2021-000001"},
		{"VNN-2024", 2024, 999999, "PT-VNN-2024-2024-999999"},
		{"YAGI", 2024, 1000000, "PT-YAGI-2024-1000000"},
		{"A", 2025, 0, "PT-A-2025-000000"},
	}
	for _, tt := range tests {
		got := ReceiptNumber(tt.code, tt.year, tt.seq)
		if got != tt.want {
			t.Errorf("ReceiptNumber(%q, %d, %d) = %q, want %q", tt.code, tt.year, tt.seq, got, tt.want)
		}
		p, c, y, s, err := ParseVoucherNumber(got)
		if err != nil || p != PrefixReceipt || c != upperASCII(tt.code) || y != tt.year || s != tt.seq {
			t.Errorf("ParseVoucherNumber(%q) = %q %q %d %d %v", got, p, c, y, s, err)
		}
	}
	if got := DisbursementNumber("COVID19", 2021, 7); got != "PC-COVID19-2021-000007" {
		t.Errorf("DisbursementNumber = %q", got)
	}
	for _, bad := range []string{"", "PT", "PT-COVID19-2021", "PX-COVID19-2021-000001", "PT-COVID19-21-000001", "PT-COVID19-2021-1",
		"PT--2021-000001", "PT-covid-2021-000001", "PT-COVID19-2021-0000001", "PT-COVID19-2021-+00001", "PT-COVID19-2021--00001"} {
		if _, _, _, _, err := ParseVoucherNumber(bad); err == nil {
			t.Errorf("ParseVoucherNumber(%q) accepted", bad)
		}
	}
}

// upperASCII is the upper-cased code, as ReceiptNumber writes it.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// VoucherNumber writes what fmt.Sprintf("%s-%s-%04d-%06d") would, for
// any numbers.
func TestVoucherNumberAsSprintf(t *testing.T) {
	for _, year := range []int{0, 7, 999, 2021, 12345, -3} {
		for _, seq := range []int64{0, 1, 42, 999999, 1000000, 9876543210, -42} {
			want := fmt.Sprintf("%s-%s-%04d-%06d", PrefixReceipt, "VNN-2024", year, seq)
			if got := VoucherNumber(PrefixReceipt, "vnn-2024", year, seq); got != want {
				t.Errorf("VoucherNumber(%d, %d) = %q, want %q", year, seq, got, want)
			}
		}
	}
}

func TestValidFundCode(t *testing.T) {
	for _, ok := range []string{"COVID19", "VNN-2024", "A", "ABCDEFGHIJKLMNOPQRST"} {
		if !ValidFundCode(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "covid", "-A", "A-", "A--B", "QUỸ", "A B", "ABCDEFGHIJKLMNOPQRSTU"} {
		if ValidFundCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseVoucherNumber(f *testing.F) {
	f.Add("PT-COVID19-2021-000123")
	f.Add("PC-VNN-2024-2024-1000000")
	f.Fuzz(func(t *testing.T, s string) {
		p, c, y, n, err := ParseVoucherNumber(s)
		if err != nil {
			return
		}
		if VoucherNumber(p, c, y, n) != s {
			t.Fatalf("%q does not format back", s)
		}
	})
}
