package fund_test

import (
	"slices"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// TestSearchJoinedAndAnonymous: a name written with an apostrophe or a
// hyphen is found by its parts typed apart or joined ("h rim", "hrim"),
// and only such a name by its words joined; "ẩn danh" finds the anonymous
// donors, never by their real names; on every path (the in-memory index,
// the SQL name index, the ordered walk, the reference path).
func TestSearchJoinedAndAnonymous(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		f.receipt(t, "Rơ Châm H'Rim", 100_000, 1, "FT0001")
		f.receipt(t, "Nguyễn-Văn Hải", 200_000, 2, "FT0002")
		f.receipt(t, "Ksor H’Blông", 300_000, 3, "FT0003")
		f.receipt(t, "Hồ Anh Tuấn", 400_000, 4, "FT0004")   // no mark: "hoanh" must not find it
		f.receipt(t, "Trần Văn Danh", 500_000, 5, "FT0005") // a name with "danh" in it
		must[*fund.Entry](t)(s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, 6), DonorName: "Lê Thị Bí Mật",
			Anonymous: true, Amount: 700_000, Channel: "transfer", BankRef: "FT0006", TransferNote: "LE THI BI MAT ung ho"}))
		cases := []struct {
			q    string
			want []string
		}{
			{"hrim", []string{"Rơ Châm H'Rim"}},
			{"h rim", []string{"Rơ Châm H'Rim"}},
			{"ro cham hrim", []string{"Rơ Châm H'Rim"}},
			{"HRi", []string{"Rơ Châm H'Rim"}},
			{"chamh", []string{"Rơ Châm H'Rim"}}, // any two adjacent words of a name with a mark
			{"nguyenvan", []string{"Nguyễn-Văn Hải"}},
			{"nguyễnvăn hải", []string{"Nguyễn-Văn Hải"}},
			{"nguyen van", []string{"Nguyễn-Văn Hải"}},
			{"hblong", []string{"Ksor H’Blông"}},
			{"ksor hbl", []string{"Ksor H’Blông"}},
			{"hoanh", nil},
			{"hoanhtuan", nil},
			{"ẩn danh", []string{"Ẩn danh"}},
			{"an danh", []string{"Ẩn danh"}},
			{"DANH ẨN", []string{"Ẩn danh"}},
			{"andanh", []string{"Ẩn danh"}},
			{"danh", []string{"Trần Văn Danh"}},
			{"bi mat", nil},
			{"le thi", nil},
		}
		check := func(label string, extra func(q *fund.Query)) {
			t.Helper()
			for _, c := range cases {
				q := fund.Query{Book: fund.BookIn, Name: c.q}
				extra(&q)
				res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
				if got := parties(res); !slices.Equal(got, c.want) {
					t.Errorf("%s: %q: got %q (plan %s), want %q", label, c.q, got, res.Plan, c.want)
				}
				for _, e := range res.Entries {
					if strings.Contains(e.Party+e.Note+e.DonorName, "Mật") {
						t.Errorf("%s: %q: the real name shows: %+v", label, c.q, e)
					}
				}
			}
		}
		for _, mem := range []bool{true, false} {
			restore := fund.SetSearchIndex(mem)
			check(map[bool]string{true: "memory", false: "SQL"}[mem], func(*fund.Query) {})
			fund.SetSearchIndex(restore)
		}
		on := fund.SetSearchIndex(false)
		restoreDriver := fund.SetDriverMax(0)
		check("walk", func(*fund.Query) {})
		restoreDriver()
		check("reference", func(q *fund.Query) { q.Ref = "ft00" }) // all six references begin with it
		fund.SetSearchIndex(on)

		// One page at a time, the anonymous donors merged in list order.
		for _, mem := range []bool{true, false} {
			restore := fund.SetSearchIndex(mem)
			q := fund.Query{Book: fund.BookIn, Name: "an danh", Limit: 1}
			res := must[*fund.Result](t)(s.Search(ctx, f.fund.ID, q))
			if len(res.Entries) != 1 || res.Entries[0].Party != "Ẩn danh" || res.Next != nil {
				t.Errorf("memory %v: %+v next %v", mem, res.Entries, res.Next)
			}
			fund.SetSearchIndex(restore)
		}
	})
}

// TestPublicAnonymousSearch: the receipts page lists the anonymous donors
// for "ẩn danh", as Ẩn danh.
func TestPublicAnonymousSearch(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.f.receipt(t, "Y'Bih Niê", 100_000, 1, "")
		must[*fund.Entry](t)(s.f.s.RecordReceipt(testCtx(t), s.f.admin, s.f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, 6), DonorName: "Lê Thị Bí Mật",
			Anonymous: true, Amount: 700_000, Channel: "cash"}))
		body := s.page("/quy/COVID19/thu?q=%E1%BA%A9n+danh", "", 200)
		if !strings.Contains(body, "700.000") || !strings.Contains(body, "Ẩn danh") || strings.Contains(body, "Mật") || strings.Contains(body, "Niê") {
			t.Errorf("ẩn danh:\n%s", body)
		}
		body = s.page("/quy/COVID19/thu?q=ybih", "", 200)
		if !strings.Contains(body, "Y&#39;Bih Niê") && !strings.Contains(body, "Y'Bih Niê") || strings.Contains(body, "700.000") {
			t.Errorf("ybih:\n%s", body)
		}
	})
}
