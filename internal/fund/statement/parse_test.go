package statement

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

type want struct {
	line    int
	date    string // "02/01/2006 15:04:05"
	ref     string
	amount  int64
	balance any // nil or int64
	desc    string
}

// collect parses and splits lines and errors.
func collect(t *testing.T, data []byte, kind Kind, p Profile) (*Reader, []Line, []error) {
	t.Helper()
	rd, err := NewReader(bytes.NewReader(data), kind, p)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	defer rd.Close()
	var lines []Line
	var errs []error
	for l, err := range rd.Lines() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		lines = append(lines, l)
	}
	return rd, lines, errs
}

func check(t *testing.T, got []Line, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, l := range got {
			t.Logf("got %+v", l)
		}
		t.Fatalf("%d lines, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.LineNo != w.line || g.Date.Format("02/01/2006 15:04:05") != w.date || g.Ref != w.ref || g.Amount != w.amount || g.Description != w.desc {
			t.Errorf("line %d:\n got %d %s %q %d %q\nwant %d %s %q %d %q", i, g.LineNo, g.Date.Format("02/01/2006 15:04:05"), g.Ref, g.Amount, g.Description,
				w.line, w.date, w.ref, w.amount, w.desc)
		}
		switch b := w.balance.(type) {
		case nil:
			if g.Balance != nil {
				t.Errorf("line %d: balance %d, want none", i, *g.Balance)
			}
		case int:
			if g.Balance == nil || *g.Balance != int64(b) {
				t.Errorf("line %d: balance %v, want %d", i, g.Balance, b)
			}
		}
	}
}

// A Vietcombank-like export: a title block, bilingual headers, quoted
// amounts with comma thousands, a total line and a signature block.
const vcbCSV = "\ufeffNGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM,,,,,\n" +
	"SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT,,,,,\n" +
	"Số tài khoản: 0011001932418,,,,,\n" +
	"Từ ngày 01/08/2021 đến ngày 31/08/2021,,,,,\n" +
	",,,,,\n" +
	"Ngày GD/TNX Date,Số CT/Doc No,Số tiền ghi nợ/Debit,Số tiền ghi có/Credit,Số dư/Balance,Nội dung chi tiết/Transactions in detail\n" +
	"01/08/2021,5213.20210801.123456,,\"1,000,000\",\"51,000,000\",MBVCB.123456.NGUYEN VAN A ung ho covid\n" +
	"01/08/2021 14:05:09,5213.20210801.123457,,\"500,000\",\"51,500,000\",\"IBFT Ung ho, Covid - Tran Van C\"\n" +
	"02/08/2021,FT21214000001,\"14,000,000\",,\"37,500,000\",\"Chi ho tro chot kiem soat\nxa Ia To\"\n" +
	"Tổng cộng/Total,,\"14,000,000\",\"1,500,000\",,\n" +
	",,,,,\n" +
	"Người lập biểu,,,,Kiểm soát,\n"

func TestParseVietcombankLike(t *testing.T) {
	rd, lines, errs := collect(t, []byte(vcbCSV), KindAuto, Profile{})
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if rd.Kind() != KindCSV || rd.Encoding() != EncUTF8 || rd.Comma() != ',' {
		t.Errorf("kind %v encoding %q comma %q", rd.Kind(), rd.Encoding(), rd.Comma())
	}
	m := rd.Mapping()
	if m.HeaderLine != 6 || m.Header[FieldCredit] != "Số tiền ghi có/Credit" || m.Header[FieldDate] != "Ngày GD/TNX Date" || m.Col[FieldAmount] != -1 {
		t.Errorf("mapping %+v", m)
	}
	check(t, lines, []want{
		{7, "01/08/2021 00:00:00", "5213.20210801.123456", 1000000, 51000000, "MBVCB.123456.NGUYEN VAN A ung ho covid"},
		{8, "01/08/2021 14:05:09", "5213.20210801.123457", 500000, 51500000, "IBFT Ung ho, Covid - Tran Van C"},
		{9, "02/08/2021 00:00:00", "FT21214000001", -14000000, 37500000, "Chi ho tro chot kiem soat xa Ia To"},
	})
	// The Vietcombank profile reads it too.
	p, ok := ProfileByName("vietcombank")
	if !ok {
		t.Fatal("no Vietcombank profile")
	}
	_, lines2, errs := collect(t, []byte(vcbCSV), KindCSV, p)
	if len(errs) > 0 || len(lines2) != 3 {
		t.Errorf("profile: %d lines, %v", len(lines2), errs)
	}
}

