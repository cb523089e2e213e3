package fund_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// getAs fetches path as user ("" for the public) with a language cookie
// and a flash cookie when given.
func (s *server) getAs(path, user, lang, flash string) string {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.srv.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: "giaoban_lang", Value: lang})
	}
	if flash != "" {
		req.AddCookie(&http.Cookie{Name: "giaoban_flash", Value: flash})
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 {
		s.t.Fatalf("GET %s as %q: %d %.300s", path, user, r.StatusCode, b)
	}
	return string(b)
}

// The public entries page is rendered by its stencil (web.Stencil): it
// must be the very page its template writes, for both books, both
// languages, the public and signed-in users, a flash message, filters
// that could not be read, values that need escaping, a later page and an
// empty one.
func TestPublicEntriesStencilIsTheTemplatesPage(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.h.Pages = fund.NewPageCache(0)
		s.f.receipt(t, `Trần "<i>Văn</i>" & Con+1`, 300_000, 2, "FT<b>9")
		for i := range 60 {
			s.f.receipt(t, fmt.Sprintf("Nguyễn Văn %d", i), int64(100_000+i), 1+i%28, "")
		}
		nasty := url.Values{"q": {`<script>"x'+&`}, "ref": {"a b"}, "min": {"1"}, "max": {"9+9"}, "to": {"é\x00"}, "amount": {"javascript:1"}}
		paths := []string{"/quy/COVID19/thu", "/quy/COVID19/chi", "/quy/covid19/thu", "/quy/COVID19/thu?q=tran", "/quy/COVID19/thu?q=zzzz",
			"/quy/COVID19/thu?amount=abc&from=31/02/2021", "/quy/COVID19/thu?" + nasty.Encode(), "/quy/COVID19/chi?" + nasty.Encode(),
			"/quy/COVID19/thu?q=nguyen", "/quy/COVID19/thu?lang=en&q=van", "/quy/COVID19/thu?after=2021-07-05.10"}
		for _, user := range []string{"", "admin"} {
			for _, lang := range []string{"", "en"} {
				for _, flash := range []string{"", "form.saved"} {
					for _, p := range paths {
						s.h.Render.NoStencils = true
						want := s.getAs(p, user, lang, flash)
						s.h.Render.NoStencils = false
						for range 2 { // made, then kept
							if got := s.getAs(p, user, lang, flash); got != want {
								i := 0
								for i < len(got) && i < len(want) && got[i] == want[i] {
									i++
								}
								t.Fatalf("%s as %q (%s, %s): the stencil writes %.200q where the template writes %.200q", p, user, lang, flash, got[i:], want[i:])
							}
						}
					}
				}
			}
		}
		if n := s.h.Render.Stenciled(); n < 10 {
			t.Errorf("%d stencils in use", n)
		}
	})
}

// The stencils are per language: the page in English, then in
// Vietnamese, then in English again, each with its own labels.
func TestPublicEntriesLabelsFollowTheLanguage(t *testing.T) {
	d := dbtest.Open(t, dbtest.SQLite)
	s := newServer(t, d)
	s.h.Pages = fund.NewPageCache(0)
	s.f.receipt(t, "Lê Thị Hoa", 200_000, 3, "")
	for _, c := range []struct{ lang, want, not string }{
		{"en", `data-label="Donor"`, "Người ủng hộ"},
		{"vi", `data-label="Người ủng hộ"`, `"Donor"`},
		{"en", `<label for="amount">Exact amount</label>`, "Số tiền đúng"},
		{"vi", `<label for="amount">Số tiền đúng</label>`, "Exact amount"},
	} {
		body := s.getAs("/quy/COVID19/thu?q=hoa", "", c.lang, "")
		if !strings.Contains(body, c.want) || strings.Contains(body, c.not) || !strings.Contains(body, `<html lang="`+c.lang+`">`) || !strings.Contains(body, "Lê Thị Hoa") {
			t.Errorf("%s: want %q, not %q:\n%s", c.lang, c.want, c.not, body)
		}
	}
}
