package demo

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/meeting"
	"giaoban/internal/org"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/rollup"
)

// The meeting part of the scenario: the Q3 2021 review meeting of the
// district bloc on the afternoon of 26/08/2021, chaired by the article's
// Permanent Deputy Secretary, held, with the article's nine directives as
// tasks of the bloc's units (some done by the Q4 meeting, some overdue), two
// tasks of the 2021 plan, a photo, the news article as published on
// 30/08/2021, and the Q4 2021 meeting planned for December, whose agenda
// follows the directives up. Everything goes through the meeting service,
// as the people of the scenario, on the scenario's dates.

// The Q3 2021 meeting of the article.
const (
	MeetingQ3Title  = "Hội nghị giao ban Quý III năm 2021"
	MeetingQ4Title  = "Hội nghị giao ban Quý IV năm 2021"
	MeetingPlace    = "Hội trường Huyện ủy"
	MeetingChair    = "Kpă Ngun"
	MeetingChairAs  = "Phó Bí thư Thường trực Huyện ủy"
	NewsTitle       = "Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện"
	NewsAuthor      = "Văn Chi"
	NewsAuthorUnit  = "Trung tâm VH - TT&TT huyện"
	MeetingQ3Period = "2021Q3"
)

// MeetingConclusions is what the meeting concluded on the quarter: the
// article's results paragraph. The news draft quotes the consolidated
// report's drafted results; the editor put this paragraph in their place in
// the version published on 30/08/2021.
const MeetingConclusions = "Trong quý III, Mặt trận và các tổ chức thành viên các cấp đã tập trung đẩy mạnh các hoạt động tuyên truyền, vận động nhân dân tích cực hưởng ứng các phong trào thi đua yêu nước lập thành tích chào mừng các ngày lễ diễn ra trong quý; " +
	"Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng. " +
	"Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19 và các bệnh nhân cách ly tại Trung tâm y tế huyện và lực lượng truy vết với số tiền hơn 14 triệu đồng; " +
	"Tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên và quần chúng nhân dân trên địa bàn huyện; Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết; Đảm bảo an sinh xã hội; " +
	"Đẩy mạnh thực hiện Cuộc vận động “làm thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số, làm cho đồng bào dân tộc thiểu số vươn lên thoát nghèo bền vững”. " +
	"Nắm bắt và phản ánh những nguyện vọng của nhân dân trên địa bàn. Phối hợp với Ban Dân vận Huyện ủy tổ chức khảo sát, đánh giá tình trạng tảo hôn, hôn nhân cận huyết thống; tuyên truyền cán bộ, hội viên tham gia hiến máu tình nguyện; " +
	"Tích cực thực hiện các hoạt động từ thiện, nhân đạo, đền ơn đáp nghĩa. Tuyên truyền vận động đoàn viên, hội viên và quần chúng nhân dân tham gia xây dựng nông thôn mới, xây dựng các mô hình phát triển kinh tế giúp nhau thoát nghèo, " +
	"phòng, chống dịch bệnh trên người và động vật, nhất là dịch Covid-19, viêm da nổi cục ở trâu, bò."

// seedStep is a progress update of a directive in the scenario.
type seedStep struct {
	day      time.Time
	who      string // user name
	status   meeting.TaskStatus
	progress int
	note     string
	evidence string // a note kept as evidence
	file     string // a text file attached as evidence ("" none)
	report   string // "ORG@area name" whose Q3 2021 report is linked
}

// seedDirective is a directive of the Q3 meeting, with what became of it.
type seedDirective struct {
	title    string
	owners   []string // organisation codes of district units
	deadline db.Date
	steps    []seedStep
}

var allDistrictUnits = []string{"MTTQ", "HND", "HLHPN", "DTN", "HCCB", "LDLD"}

func vnTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, meeting.Vietnam)
}