func TestParseSemicolonDecimalComma(t *testing.T) {
	data := "Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Số dư;Diễn giải\n" +
		"01-08-2021;FT1;0;1.000.000,00;2.000.000,00;Le Thi D ung ho\n" +
		"02-08-2021;FT2;250.000,00;0,00;1.750.000,00;phi\n" +
		"03-08-2021;FT3;;1 000 000;2 750 000;khoang trang\n" +
		"04-08-2021;FT4;;500.000 VND;3.250.000 VND;VND\n"
	rd, lines, errs := collect(t, []byte(data), KindCSV, Profile{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if rd.Comma() != ';' {
		t.Errorf("comma %q", rd.Comma())
	}
	check(t, lines, []want{
		{2, "01/08/2021 00:00:00", "FT1", 1000000, 2000000, "Le Thi D ung ho"},
		{3, "02/08/2021 00:00:00", "FT2", -250000, 1750000, "phi"},
		{4, "03/08/2021 00:00:00", "FT3", 1000000, 2750000, "khoang trang"},
		{5, "04/08/2021 00:00:00", "FT4", 500000, 3250000, "VND"},
	})
}

func TestParseUTF16TabSignedAmount(t *testing.T) {
	text := "Transaction Date\tReference\tAmount\tBalance\tDescription\r\n" +
		"2021-08-01T09:30:00\tA1\t1,000,000.00\t1,000,000.00\tNGUYEN VAN A\r\n" +
		"2021-08-02\tA2\t-200,000.00\t800,000.00\tATM\r\n"
	enc, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	rd, lines, errs := collect(t, enc, KindAuto, Profile{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if rd.Encoding() != EncUTF16LE || rd.Comma() != '\t' {
		t.Errorf("encoding %q comma %q", rd.Encoding(), rd.Comma())
	}
	check(t, lines, []want{
		{2, "01/08/2021 09:30:00", "A1", 1000000, 1000000, "NGUYEN VAN A"},
		{3, "02/08/2021 00:00:00", "A2", -200000, 800000, "ATM"},
	})
	// Big-endian without a byte-order mark is recognised by its zeros.
	enc, _ = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	rd, lines, errs = collect(t, enc, KindCSV, Profile{})
	if rd.Encoding() != EncUTF16BE || len(lines) != 2 || len(errs) > 0 {
		t.Errorf("UTF-16BE: %q %d %v", rd.Encoding(), len(lines), errs)
	}
}

func TestParseWindows1258(t *testing.T) {
	// Windows-1258 writes tones as combining marks after the letter.
	text := "Nga\u0300y giao di\u0323ch,Sô\u0301 CT,Ghi nơ\u0323,Ghi co\u0301,Nô\u0323i dung\r\n" +
		"05/08/2021,CT9,,2.000.000,Nguyê\u0303n Văn An u\u0309ng hô\u0323\r\n"
	enc, err := charmap.Windows1258.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	rd, lines, errs := collect(t, enc, KindCSV, Profile{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if rd.Encoding() != EncWindows1258 {
		t.Errorf("encoding %q", rd.Encoding())
	}
	check(t, lines, []want{{2, "05/08/2021 00:00:00", "CT9", 2000000, nil, "Nguyễn Văn An ủng hộ"}})
	if got := rd.Mapping().Header[FieldCredit]; got != "Ghi co\u0301" {
		t.Errorf("header as written %q", got)
	}
}

func TestParseWindows1252(t *testing.T) {
	text := "Date,Reference,Debit,Credit,Description\n01/08/2021,R1,,100,Müller café\n"
	enc, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	rd, lines, errs := collect(t, enc, KindCSV, Profile{})
	if len(errs) > 0 || rd.Encoding() != EncWindows1252 {
		t.Fatalf("%q %v", rd.Encoding(), errs)
	}
	check(t, lines, []want{{2, "01/08/2021 00:00:00", "R1", 100, nil, "Müller café"}})
	// The encoding can be forced.
	rd, _, _ = collect(t, enc, KindCSV, Profile{Encoding: EncWindows1258})
	if rd.Encoding() != EncWindows1258 {
		t.Errorf("forced encoding ignored")
	}
}

func TestParseDirectionColumn(t *testing.T) {
	data := "Ngày,Số tiền,Nợ/Có,Mô tả\n" +
		"01/08/2021,1.000.000,C,vao\n" +
		"01/08/2021,300.000,D,ra\n" +
		"01/08/2021,-300.000,Nợ,ra 2\n" +
		"01/08/2021,5,X,la\n"
	rd, lines, errs := collect(t, []byte(data), KindCSV, Profile{})
	if rd.Mapping().Col[FieldDirection] != 2 {
		t.Fatalf("mapping %+v", rd.Mapping())
	}
	check(t, lines, []want{
		{2, "01/08/2021 00:00:00", "", 1000000, nil, "vao"},
		{3, "01/08/2021 00:00:00", "", -300000, nil, "ra"},
		{4, "01/08/2021 00:00:00", "", -300000, nil, "ra 2"},
	})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "Dòng 5, cột 'Nợ/Có'") {
		t.Errorf("errors %v", errs)
	}
}

func TestParseLineErrors(t *testing.T) {
	data := "Ngày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Số dư,Nội dung\n" + // 1
		"01/08/2021,R1,,1.000.000,,ok\n" + // 2
		"01/08/2021,R2,,1.2a0,,bad amount\n" + // 3
		"31/02/2021,R3,,100,,bad date\n" + // 4
		"01/08/2021,R4,100,200,,both\n" + // 5
		"01/08/2021,R5,,,,none\n" + // 6
		",R6,,100,,no date\n" + // 7
		"01/08/2021,R7,,1.000,5x,bad balance\n" + // 8
		"01/08/2021,R8,,1.000,5,ok\n" + // 9
		"01/08/2021 25:00,R9,,1,,bad time\n" + // 10
		"01/08/2021,R10,,\"1,5\",,fraction\n" // 11
	_, lines, errs := collect(t, []byte(data), KindCSV, Profile{})
	if len(lines) != 2 || lines[0].Ref != "R1" || lines[1].Ref != "R8" {
		t.Errorf("lines %+v", lines)
	}
	wantErrs := []string{
		"Dòng 3, cột 'Ghi có': '1.2a0' không phải là số tiền",
		"Dòng 4, cột 'Ngày giao dịch': ngày không hợp lệ",
		"Dòng 5: vừa ghi nợ 100 đ vừa ghi có 200 đ",
		"Dòng 6: không có số tiền ghi nợ hay ghi có",
		"Dòng 7, cột 'Ngày giao dịch': thiếu ngày giao dịch",
		"Dòng 8, cột 'Số dư': '5x' không phải là số tiền",
		"Dòng 10, cột 'Ngày giao dịch': giờ '25:00' không hợp lệ",
		"Dòng 11, cột 'Ghi có': '1,5' không hợp lệ",
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors %v", errs)
	}
	for i, w := range wantErrs {
		var le *LineError
		if !errors.As(errs[i], &le) {
			t.Errorf("error %d is %T", i, errs[i])
		}
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %q, want prefix %q", i, errs[i], w)
		}
	}
}

func TestParseDatesAndNumbers(t *testing.T) {
	dates := []struct{ in, want string }{
		{"01/08/2021", "01/08/2021 00:00:00"},
		{"1/8/2021", "01/08/2021 00:00:00"},
		{"01-08-2021", "01/08/2021 00:00:00"},
		{"01.08.2021", "01/08/2021 00:00:00"},
		{"2021-08-01", "01/08/2021 00:00:00"},
		{"01/08/2021 10:15", "01/08/2021 10:15:00"},
		{"01/08/2021  10:15:30", "01/08/2021 10:15:30"},
		{"2021-08-01T10:15:30Z", "01/08/2021 10:15:30"},
		{"2021-08-01 10:15:30.123", "01/08/2021 10:15:30"},
		{"29/02/2024", "29/02/2024 00:00:00"},
	}
	for _, d := range dates {
		got, msg := parseDate(d.in, "", false, false)
		if msg != "" || got.Format("02/01/2006 15:04:05") != d.want {
			t.Errorf("parseDate(%q) = %v %q, want %s", d.in, got, msg, d.want)
		}
	}
	for _, bad := range []string{"", "1/1/0001", "01/01/3000", "31/02/2021", "29/02/2023", "2021/08/01", "01/08/21", "hôm qua", "01/08/2021 10", "01/08/2021 10:60", "44409"} {
		if _, msg := parseDate(bad, "", false, false); msg == "" {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
	// Excel serial dates, in XLSX only: 44409 is 01/08/2021; .5 is noon.
	for _, c := range []struct {
		in    string
		d1904 bool
		want  string
	}{{"44409", false, "01/08/2021 00:00:00"}, {"44409.5", false, "01/08/2021 12:00:00"}, {"61", false, "01/03/1900 00:00:00"}, {"42947", true, "01/08/2021 00:00:00"}} {
		got, msg := parseDate(c.in, "", true, c.d1904)
		if msg != "" || got.Format("02/01/2006 15:04:05") != c.want {
			t.Errorf("serial %s = %v %q, want %s", c.in, got, msg, c.want)
		}
	}
	// A profile layout.
	if got, msg := parseDate("01/08/21 10:15", "02/01/06 15:04", false, false); msg != "" || got != time.Date(2021, 8, 1, 10, 15, 0, 0, time.UTC) {
		t.Errorf("layout: %v %q", got, msg)
	}
	amounts := []struct {
		in   string
		xlsx bool
		want int64
		ok   bool
	}{
		{"1.000.000", false, 1000000, true},
		{"1,000,000", false, 1000000, true},
		{"1 000 000", false, 1000000, true},
		{"1\u00a0000\u00a0000", false, 1000000, true},
		{"1.000.000,00", false, 1000000, true},
		{"1,000,000.00", false, 1000000, true},
		{"1000000", false, 1000000, true},
		{"+1.000", false, 1000, true},
		{"-1.000", false, -1000, true},
		{"(1.000)", false, -1000, true},
		{"500.000 VND", false, 500000, true},
		{"500.000đ", false, 500000, true},
		{"", false, 0, false},
		{" - ", false, 0, false},
		{"1E+7", true, 10000000, true},
		{"1000000.0", true, 1000000, true},
	}
	for _, a := range amounts {
		v, ok, msg := parseAmount(a.in, a.xlsx)
		if msg != "" || v != a.want || ok != a.ok {
			t.Errorf("parseAmount(%q) = %d %v %q", a.in, v, ok, msg)
		}
	}
	for _, bad := range []string{"1.2a0", "1,5", "1.000,50", "abc", "1E+7", "1.23.4", "99999999999999999999"} {
		if _, _, msg := parseAmount(bad, false); msg == "" {
			t.Errorf("parseAmount(%q) accepted", bad)
		}
	}
	if _, _, msg := parseAmount("1000.5", true); msg == "" {
		t.Error("fraction of a đồng accepted in XLSX")
	}
}

func TestParseFatal(t *testing.T) {
	for name, data := range map[string]string{
		"empty":          "",
		"no header":      "a,b,c\n1,2,3\n",
		"only a date":    "Ngày,Mô tả\n01/08/2021,x\n",
		"only amounts":   "Ghi nợ,Ghi có\n1,2\n",
		"header too low": strings.Repeat("tiêu đề\n", HeaderSearchRows) + "Ngày,Ghi có\n01/08/2021,1\n",
		"binary":         "\x00\x01\x02\x03PK",
	} {
		_, err := NewReader(strings.NewReader(data), KindCSV, Profile{})
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want *FormatError", name, err)
		}
	}
	// A profile whose columns are not in the file.
	p, _ := ProfileByName("Agribank")
	_, err := NewReader(strings.NewReader("Ngày giao dịch,Số tiền\n01/08/2021,1\n"), KindCSV, Profile{Name: "Của tôi", DateCol: []string{"Ngày hạch toán"}, AmountCol: []string{"Số tiền"}})
	if err == nil || !strings.Contains(err.Error(), "'Ngày hạch toán'") {
		t.Errorf("profile columns missing: %v", err)
	}
	_ = p
	// Parse reports the fatal error as its only value.
	n := 0
	for _, err := range Parse(strings.NewReader("x"), KindCSV, Profile{}) {
		n++
		if err == nil {
			t.Error("no error")
		}
	}
	if n != 1 {
		t.Errorf("%d values", n)
	}
	// An unknown encoding or separator.
	if _, err := NewReader(strings.NewReader("Ngày,Có\n"), KindCSV, Profile{Encoding: "tcvn3"}); err == nil {
		t.Error("unknown encoding accepted")
	}
	if _, err := NewReader(strings.NewReader("Ngày,Có\n"), KindCSV, Profile{Comma: ':'}); err == nil {
		t.Error("unknown separator accepted")
	}
}

func TestParseSkipsNonTransactions(t *testing.T) {
	data := "STT,Ngày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Nội dung\n" + // 1
		",Transaction date,Reference,Debit,Credit,Description\n" + // 2: second header
		",,,,,\n" + // 3
		"Số dư đầu kỳ,,,,,\n" + // 4
		"1,01/08/2021,R1,,100,a\n" + // 5
		"\n" + // 6
		"2,01/08/2021,R2,,200,b\n" + // 7
		"Cộng phát sinh,,,0,300,\n" + // 8
		"Số dư cuối kỳ,,,,300,\n" + // 9
		",,,,,Ngày 31 tháng 8 năm 2021\n" + // 10
		"Kế toán trưởng,,,,,Giám đốc\n" // 11
	rd, lines, errs := collect(t, []byte(data), KindCSV, Profile{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if rd.Mapping().Col[FieldDate] != 1 {
		t.Errorf("mapping %+v", rd.Mapping())
	}
	check(t, lines, []want{
		{5, "01/08/2021 00:00:00", "R1", 100, nil, "a"},
		{7, "01/08/2021 00:00:00", "R2", 200, nil, "b"},
	})
}

func TestParseQuotesAndLongLines(t *testing.T) {
	data := "Ngày,Có,Mô tả\n" +
		"01/08/2021,1,\"quoted \"\"word\"\", comma\"\n" +
		"01/08/2021,2,bare \"quote\" inside\n" +
		"01/08/2021,3,\"after\"quote\n" +
		"01/08/2021,4," + strings.Repeat("x", MaxRecord+10) + "\n" +
		"01/08/2021,5,\"multi\r\nline\"\r\n" +
		"01/08/2021,6,\"unterminated"
	_, lines, errs := collect(t, []byte(data), KindCSV, Profile{})
	check(t, lines, []want{
		{2, "01/08/2021 00:00:00", "", 1, nil, "quoted \"word\", comma"},
		{3, "01/08/2021 00:00:00", "", 2, nil, "bare \"quote\" inside"},
		{4, "01/08/2021 00:00:00", "", 3, nil, "afterquote"},
		{6, "01/08/2021 00:00:00", "", 5, nil, "multi line"},
		{8, "01/08/2021 00:00:00", "", 6, nil, "unterminated"},
	})
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "Dòng 5: dòng dài quá") {
		t.Errorf("errors %v", errs)
	}
}

// Every built-in bank profile reads a file written with its own column
// names, and so does Auto.
func TestBuiltInProfiles(t *testing.T) {
	for _, p := range Profiles[1:] {
		t.Run(p.Name, func(t *testing.T) {
			head := []string{p.DateCol[0], p.RefCol[0], p.DebitCol[0], p.CreditCol[0], p.BalanceCol[0], p.DescCol[0]}
			data := "Sao kê " + p.Name + "\n\n" + strings.Join(head, ",") + "\n" +
				"01/08/2021,R1,,1.000.000,1.000.000,NGUYEN VAN A ung ho\n" +
				"02/08/2021,R2,400.000,,600.000,chi\n"
			for _, prof := range []Profile{p, {}} {
				rd, lines, errs := collect(t, []byte(data), KindCSV, prof)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				for f, name := range map[Field]string{FieldDate: p.DateCol[0], FieldRef: p.RefCol[0], FieldDebit: p.DebitCol[0], FieldCredit: p.CreditCol[0], FieldBalance: p.BalanceCol[0], FieldDesc: p.DescCol[0]} {
					if got := rd.Mapping().Header[f]; got != name {
						t.Errorf("profile %q: %v mapped to %q, want %q", prof, f, got, name)
					}
				}
				check(t, lines, []want{
					{4, "01/08/2021 00:00:00", "R1", 1000000, 1000000, "NGUYEN VAN A ung ho"},
					{5, "02/08/2021 00:00:00", "R2", -400000, 600000, "chi"},
				})
			}
		})
	}
	if _, ok := ProfileByName("no such bank"); ok {
		t.Error("unknown profile found")
	}
}

func TestHeaderMeaning(t *testing.T) {
	tests := []struct {
		cells []string
		want  map[Field]int
	}{
		{[]string{"Ngày hiệu lực", "Ngày giao dịch", "Số tiền", "Mô tả"}, map[Field]int{FieldDate: 1, FieldAmount: 2, FieldDesc: 3}},
		{[]string{"Ngày có hiệu lực", "Có", "Nợ"}, map[Field]int{FieldDate: 0, FieldCredit: 1, FieldDebit: 2}},
		{[]string{"Thời gian", "Số tiền giao dịch", "Loại giao dịch", "Chi tiết"}, map[Field]int{FieldDate: 0, FieldAmount: 1, FieldDirection: 2, FieldDesc: 3}},
		{[]string{"DATE", "DEBIT", "CREDIT", "BALANCE", "REF NO", "NARRATIVE"}, map[Field]int{FieldDate: 0, FieldDebit: 1, FieldCredit: 2, FieldBalance: 3, FieldRef: 4, FieldDesc: 5}},
		{[]string{"Ngày in: 01/09/2024", "Số tiền"}, map[Field]int{FieldAmount: 1}},
		{[]string{"Phát sinh Nợ", "Phát sinh Có", "Số dư", "Ngày hạch toán", "Diễn giải", "Số chứng từ"}, map[Field]int{FieldDebit: 0, FieldCredit: 1, FieldBalance: 2, FieldDate: 3, FieldDesc: 4, FieldRef: 5}},
	}
	for _, tt := range tests {
		m := mapHeader(tt.cells, &Profile{})
		for f := Field(0); f < numFields; f++ {
			want, ok := tt.want[f]
			if !ok {
				want = -1
			}
			if m.Col[f] != want {
				t.Errorf("%q: %v at %d, want %d", tt.cells, f, m.Col[f], want)
			}
		}
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{nil, EncUTF8},
		{[]byte("plain ascii"), EncUTF8},
		{[]byte("Ngày"), EncUTF8},
		{[]byte("\xef\xbb\xbfx"), EncUTF8},
		{[]byte{0xff, 0xfe, 'a', 0}, EncUTF16LE},
		{[]byte{0xfe, 0xff, 0, 'a'}, EncUTF16BE},
		{[]byte("N\x00g\x00a\x00y\x00,\x00"), EncUTF16LE},
		{[]byte("Nga\xccy, \xf0i\xf2a chi\xec"), EncWindows1258},
		{[]byte("M\xfcller caf\xe9"), EncWindows1252},
		{append([]byte("Ng\xc3\xa0y "), 0xe1, 0xbb), EncUTF8}, // cut inside a character at the end
	}
	for _, tt := range tests {
		if got := detectEncoding(tt.in); got != tt.want {
			t.Errorf("detectEncoding(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(vcbCSV))
	f.Add([]byte("Ngày;Số tiền;Nợ/Có\n01/08/2021;1.000;C\n"))
	f.Add([]byte("Ngày,Ghi có\n\"01/08/2021\",\"1,000\"\n,\n\"\n"))
	f.Add([]byte("\xff\xfeN\x00g\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		for l, err := range Parse(bytes.NewReader(data), KindCSV, Profile{}) {
			n++
			if err != nil {
				var le *LineError
				var fe *FormatError
				if !errors.As(err, &le) && !errors.As(err, &fe) {
					t.Fatalf("unexpected error %T %v", err, err)
				}
				continue
			}
			if l.Amount == 0 || l.LineNo < 2 || l.Date.IsZero() {
				t.Fatalf("bad line %+v", l)
			}
			if n > len(data)+1 {
				t.Fatalf("more lines than bytes")
			}
		}
	})
}
