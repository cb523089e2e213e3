package indicator

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func i64(v int64) *int64 { return &v }

func TestParseValue(t *testing.T) {
	count := Indicator{Code: "HIEN_MAU_LUOT", ValueType: Integer}
	bounded := Indicator{Code: "NTM_TIEU_CHI_DAT", ValueType: Integer, Min: i64(5), Max: i64(100)}
	money := Indicator{Code: "QUY_COVID_TIEP_NHAN", ValueType: Money}
	moneyMax := Indicator{Code: "X", ValueType: Money, Max: i64(1_000_000)}
	dec := Indicator{Code: "NTM_DUONG_GIAO_THONG_KM", ValueType: Decimal, Scale: 1}
	pct := Indicator{Code: "TY_LE", ValueType: Decimal, Scale: 1, Min: i64(0), Max: i64(1000)}
	yn := Indicator{Code: "QUY_CONG_KHAI", ValueType: YesNo}
	txt := Indicator{Code: "KHAO_SAT_PHOI_HOP", ValueType: Text}

	tests := []struct {
		name    string
		ind     Indicator
		raw     string
		num     *int64
		text    *string
		wantErr string // substring of the message; "" for success
	}{
		{"empty", count, "", nil, nil, ""},
		{"blank", count, "  \t ", nil, nil, ""},
		{"nbsp only", money, "\u00a0", nil, nil, ""},
		{"plain", count, "12", i64(12), nil, ""},
		{"zero", count, "0", i64(0), nil, ""},
		{"spaces around", count, "  7 ", i64(7), nil, ""},
		{"dot thousands", count, "1.234", i64(1234), nil, ""},
		{"space thousands", count, "1 234 567", i64(1234567), nil, ""},
		{"comma thousands", count, "1,234", i64(1234), nil, ""},
		{"word", count, "ba", nil, nil, "'ba' không phải là số"},
		{"unit typed", count, "12 người", nil, nil, "không phải là số"},
		{"decimal in count", count, "1,5", nil, nil, "không phải là số"},
		{"bad groups", count, "1.23.4", nil, nil, "3 chữ số"},
		{"negative count", count, "-3", nil, nil, "Số âm không hợp lệ cho chỉ tiêu đếm"},
		{"unicode minus", count, "\u22123", nil, nil, "Số âm không hợp lệ"},
		{"over max", bounded, "120", nil, nil, "Giá trị 120 vượt quá tối đa 100"},
		{"under min", bounded, "3", nil, nil, "Giá trị 3 nhỏ hơn tối thiểu 5"},
		{"at max", bounded, "100", i64(100), nil, ""},
		{"at min", bounded, "5", i64(5), nil, ""},
		{"overflow", count, "99999999999999999999", nil, nil, "quá lớn"},
		{"money plain", money, "348000000", i64(348_000_000), nil, ""},
		{"money dots đ", money, "348.000.000 đ", i64(348_000_000), nil, ""},
		{"money đồng", money, "14.000.000 đồng", i64(14_000_000), nil, ""},
		{"money VND", money, "14000000VND", i64(14_000_000), nil, ""},
		{"money bank export", money, "1,000,000.00", i64(1_000_000), nil, ""},
		{"money fraction", money, "1.000,50", nil, nil, "phần lẻ"},
		{"money negative", money, "-5.000", nil, nil, "Số tiền không được âm"},
		{"money words", money, "ba trăm triệu", nil, nil, "không phải là số"},
		{"money over max", moneyMax, "2.000.000", nil, nil, "Giá trị 2.000.000 đ vượt quá tối đa 1.000.000 đ"},
		{"decimal comma", dec, "1,5", i64(15), nil, ""},
		{"decimal dot", dec, "12.3", i64(123), nil, ""},
		{"decimal grouped", dec, "1.234,5", i64(12345), nil, ""},
		{"decimal integer", dec, "7", i64(70), nil, ""},
		{"decimal negative", dec, "-0,5", i64(-5), nil, ""},
		{"decimal too precise", dec, "1,55", nil, nil, "tối đa 1 chữ số"},
		{"decimal word", dec, "mười", nil, nil, "không phải là số"},
		{"percent over", pct, "100,5", nil, nil, "Giá trị 100,5 vượt quá tối đa 100,0"},
		{"percent under", pct, "-1", nil, nil, "Giá trị -1,0 nhỏ hơn tối thiểu 0,0"},
		{"yes có", yn, "Có", i64(1), nil, ""},
		{"yes co", yn, "co", i64(1), nil, ""},
		{"yes caps", yn, "CÓ", i64(1), nil, ""},
		{"yes nfd", yn, norm.NFD.String("có"), i64(1), nil, ""},
		{"yes x", yn, "x", i64(1), nil, ""},
		{"yes X", yn, "X", i64(1), nil, ""},
		{"yes 1", yn, "1", i64(1), nil, ""},
		{"yes english", yn, "Yes", i64(1), nil, ""},
		{"yes true", yn, "TRUE", i64(1), nil, ""},
		{"no không", yn, "Không", i64(0), nil, ""},
		{"no khong", yn, "khong", i64(0), nil, ""},
		{"no 0", yn, "0", i64(0), nil, ""},
		{"no english", yn, "no", i64(0), nil, ""},
		{"no false", yn, "false", i64(0), nil, ""},
		{"yes/no other", yn, "có lẽ", nil, nil, "nhập Có hoặc Không"},
		{"yes/no number", yn, "2", nil, nil, "nhập Có hoặc Không"},
		{"text", txt, "  Ban Dân vận Huyện ủy ", nil, strp("Ban Dân vận Huyện ủy"), ""},
		{"text nfd", txt, norm.NFD.String("Hội Nông dân"), nil, strp("Hội Nông dân"), ""},
		{"text 500", txt, strings.Repeat("ă", 500), nil, strp(strings.Repeat("ă", 500)), ""},
		{"text 501", txt, strings.Repeat("ă", 501), nil, nil, "Nội dung quá dài (501 ký tự, tối đa 500)"},
		{"bad type", Indicator{Code: "Z", ValueType: "date"}, "1", nil, nil, "kiểu giá trị không hợp lệ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			num, text, err := ParseValue(tc.ind, tc.raw)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseValue(%q) = %v, %v; want error %q", tc.raw, p64(num), ps(text), tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseValue(%q) error %q, want it to contain %q", tc.raw, err, tc.wantErr)
				}
				ve, ok := err.(*ValueError)
				if !ok || ve.Indicator != tc.ind.Code {
					t.Fatalf("error %T %+v is not a *ValueError of %s", err, err, tc.ind.Code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tc.raw, err)
			}
			if p64(num) != p64(tc.num) || ps(text) != ps(tc.text) {
				t.Fatalf("ParseValue(%q) = %s, %s; want %s, %s", tc.raw, p64(num), ps(text), p64(tc.num), ps(tc.text))
			}
		})
	}
}

