package reporting

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

var hrefRe = regexp.MustCompile(`href="(/(?:reports|plans)[^"]*)"`)

// TestPagesLinkOnlyToAllowedRoutes follows every link of the reporting
// pages to the room's own routes, as each role: none may answer 403 (a
// leader or a viewer was shown "Nhập từ Excel", which refuses them).
func TestPagesLinkOnlyToAllowedRoutes(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := newServer(t, f)
		must[*Report](t)(f.s.Submit(f.as("canbo"), f.hndDistrict.ID, "2021Q3"))
		entry := fmt.Sprintf("/reports/%d/2021Q3", f.hndDistrict.ID)
		pages := []string{"/reports", entry, "/reports/completeness?period=2021Q3", "/plans/2021"}
		for _, user := range []string{"canbo", "lanhdao", "xem", "thuky"} {
			sawImport := false
			for _, p := range pages {
				st, page := c.get(user, p)
				if st != http.StatusOK {
					t.Fatalf("%s %s: %d", user, p, st)
				}
				for _, m := range hrefRe.FindAllStringSubmatch(page, -1) {
					link := html.UnescapeString(m[1])
					if strings.HasPrefix(link, "/reports/import") {
						sawImport = true
					}
					if st, _ := c.get(user, link); st == http.StatusForbidden {
						t.Errorf("%s on %s: link %s answers 403", user, p, link)
					}
				}
			}
			// The officer and the secretariat still get the link.
			if want := user == "canbo" || user == "thuky"; sawImport != want {
				t.Errorf("%s: import link shown %v, want %v", user, sawImport, want)
			}
		}
	})
}