// MeetingDirectives are the directives of the Q3 2021 meeting (the article's nine), their owners,
// deadlines and progress up to the Q4 meeting of 22/12/2021: four done,
// three overdue, two still open before their deadline.
var MeetingDirectives = []seedDirective{
	{"Rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021 đã đề ra", allDistrictUnits, db.D(2021, 12, 15), []seedStep{
		{day: vnTime(2021, 10, 15, 9, 0), who: "thuky", status: meeting.InProgress, progress: 50, note: "Các đơn vị đã rà soát, báo cáo tiến độ thực hiện chỉ tiêu 9 tháng."},
		{day: vnTime(2021, 12, 1, 15, 30), who: "canbo.hnd", progress: 80, note: "Hội Nông dân huyện đạt 11/13 chỉ tiêu năm; còn chỉ tiêu kết nạp hội viên và quỹ hỗ trợ nông dân.",
			report: "HND@" + DistrictName},
	}},
	{"Triển khai thực hiện có hiệu quả các cuộc vận động, phong trào thi đua yêu nước, bám sát nhiệm vụ phát triển kinh tế - xã hội", allDistrictUnits, db.D(2021, 12, 31), []seedStep{
		{day: vnTime(2021, 11, 20, 10, 0), who: "thuky", status: meeting.InProgress, progress: 70, note: "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở 100% khu dân cư; phát động thi đua cuối năm."},
	}},
	{"Tăng cường công tác tuyên truyền, vận động giáo dục chính trị tư tưởng, nâng cao nhận thức, nắm bắt tư tưởng, dư luận, tâm trạng của đoàn viên, hội viên, nhân dân về chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
		[]string{"MTTQ", "HLHPN", "DTN"}, db.D(2021, 12, 15), []seedStep{
			{day: vnTime(2021, 10, 30, 16, 0), who: "thuky", status: meeting.InProgress, progress: 60, note: "Đã tổ chức 28 buổi tuyên truyền tại các xã, thị trấn."},
			{day: vnTime(2021, 12, 10, 9, 30), who: "thuky", status: meeting.Done, note: "Hoàn thành kế hoạch tuyên truyền quý IV.",
				evidence: "Tổ chức 46 buổi tuyên truyền với 3.150 lượt đoàn viên, hội viên và nhân dân tham dự; tổng hợp 27 ý kiến, kiến nghị của nhân dân gửi Thường trực Huyện ủy."},
		}},
	{"Tập trung tuyên truyền đoàn viên, hội viên và nhân dân thực hiện tốt các biện pháp phòng chống dịch theo nguyên tắc “5K + vắc xin” của Bộ Y tế và phòng bệnh viêm da nổi cục trên đàn bò",
		[]string{"MTTQ", "HND", "HLHPN", "DTN"}, db.D(2021, 10, 31), []seedStep{
			{day: vnTime(2021, 9, 20, 14, 0), who: "canbo.hnd", status: meeting.InProgress, progress: 50, note: "Phối hợp Trung tâm Y tế huyện tuyên truyền lưu động tại 10 xã, thị trấn."},
			{day: vnTime(2021, 10, 28, 10, 0), who: "canbo.hnd", status: meeting.Done, note: "Hoàn thành đợt tuyên truyền phòng chống dịch Covid-19 và viêm da nổi cục.",
				file: "Báo cáo kết quả tuyên truyền phòng, chống dịch Covid-19 (5K + vắc xin) và bệnh viêm da nổi cục trên trâu, bò.\n" +
					"- 64 buổi tuyên truyền, 4.820 lượt người nghe.\n- Vận động 1.260 người đi tiêm vắc xin.\n- 1.130 hộ chăn nuôi được hướng dẫn phòng bệnh viêm da nổi cục.\n"},
		}},
	{"Vận động nhân dân nâng cao nhận thức về các biện pháp phòng trừ sâu, bệnh trên cây trồng, vật nuôi; tích cực tham gia thực hiện Chương trình mục tiêu quốc gia về xây dựng nông thôn mới",
		[]string{"HND", "HLHPN", "HCCB"}, db.D(2021, 11, 30), []seedStep{
			{day: vnTime(2021, 10, 12, 15, 0), who: "canbo.hnd", status: meeting.InProgress, progress: 40, note: "Mở 5 lớp tập huấn khoa học kỹ thuật."},
			{day: vnTime(2021, 11, 26, 16, 0), who: "lanhdao.hnd", status: meeting.Done, note: "Hoàn thành.",
				evidence: "12 lớp tập huấn phòng trừ sâu bệnh với 640 lượt hội viên; 1.850 ngày công xây dựng nông thôn mới."},
		}},
	{"Tiếp tục đổi mới nội dung, phương thức hoạt động đáp ứng yêu cầu nhiệm vụ trong tình hình mới", allDistrictUnits, db.D(2021, 12, 31), nil},
	{"Thực hiện tốt phương châm “Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở”", allDistrictUnits, db.D(2021, 11, 30), []seedStep{
		{day: vnTime(2021, 11, 5, 9, 0), who: "thuky", status: meeting.InProgress, progress: 60, note: "4/6 đơn vị thực hiện đều đặn; Liên đoàn Lao động và Huyện đoàn chưa bố trí được lịch."},
	}},
	{"Thường xuyên kiểm tra, đôn đốc, nhắc nhở Hội, Đoàn cơ sở triển khai thực hiện theo đúng Điều lệ, nhiệm vụ chính trị của tổ chức đoàn, hội cấp cơ sở",
		[]string{"HND", "HLHPN", "DTN", "HCCB"}, db.D(2021, 11, 30), []seedStep{
			{day: vnTime(2021, 11, 10, 14, 0), who: "canbo.hnd", status: meeting.InProgress, progress: 30, note: "Đã kiểm tra 3/10 cơ sở Hội."},
		}},
	{"Tăng cường phối hợp với các cơ quan, đơn vị, các xã, thị trấn thực hiện tốt các nhiệm vụ được giao", []string{"MTTQ"}, db.D(2021, 12, 15), []seedStep{
		{day: vnTime(2021, 12, 9, 10, 0), who: "thuky", status: meeting.Done, note: "Ký kết chương trình phối hợp năm 2022.",
			evidence: "Ký chương trình phối hợp với UBND huyện, Trung tâm Y tế huyện và 10 xã, thị trấn."},
	}},
}

