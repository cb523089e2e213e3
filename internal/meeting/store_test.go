package meeting_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"giaoban/internal/meeting"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestMeetingIsHeldOnlyWithChairAndDate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := f.q3Input()
		in.Chair = meeting.Person{}
		in.StartsAt = nil
		m := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, in))
		if m.Status != meeting.Planned || m.Title != "Hội nghị giao ban Quý III năm 2021" || len(m.Agenda) != 2 || len(m.Attendees) != 7 {
			t.Fatalf("created %+v", m)
		}

		_, err := f.s.Hold(f.secretariat, m.ID, nil)
		wantCode(t, err, apperr.Invalid)
		got := fields(t, err)
		if got["chair_name"] != "meeting.err.hold_needs_chair" || got["starts_at"] != "meeting.err.hold_needs_date" {
			t.Fatalf("hold without chair and date: fields %v", got)
		}
		if e, _ := apperr.As(err); e.Key != "meeting.err.cannot_hold" {
			t.Errorf("hold: key %s", e.Key)
		}
		for _, k := range []string{"meeting.err.cannot_hold", "meeting.err.hold_needs_chair", "meeting.err.hold_needs_date"} {
			if msg := message(k); msg == k || !strings.Contains(strings.ToLower(msg), "hội nghị") && !strings.Contains(msg, "chủ trì") {
				t.Errorf("%s: message %q does not say what is missing", k, msg)
			}
		}

		// With a chair but no date, only the date is missing.
		in = m.Input()
		in.Chair = meeting.Person{Name: "Kpă Ngun", Title: "Phó Bí thư Thường trực Huyện ủy", BodyID: &f.huyenUy.ID}
		m = must[*meeting.Meeting](t)(f.s.UpdateMeeting(f.secretariat, m.ID, in))
		_, err = f.s.Hold(f.secretariat, m.ID, nil)
		if got := fields(t, err); len(got) != 1 || got["starts_at"] == "" {
			t.Fatalf("hold without date: fields %v", got)
		}

		// A stale version is refused; the current one saves.
		stale := in
		stale.Place = "Nơi khác"
		_, err = f.s.UpdateMeeting(f.secretariat, m.ID, stale)
		wantCode(t, err, apperr.Conflict)
		in = m.Input()
		in.StartsAt = at(2021, 8, 26, 14, 0)
		m = must[*meeting.Meeting](t)(f.s.UpdateMeeting(f.secretariat, m.ID, in))

		// Not before the day: a meeting in the future cannot be marked held.
		_, err = f.s.Hold(f.secretariat, m.ID, nil)
		if got := fields(t, err); got["starts_at"] != "meeting.err.hold_future" {
			t.Fatalf("hold before the day: %v", err)
		}
		f.clock = time.Date(2021, 8, 26, 17, 30, 0, 0, meeting.Vietnam)
		// Only the secretariat of the bloc holds it.
		_, err = f.s.Hold(f.officer, m.ID, nil)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.s.Hold(f.communeSecretariat, m.ID, nil)
		wantCode(t, err, apperr.Forbidden)
		m = must[*meeting.Meeting](t)(f.s.Hold(f.secretariat, m.ID, nil))
		if !m.Held() || m.HeldAt == nil || m.Chair.BodyName != "Huyện ủy Ia Grai Nam" {
			t.Fatalf("held: %+v", m)
		}
		_, err = f.s.Hold(f.secretariat, m.ID, nil)
		wantCode(t, err, apperr.Conflict)

		// Once held, the chair and the date cannot be taken away.
		in = m.Input()
		in.Chair.Name, in.StartsAt = "", nil
		_, err = f.s.UpdateMeeting(f.secretariat, m.ID, in)
		if got := fields(t, err); got["chair_name"] != "meeting.err.held_needs_chair" || got["starts_at"] != "meeting.err.held_needs_date" {
			t.Fatalf("clearing chair and date of a held meeting: %v", err)
		}

		// Minutes are sanitised.
		in = m.Input()
		in.Minutes = `<p onclick="x()">Khai mạc <script>alert(1)</script><b>đúng giờ</b></p>`
		m = must[*meeting.Meeting](t)(f.s.UpdateMeeting(f.secretariat, m.ID, in))
		if m.Minutes != "<p>Khai mạc <strong>đúng giờ</strong></p>" {
			t.Errorf("minutes %q", m.Minutes)
		}
		var n int
		if err := d.QueryRowContext(f.secretariat, "SELECT COUNT(*) FROM audit_log WHERE entity = 'meeting' AND entity_id = $1", fmt.Sprint(m.ID)).Scan(&n); err != nil || n < 5 {
			t.Errorf("audit entries for the meeting: %d (%v)", n, err)
		}
	})
}

