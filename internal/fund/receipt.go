package fund

import (
	"fmt"
	"strconv"
	"strings"
)

// Voucher kinds, the prefixes of Vietnamese accounting vouchers.
const (
	PrefixReceipt      = "PT" // phiếu thu
	PrefixDisbursement = "PC" // phiếu chi
)

// ReceiptNumber formats the number of a receipt (phiếu thu): "PT", the
// fund's code, the year and the sequence number within the fund and year,
// zero-padded to six digits: ReceiptNumber("COVID19", 2021, 123) =
// "PT-COVID19-2021-000123". Sequences past 999999 take more digits. The
// code is upper-cased. The sequence itself (gap-free per fund and year) is
// the store's business; this only formats it.
func ReceiptNumber(fundCode string, year int, seq int64) string {
	return VoucherNumber(PrefixReceipt, fundCode, year, seq)
}

// DisbursementNumber is ReceiptNumber for payment vouchers (phiếu chi):
// "PC-COVID19-2021-000007".
func DisbursementNumber(fundCode string, year int, seq int64) string {
	return VoucherNumber(PrefixDisbursement, fundCode, year, seq)
}

// VoucherNumber formats prefix-CODE-YYYY-NNNNNN.
func VoucherNumber(prefix, fundCode string, year int, seq int64) string {
	return string(AppendVoucherNumber(make([]byte, 0, len(prefix)+len(fundCode)+14), prefix, fundCode, year, seq))
}

// AppendVoucherNumber appends VoucherNumber(prefix, fundCode, year, seq)
// to b: fmt.Sprintf("%s-%s-%04d-%06d") written out, since an import of a
// million receipts numbers a million of them.
func AppendVoucherNumber(b []byte, prefix, fundCode string, year int, seq int64) []byte {
	b = append(b, prefix...)
	b = append(b, '-')
	b = append(b, strings.ToUpper(fundCode)...)
	b = append(b, '-')
	b = voucherDigits(b, int64(year), 4)
	b = append(b, '-')
	return voucherDigits(b, seq, 6)
}

// voucherDigits appends n in decimal with zeros in front up to width
// digits (a minus sign first, as %0*d does).
func voucherDigits(b []byte, n int64, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		width--
		n = -n
	}
	d := strconv.FormatInt(n, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// ValidFundCode reports whether code can appear in voucher numbers and
// checkpoints: 1–20 ASCII capital letters, digits, or inner hyphens
// ("COVID19", "VNN-2024").
func ValidFundCode(code string) bool {
	if code == "" || len(code) > 20 || code[0] == '-' || code[len(code)-1] == '-' || strings.Contains(code, "--") {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ParseVoucherNumber splits a voucher number made by VoucherNumber with a
// valid fund code.
func ParseVoucherNumber(s string) (prefix, fundCode string, year int, seq int64, err error) {
	bad := fmt.Errorf("số chứng từ '%s' không đúng dạng PT-MÃQUỸ-NĂM-SỐ", s)
	i := strings.IndexByte(s, '-')
	j := strings.LastIndexByte(s, '-')
	if i < 0 || j <= i {
		return "", "", 0, 0, bad
	}
	k := strings.LastIndexByte(s[:j], '-')
	if k <= i {
		return "", "", 0, 0, bad
	}
	prefix, fundCode, ys, ss := s[:i], s[i+1:k], s[k+1:j], s[j+1:]
	if prefix != PrefixReceipt && prefix != PrefixDisbursement || !ValidFundCode(fundCode) || len(ys) != 4 || len(ss) < 6 {
		return "", "", 0, 0, bad
	}
	year, err1 := strconv.Atoi(ys)
	seq, err2 := strconv.ParseInt(ss, 10, 64)
	if err1 != nil || err2 != nil || year < 1000 || seq < 0 || ys[0] == '+' || ss[0] == '+' || ss[0] == '-' || VoucherNumber(prefix, fundCode, year, seq) != s {
		return "", "", 0, 0, bad
	}
	return prefix, fundCode, year, seq, nil
}