// meetingActor is a context acting as a demo user.
func (s *seeder) meetingActor(ctx context.Context, svc *meeting.Service, username string) (context.Context, error) {
	u, err := (&account.Store{DB: s.d}).UserByUsername(ctx, username)
	if err != nil {
		return nil, fmt.Errorf("demo: user %s: %w", username, err)
	}
	p := &auth.Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role}
	if u.UnitID != nil {
		p.UnitID = *u.UnitID
		if p.ScopePath, err = svc.Org.UnitAreaPath(ctx, p.UnitID); err != nil {
			return nil, err
		}
	}
	if u.AreaID != nil {
		p.AreaID = *u.AreaID
		if p.ScopePath, err = svc.Org.AreaPath(ctx, p.AreaID); err != nil {
			return nil, err
		}
	}
	return audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{UserID: u.ID, Username: u.Username}), nil
}

func (s *seeder) meetings(ctx context.Context) error {
	svc := meeting.New(s.d)
	clock := vnTime(2021, 8, 16, 8, 0)
	svc.Now = func() time.Time { return clock }
	// The roll-up room freezes the Q3 report and drafts the news article's
	// results, as in the application (app.New wires the same methods).
	rollups := rollup.New(s.d)
	svc.Snapshot, svc.Results = rollups.MeetingSnapshot, rollups.MeetingResults
	actors := map[string]context.Context{}
	for _, name := range []string{"thuky", "canbo.hnd", "lanhdao.hnd"} {
		c, err := s.meetingActor(ctx, svc, name)
		if err != nil {
			return err
		}
		actors[name] = c
	}
	sec := actors["thuky"]
	bloc, err := svc.Org.BlocByArea(ctx, s.areas[DistrictName])
	if err != nil {
		return fmt.Errorf("demo: bloc: %w", err)
	}
	bodies, err := svc.Org.ExternalBodies(ctx, s.areas[DistrictName])
	if err != nil {
		return fmt.Errorf("demo: bodies: %w", err)
	}
	body := map[string]*org.ExternalBody{}
	for i := range bodies {
		body[bodies[i].ShortName] = &bodies[i]
	}
	unit := func(code string) int64 { return s.units[code+"@"+DistrictName] }
	chair := meeting.Person{Name: MeetingChair, Title: MeetingChairAs, BodyID: &body["Huyện ủy"].ID}

	// The Q3 meeting, planned ten days before.
	in := meeting.MeetingInput{BlocID: bloc.ID, Kind: meeting.Quarterly, Title: MeetingQ3Title, Period: MeetingQ3Period,
		Place: MeetingPlace, Chair: chair, Conclusions: MeetingConclusions,
		Agenda: []string{
			"Báo cáo kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội Quý III năm 2021",
			"Chương trình công tác Quý IV năm 2021",
			"Thảo luận, ý kiến của các đơn vị",
			"Phát biểu chỉ đạo của đồng chí Phó Bí thư Thường trực Huyện ủy",
		},
		Minutes: "14 giờ 00: Khai mạc, giới thiệu đại biểu.\n\n" +
			"14 giờ 10: Đồng chí Chủ tịch Ủy ban MTTQ Việt Nam huyện trình bày báo cáo kết quả công tác Quý III và Chương trình công tác Quý IV năm 2021.\n\n" +
			"14 giờ 40: Các đơn vị thảo luận: Hội Nông dân huyện đề nghị tăng cường phối hợp phòng bệnh viêm da nổi cục; Hội LHPN huyện báo cáo kết quả khảo sát tình trạng tảo hôn cùng Ban Dân vận Huyện ủy; Huyện đoàn đề xuất mô hình thanh niên tình nguyện hỗ trợ các chốt kiểm soát Covid-19.\n\n" +
			"16 giờ 00: Đồng chí Kpă Ngun - Phó Bí thư Thường trực Huyện ủy phát biểu chỉ đạo.\n\n16 giờ 30: Bế mạc."}
	start := vnTime(2021, 8, 26, 14, 0)
	in.StartsAt = &start
	for _, short := range []string{"Ban Tổ chức", "Ban Tuyên giáo", "Ban Dân vận", "UBKT Huyện ủy", "UBND huyện"} {
		in.Attendees = append(in.Attendees, meeting.Attendee{Kind: meeting.AttendeeBody, BodyID: &body[short].ID})
	}
	for _, code := range allDistrictUnits {
		id := unit(code)
		in.Attendees = append(in.Attendees, meeting.Attendee{Kind: meeting.AttendeeUnit, UnitID: &id})
	}
	q3, err := svc.CreateMeeting(sec, in)
	if err != nil {
		return fmt.Errorf("demo: Q3 meeting: %w", err)
	}
	if svc.Snapshot != nil {
		clock = vnTime(2021, 8, 25, 16, 0)
		if _, err := svc.TakeSnapshot(sec, q3.ID); err != nil {
			return fmt.Errorf("demo: Q3 snapshot: %w", err)
		}
	}
	clock = vnTime(2021, 8, 26, 16, 45)
	if _, err := svc.AddPhoto(sec, q3.ID, "Quang cảnh Hội nghị giao ban Quý III năm 2021 (ảnh minh họa)", meetingPicture()); err != nil {
		return fmt.Errorf("demo: photo: %w", err)
	}
	clock = vnTime(2021, 8, 26, 17, 0)
	if q3, err = svc.Hold(sec, q3.ID, nil); err != nil {
		return fmt.Errorf("demo: hold: %w", err)
	}

	// The directives, then what the units did about them.
	clock = vnTime(2021, 8, 27, 8, 30)
	tasks := make([]*meeting.Task, len(MeetingDirectives))
	for i, d := range MeetingDirectives {
		var owners []int64
		for _, code := range d.owners {
			owners = append(owners, unit(code))
		}
		if tasks[i], err = svc.AddDirective(sec, q3.ID, meeting.DirectiveInput{Title: d.title, OwnerIDs: owners, Deadline: d.deadline}); err != nil {
			return fmt.Errorf("demo: directive %d: %w", i+1, err)
		}
	}
	plan, err := s.planTasks(sec, svc, &clock, bloc.ID, unit)
	if err != nil {
		return err
	}
	if err := s.newsArticle(sec, svc, &clock, q3.ID); err != nil {
		return err
	}
	steps := s.directiveSteps(tasks, plan)
	for _, st := range steps {
		clock = st.step.day
		up := meeting.UpdateInput{Status: st.step.status, Note: st.step.note, EvidenceNote: st.step.evidence}
		if st.step.progress > 0 {
			p := st.step.progress
			up.Progress = &p
		}
		if st.step.file != "" {
			up.File = &meeting.FileInput{Name: "bao-cao-ket-qua.txt", Data: []byte(st.step.file)}
		}
		if st.step.report != "" {
			id := s.units[st.step.report]
			up.ReportUnitID, up.ReportPeriod = &id, MeetingQ3Period
		}
		if _, err := svc.PostUpdate(actors[st.step.who], st.task.ID, up); err != nil {
			return fmt.Errorf("demo: update of %q: %w", st.task.Title, err)
		}
	}

	// The Q4 meeting, planned on 1 December for the 22nd.
	clock = vnTime(2021, 12, 1, 8, 0)
	q4start := vnTime(2021, 12, 22, 8, 0)
	q4in := meeting.MeetingInput{BlocID: bloc.ID, Kind: meeting.Quarterly, Title: MeetingQ4Title, Period: "2021Q4", StartsAt: &q4start,
		Place: MeetingPlace, Chair: chair, Attendees: in.Attendees,
		Agenda: []string{
			"Báo cáo kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội Quý IV và năm 2021",
			"Kiểm điểm việc thực hiện các ý kiến chỉ đạo tại Hội nghị giao ban Quý III năm 2021",
			"Phương hướng, nhiệm vụ năm 2022",
			"Phát biểu chỉ đạo của đồng chí Phó Bí thư Thường trực Huyện ủy",
		}}
	if _, err := svc.CreateMeeting(sec, q4in); err != nil {
		return fmt.Errorf("demo: Q4 meeting: %w", err)
	}
	return nil
}