func TestMeetingInputIsChecked(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.s.CreateMeeting(f.secretariat, meeting.MeetingInput{Kind: "weekly", Period: "2021Q9"})
		got := fields(t, err)
		if got["bloc_id"] != "err.required" || got["kind"] != "err.bad_choice" {
			t.Errorf("fields %v", got)
		}
		_, err = f.s.CreateMeeting(f.secretariat, meeting.MeetingInput{BlocID: f.bloc.ID, Kind: meeting.Quarterly, Period: "202108"})
		if got := fields(t, err); got["period"] != "meeting.err.period_quarter" {
			t.Errorf("a month for a quarterly meeting: %v", got)
		}
		_, err = f.s.CreateMeeting(f.secretariat, meeting.MeetingInput{BlocID: f.bloc.ID, Kind: meeting.Thematic})
		if got := fields(t, err); got["title"] != "err.required" {
			t.Errorf("thematic without title: %v", got)
		}
		// A commune's secretariat does not plan the district's meetings.
		in := f.q3Input()
		_, err = f.s.CreateMeeting(f.communeSecretariat, in)
		if got := fields(t, err); got["bloc_id"] != "meeting.err.bloc_scope" {
			t.Errorf("out of scope: %v", err)
		}
		_, err = f.s.CreateMeeting(f.officer, in)
		wantCode(t, err, apperr.Forbidden)
		// Bad attendees.
		in.Attendees = []meeting.Attendee{{Kind: meeting.AttendeePerson}, {Kind: meeting.AttendeeUnit, UnitID: ptr(int64(99999))}}
		_, err = f.s.CreateMeeting(f.secretariat, in)
		if got := fields(t, err); got["attendees"] == "" {
			t.Errorf("bad attendees: %v", err)
		}
		// Everybody in scope reads the meeting; others do not see it.
		m := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, f.q3Input()))
		if _, err := f.s.Meeting(f.communeOfficer, m.ID); err != nil {
			t.Errorf("a commune officer reads the district bloc's meeting: %v", err)
		}
		list := must[[]meeting.Meeting](t)(f.s.Meetings(f.viewer, meeting.MeetingFilter{Year: 2021}))
		if len(list) != 1 || list[0].ID != m.ID {
			t.Errorf("viewer's list: %+v", list)
		}
	})
}

func TestDirectiveNeedsOwnerAndDeadline(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		planned := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, f.q3Input()))
		_, err := f.s.AddDirective(f.secretariat, planned.ID, meeting.DirectiveInput{Title: "Rà soát kế hoạch", OwnerIDs: []int64{f.mttq.ID}, Deadline: db.D(2021, 12, 15)})
		wantCode(t, err, apperr.Conflict)
		f.clock = time.Date(2021, 8, 26, 17, 0, 0, 0, meeting.Vietnam)
		m := must[*meeting.Meeting](t)(f.s.Hold(f.secretariat, planned.ID, nil))

		_, err = f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "Rà soát kế hoạch", Deadline: db.D(2021, 12, 15)})
		if got := fields(t, err); len(got) != 1 || got["owner_ids"] != "meeting.err.directive_owner" {
			t.Fatalf("without owner: %v", err)
		}
		_, err = f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "Rà soát kế hoạch", OwnerIDs: []int64{f.mttq.ID}})
		if got := fields(t, err); len(got) != 1 || got["deadline"] != "meeting.err.directive_deadline" {
			t.Fatalf("without deadline: %v", err)
		}
		_, err = f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "Rà soát kế hoạch"})
		if got := fields(t, err); len(got) != 2 {
			t.Fatalf("without both: %v", err)
		}
		// The messages name the field.
		if msg := message("meeting.err.directive_owner"); !strings.Contains(msg, "đơn vị thực hiện") {
			t.Errorf("owner message %q does not name the field", msg)
		}
		if msg := message("meeting.err.directive_deadline"); !strings.Contains(msg, "thời hạn") {
			t.Errorf("deadline message %q does not name the field", msg)
		}
		// An owner outside the bloc, a deadline before the meeting.
		_, err = f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "X", OwnerIDs: []int64{99999}, Deadline: db.D(2021, 8, 1)})
		if got := fields(t, err); got["owner_ids"] != "err.bad_choice" || got["deadline"] != "meeting.err.deadline_before_meeting" {
			t.Fatalf("bad owner and deadline: %v", err)
		}
		_, err = f.s.AddDirective(f.officer, m.ID, meeting.DirectiveInput{Title: "X", OwnerIDs: []int64{f.hnd.ID}, Deadline: db.D(2021, 12, 1)})
		wantCode(t, err, apperr.Forbidden)

		t1 := must[*meeting.Task](t)(f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "Rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021",
			OwnerIDs: []int64{f.hnd.ID, f.mttq.ID, f.hnd.ID, f.hndCommune.ID}, Deadline: db.D(2021, 12, 15)}))
		t2 := must[*meeting.Task](t)(f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: "Tăng cường phối hợp", OwnerIDs: []int64{f.mttq.ID}, Deadline: db.D(2021, 12, 15)}))
		if t1.Source != meeting.FromDirective || t1.Seq != 1 || t2.Seq != 2 || *t1.MeetingID != m.ID || t1.Status != meeting.Open {
			t.Fatalf("directive tasks %+v %+v", t1, t2)
		}
		if names := strings.Join(t1.OwnerNames(), "|"); names != "Ủy ban MTTQ Việt Nam huyện Ia Grai Nam|Hội Nông dân huyện Ia Grai Nam|Hội Nông dân xã Ia Tô" {
			t.Errorf("owners %s", names)
		}
	})
}
