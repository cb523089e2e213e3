package meeting_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"giaoban/internal/meeting"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func directive(t testing.TB, f *fixture, m *meeting.Meeting, title string, deadline db.Date, owners ...int64) *meeting.Task {
	t.Helper()
	return must[*meeting.Task](t)(f.s.AddDirective(f.secretariat, m.ID, meeting.DirectiveInput{Title: title, OwnerIDs: owners, Deadline: deadline}))
}

func TestNextMeetingListsOpenAndOverdueDirectives(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		q3 := f.heldQ3(t)
		done := directive(t, f, q3, "Tăng cường phối hợp với các cơ quan, đơn vị", db.D(2021, 10, 31), f.mttq.ID)
		late := directive(t, f, q3, "Thường xuyên kiểm tra, đôn đốc Hội, Đoàn cơ sở", db.D(2021, 11, 30), f.hnd.ID, f.hlhpn.ID)
		open := directive(t, f, q3, "Tiếp tục đổi mới nội dung, phương thức hoạt động", db.D(2021, 12, 31), f.hnd.ID)
		// A plan task and another bloc's directive stay out of the follow-up.
		must[*meeting.Task](t)(f.s.CreateTask(f.secretariat, meeting.TaskInput{BlocID: f.bloc.ID, Title: "Kết nạp hội viên mới", OwnerIDs: []int64{f.hnd.ID}, Deadline: db.D(2021, 11, 1)}))
		cin := meeting.MeetingInput{BlocID: f.communeBl.ID, Kind: meeting.Monthly, Period: "202108", StartsAt: at(2021, 8, 25, 8, 0), Chair: meeting.Person{Name: "Nguyễn Văn B"}}
		cm := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, cin))
		cm = must[*meeting.Meeting](t)(f.s.Hold(f.secretariat, cm.ID, nil))
		directive(t, f, cm, "Việc của xã", db.D(2021, 9, 30), f.hndCommune.ID)

		f.clock = time.Date(2021, 10, 20, 9, 0, 0, 0, meeting.Vietnam)
		must[*meeting.Task](t)(f.s.PostUpdate(f.otherOfficer, done.ID, meeting.UpdateInput{Status: meeting.Done, Note: "Đã ký kết chương trình phối hợp"}))
		must[*meeting.Task](t)(f.s.PostUpdate(f.officer, late.ID, meeting.UpdateInput{Progress: ptr(40), Note: "Đã kiểm tra 4/10 cơ sở"}))

		q4in := meeting.MeetingInput{BlocID: f.bloc.ID, Kind: meeting.Quarterly, Period: "2021Q4", StartsAt: at(2021, 12, 22, 8, 0)}
		q4 := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, q4in))
		f.clock = time.Date(2022, 3, 1, 9, 0, 0, 0, meeting.Vietnam) // later than the meeting: judged on its day
		fu := must[*meeting.FollowUp](t)(f.s.FollowUp(f.secretariat, q4))
		if fu.PreviousID != q3.ID || fu.PreviousTotal != 3 || fu.PreviousDone != 1 || fu.AsOf != db.D(2021, 12, 22) {
			t.Fatalf("follow-up %+v", fu)
		}
		if len(fu.Items) != 2 || fu.Items[0].ID != late.ID || fu.Items[1].ID != open.ID {
			t.Fatalf("items %+v", fu.Items)
		}
		if !fu.Items[0].Overdue || fu.Items[0].Progress != 40 || fu.Items[0].Status != meeting.InProgress || fu.Items[1].Overdue || fu.Overdue != 1 {
			t.Errorf("late %+v, open %+v", fu.Items[0], fu.Items[1])
		}
		// Live: progress made now shows in the agenda at once.
		must[*meeting.Task](t)(f.s.PostUpdate(f.officer, open.ID, meeting.UpdateInput{Status: meeting.Done}))
		fu = must[*meeting.FollowUp](t)(f.s.FollowUp(f.secretariat, q4))
		if len(fu.Items) != 1 || fu.PreviousDone != 2 {
			t.Errorf("after an update: %+v", fu)
		}
		// The Q3 meeting itself has nothing to follow up.
		fu = must[*meeting.FollowUp](t)(f.s.FollowUp(f.secretariat, q3))
		if fu.PreviousID != 0 || len(fu.Items) != 0 {
			t.Errorf("follow-up of the first meeting: %+v", fu)
		}
	})
}