// newsArticle drafts the article after the meeting (its results paragraph
// is the consolidated report's drafted narrative) and saves the draft as
// it is; then the editor's version published on 30/08/2021: the article's
// title, and the article's own results paragraph in place of the drafted
// one (the lead and the directives stay as drafted).
func (s *seeder) newsArticle(sec context.Context, svc *meeting.Service, clock *time.Time, meetingID int64) error {
	*clock = vnTime(2021, 8, 28, 9, 0)
	draft, err := svc.Draft(sec, meetingID)
	if err != nil {
		return fmt.Errorf("demo: news draft: %w", err)
	}
	in := meeting.NewsInput{Title: draft.Title, PublishedOn: db.D(2021, 8, 30), Body: draft.Body, Author: NewsAuthor, AuthorUnit: NewsAuthorUnit}
	v1, err := svc.SaveNews(sec, meetingID, in)
	if err != nil {
		return fmt.Errorf("demo: news: %w", err)
	}
	*clock = vnTime(2021, 8, 30, 7, 45)
	var paras []string
	for _, p := range strings.SplitAfter(v1.Body, "</p>") {
		if strings.TrimSpace(p) != "" {
			paras = append(paras, p)
		}
	}
	if len(paras) < 2 {
		return fmt.Errorf("demo: news draft has %d paragraphs", len(paras))
	}
	in.Body = paras[0] + "<p>" + html.EscapeString(MeetingConclusions) + "</p>" + paras[len(paras)-1]
	in.Title, in.BaseVersion = NewsTitle, v1.Version
	if _, err := svc.SaveNews(sec, meetingID, in); err != nil {
		return fmt.Errorf("demo: news: %w", err)
	}
	return nil
}

