package meeting_test

import (
	"strings"
	"testing"

	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// The language switch in the page header brings the reader back to the same
// page with the same filters, not to the bare path.
func TestLanguageSwitchKeepsTheQuery(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		body := s.page("/tasks?overdue=1&status=open", "huyenuy", 200)
		want := `href="/lang/en?next=%2ftasks%3foverdue%3d1%26status%3dopen"`
		if !strings.Contains(body, want) {
			i := strings.Index(body, `/lang/`)
			t.Fatalf("switch link without the query; want %s in\n%.300s", want, body[max(i-20, 0):])
		}
		body = s.page("/tasks", "huyenuy", 200)
		if !strings.Contains(body, `href="/lang/en?next=%2ftasks"`) {
			t.Fatal("switch link of a page without a query changed")
		}
	})
}
