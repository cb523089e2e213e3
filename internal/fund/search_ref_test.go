package fund_test

import (
	"slices"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// TestSearchByReference: a bank reference or voucher number is found
// without case, and a fragment of four characters or more by its
// beginning or its end (bank references are quoted by their last digits),
// on every path: the in-memory index (gathering the candidates, or walking
// the list), and SQL (the indexes' ranges, or the walk a common fragment
// takes).
func TestSearchByReference(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		f.receipt(t, "Nguyễn Văn An", 500_000, 1, "FT21231101323")    // voucher PT-COVID19-2021-000001
		f.receipt(t, "Trần Thị Bình", 200_000, 2, "FT2123110000420")  // 000002
		f.receipt(t, "Lê Văn Cường", 300_000, 3, "MBVCB.1234.000420") // 000003
		f.receipt(t, "Phạm Thị Dung", 400_000, 4, "")                 // 000004
		f.receipt(t, "Đỗ Văn Em", 600_000, 5, "MbVcb.Xy12.77")        // 000005: mixed case
		f.receipt(t, "Hồ Thị Gấm", 700_000, 6, "a1B")                 // 000006: short
		f.receipt(t, "Vũ Văn Hải", 800_000, 7, "vcb-ft21-ab")         // 000007: lower case
		search := func(ref, name string) ([]string, string) {
			t.Helper()
			res := must[*fund.Result](t)(f.s.Search(ctx, f.fund.ID, fund.Query{Book: fund.BookIn, Ref: ref, Name: name}))
			return parties(res), res.Plan
		}
		cases := []struct {
			ref, name string
			want      []string
		}{
			{"FT21231101323", "", []string{"Nguyễn Văn An"}},
			{"ft21231101323", "", []string{"Nguyễn Văn An"}},
			{" Ft21231101323 ", "", []string{"Nguyễn Văn An"}},
			{"000420", "", []string{"Lê Văn Cường", "Trần Thị Bình"}},
			{"000420", "binh", []string{"Trần Thị Bình"}},
			{"1323", "", []string{"Nguyễn Văn An"}},
			{"ft21", "", []string{"Nguyễn Văn An", "Trần Thị Bình"}},
			{"fT21", "an", []string{"Nguyễn Văn An"}},
			{"mbvcb.1234", "", []string{"Lê Văn Cường"}},
			{"mbvcb", "", []string{"Lê Văn Cường", "Đỗ Văn Em"}},
			{"MBVCB.XY12.77", "", []string{"Đỗ Văn Em"}},
			{"mBvCb.xY12.77", "", []string{"Đỗ Văn Em"}},
			{"XY12.77", "", []string{"Đỗ Văn Em"}},
			{"2.77", "", []string{"Đỗ Văn Em"}},
			{"A1B", "", []string{"Hồ Thị Gấm"}},
			{"a1b", "", []string{"Hồ Thị Gấm"}},
			{"A1", "", nil},
			{"VCB-FT21-AB", "", []string{"Vũ Văn Hải"}},
			{"Vcb-ft21", "", []string{"Vũ Văn Hải"}},
			{"21-AB", "", []string{"Vũ Văn Hải"}},
			{"pt-covid19-2021-000004", "", []string{"Phạm Thị Dung"}},
			{"PT-COVID19-2021-000004", "dung", []string{"Phạm Thị Dung"}},
			{"PT-COVID19-2021-000004", "an", nil},
			{"000003", "", []string{"Lê Văn Cường"}},
			{"0003", "", []string{"Lê Văn Cường"}},
			{"2021-000007", "", []string{"Vũ Văn Hải"}},
			{"1-000007", "", []string{"Vũ Văn Hải"}},
			{"pt-covid19-2021-00000", "", []string{"Hồ Thị Gấm", "Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình", "Vũ Văn Hải", "Đỗ Văn Em"}},
			{"pt-covid19", "", []string{"Hồ Thị Gấm", "Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình", "Vũ Văn Hải", "Đỗ Văn Em"}},
			{"pt-covid19", "van", []string{"Lê Văn Cường", "Nguyễn Văn An", "Vũ Văn Hải", "Đỗ Văn Em"}},
			{"pt-covid19-2021-0000070", "", nil},
			{"0000", "", nil}, // no voucher number 10000
			{"t212", "", nil}, // neither beginning nor end
			{"ft2", "", nil},  // under four characters: the whole reference only
			{"420", "", nil},
			{"%", "", nil},
			{"_323", "", nil},
			{"   ", "", nil},
		}
		paths := []struct {
			name        string
			index       bool
			probe, walk int
		}{{"memory", true, 0, 0}, {"memory-walk", true, 0, 1}, {"sql", false, 0, 0}, {"sql-walk", false, 1, 0}}
		for _, p := range paths {
			func() {
				defer fund.SetSearchIndex(fund.SetSearchIndex(p.index))
				if p.probe > 0 {
					defer fund.SetRefProbe(p.probe)()
				}
				if p.walk > 0 {
					defer fund.SetRefGatherMax(p.walk)()
				}
				for _, c := range cases {
					got, plan := search(c.ref, c.name)
					if !slices.Equal(got, c.want) {
						t.Errorf("%s: ref %q name %q: got %q (plan %s), want %q", p.name, c.ref, c.name, got, plan, c.want)
					}
					want := map[bool]string{true: "memory", false: "ref"}[p.index]
					if p.probe == 1 {
						want = "ref-walk"
					}
					if len(c.want) > 0 && plan != want {
						t.Errorf("%s: ref %q: plan %s, want %s", p.name, c.ref, plan, want)
					}
				}
			}()
		}
	})
}
