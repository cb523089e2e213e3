package fund_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

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
		for _, mem := range []bool{true, false} {
			restore := fund.SetSearchIndex(mem)
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
				{"le van", nil},                  // the anonymous donor's real name is not searchable
				{"an danh", []string{"Ẩn danh"}}, // the anonymous donor, as published
				{"hblong", []string{"Ksor H'Blông"}},
			} {
				if got := search(fund.Query{Name: c.q}); !slices.Equal(got, c.want) {
					t.Errorf("index in memory %v: %q: got %q, want %q", mem, c.q, got, c.want)
				}
			}
			fund.SetSearchIndex(restore)
		}
		// The same with the ordered walk instead of the token index (SQL).
		indexOn := fund.SetSearchIndex(false)
		restore := fund.SetDriverMax(0)
		for _, q := range []string{"an nguyen", "dang thi hoa", "duc", "nguy"} {
			res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Name: q}))
			if res.Plan != "walk" && res.Plan != "fts" || len(res.Entries) == 0 {
				t.Errorf("%q walking: plan %s, %d results", q, res.Plan, len(res.Entries))
			}
		}
		restore()
		fund.SetSearchIndex(indexOn)

		for _, mem := range []bool{true, false} {
			restore := fund.SetSearchIndex(mem)
			searchFilters(t, search)
			fund.SetSearchIndex(restore)
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

// searchFilters checks the searches by amount, date and reference of
// TestSearch's fund.
func searchFilters(t *testing.T, search func(q fund.Query) []string) {
	t.Helper()
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
}

// TestSearchIndexMatchesSQL runs random queries of every kind on both
// paths, the in-memory index and SQL, over a fund with receipts and
// disbursements in and out of date order, reversals and anonymous donors,
// and after the fund grows, and wants the same pages.
func TestSearchIndexMatchesSQL(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		var csv strings.Builder
		sample, err := fund.WriteSampleStatement(&csv, 3000, 3)
		if err != nil {
			t.Fatal(err)
		}
		must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(csv.String()), fund.ImportOptions{}))
		r := rand.New(rand.NewPCG(7, 7))
		refs := 0
		grow := func(n int) {
			t.Helper()
			for i := 0; i < n; i++ {
				day := db.D(2021, 6, 25+r.IntN(12)) // before, among and after the statement's dates
				switch r.IntN(6) {
				case 0:
					must[*fund.Entry](t)(s.RecordDisbursement(ctx, f.admin, f.fund.ID, fund.DisbursementInput{Date: day,
						Recipient: []string{"Chốt kiểm soát Ia Tô", "Trung tâm Y tế huyện", "Nguyễn Văn An"}[r.IntN(3)], Amount: int64(1+r.IntN(5)) * 100_000,
						Channel: "cash", Purpose: "Hỗ trợ"}))
				case 1:
					must[*fund.Entry](t)(s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: day, DonorName: "Lê Văn Ẩn", Anonymous: true,
						Amount: 500_000, Channel: "cash"}))
				case 2:
					e := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Limit: 1, After: &fund.Cursor{Date: db.D(2021, 7, 1+r.IntN(3)), Seq: 1 + r.Int64N(3000)}}))
					if len(e.Entries) == 1 && e.Entries[0].ReversedBy == 0 {
						must[*fund.Entry](t)(s.Reverse(ctx, f.admin, f.fund.ID, fund.ReversalInput{Seq: e.Entries[0].Seq, Date: db.D(2021, 7, 10), Reason: "nhập nhầm"}))
					}
				default:
					bankRef := ""
					if r.IntN(2) == 0 {
						refs++
						bankRef = fmt.Sprintf("MbVcb.%d.X%d", r.IntN(5), refs) // mixed case
					}
					f.receipt(t, []string{"Nguyễn Thị Ánh", "Đặng Văn Đức", "Ksor H'Blông", "Trần Anh", "NGUYEN VAN AN"}[r.IntN(5)], int64(1+r.IntN(10))*50_000, 1+r.IntN(12), bankRef)
				}
			}
		}
		queries := func(n int) []fund.Query {
			var out []fund.Query
			for i := 0; i < n; i++ {
				var q fund.Query
				q.Book = []string{fund.BookIn, fund.BookIn, fund.BookOut, ""}[r.IntN(4)]
				if r.IntN(2) == 0 {
					name := sample.Names[r.IntN(len(sample.Names))]
					if r.IntN(4) == 0 {
						name = []string{"an", "nguyen", "ng", "h", "đức", "van an", "ksor", "thi anh", "chot", "zzz", "a b", "hblong", "ksor hbl", "an danh", "andanh", "anh", "hb"}[r.IntN(17)]
					}
					q.Name = name
				}
				switch r.IntN(5) {
				case 0:
					q.Amount = sample.Amounts[r.IntN(len(sample.Amounts))]
				case 1:
					q.MinAmount = int64(r.IntN(20)) * 50_000
					if r.IntN(2) == 0 {
						q.MaxAmount = q.MinAmount + int64(r.IntN(40))*50_000
					}
				}
				if r.IntN(3) == 0 {
					q.From = db.D(2021, 6, 28+r.IntN(8))
					if r.IntN(2) == 0 {
						q.To = db.NewDate(q.From.AddDate(0, 0, r.IntN(4)))
					}
				}
				if r.IntN(4) == 0 {
					q.After = &fund.Cursor{Date: db.D(2021, 6, 28+r.IntN(10)), Seq: r.Int64N(4000)}
				}
				if r.IntN(3) == 0 {
					// Bank references (FT21, 7 digits of line, 5 random)
					// and voucher numbers: whole, beginnings, ends, cases.
					q.Ref = []string{"ft21", "FT2100001", fmt.Sprintf("ft210000%d", r.IntN(30)), fmt.Sprintf("%04d", r.IntN(10000)),
						"PT-COVID19-2021-0001", fmt.Sprintf("%06d", 1+r.IntN(3100)), "pt-covid19", "Pt-Covid19-2021-00", "pc-covid19",
						"PC-COVID19-2021-00000", "mbvcb", "MBVCB.1", "b.2.x", "mBvCb.3.X", "abc", "2021-0000", "1-000012", "0000",
						fmt.Sprintf("%d", 1+r.IntN(3000))}[r.IntN(19)]
				}
				q.Limit = []int{0, 1, 7, 50}[r.IntN(4)]
				out = append(out, q)
			}
			return out
		}
		refHits := 0 // reference queries that found something
		compare := func(qs []fund.Query) {
			t.Helper()
			for _, q := range qs {
				on := fund.SetSearchIndex(true)
				mem := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
				fund.SetSearchIndex(false)
				sql := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
				fund.SetSearchIndex(on)
				if mem.Plan != "memory" {
					t.Fatalf("%+v: plan %s", q, mem.Plan)
				}
				if q.Ref != "" && len(mem.Entries) > 0 {
					refHits++
				}
				if !slices.EqualFunc(mem.Entries, sql.Entries, func(a, b fund.Entry) bool {
					// Every published field: the index keeps the rows.
					return a.Seq == b.Seq && a.ReversedBy == b.ReversedBy && a.Party == b.Party && a.Amount == b.Amount && a.Date.Equal(b.Date.Time) &&
						a.Date.String() == b.Date.String() && a.FundID == b.FundID && a.Kind == b.Kind && a.Book == b.Book && a.Class == b.Class &&
						a.Ref == b.Ref && a.BankRef == b.BankRef && a.Channel == b.Channel && a.Note == b.Note && a.Reverses == b.Reverses
				}) || (mem.Next == nil) != (sql.Next == nil) || mem.Next != nil && *mem.Next != *sql.Next {
					t.Fatalf("%+v:\nmemory %v next %v\nSQL %s %v next %v", q, seqs(mem), mem.Next, sql.Plan, seqs(sql), sql.Next)
				}
			}
		}
		grow(40)
		compare(queries(300))
		grow(40) // the index reads what was appended since
		compare(queries(300))
		restoreMerge := fund.SetMergeMax(1) // typed words that begin several words test word ids
		compare(queries(200))
		restoreMerge()
		restoreGather := fund.SetRefGatherMax(1) // references that walk the list
		compare(queries(200))
		restoreGather()
		if refHits < 50 {
			t.Errorf("%d reference queries found entries", refHits)
		}
		// Every page of a list, followed to the end, on both paths.
		for _, q := range []fund.Query{{Book: fund.BookIn, Name: "nguyen", Limit: 50}, {Book: "", Limit: 200}, {Book: fund.BookOut, Limit: 3},
			{Book: fund.BookIn, Ref: "ft21", Limit: 50}, {Ref: "pt-covid19", Limit: 200}, {Ref: "MBVCB", Name: "an", Limit: 3}, {Ref: "0001", Limit: 1}} {
			for n := 0; ; n++ {
				compare([]fund.Query{q})
				res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
				if res.Next == nil {
					break
				}
				q.After = res.Next
			}
		}
	})
}

