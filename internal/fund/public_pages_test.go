package fund_test

import (
	"strings"
	"testing"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// TestPublicBadFilters: filters that cannot be read are named as the
// search form names them, in the page's language, with what was typed.
func TestPublicBadFilters(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.f.receipt(t, "Nguyễn Văn Tư", 300_000, 2, "")
		for _, c := range []struct{ lang, want, not string }{
			{"", `Bỏ qua điều kiện lọc không đọc được: Số tiền đúng “mười”, Từ ngày “31/02/2021”.`, "amount, from"},
			{"&lang=en", `Ignored filters that could not be read: Exact amount “mười”, From “31/02/2021”.`, "amount, from"},
		} {
			body := s.page("/quy/COVID19/thu?amount=m%C6%B0%E1%BB%9Di&from=31/02/2021&to=31/07/2021"+c.lang, "", 200)
			if !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
				t.Errorf("lang %q: want %q in\n%s", c.lang, c.want, notice(body))
			}
		}
		// What was typed is escaped, and cut short.
		body := s.page("/quy/COVID19/thu?to=%3Cb%3E"+strings.Repeat("9", 100), "", 200)
		if strings.Contains(body, "<b>") || !strings.Contains(body, "Đến ngày “&lt;b&gt;"+strings.Repeat("9", 37)+"…”") {
			t.Errorf("hostile value: %s", notice(body))
		}
	})
}

func notice(body string) string {
	i := strings.Index(body, `class="notice"`)
	if i < 0 {
		return "(no notice)"
	}
	return body[i:min(len(body), i+400)]
}

// TestPublicOverviewSigns: periods and areas without transfers show no
// signed zero.
func TestPublicOverviewSigns(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.f.receipt(t, "Nguyễn Văn Tư", 300_000, 2, "")
		for _, path := range []string{"/quy/COVID19", "/quy/COVID19?by=quarter", "/quy/COVID19?lang=en"} {
			body := s.page(path, "", 200)
			if strings.Contains(body, "+0") || strings.Contains(body, "−0") || !strings.Contains(body, "300.000") {
				t.Errorf("%s: a signed zero\n%s", path, body)
			}
		}
	})
}

// TestPublicVerifyDates: the verify page shows dates as dd/mm/yyyy in
// both languages.
func TestPublicVerifyDates(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		s.f.receipt(t, "Nguyễn Văn Tư", 300_000, 7, "")
		for _, path := range []string{"/quy/COVID19/kiem-tra?seq=1", "/quy/COVID19/kiem-tra?seq=1&lang=en"} {
			body := s.page(path, "", 200)
			if strings.Contains(body, "2021-07-07") || !strings.Contains(body, "07/07/2021") {
				t.Errorf("%s: dates\n%s", path, body)
			}
		}
	})
}
