package rollup_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"giaoban/internal/demo"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
	"giaoban/internal/rollup"
)

var hrefRE = regexp.MustCompile(`(?:href|src)="(/(?:consolidated|dashboard)[^"]*)"`)

// A commune officer opens the district bloc and is shown the report of
// their commune: no link to the district's totals or to another commune,
// and every link the pages offer (areas, exports, charts, the other page)
// answers. The district secretariat still sees the district.
func TestCommuneOfficerSeesTheirCommune(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, d); err != nil {
			t.Fatal(err)
		}
		os := org.NewStore(d)
		var blocID, districtID, communeID, otherID int64
		if err := d.QueryRowContext(ctx, "SELECT id, area_id FROM blocs").Scan(&blocID, &districtID); err != nil {
			t.Fatal(err)
		}
		for name, id := range map[string]*int64{"Xã Ia Tô": &communeID, "Xã Ia Dêr": &otherID} {
			if err := d.QueryRowContext(ctx, "SELECT id FROM areas WHERE name = $1", name).Scan(id); err != nil {
				t.Fatal(err)
			}
		}
		districtPath, _ := os.AreaPath(ctx, districtID)
		communePath, _ := os.AreaPath(ctx, communeID)
		var unitID int64
		if err := d.QueryRowContext(ctx, "SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id WHERE o.code = 'MTTQ' AND u.area_id = $1", communeID).Scan(&unitID); err != nil {
			t.Fatal(err)
		}
		people := headerAuth{
			"iato":  {UserID: 6, Username: "canbo.mttq.iato", Role: auth.Officer, UnitID: unitID, ScopePath: communePath},
			"thuky": {UserID: 2, Username: "thuky", Role: auth.Secretariat, ScopePath: districtPath},
		}
		rd := web.NewRenderer()
		rt := web.NewRouter(rd)
		rt.Auth = people
		(&rollup.Handler{Service: rollup.New(d), Render: rd}).Routes(rt)
		get := func(who, u string) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest("GET", u, nil)
			req.Header.Set("X-Test-User", who)
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, req)
			return w
		}
		inCommune := func(link string) bool {
			pu, err := url.Parse(link)
			if err != nil {
				t.Fatalf("link %q: %v", link, err)
			}
			a := pu.Query().Get("area")
			if a == "" {
				return false // the bloc's own area, the district
			}
			id, _ := strconv.ParseInt(a, 10, 64)
			p, err := os.AreaPath(ctx, id)
			return err == nil && strings.HasPrefix(p, communePath)
		}
		var exports int
		for _, page := range []string{"/consolidated", "/consolidated?period=2021Q3", "/consolidated?period=2021Q3&drafts=1", "/dashboard?period=2021Q3&drafts=1", "/dashboard"} {
			w := get("iato", page)
			body := w.Body.String()
			if w.Code != http.StatusOK || !strings.Contains(body, "Xã Ia Tô") {
				t.Fatalf("GET %s as the commune officer: %d, commune named: %v", page, w.Code, strings.Contains(body, "Xã Ia Tô"))
			}
			for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
				link := html.UnescapeString(m[1])
				if strings.HasPrefix(link, "/consolidated?") || strings.HasPrefix(link, "/consolidated/export") || strings.HasPrefix(link, "/dashboard?") || strings.HasPrefix(link, "/dashboard/chart") {
					if !inCommune(link) {
						t.Errorf("%s offers %s, outside the commune", page, link)
						continue
					}
					if strings.HasPrefix(link, "/consolidated/export") {
						exports++
					}
					if lw := get("iato", link); lw.Code != http.StatusOK {
						t.Errorf("%s offers %s: %d %.200s", page, link, lw.Code, lw.Body.String())
					}
				}
			}
		}
		if exports == 0 {
			t.Error("no export offered to the commune officer with drafts")
		}
		// The district's totals and another commune's are not theirs.
		for _, u := range []string{
			"/consolidated?bloc=" + itoa(blocID) + "&period=2021Q3&area=" + itoa(districtID),
			"/consolidated?bloc=" + itoa(blocID) + "&period=2021Q3&area=" + itoa(otherID),
			"/consolidated/export.xlsx?bloc=" + itoa(blocID) + "&period=2021Q3&drafts=1&area=" + itoa(otherID),
			"/api/v1/consolidated?bloc=" + itoa(blocID) + "&period=2021Q3&area=" + itoa(districtID),
		} {
			if w := get("iato", u); w.Code != http.StatusNotFound {
				t.Errorf("GET %s as the commune officer: %d, want 404", u, w.Code)
			}
		}
		if w := get("iato", "/api/v1/consolidated?period=2021Q3&drafts=1"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"area":{"id":`+itoa(communeID)) {
			t.Errorf("API as the commune officer: %d %.300s", w.Code, w.Body.String())
		}
		// The secretariat of the district: the district, its ten communes.
		w := get("thuky", "/consolidated?period=2021Q3")
		if n := strings.Count(w.Body.String(), "&amp;period=2021Q3\">Xã "); w.Code != http.StatusOK || n < 9 {
			t.Errorf("the district secretariat's page: %d, %d commune links", w.Code, n)
		}
	})
}
