package fund

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"giaoban/internal/vn"
)

// Sample statements for benchmarks (`giaoban bench funds`,
// BenchmarkPublicSearch): a Vietcombank-style CSV export of n credits and
// a few debits, with donors' names in transfer notes as banks write them
// (capitals without diacritics, in the common patterns), realistic amounts
// and dates, all from a fixed seed.

var (
	sampleFamilies = []string{"NGUYEN", "NGUYEN", "NGUYEN", "NGUYEN", "TRAN", "TRAN", "LE", "LE", "PHAM", "HOANG", "HUYNH", "PHAN",
		"VU", "VO", "DANG", "BUI", "DO", "HO", "NGO", "DUONG", "LY", "DINH", "TRUONG", "LAM", "MAI", "TRINH", "DOAN", "CAO", "LUU", "HA",
		"KSOR", "SIU", "RO CHAM", "RO MAH", "KPA", "NAY", "PUIH", "RAH LAN", "KPUIH", "RMAH"}
	sampleMiddles = []string{"VAN", "VAN", "VAN", "THI", "THI", "THI", "HUU", "DUC", "MINH", "QUOC", "THANH", "NGOC", "XUAN", "KIM", "HONG",
		"THU", "ANH", "GIA", "BAO", "TUAN", "HOANG", "CONG", "DINH"}
	sampleGiven = []string{"AN", "ANH", "BINH", "CUONG", "DUNG", "DUC", "GIANG", "HA", "HAI", "HANH", "HANG", "HIEU", "HOA", "HUNG", "HUONG",
		"HUY", "KHANH", "KHOA", "LAN", "LINH", "LOC", "LONG", "MAI", "MINH", "NAM", "NGA", "NGOC", "NHUNG", "OANH", "PHONG", "PHUC", "PHUONG",
		"QUANG", "QUYNH", "SON", "TAM", "THANG", "THAO", "THANH", "THU", "THUY", "TIEN", "TOAN", "TRANG", "TRUNG", "TU", "TUAN", "TUNG", "VAN",
		"VIET", "VINH", "XUAN", "YEN", "DAT", "DIEP", "HAU", "KIEN", "LUAN", "NHAN", "QUAN", "SANG", "TAI", "THINH", "VU", "BAO", "CHAU", "DIEU",
		"HIEN", "KIM", "LIEN", "MY", "NHI", "PHU", "TAN", "THIEN", "TRI", "UYEN", "VY", "BLONG", "THOM", "NGON", "HYOK", "DJIU", "BLUI", "NIA", "LIM"}
	sampleCompanies = []string{"CONG TY TNHH XAY DUNG TAN PHAT", "CONG TY CP CA PHE IA GRAI", "DNTN HOANG LONG", "HTX NONG NGHIEP IA DER",
		"CONG TY TNHH TM DV MINH CHAU", "TRUONG THPT IA GRAI NAM", "CONG TY CP DAU TU NONG NGHIEP", "CONG TY TNHH MTV CAO SU IA BLANG"}
	sampleAmounts = []int64{50_000, 100_000, 100_000, 200_000, 200_000, 200_000, 300_000, 500_000, 500_000, 500_000, 1_000_000, 1_000_000,
		2_000_000, 5_000_000, 150_000, 250_000, 20_000, 10_000, 68_000, 99_000, 123_000}
)

// SampleQueries are searches a benchmark runs against a sample statement:
// names as people type them (lower case, word order changed, a prefix),
// amounts that occur, and date ranges.
type SampleQueries struct {
	Names   []string
	Amounts []int64
	Dates   [][2]time.Time
	// Grep is, for each of Names, what `grep -i` looks for in the file
	// to find the same donor (the name as the bank writes it).
	Grep []string
}

