package indicator

import (
	"slices"
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	ok := []struct {
		in    string
		str   string
		codes []string
	}{
		{"A", "A", []string{"A"}},
		{"nha_tinh_nghia_ban_giao", "NHA_TINH_NGHIA_BAN_GIAO", []string{"NHA_TINH_NGHIA_BAN_GIAO"}},
		{"A+B", "A + B", []string{"A", "B"}},
		{"  A  +  B - 2 ", "A + B - 2", []string{"A", "B"}},
		{"-A + 3", "-A + 3", []string{"A"}},
		{"+A", "A", []string{"A"}},
		{"10", "10", nil},
		{"0", "0", nil},
		{"A - A", "A - A", []string{"A"}},
		{"A\t+\nB", "A + B", []string{"A", "B"}},
		{"X1_2 − Y", "X1_2 - Y", []string{"X1_2", "Y"}},
		{"9223372036854775807", "9223372036854775807", nil},
	}
	for _, tc := range ok {
		e, err := ParseExpr(tc.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.in, err)
			continue
		}
		if e.String() != tc.str {
			t.Errorf("ParseExpr(%q).String() = %q, want %q", tc.in, e.String(), tc.str)
		}
		if !slices.Equal(e.Codes(), tc.codes) {
			t.Errorf("ParseExpr(%q).Codes() = %v, want %v", tc.in, e.Codes(), tc.codes)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "chưa nhập biểu thức"},
		{"   ", "chưa nhập biểu thức"},
		{"A +", "vị trí 4: thiếu mã chỉ tiêu hoặc số"},
		{"-", "thiếu mã chỉ tiêu hoặc số"},
		{"A B", "vị trí 3: thiếu dấu + hoặc - giữa hai mã"},
		{"A ++ B", "hai dấu + hoặc - liền nhau"},
		{"A * 2", "ký tự '*' không được dùng"},
		{"(A)", "ký tự '(' không được dùng"},
		{"A <= B", "ký tự '<' không được dùng"},
		{"2A", "'2A' không phải là mã chỉ tiêu"},
		{"_A", "ký tự '_' không được dùng"},
		{"Nhà", "ký tự 'à' không được dùng"},
		{"99999999999999999999", "số '99999999999999999999' quá lớn"},
		{"A + 1.5", "ký tự '.' không được dùng"},
		{strings.Repeat("A+", 600) + "A", "quá dài"},
	}
	for _, tc := range bad {
		_, err := ParseExpr(tc.in)
		if err == nil {
			t.Errorf("ParseExpr(%q) accepted", tc.in)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseExpr(%q) error %q, want it to contain %q", tc.in, err, tc.msg)
		}
	}
}

func TestExprEval(t *testing.T) {
	e, _ := ParseExpr("A + B - C + 5")
	v, n := e.Eval(map[string]int64{"A": 10, "C": 3})
	if v != 12 || n != 2 {
		t.Errorf("Eval = %d (%d present), want 12 (2)", v, n)
	}
	v, n = e.Eval(nil)
	if v != 5 || n != 0 {
		t.Errorf("Eval(nil) = %d (%d present), want 5 (0)", v, n)
	}
	big, _ := ParseExpr("A + A")
	if v, _ := big.Eval(map[string]int64{"A": 1 << 62 * 3 / 2}); v != 1<<63-1 {
		t.Errorf("overflow not saturated: %d", v)
	}
	neg, _ := ParseExpr("-A - A")
	if v, _ := neg.Eval(map[string]int64{"A": 1 << 62 * 3 / 2}); v != -1<<63 {
		t.Errorf("negative overflow not saturated: %d", v)
	}
}