// TestSearchIndexInBackground: a fund far ahead of the index is read in
// the background while SQL answers, then the index answers.
func TestSearchIndexInBackground(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	ctx := testCtx(t)
	f := newFixture(t, d)
	defer fund.SetIndexSyncMax(2)()
	for i := 0; i < 5; i++ {
		f.receipt(t, fmt.Sprintf("Nguyễn Văn %c", 'A'+i), 100_000, 1+i, "")
	}
	q := fund.Query{Book: fund.BookIn, Name: "nguyen van"}
	res := must[*fund.Result](t)(f.s.Search(ctx, f.fund.ID, q))
	if res.Plan == "memory" || len(res.Entries) != 5 {
		t.Fatalf("first search: plan %s, %d results", res.Plan, len(res.Entries))
	}
	deadline := time.Now().Add(10 * time.Second)
	for res.Plan != "memory" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		res = must[*fund.Result](t)(f.s.Search(ctx, f.fund.ID, q))
	}
	if res.Plan != "memory" || len(res.Entries) != 5 || res.Entries[0].Party != "Nguyễn Văn E" {
		t.Fatalf("later: plan %s, %d results", res.Plan, len(res.Entries))
	}
	f.receipt(t, "Nguyễn Văn F", 100_000, 9, "") // one behind: read by the search itself
	res = must[*fund.Result](t)(f.s.Search(ctx, f.fund.ID, q))
	if res.Plan != "memory" || len(res.Entries) != 6 || res.Entries[0].Party != "Nguyễn Văn F" {
		t.Fatalf("after a receipt: plan %s, %v", res.Plan, parties(res))
	}
}