func strp(s string) *string { return &s }

func p64(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	return strconv.FormatInt(*p, 10)
}

func ps(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return "\"" + *p + "\""
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		ind  Indicator
		num  *int64
		text *string
		want string
	}{
		{Indicator{ValueType: Integer}, i64(1234567), nil, "1.234.567"},
		{Indicator{ValueType: Integer}, i64(0), nil, "0"},
		{Indicator{ValueType: Integer}, nil, nil, ""},
		{Indicator{ValueType: Money}, i64(348_000_000), nil, "348.000.000 đ"},
		{Indicator{ValueType: Money}, i64(14_200_000), nil, "14.200.000 đ"},
		{Indicator{ValueType: Decimal, Scale: 1}, i64(15), nil, "1,5"},
		{Indicator{ValueType: Decimal, Scale: 2}, i64(123456), nil, "1.234,56"},
		{Indicator{ValueType: Decimal, Scale: 1}, i64(-5), nil, "-0,5"},
		{Indicator{ValueType: YesNo}, i64(1), nil, "Có"},
		{Indicator{ValueType: YesNo}, i64(0), nil, "Không"},
		{Indicator{ValueType: YesNo}, nil, nil, ""},
		{Indicator{ValueType: Text}, nil, strp("Ban Dân vận"), "Ban Dân vận"},
		{Indicator{ValueType: Text}, nil, nil, ""},
	}
	for _, tc := range tests {
		if got := FormatValue(tc.ind, tc.num, tc.text); got != tc.want {
			t.Errorf("FormatValue(%s, %s, %s) = %q, want %q", tc.ind.ValueType, p64(tc.num), ps(tc.text), got, tc.want)
		}
	}
	if got := FormatInput(Indicator{ValueType: Money}, i64(348_000_000), nil); got != "348.000.000" {
		t.Errorf("FormatInput money = %q", got)
	}
}

func TestCheckRange(t *testing.T) {
	if err := CheckRange(Indicator{ValueType: Integer}, -1); err == nil {
		t.Error("negative count accepted")
	}
	if err := CheckRange(Indicator{ValueType: Decimal, Scale: 1}, -1); err != nil {
		t.Errorf("negative decimal without bounds refused: %v", err)
	}
	if err := CheckRange(Indicator{ValueType: Integer, Max: i64(19)}, 20); err == nil || err.Error() != "Giá trị 20 vượt quá tối đa 19" {
		t.Errorf("CheckRange over max: %v", err)
	}
}
