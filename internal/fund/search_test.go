package fund_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func parties(res *fund.Result) []string {
	var out []string
	for _, e := range res.Entries {
		out = append(out, e.Party)
	}
	slices.Sort(out)
	return out
}

func TestSearch(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		f.receipt(t, "Nguyễn Văn An", 500_000, 1, "FT0001")
		f.receipt(t, norm.NFD.String("Đặng Thị Hoà"), 200_000, 2, "FT0002")
		f.receipt(t, "Trần Văn Đức", 1_000_000, 3, "")
		f.receipt(t, "Ksor H'Blông", 300_000, 4, "")
		f.receipt(t, "Công ty TNHH Hòa Bình", 50_000_000, 5, "FT0005")
		must[*fund.Entry](t)(s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, 6), DonorName: "Lê Văn Ẩn",
			Anonymous: true, Amount: 700_000, TransferNote: "LE VAN AN ung ho", Address: "Thôn 3", Phone: "0905123456"}))
		// A name as a bank writes it in a transfer note: capitals, no diacritics.
		file := "Ngày,Số tham chiếu,Ghi có,Nội dung\n07/07/2021,FT0007,250.000,NGUYEN VAN BINH CHUYEN KHOAN UNG HO\n"
		must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{}))

		search := func(q fund.Query) []string {
			t.Helper()
			q.Book = fund.BookIn
			return parties(must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q)))
		}
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"nguyen van an", []string{"Nguyễn Văn An"}},
			{"an nguyen", []string{"Nguyễn Văn An"}},
			{"AN   NGUYỄN", []string{"Nguyễn Văn An"}},
			{norm.NFD.String("Nguyễn"), []string{"Nguyen Van Binh", "Nguyễn Văn An"}},
			{"nguy", []string{"Nguyen Van Binh", "Nguyễn Văn An"}},
			{"yen", nil},
			{"dang thi hoa", []string{norm.NFC.String("Đặng Thị Hoà")}},
			{"Đặng Thị Hòa", []string{norm.NFC.String("Đặng Thị Hoà")}},
			{"duc", []string{"Trần Văn Đức"}},
			{"đức trần", []string{"Trần Văn Đức"}},
			{"NGUYEN VAN BINH", []string{"Nguyen Van Binh"}},
			{"nguyễn văn bình", []string{"Nguyen Van Binh"}},
			{"ksor h blong", []string{"Ksor H'Blông"}},
			{"hoa", []string{"Công ty TNHH Hòa Bình", norm.NFC.String("Đặng Thị Hoà")}},
			{"le van", nil}, // the anonymous donor's real name is not searchable
			{"an danh", nil},
		} {
			if got := search(fund.Query{Name: c.q}); !slices.Equal(got, c.want) {
				t.Errorf("%q: got %q, want %q", c.q, got, c.want)
			}
		}
		// The same with the ordered walk instead of the token index.
		restore := fund.SetDriverMax(0)
		for _, q := range []string{"an nguyen", "dang thi hoa", "duc", "nguy"} {
			res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Name: q}))
			if res.Plan != "walk" && res.Plan != "fts" || len(res.Entries) == 0 {
				t.Errorf("%q walking: plan %s, %d results", q, res.Plan, len(res.Entries))
			}
		}
		restore()

		if got := search(fund.Query{Amount: 500_000}); !slices.Equal(got, []string{"Nguyễn Văn An"}) {
			t.Errorf("amount: %q", got)
		}
		if got := search(fund.Query{MinAmount: 600_000, MaxAmount: 1_000_000}); !slices.Equal(got, []string{"Trần Văn Đức", "Ẩn danh"}) {
			t.Errorf("amount range: %q", got)
		}
		if got := search(fund.Query{From: db.D(2021, 7, 2), To: db.D(2021, 7, 3)}); len(got) != 2 {
			t.Errorf("date range: %q", got)
		}
		if got := search(fund.Query{Ref: "FT0005"}); !slices.Equal(got, []string{"Công ty TNHH Hòa Bình"}) {
			t.Errorf("bank ref: %q", got)
		}
		if got := search(fund.Query{Ref: "PT-COVID19-2021-000001"}); !slices.Equal(got, []string{"Nguyễn Văn An"}) {
			t.Errorf("receipt number: %q", got)
		}
		if got := search(fund.Query{Name: "nguyen", Amount: 250_000}); !slices.Equal(got, []string{"Nguyen Van Binh"}) {
			t.Errorf("name and amount: %q", got)
		}

		t.Run("anonymous donors and private details never reach public lists", func(t *testing.T) {
			res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Amount: 700_000}))
			if len(res.Entries) != 1 {
				t.Fatal(res.Entries)
			}
			e := res.Entries[0]
			if e.Party != "Ẩn danh" || e.Note != "" || e.DonorName != "" || e.Address != "" || e.Phone != "" || e.TransferNote != "" {
				t.Errorf("public anonymous entry %+v", e)
			}
		})

		t.Run("hostile queries are only text", func(t *testing.T) {
			for _, q := range []string{"'; DROP TABLE fund_entries; --", "<script>alert(1)</script>", strings.Repeat("a", 10000),
				strings.Repeat("nguyễn ", 3000), "%", "_", `\`, "\x00", "' OR 1=1 --", "\xff\xfe"} {
				vals := url.Values{"q": {q}, "amount": {q}, "from": {q}, "ref": {q}, "after": {q}, "min": {q}}
				query, _ := fund.ParseQuery(vals)
				query.Book = fund.BookIn
				if _, err := s.Search(ctx, f.fund.ID, query); err != nil {
					t.Errorf("%.30q: %v", q, err)
				}
			}
			var n int
			d.QueryRowContext(ctx, "SELECT COUNT(*) FROM fund_entries").Scan(&n)
			if n != 7 {
				t.Errorf("%d entries left", n)
			}
		})

		t.Run("keyset paging", func(t *testing.T) {
			for i := 0; i < 120; i++ {
				must[*fund.Entry](t)(s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 8, 1+i%20),
					DonorName: fmt.Sprintf("Rơ Châm Người %d", i), Amount: int64(10_000 * (i + 1))}))
			}
			var seen []int64
			q := fund.Query{Book: fund.BookIn, Name: "ro cham", Limit: 50}
			pages := 0
			for {
				res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
				pages++
				for i, e := range res.Entries {
					seen = append(seen, e.Seq)
					if i > 0 {
						p := res.Entries[i-1]
						if p.Date.Before(e.Date.Time) || p.Date.Equal(e.Date.Time) && p.Seq < e.Seq {
							t.Fatalf("out of order: %v then %v", p, e)
						}
					}
				}
				if res.Next == nil {
					break
				}
				c, ok := fund.ParseCursor(res.Next.String())
				if !ok {
					t.Fatalf("cursor %q", res.Next)
				}
				q.After = c
			}
			slices.Sort(seen)
			if pages != 3 || len(seen) != 120 || len(slices.Compact(slices.Clone(seen))) != 120 {
				t.Fatalf("%d pages, %d entries", pages, len(seen))
			}
		})
	})
}

func TestMaskPhones(t *testing.T) {
	for in, want := range map[string]string{
		"LE THI D - 0912345678":            "LE THI D - ***",
		"ung ho 0912 345 678 covid":        "ung ho *** covid",
		"goi +84912345678":                 "goi ***",
		"goi 84912345678":                  "goi ***",
		"MBVCB.1234567890.NGUYEN VAN A":    "MBVCB.1234567890.NGUYEN VAN A",
		"FT21182001 ung ho":                "FT21182001 ung ho",
		"so tien 500000":                   "so tien 500000",
		"CT DEN:0905123456 PHAM VAN E":     "CT DEN:*** PHAM VAN E",
		"ACC0905123456":                    "ACC0905123456",
		"0905.123.456 Ksor H'Blông ủng hộ": "*** Ksor H'Blông ủng hộ",
	} {
		if got := fund.MaskPhones(in); got != want {
			t.Errorf("MaskPhones(%q) = %q, want %q", in, got, want)
		}
	}
}