func seqs(res *fund.Result) []int64 {
	var out []int64
	for _, e := range res.Entries {
		out = append(out, e.Seq)
	}
	return out
}

// TestParseQueryPlans: what a visitor types becomes the query the search
// plans with: words folded (case, diacritics, NFC or NFD, đ = d), in any
// order; amounts as people write them; ranges and dates.
func TestParseQueryPlans(t *testing.T) {
	for _, c := range []struct {
		in    url.Values
		words []string
		want  fund.Query
		bad   []string
	}{
		{in: url.Values{"q": {"Nguyễn Văn An"}}, words: []string{"nguyen", "van", "an"}},
		{in: url.Values{"q": {"an nguyen van"}}, words: []string{"an", "nguyen", "van"}},
		{in: url.Values{"q": {norm.NFD.String("Đặng Thị Hoà")}}, words: []string{"dang", "thi", "hoa"}},
		{in: url.Values{"q": {"ĐỨC TRẦN"}}, words: []string{"duc", "tran"}},
		{in: url.Values{"q": {"đ"}}, words: []string{"d"}},
		{in: url.Values{"q": {"  nguyen   nguyen an "}}, words: []string{"nguyen", "an"}},
		{in: url.Values{"q": {"Ksor H'Blông"}}, words: []string{"ksor", "h", "blong"}},
		{in: url.Values{"q": {"a b c d e f g h i j"}}, words: []string{"a", "b", "c", "d", "e", "f", "g", "h"}},
		{in: url.Values{"q": {"'; DROP TABLE fund_entries; --"}}, words: []string{"drop", "table", "fund", "entries"}},
		{in: url.Values{"q": {"<script>alert(1)</script>"}}, words: []string{"script", "alert", "1"}},
		{in: url.Values{"amount": {"348.000.000"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"348000000đ"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"348.000.000 đồng"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"348tr"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"348 triệu"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"348 TRIEU"}}, want: fund.Query{Amount: 348_000_000}},
		{in: url.Values{"amount": {"1,5tr"}}, want: fund.Query{Amount: 1_500_000}},
		{in: url.Values{"amount": {"1.5 triệu đồng"}}, want: fund.Query{Amount: 1_500_000}},
		{in: url.Values{"amount": {"500k"}}, want: fund.Query{Amount: 500_000}},
		{in: url.Values{"amount": {"500 nghìn"}}, want: fund.Query{Amount: 500_000}},
		{in: url.Values{"amount": {"2 tỷ"}}, want: fund.Query{Amount: 2_000_000_000}},
		{in: url.Values{"amount": {"2,35 tỉ"}}, want: fund.Query{Amount: 2_350_000_000}},
		{in: url.Values{"amount": {"1,5"}}, bad: []string{"amount"}},
		{in: url.Values{"amount": {"1 5tr"}}, bad: []string{"amount"}},
		{in: url.Values{"amount": {"tr"}}, bad: []string{"amount"}},
		{in: url.Values{"amount": {"1,2345tr"}}, bad: []string{"amount"}},
		{in: url.Values{"amount": {"-500k"}}, bad: []string{"amount"}},
		{in: url.Values{"amount": {"99999999999999tr"}}, bad: []string{"amount"}},
		{in: url.Values{"min": {"100k"}, "max": {"2tr"}}, want: fund.Query{MinAmount: 100_000, MaxAmount: 2_000_000}},
		{in: url.Values{"min": {"500.000"}}, want: fund.Query{MinAmount: 500_000}},
		{in: url.Values{"from": {"01/07/2021"}, "to": {"2021-07-31"}}, want: fund.Query{From: db.D(2021, 7, 1), To: db.D(2021, 7, 31)}},
		{in: url.Values{"from": {"31/02/2021"}}, bad: []string{"from"}},
		{in: url.Values{"ref": {" FT21000500022328 "}}, want: fund.Query{Ref: "FT21000500022328"}},
		{in: url.Values{"after": {"2021-08-15.123"}}, want: fund.Query{After: &fund.Cursor{Date: db.D(2021, 8, 15), Seq: 123}}},
		{in: url.Values{"after": {"2021-08-15.0"}}, bad: []string{"after"}},
	} {
		q, bad := fund.ParseQuery(c.in)
		if got := fund.QueryWords(q.Name); !slices.Equal(got, c.words) {
			t.Errorf("%v: words %q, want %q", c.in, got, c.words)
		}
		q.Name = ""
		if fmt.Sprint(q) != fmt.Sprint(c.want) || !slices.Equal(bad, c.bad) {
			t.Errorf("%v: %+v bad %q, want %+v bad %q", c.in, q, bad, c.want, c.bad)
		}
	}
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
