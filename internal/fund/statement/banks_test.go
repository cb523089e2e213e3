package statement

import (
	"testing"
)

// Statements as other banks lay them out (column names, order, title
// blocks and totals as their internet banking exports write them): each
// is read without a profile, credits positive, debits negative.
func TestOtherBanksLayouts(t *testing.T) {
	for _, c := range []struct {
		bank string
		data string
		want []int64 // amounts of the lines, in order
		refs []string
	}{
		{"ACB", "NGÂN HÀNG TMCP Á CHÂU\nSAO KÊ TÀI KHOẢN\nTừ ngày 01/08/2021 đến ngày 31/08/2021\n" +
			"Ngày hiệu lực,Số GD,Rút ra,Gửi vào,Số dư,Mô tả giao dịch\n" +
			"02/08/2021,2104321,,\"1,000,000\",\"51,000,000\",NGUYEN VAN AN UNG HO COVID\n" +
			"03/08/2021,2104322,\"22,000\",,\"50,978,000\",PHI QUAN LY TAI KHOAN\n" +
			"Tổng cộng,,\"22,000\",\"1,000,000\",,\n",
			[]int64{1_000_000, -22_000}, []string{"2104321", "2104322"}},
		{"Sacombank", "Ngày giao dịch;Diễn giải;Rút ra;Gửi vào;Số dư;Số bút toán\n" +
			"05/08/2021 10:12:00;UNG HO PHONG CHONG DICH - TRAN THI BINH;;500.000;10.500.000;FT2121700001\n",
			[]int64{500_000}, []string{"FT2121700001"}},
		{"TPBank", "STT,Ngày giao dịch,Mô tả,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mã giao dịch\n" +
			"1,06/08/2021,LE VAN CUONG CK UNG HO,0,\"200,000\",\"10,700,000\",TPB001\n",
			[]int64{200_000}, []string{"TPB001"}},
		{"VPBank", "Ngày GD,Ngày hiệu lực,Mã giao dịch,Nội dung,Phát sinh Nợ,Phát sinh Có,Số dư\n" +
			"07/08/2021,07/08/2021,VPB778,PHAM THI DUNG ung ho covid,,\"3,000,000\",\"13,700,000\"\n",
			[]int64{3_000_000}, []string{"VPB778"}},
		{"MB (Nợ/Có in one column)", "Ngày giao dịch,Số tham chiếu,Số tiền,Nợ/Có,Nội dung\n" +
			"08/08/2021,MB123,\"150.000\",C,HOANG VAN EM UNG HO\n" +
			"08/08/2021,MB124,\"11.000\",D,PHI SMS\n",
			[]int64{150_000, -11_000}, []string{"MB123", "MB124"}},
		{"English export", "Transaction Date,Reference No,Description,Withdrawals,Deposits,Balance\n" +
			"09/08/2021,REF9,DO THI GIANG DONATION,,\"250,000\",\"13,950,000\"\n",
			[]int64{250_000}, []string{"REF9"}},
	} {
		t.Run(c.bank, func(t *testing.T) {
			_, lines, errs := collect(t, []byte(c.data), KindAuto, Profile{})
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if len(lines) != len(c.want) {
				t.Fatalf("%d lines, want %d: %+v", len(lines), len(c.want), lines)
			}
			for i, l := range lines {
				if l.Amount != c.want[i] || l.Ref != c.refs[i] {
					t.Errorf("line %d: amount %d ref %q, want %d %q", l.LineNo, l.Amount, l.Ref, c.want[i], c.refs[i])
				}
			}
		})
	}
}
