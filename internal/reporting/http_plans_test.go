package reporting

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestOpenYearAndYearLinks(t *testing.T) {
	for _, c := range []struct {
		current  int
		withPlan []int
		want     int
	}{
		{2026, nil, 2026},
		{2026, []int{2021}, 2021},
		{2026, []int{2020, 2021}, 2021},
		{2026, []int{2021, 2026, 2027}, 2026},
		{2026, []int{2021, 2027}, 2027},
	} {
		if got := openYear(c.current, c.withPlan); got != c.want {
			t.Errorf("openYear(%d, %v) = %d, want %d", c.current, c.withPlan, got, c.want)
		}
	}
	var got []string
	for _, y := range yearLinks(2021, 2026, []int{2019, 2021}) {
		got = append(got, fmt.Sprintf("%d:%v", y.Year, y.Plan))
	}
	want := []string{"2019:true", "2020:false", "2021:true", "2022:false", "2026:false"}
	if !slices.Equal(got, want) {
		t.Errorf("yearLinks = %v, want %v", got, want)
	}
}

// TestPlansOpenOnAYearWithAPlan: /plans opened on the empty current year
// while the plan was for 2021, which only typing /plans/2021 reached.
func TestPlansOpenOnAYearWithAPlan(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.Now = func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }
		c := newServer(t, f)
		location := func(user string) string {
			t.Helper()
			st, _, hdr := c.do(user, "GET", "/plans", "", "")
			if st != http.StatusSeeOther {
				t.Fatalf("/plans: %d", st)
			}
			return hdr.Get("Location")
		}
		if got := location("canbo"); got != "/plans/2026" {
			t.Errorf("no plan anywhere: %s", got)
		}
		// The secretariat sets a 2021 target for the commune unit A.
		st, _, _ := c.post("thuky", "/plans/2021", url.Values{"csrf": {"tok-thuky"}, "scope": {fmt.Sprintf("unit:%d", f.mttqA.ID)},
			"bloc": {fmt.Sprint(f.bloc.ID)}, "t:NHA_KC": {"8"}})
		if st != http.StatusSeeOther {
			t.Fatalf("target: %d", st)
		}
		for user, want := range map[string]string{"thuky": "/plans/2021", "canbo.xa": "/plans/2021", "xem": "/plans/2021",
			"canbo": "/plans/2026", "thuky.xa": "/plans/2026"} { // units of another scope do not count
			if got := location(user); got != want {
				t.Errorf("%s opens %s, want %s", user, got, want)
			}
		}
		// The empty current year links to the year with a plan, keeping the choices.
		_, page := c.get("thuky", fmt.Sprintf("/plans/2026?bloc=%d&unit=%d", f.bloc.ID, f.mttqA.ID))
		has(t, page, fmt.Sprintf(`href="/plans/2021?bloc=%d&amp;unit=%d"`, f.bloc.ID, f.mttqA.ID), `aria-current="page">2026<`)
		_, page = c.get("thuky", "/plans/2021")
		has(t, page, `href="/plans/2026"`, `href="/plans/2022"`, `aria-current="page">2021<`)
		if strings.Contains(page, `href="/plans/2021"`) {
			t.Error("the year shown links to itself")
		}
		// A plan for the current year wins over an older one.
		c.post("thuky", "/plans/2026", url.Values{"csrf": {"tok-thuky"}, "scope": {fmt.Sprintf("area:%d", f.district.ID)},
			"bloc": {fmt.Sprint(f.bloc.ID)}, "t:NHA_KC": {"80"}})
		if got := location("canbo"); got != "/plans/2026" {
			t.Errorf("with a plan this year: %s", got)
		}
		if got := location("thuky"); got != "/plans/2026" {
			t.Errorf("with a plan this year: %s", got)
		}
	})
}