// planTasks adds two tasks of the 2021 plan, with their progress steps.
func (s *seeder) planTasks(sec context.Context, svc *meeting.Service, clock *time.Time, blocID int64, unit func(string) int64) (map[*meeting.Task][]seedStep, error) {
	*clock = vnTime(2021, 8, 27, 9, 0)
	year := 2021
	out := map[*meeting.Task][]seedStep{}
	for _, p := range []struct {
		title    string
		owner    string
		deadline db.Date
		steps    []seedStep
	}{
		{"Tổ chức “Ngày hội Đại đoàn kết toàn dân tộc” ở 100% khu dân cư (kế hoạch năm 2021)", "MTTQ", db.D(2021, 11, 18), []seedStep{
			{day: vnTime(2021, 11, 18, 17, 0), who: "thuky", status: meeting.Done, note: "Tổ chức tại 100% khu dân cư.", evidence: "Ngày hội tổ chức tại 96/96 thôn, làng, tổ dân phố."},
		}},
		{"Kết nạp mới 300 hội viên nông dân (chỉ tiêu năm 2021)", "HND", db.D(2021, 12, 31), []seedStep{
			{day: vnTime(2021, 9, 30, 16, 0), who: "canbo.hnd", status: meeting.InProgress, progress: 60, note: "Kết nạp 182 hội viên mới."},
			{day: vnTime(2021, 12, 15, 16, 0), who: "canbo.hnd", progress: 85, note: "Kết nạp 256 hội viên mới."},
		}},
	} {
		t, err := svc.CreateTask(sec, meeting.TaskInput{BlocID: blocID, PlanYear: &year, Title: p.title, OwnerIDs: []int64{unit(p.owner)}, Deadline: p.deadline})
		if err != nil {
			return nil, fmt.Errorf("demo: plan task: %w", err)
		}
		out[t] = p.steps
	}
	return out, nil
}