func TestOfficerUpdatesOnlyTheirUnitsTasks(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		q3 := f.heldQ3(t)
		hndTask := directive(t, f, q3, "Vận động nhân dân phòng trừ sâu, bệnh", db.D(2021, 11, 30), f.hnd.ID, f.hlhpn.ID)
		mttqTask := directive(t, f, q3, "Tăng cường phối hợp", db.D(2021, 12, 15), f.mttq.ID)

		f.clock = time.Date(2021, 9, 10, 9, 0, 0, 0, meeting.Vietnam)
		_, err := f.s.PostUpdate(f.officer, mttqTask.ID, meeting.UpdateInput{Progress: ptr(50)})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.s.PostUpdate(f.viewer, hndTask.ID, meeting.UpdateInput{Progress: ptr(50)})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.s.PostUpdate(f.communeOfficer, hndTask.ID, meeting.UpdateInput{Progress: ptr(50)})
		wantCode(t, err, apperr.Forbidden)

		// Nothing to record, bad values, cancelling.
		_, err = f.s.PostUpdate(f.officer, hndTask.ID, meeting.UpdateInput{})
		wantCode(t, err, apperr.Invalid)
		_, err = f.s.PostUpdate(f.officer, hndTask.ID, meeting.UpdateInput{Progress: ptr(120), Status: meeting.Cancelled})
		if got := fields(t, err); got["progress"] != "meeting.err.progress" || got["status"] != "meeting.err.cancel_manager" {
			t.Errorf("bad update: %v", err)
		}
		big := &meeting.FileInput{Name: "bao-cao.pdf", Data: bytes.Repeat([]byte("x"), meeting.MaxEvidenceBytes+1)}
		_, err = f.s.PostUpdate(f.officer, hndTask.ID, meeting.UpdateInput{File: big})
		if got := fields(t, err); got["file"] != "meeting.err.file_size" {
			t.Errorf("a file over 10 MB: %v", err)
		}

		// The officer of an owner unit reports progress with evidence.
		tk := must[*meeting.Task](t)(f.s.PostUpdate(f.officer, hndTask.ID, meeting.UpdateInput{Progress: ptr(60), Note: "Đã tổ chức 6 lớp tập huấn",
			EvidenceNote: "6 lớp tập huấn, 320 lượt hội viên", File: &meeting.FileInput{Name: `C:\tai lieu\bao-cao.txt`, Data: []byte("Báo cáo kết quả tập huấn")},
			ReportUnitID: &f.hnd.ID, ReportPeriod: "2021q4", Version: &hndTask.Version}))
		if tk.Status != meeting.InProgress || tk.Progress != 60 || len(tk.Updates) != 1 || len(tk.Evidence) != 3 {
			t.Fatalf("after update: %+v", tk)
		}
		u := tk.Updates[0]
		if u.UserName != "Người dùng canbo.hnd" || u.UnitName != "Hội Nông dân huyện Ia Grai Nam" || u.Note != "Đã tổ chức 6 lớp tập huấn" || !u.At.Equal(f.clock) {
			t.Errorf("update %+v", u)
		}
		var file, link *meeting.Evidence
		for i, e := range tk.Evidence {
			switch e.Kind {
			case meeting.EvidenceFile:
				file = &tk.Evidence[i]
			case meeting.EvidenceLink:
				link = &tk.Evidence[i]
			}
		}
		if file == nil || file.FileName != "bao-cao.txt" || !strings.HasPrefix(file.ContentType, "text/plain") {
			t.Fatalf("file evidence %+v", file)
		}
		if link == nil || link.URL() != meeting.ReportPath(f.hnd.ID, "2021Q4") || link.ReportUnit != f.hnd.Name {
			t.Fatalf("link evidence %+v", link)
		}
		got := must[*meeting.Evidence](t)(f.s.EvidenceFile(f.viewer, tk.ID, file.ID))
		if string(got.Data) != "Báo cáo kết quả tập huấn" {
			t.Errorf("file contents %q", got.Data)
		}
		// A stale version is refused.
		_, err = f.s.PostUpdate(f.leader, hndTask.ID, meeting.UpdateInput{Progress: ptr(70), Version: &hndTask.Version})
		wantCode(t, err, apperr.Conflict)
		// The leader of the same unit marks it done: 100 %, done today.
		f.clock = time.Date(2021, 11, 26, 15, 0, 0, 0, meeting.Vietnam)
		tk = must[*meeting.Task](t)(f.s.PostUpdate(f.leader, hndTask.ID, meeting.UpdateInput{Status: meeting.Done, Version: &tk.Version}))
		if tk.Status != meeting.Done || tk.Progress != 100 || tk.DoneOn != db.D(2021, 11, 26) || tk.Overdue {
			t.Errorf("done: %+v", tk)
		}
		// The secretariat may update any task of its bloc, and cancel.
		tk = must[*meeting.Task](t)(f.s.PostUpdate(f.secretariat, mttqTask.ID, meeting.UpdateInput{Status: meeting.Cancelled, Note: "Gộp vào nhiệm vụ khác"}))
		if tk.Status != meeting.Cancelled {
			t.Errorf("cancelled: %+v", tk)
		}
		if meeting.CanUpdate(f.officer, tk) || !meeting.CanUpdate(f.secretariat, tk) {
			t.Error("CanUpdate: the HND officer may update the Front's task, or the secretariat may not")
		}
	})
}

