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
// by the indexes or by the walk a common fragment takes.
func TestSearchByReference(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		f.receipt(t, "Nguyễn Văn An", 500_000, 1, "FT21231101323")    // voucher PT-COVID19-2021-000001
		f.receipt(t, "Trần Thị Bình", 200_000, 2, "FT2123110000420")  // 000002
		f.receipt(t, "Lê Văn Cường", 300_000, 3, "MBVCB.1234.000420") // 000003
		f.receipt(t, "Phạm Thị Dung", 400_000, 4, "")                 // 000004
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
			{"mbvcb.1234", "", []string{"Lê Văn Cường"}},
			{"pt-covid19-2021-000004", "", []string{"Phạm Thị Dung"}},
			{"000003", "", []string{"Lê Văn Cường"}},
			{"pt-covid19", "", []string{"Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình"}},
			{"t212", "", nil}, // neither beginning nor end
			{"ft2", "", nil},  // under four characters: the whole reference only
			{"420", "", nil},
			{"%", "", nil},
			{"_323", "", nil},
		}
		for _, probe := range []int{0, 1} {
			if probe > 0 {
				defer fund.SetRefProbe(probe)()
			}
			for _, c := range cases {
				got, plan := search(c.ref, c.name)
				if !slices.Equal(got, c.want) {
					t.Errorf("probe %d: ref %q name %q: got %q (plan %s), want %q", probe, c.ref, c.name, got, plan, c.want)
				}
				if probe == 1 && len(c.want) > 0 && len([]rune(c.ref)) >= 6 && plan != "ref-walk" {
					t.Errorf("ref %q: plan %s, want ref-walk", c.ref, plan)
				}
			}
		}
	})
}
