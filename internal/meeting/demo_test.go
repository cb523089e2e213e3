package meeting_test

import (
	"bytes"
	"strings"
	"testing"

	"giaoban/internal/account"
	"giaoban/internal/demo"
	"giaoban/internal/meeting"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// The demo holds the article's meeting, its nine directives followed up at
// the Q4 meeting, and the article itself.
func TestDemoScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		if _, err := demo.Seed(ctx, d); err != nil {
			t.Fatal(err)
		}
		u := must[*account.User](t)((&account.Store{DB: d}).UserByUsername(ctx, "huyenuy"))
		path := must[string](t)(org.NewStore(d).AreaPath(ctx, *u.AreaID))
		viewer := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Role: auth.Viewer, AreaID: *u.AreaID, ScopePath: path})
		s := meeting.New(d)

		list := must[[]meeting.Meeting](t)(s.Meetings(viewer, meeting.MeetingFilter{Year: 2021}))
		if len(list) != 2 {
			t.Fatalf("%d meetings in 2021", len(list))
		}
		q4, q3 := &list[0], &list[1]
		if q3.Title != demo.MeetingQ3Title || !q3.Held() || q3.Period != "2021Q3" || q3.Place != demo.MeetingPlace {
			t.Fatalf("Q3 meeting %+v", q3)
		}
		if q4.Title != demo.MeetingQ4Title || q4.Held() || q4.Local().Month() != 12 {
			t.Fatalf("Q4 meeting %+v", q4)
		}
		q3 = must[*meeting.Meeting](t)(s.Meeting(viewer, q3.ID))
		if at := q3.Local(); at.Day() != 26 || at.Month() != 8 || at.Hour() < 12 || q3.Chair.Label() != "Kpă Ngun - Phó Bí thư Thường trực Huyện ủy" || len(q3.Attendees) != 11 {
			t.Errorf("Q3 details %+v", q3)
		}
		directives := must[[]meeting.Task](t)(s.Tasks(viewer, meeting.TaskFilter{MeetingID: q3.ID}))
		if len(directives) != 9 {
			t.Fatalf("%d directives", len(directives))
		}
		q4 = must[*meeting.Meeting](t)(s.Meeting(viewer, q4.ID))
		fu := must[*meeting.FollowUp](t)(s.FollowUp(viewer, q4))
		if fu.PreviousID != q3.ID || fu.PreviousTotal != 9 || fu.PreviousDone != 4 || len(fu.Items) != 5 || fu.Overdue != 3 {
			t.Errorf("Q4 follow-up: previous %d, %d/%d done, %d items, %d overdue", fu.PreviousID, fu.PreviousDone, fu.PreviousTotal, len(fu.Items), fu.Overdue)
		}
		plan := must[[]meeting.Task](t)(s.Tasks(viewer, meeting.TaskFilter{Source: meeting.FromPlan}))
		if len(plan) != 2 {
			t.Errorf("%d plan tasks", len(plan))
		}
		for _, tk := range directives {
			full := must[*meeting.Task](t)(s.Task(viewer, tk.ID))
			if full.Status == meeting.Done && (len(full.Updates) == 0 || len(full.Evidence) == 0) {
				t.Errorf("done directive %d without history or evidence", full.Seq)
			}
		}

		n := must[*meeting.News](t)(s.News(viewer, q3.ID))
		if n.Version != 2 || n.Title != demo.NewsTitle || n.PublishedOn != db.D(2021, 8, 30) || n.Byline() != "Văn Chi - Trung tâm VH - TT&TT huyện" {
			t.Errorf("news %+v", n)
		}
		for _, want := range []string{"Chiều ngày 26/8", "Hội nghị giao ban Quý III năm 2021", "Dự và chỉ đạo Hội nghị có đồng chí Kpă Ngun - Phó Bí thư Thường trực Huyện ủy",
			"lãnh đạo các ban Đảng Huyện ủy, UBND huyện", "348 triệu đồng", "hơn 14 triệu đồng", "7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết",
			"Ban Dân vận Huyện ủy", "tảo hôn, hôn nhân cận huyết thống", "viêm da nổi cục", "“5K + vắc xin”", "Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở"} {
			if !strings.Contains(n.Body, want) {
				t.Errorf("the article lacks %q", want)
			}
		}
		if photos := must[[]meeting.Photo](t)(s.Photos(viewer, q3.ID)); len(photos) != 1 || photos[0].ContentType != "image/png" {
			t.Errorf("photos %+v", photos)
		}
		var doc bytes.Buffer
		if err := s.NewsDOCX(viewer, &doc, q3.ID, 0); err != nil {
			t.Fatal(err)
		}
		parts := unzip(t, doc.Bytes())
		if text := docxText(t, parts["word/document.xml"]); !strings.Contains(text, "348 triệu đồng") || !strings.Contains(text, demo.NewsTitle) {
			t.Errorf("DOCX text:\n%s", text)
		}
	})
}