type taskStep struct {
	task *meeting.Task
	step seedStep
}

// directiveSteps orders every step of the scenario by date.
func (s *seeder) directiveSteps(tasks []*meeting.Task, plan map[*meeting.Task][]seedStep) []taskStep {
	var out []taskStep
	for i, d := range MeetingDirectives {
		for _, st := range d.steps {
			out = append(out, taskStep{tasks[i], st})
		}
	}
	for t, steps := range plan {
		for _, st := range steps {
			out = append(out, taskStep{t, st})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].step.day.Before(out[j-1].step.day); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// meetingPicture draws the meeting hall: the red banner over the stage, the
// presidium's table, the rows of delegates (a drawing, no photograph of
// real people).
func meetingPicture() []byte {
	const w, h = 800, 500
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	disc := func(cx, cy, r int, c color.RGBA) {
		for y := cy - r; y <= cy+r; y++ {
			for x := cx - r; x <= cx+r; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r && x >= 0 && y >= 0 && x < w && y < h {
					img.SetRGBA(x, y, c)
				}
			}
		}
	}
	fill(0, 0, w, h, color.RGBA{236, 226, 205, 255})       // wall
	fill(0, 330, w, h, color.RGBA{150, 98, 60, 255})       // floor
	fill(60, 30, 740, 110, color.RGBA{196, 30, 36, 255})   // banner
	fill(90, 52, 710, 60, color.RGBA{250, 215, 70, 255})   // the banner's lettering, as stripes
	fill(140, 74, 660, 82, color.RGBA{250, 215, 70, 255})  //
	fill(360, 120, 440, 200, color.RGBA{196, 30, 36, 255}) // the flag
	disc(400, 160, 18, color.RGBA{250, 215, 70, 255})      // its star, round here
	fill(120, 230, 680, 290, color.RGBA{120, 70, 40, 255}) // the presidium's table
	fill(120, 222, 680, 232, color.RGBA{30, 110, 60, 255}) // its green cloth
	for i, x := range []int{220, 330, 470, 580} {
		shirt := color.RGBA{245, 245, 245, 255}
		if i%2 == 1 {
			shirt = color.RGBA{70, 90, 140, 255}
		}
		fill(x-22, 190, x+22, 226, shirt)
		disc(x, 172, 15, color.RGBA{120, 80, 55, 255})
	}
	for row := 0; row < 3; row++ {
		y := 360 + row*45
		for x := 40 + row*15; x < w-20; x += 52 {
			fill(x-18, y, x+18, y+30, color.RGBA{uint8(60 + 40*row), 70, 110, 255})
			disc(x, y-8, 12, color.RGBA{45, 35, 30, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return buf.Bytes()
}