func TestTaskBoard(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		q3 := f.heldQ3(t)
		a := directive(t, f, q3, "A", db.D(2021, 9, 30), f.hnd.ID)
		b := directive(t, f, q3, "B", db.D(2021, 12, 31), f.mttq.ID)
		plan := must[*meeting.Task](t)(f.s.CreateTask(f.secretariat, meeting.TaskInput{BlocID: f.bloc.ID, PlanYear: ptr(2021), Title: "Kế hoạch năm: ngày hội Đại đoàn kết",
			OwnerIDs: []int64{f.mttq.ID}, Deadline: db.D(2021, 11, 18)}))
		_, err := f.s.CreateTask(f.secretariat, meeting.TaskInput{BlocID: f.bloc.ID, Title: "Không đơn vị"})
		if got := fields(t, err); got["owner_ids"] != "meeting.err.task_owner" || got["deadline"] != "meeting.err.task_deadline" {
			t.Errorf("plan task without owner and deadline: %v", err)
		}
		_, err = f.s.CreateTask(f.officer, meeting.TaskInput{BlocID: f.bloc.ID, Title: "X", OwnerIDs: []int64{f.hnd.ID}, Deadline: db.D(2021, 11, 18)})
		wantCode(t, err, apperr.Forbidden)
		f.clock = time.Date(2021, 10, 15, 9, 0, 0, 0, meeting.Vietnam)

		ids := func(list []meeting.Task) string {
			var out []string
			for _, t := range list {
				out = append(out, t.Title)
			}
			return strings.Join(out, ",")
		}
		board := func(filter meeting.TaskFilter) string {
			return ids(must[[]meeting.Task](t)(f.s.Tasks(f.viewer, filter)))
		}
		if got := board(meeting.TaskFilter{}); got != "A,Kế hoạch năm: ngày hội Đại đoàn kết,B" {
			t.Errorf("board %s", got)
		}
		if got := board(meeting.TaskFilter{Overdue: true}); got != "A" {
			t.Errorf("overdue %s", got)
		}
		if got := board(meeting.TaskFilter{UnitID: f.mttq.ID}); got != "Kế hoạch năm: ngày hội Đại đoàn kết,B" {
			t.Errorf("mttq %s", got)
		}
		if got := board(meeting.TaskFilter{MeetingID: q3.ID}); got != "A,B" {
			t.Errorf("meeting %s", got)
		}
		if got := board(meeting.TaskFilter{Source: meeting.FromPlan}); got != "Kế hoạch năm: ngày hội Đại đoàn kết" {
			t.Errorf("plan %s", got)
		}
		list := must[[]meeting.Task](t)(f.s.Tasks(f.viewer, meeting.TaskFilter{}))
		if !list[0].Overdue || list[1].Overdue {
			t.Errorf("overdue flags %+v", list)
		}
		// The secretariat edits a task; its history shows the change.
		in := b.Input()
		in.Status, in.Progress, in.OwnerIDs = meeting.InProgress, 30, []int64{f.mttq.ID, f.hlhpn.ID}
		got := must[*meeting.Task](t)(f.s.UpdateTask(f.secretariat, b.ID, in))
		if got.Progress != 30 || len(got.Owners) != 2 || len(got.Updates) != 1 {
			t.Errorf("edited %+v", got)
		}
		_, err = f.s.UpdateTask(f.secretariat, b.ID, in) // the version moved on
		wantCode(t, err, apperr.Conflict)
		_, err = f.s.UpdateTask(f.officer, a.ID, a.Input())
		wantCode(t, err, apperr.Forbidden)
		in = plan.Input()
		in.OwnerIDs = nil
		_, err = f.s.UpdateTask(f.secretariat, plan.ID, in)
		if got := fields(t, err); got["owner_ids"] != "meeting.err.task_owner" {
			t.Errorf("removing every owner: %v", err)
		}
		// A user out of scope sees nothing.
		other := must[[]meeting.Task](t)(f.s.Tasks(f.communeSecretariat, meeting.TaskFilter{BlocID: f.communeBl.ID}))
		if len(other) != 0 {
			t.Errorf("commune bloc has %d tasks", len(other))
		}
	})
}