// WriteSampleStatement writes a sample statement of n credits (and about
// one debit per thousand) to w, dated from 1 July 2021 on, and returns
// queries to run against it.
func WriteSampleStatement(w io.Writer, n int, seed uint64) (SampleQueries, error) {
	r := rand.New(rand.NewPCG(seed, 5))
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM")
	fmt.Fprintln(bw, "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT")
	fmt.Fprintln(bw, "Số tài khoản: 0461000999888 · Chủ tài khoản: UY BAN MTTQ VIET NAM HUYEN IA GRAI NAM")
	fmt.Fprintln(bw, "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả")
	var q SampleQueries
	start := time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
	days := max(1, n/20000) // about 20.000 transfers a day at a national rush
	var balance int64
	seenAmount := map[int64]bool{}
	for i := 0; i < n; i++ {
		day := start.AddDate(0, 0, i*days/max(n, 1))
		amount := sampleAmounts[r.IntN(len(sampleAmounts))]
		if r.IntN(50) == 0 {
			amount = int64(1+r.IntN(999)) * 1000
		}
		var name, note string
		if r.IntN(40) == 0 {
			name = sampleCompanies[r.IntN(len(sampleCompanies))]
			note = name + " UNG HO PHONG CHONG DICH"
			amount *= 10
		} else {
			name = sampleFamilies[r.IntN(len(sampleFamilies))] + " " + sampleMiddles[r.IntN(len(sampleMiddles))] + " " + sampleGiven[r.IntN(len(sampleGiven))]
			if r.IntN(3) == 0 {
				name = sampleFamilies[r.IntN(len(sampleFamilies))] + " " + sampleMiddles[r.IntN(len(sampleMiddles))] + " " +
					sampleMiddles[r.IntN(len(sampleMiddles))] + " " + sampleGiven[r.IntN(len(sampleGiven))]
			}
			switch r.IntN(4) {
			case 0:
				note = name + " chuyen tien ung ho covid"
			case 1:
				note = fmt.Sprintf("MBVCB.%d.%s ung ho quy phong chong covid", 1000000+r.IntN(8999999), name)
			case 2:
				note = "IBFT Ung ho Covid - " + name
			default:
				note = fmt.Sprintf("UH COVID19 %s %s", name, "0"+fmt.Sprint(900000000+r.IntN(99999999)))
			}
		}
		balance += amount
		fmt.Fprintf(bw, "%s,FT21%07d%05d,,\"%s\",\"%s\",%s\n", day.Format("02/01/2006"), i, r.IntN(100000), vn.FormatInt(amount), vn.FormatInt(balance), note)
		if i%1000 == 999 {
			out := int64(1+r.IntN(20)) * 500_000
			balance -= out
			fmt.Fprintf(bw, "%s,FT21D%06d,\"%s\",,\"%s\",Chi ho tro chot kiem soat dich\n", day.Format("02/01/2006"), i, vn.FormatInt(out), vn.FormatInt(balance))
		}
		if len(q.Names) < 200 && r.IntN(max(1, n/400)) == 0 && !strings.HasPrefix(name, "CONG TY") {
			words := strings.Fields(strings.ToLower(name))
			typed := strings.Join(words, " ")
			switch len(q.Names) % 4 {
			case 1: // given name first, as people search
				typed = words[len(words)-1] + " " + strings.Join(words[:len(words)-1], " ")
			case 2: // family and given names only
				typed = words[0] + " " + words[len(words)-1]
			case 3: // a prefix of the given name
				g := words[len(words)-1]
				typed = words[0] + " " + words[1] + " " + g[:max(2, len(g)-1)]
			}
			q.Names = append(q.Names, typed)
			q.Grep = append(q.Grep, name)
		}
		if len(q.Amounts) < 100 && !seenAmount[amount] && r.IntN(10) == 0 {
			seenAmount[amount] = true
			q.Amounts = append(q.Amounts, amount)
		}
	}
	end := start.AddDate(0, 0, days)
	for i := 0; i < 50; i++ {
		d := start.AddDate(0, 0, r.IntN(days+1))
		width := []int{0, 0, 1, 6}[i%4]
		if d.AddDate(0, 0, width).After(end) {
			d = end.AddDate(0, 0, -width)
		}
		q.Dates = append(q.Dates, [2]time.Time{d, d.AddDate(0, 0, width)})
	}
	return q, bw.Flush()
}
