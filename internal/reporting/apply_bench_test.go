package reporting

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db/dbtest"
)

// TestApplyLargeBatch prints how long Apply takes for about 100,000 cells
// (1,100 units × one period) and the memory it allocates. It runs only with
// GIAOBAN_BENCH=1; the figures are printed, not checked.
func TestApplyLargeBatch(t *testing.T) {
	if os.Getenv("GIAOBAN_BENCH") == "" {
		t.Skip("set GIAOBAN_BENCH=1")
	}
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			ctx := context.Background()
			s := New(d)
			must[[]org.AreaLevel](t)(s.Org.EnsureLevels(ctx))
			prov := must[*org.Area](t)(s.Org.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelProvince, Name: "Tỉnh"}))
			o := must[*org.Organisation](t)(s.Org.CreateOrganisation(ctx, org.OrganisationInput{Code: "MTTQ", NameVI: "Mặt trận"}))
			must[int](t)(s.Ind.InstallDefault(ctx))
			f := must[*indicator.Form](t)(s.Ind.FormFor(ctx, o.ID, "quarter"))
			perUnit := 0
			for _, ind := range f.Indicators {
				if ind.ValueType == indicator.Integer {
					perUnit += max(1, len(optionsOf(&ind)))
				}
			}
			units := 100_000/perUnit + 1
			start := time.Now()
			var b Batch
			b.Period = "2021Q3"
			for i := 0; i < units; i++ {
				a := must[*org.Area](t)(s.Org.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelCommune, Name: "Xã " + strconv.Itoa(i), ParentID: &prov.ID}))
				u := must[*org.Unit](t)(s.Org.CreateUnit(ctx, org.UnitInput{OrganisationID: o.ID, AreaID: a.ID}))
				for _, ind := range f.Indicators {
					if ind.ValueType != indicator.Integer {
						continue
					}
					opts := optionsOf(&ind)
					if len(opts) == 0 {
						opts = []string{""}
					}
					for j, opt := range opts {
						b.Cells = append(b.Cells, CellValue{UnitID: u.ID, IndicatorCode: ind.Code, Option: opt, Raw: strconv.Itoa(1 + i%7 + j), Place: fmt.Sprintf("R%dC%d", i, j)})
					}
				}
			}
			t.Logf("%d units, %d cells prepared in %v", units, len(b.Cells), time.Since(start))
			actx := WithFormCache(auth.WithPrincipal(ctx, &auth.Principal{Role: auth.Admin, Username: "bench"}))
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			start = time.Now()
			res, err := s.Apply(actx, b)
			if err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&m1)
			t.Logf("Apply: %d changes in %v, %d MB allocated", len(res.Changes), time.Since(start), (m1.TotalAlloc-m0.TotalAlloc)>>20)
		})
	}
}

func optionsOf(ind *indicator.Indicator) []string {
	if ind.Disaggregation == nil {
		return nil
	}
	var out []string
	for _, o := range ind.Disaggregation.Options {
		out = append(out, o.Code)
	}
	return out
}
