package meeting_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"giaoban/internal/meeting"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// testAuth authenticates requests by the X-Test-User header (tests only).
type testAuth map[string]*auth.Principal

func (a testAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	return a[r.Header.Get("X-Test-User")], nil
}

type server struct {
	t   *testing.T
	srv *httptest.Server
	f   *fixture
}

func newServer(t *testing.T, d *db.DB) *server {
	f := newFixture(t, d)
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	users := testAuth{}
	for name, p := range f.principals {
		cp := *p
		cp.CSRF = "tok"
		users[name] = &cp
	}
	rt.Auth = users
	(&meeting.Handler{Service: f.s, Render: rd}).Routes(rt)
	rt.NotFound()
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return &server{t: t, srv: srv, f: f}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (s *server) do(method, path, user string, body io.Reader, ctype string) resp {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
		req.Header.Set("X-CSRF-Token", "tok")
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{r.StatusCode, r.Header, string(b)}
}

func (s *server) post(path, user string, form url.Values) resp {
	s.t.Helper()
	return s.do("POST", path, user, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (s *server) api(method, path, user string, v any) resp {
	s.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return s.do(method, path, user, body, "application/json")
}

var leak = regexp.MustCompile(`>\s*meeting\.[a-z_]+\.[a-z_.]+`)

func (s *server) page(path, user string, want int) string {
	s.t.Helper()
	r := s.do("GET", path, user, nil, "")
	if r.status != want {
		s.t.Fatalf("GET %s as %q: %d, want %d\n%.3000s", path, user, r.status, want, r.body)
	}
	if m := leak.FindString(r.body); m != "" {
		s.t.Errorf("GET %s: untranslated key %q", path, m)
	}
	return r.body
}

func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, data []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestPagesAndForms(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		f := s.f

		// The secretariat plans the meeting; a bad form comes back with
		// what was typed.
		if form := s.page("/meetings/new", "thuky", 200); !strings.Contains(form, `<option value="2021Q3" label="Quý III/2021">`) {
			t.Error("meeting form does not suggest the periods by name")
		}
		form := url.Values{"bloc_id": {fmt.Sprint(f.bloc.ID)}, "kind": {"quarterly"}, "period": {"2021Q3"}, "date": {"26/08/2021"},
			"time": {"25:99"}, "place": {"Hội trường Huyện ủy"}, "chair_name": {"Kpă Ngun"}, "chair_title": {"Phó Bí thư Thường trực Huyện ủy"},
			"chair_body": {fmt.Sprint("b:", f.huyenUy.ID)}, "att_body": {fmt.Sprint(f.bodies[0].ID), fmt.Sprint(f.bodies[3].ID)},
			"att_unit": {fmt.Sprint(f.hnd.ID)}, "person_name": {"Nguyễn Văn A", ""}, "person_title": {"Phó Chủ tịch UBND huyện", ""},
			"person_body": {"", ""}, "agenda": {"1. Báo cáo kết quả Quý III\n- Chương trình Quý IV\n\n"},
			"conclusions": {"Tiếp nhận ủng hộ 348 triệu đồng."}}
		r := s.post("/meetings", "thuky", form)
		if r.status != 400 || !strings.Contains(r.body, `value="25:99"`) || !strings.Contains(r.body, `value="Hội trường Huyện ủy"`) ||
			!strings.Contains(r.body, "Nguyễn Văn A") || !strings.Contains(r.body, "Giờ &#39;25:99&#39; không hợp lệ") {
			t.Fatalf("bad time: %d\n%.4000s", r.status, r.body)
		}
		form.Set("time", "14:00")
		r = s.post("/meetings", "thuky", form)
		if r.status != 303 {
			t.Fatalf("create: %d %.3000s", r.status, r.body)
		}
		loc := r.header.Get("Location")
		var id int64
		fmt.Sscanf(loc, "/meetings/%d", &id)
		m := must[*meeting.Meeting](t)(f.s.Meeting(f.admin, id))
		if m.Title != "Hội nghị giao ban Quý III năm 2021" || len(m.Agenda) != 2 || m.Agenda[0] != "Báo cáo kết quả Quý III" || len(m.Attendees) != 4 ||
			m.StartsAt.In(meeting.Vietnam).Hour() != 14 {
			t.Fatalf("created %+v", m)
		}
		body := s.page(loc, "thuky", 200)
		for _, want := range []string{"Kpă Ngun - Phó Bí thư Thường trực Huyện ủy", "Ghi nhận đã tổ chức", "Nguyễn Văn A - Phó Chủ tịch UBND huyện", `<link rel="stylesheet" href="/meetings/meeting.css">`} {
			if !strings.Contains(body, want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}
		if strings.Contains(body, "Chốt báo cáo tổng hợp</button>") {
			t.Error("the snapshot button shows without a snapshot source")
		}
		for _, u := range []string{"huyenuy", "canbo.hnd", "canbo.hnd.iato", "admin"} {
			s.page(loc, u, 200)
			s.page(loc+"/agenda", u, 200)
		}
		s.page(loc+"/edit", "thuky", 200)
		s.page(loc+"/edit", "canbo.hnd", 403)

		// Held is refused before the day, with the form showing why.
		r = s.post(loc+"/hold", "thuky", url.Values{"version": {fmt.Sprint(m.Version)}})
		if r.status != 400 || !strings.Contains(r.body, "chưa diễn ra") {
			t.Fatalf("early hold: %d %.2000s", r.status, r.body)
		}
		f.clock = time.Date(2021, 8, 26, 17, 0, 0, 0, meeting.Vietnam)
		r = s.post(loc+"/hold", "thuky", url.Values{"version": {fmt.Sprint(m.Version)}})
		if r.status != 303 {
			t.Fatalf("hold: %d %.2000s", r.status, r.body)
		}

		// A directive without owner comes back with the typed text.
		r = s.post(loc+"/directives", "thuky", url.Values{"title": {"Rà soát, đẩy nhanh tiến độ"}, "deadline": {"15/12/2021"}})
		if r.status != 400 || !strings.Contains(r.body, "Rà soát, đẩy nhanh tiến độ</textarea>") || !strings.Contains(r.body, "chưa có đơn vị thực hiện") {
			t.Fatalf("directive without owner: %d %.3000s", r.status, r.body)
		}
		r = s.post(loc+"/directives", "thuky", url.Values{"title": {"Rà soát, đẩy nhanh tiến độ"}, "owner_ids": {fmt.Sprint(f.hnd.ID)}})
		if r.status != 400 || !strings.Contains(r.body, "chưa có thời hạn") {
			t.Fatalf("directive without deadline: %d", r.status)
		}
		r = s.post(loc+"/directives", "thuky", url.Values{"title": {"Rà soát, đẩy nhanh tiến độ"}, "deadline": {"15/12/2021"},
			"owner_ids": {fmt.Sprint(f.hnd.ID), fmt.Sprint(f.hlhpn.ID)}})
		if r.status != 303 {
			t.Fatalf("directive: %d %.2000s", r.status, r.body)
		}
		r = s.post(loc+"/directives", "thuky", url.Values{"title": {"Tăng cường phối hợp"}, "deadline": {"30/09/2021"}, "owner_ids": {fmt.Sprint(f.mttq.ID)}})
		if r.status != 303 {
			t.Fatalf("directive 2: %d", r.status)
		}
		tasks := must[[]meeting.Task](t)(f.s.Tasks(f.admin, meeting.TaskFilter{MeetingID: id}))
		var hndTask, mttqTask meeting.Task
		for _, x := range tasks {
			if x.HasOwner(f.hnd.ID) {
				hndTask = x
			} else {
				mttqTask = x
			}
		}
		body = s.page(loc, "canbo.hnd", 200)
		if !strings.Contains(body, `<table class="stack tasks">`) || !strings.Contains(body, `data-label="Đơn vị thực hiện"`) {
			t.Error("directives are not a stacked table")
		}

		// Photos: uploaded, served, refused when not a picture.
		pic := picture(t, "png", 40, 30)
		b, ct := multipartBody(t, map[string]string{"csrf": "tok", "caption": "Quang cảnh"}, "photo", "anh.png", pic)
		r = s.do("POST", loc+"/photos", "thuky", b, ct)
		if r.status != 303 {
			t.Fatalf("photo: %d %.2000s", r.status, r.body)
		}
		b, ct = multipartBody(t, map[string]string{"csrf": "tok"}, "photo", "anh.jpg", []byte("không phải ảnh"))
		r = s.do("POST", loc+"/photos", "thuky", b, ct)
		if r.status != 400 || !strings.Contains(r.body, "không phải ảnh JPEG hoặc PNG") {
			t.Fatalf("fake photo: %d", r.status)
		}
		photos := must[[]meeting.Photo](t)(f.s.Photos(f.admin, id))
		r = s.do("GET", photos[0].URL(), "canbo.hnd", nil, "")
		if r.status != 200 || r.header.Get("Content-Type") != "image/png" || r.body != string(pic) {
			t.Fatalf("photo served: %d %s", r.status, r.header.Get("Content-Type"))
		}

		// The task board, the officer's own tasks and updates.
		if board := s.page("/tasks?overdue=1", "huyenuy", 200); strings.Contains(board, "Tăng cường phối hợp") {
			t.Errorf("overdue before its deadline:\n%.3000s", board)
		}
		f.clock = time.Date(2021, 10, 5, 9, 0, 0, 0, meeting.Vietnam)
		board := s.page("/tasks?overdue=1", "huyenuy", 200)
		if !strings.Contains(board, "Tăng cường phối hợp") || strings.Contains(board, "Rà soát, đẩy nhanh") {
			t.Errorf("overdue board:\n%.3000s", board)
		}
		board = s.page("/tasks", "huyenuy", 200)
		if !strings.Contains(board, `<tr class="overdue">`) {
			t.Error("overdue task is not highlighted")
		}
		mine := s.page("/tasks/mine", "canbo.hnd", 200)
		if !strings.Contains(mine, "Rà soát, đẩy nhanh tiến độ") || strings.Contains(mine, "Tăng cường phối hợp") {
			t.Errorf("my tasks:\n%.3000s", mine)
		}
		s.page("/tasks/mine", "thuky", 200)
		s.page("/tasks/mine", "huyenuy", 403)
		r = s.post(fmt.Sprintf("/tasks/%d/updates", hndTask.ID), "canbo.hnd", url.Values{"status": {"in_progress"}, "progress": {"40"},
			"note": {"Đã triển khai tại 4 xã"}, "version": {fmt.Sprint(hndTask.Version)}, "next": {"/tasks/mine"}})
		if r.status != 303 || r.header.Get("Location") != "/tasks/mine" {
			t.Fatalf("officer update: %d %s %.2000s", r.status, r.header.Get("Location"), r.body)
		}
		r = s.post(fmt.Sprintf("/tasks/%d/updates", mttqTask.ID), "canbo.hnd", url.Values{"progress": {"40"}})
		if r.status != 403 {
			t.Fatalf("officer updating another unit's task: %d", r.status)
		}
		r = s.post(fmt.Sprintf("/tasks/%d/updates", hndTask.ID), "canbo.hnd", url.Values{"progress": {"140"}, "note": {"giữ lại"}})
		if r.status != 400 || !strings.Contains(r.body, "giữ lại</textarea>") {
			t.Fatalf("bad progress: %d", r.status)
		}
		b, ct = multipartBody(t, map[string]string{"csrf": "tok", "evidence_note": "4 xã", "report_unit_id": fmt.Sprint(f.hnd.ID), "report_period": "2021Q4"},
			"file", "bien-ban.txt", []byte("Biên bản kiểm tra"))
		r = s.do("POST", fmt.Sprintf("/tasks/%d/updates", hndTask.ID), "canbo.hnd", b, ct)
		if r.status != 303 {
			t.Fatalf("evidence: %d %.2000s", r.status, r.body)
		}
		page := s.page(fmt.Sprintf("/tasks/%d", hndTask.ID), "huyenuy", 200)
		for _, want := range []string{"Đã triển khai tại 4 xã", "bien-ban.txt", fmt.Sprintf(`href="/reports/%d/2021Q4"`, f.hnd.ID), "Người dùng canbo.hnd", ", Quý IV/2021</a>"} {
			if !strings.Contains(page, want) {
				t.Errorf("task page lacks %q", want)
			}
		}
		if strings.Contains(page, "2021Q4</a>") || strings.Contains(page, "(2021Q4, 202111)") {
			t.Error("task page shows a raw period code")
		}
		if own := s.page(fmt.Sprintf("/tasks/%d", hndTask.ID), "canbo.hnd", 200); !strings.Contains(own, `list="period-choices"`) ||
			!strings.Contains(own, `<option value="2021Q4" label="Quý IV/2021">`) {
			t.Error("task update form does not suggest the periods by name")
		}
		tk := must[*meeting.Task](t)(f.s.Task(f.admin, hndTask.ID))
		for _, e := range tk.Evidence {
			if e.Kind == meeting.EvidenceFile {
				r = s.do("GET", e.URL(), "canbo.mttq", nil, "")
				if r.status != 200 || r.body != "Biên bản kiểm tra" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
					t.Errorf("evidence download: %d %v", r.status, r.header)
				}
			}
		}
		s.page("/tasks/new", "thuky", 200)
		s.page(fmt.Sprintf("/tasks/%d/edit", hndTask.ID), "thuky", 200)
		r = s.post("/tasks", "thuky", url.Values{"bloc_id": {fmt.Sprint(f.bloc.ID)}, "title": {"Ngày hội Đại đoàn kết"}, "deadline": {"18/11/2021"}, "plan_year": {"2021"}})
		if r.status != 400 || !strings.Contains(r.body, "Nhiệm vụ chưa có đơn vị thực hiện") {
			t.Fatalf("plan task without owner: %d", r.status)
		}

		// The Q4 meeting's page and agenda show the follow-up.
		q4 := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, meeting.MeetingInput{BlocID: f.bloc.ID, Kind: meeting.Quarterly, Period: "2021Q4", StartsAt: at(2021, 12, 22, 8, 0)}))
		for _, path := range []string{fmt.Sprintf("/meetings/%d", q4.ID), fmt.Sprintf("/meetings/%d/agenda", q4.ID)} {
			body := s.page(path, "canbo.hnd", 200)
			if !strings.Contains(body, "Kiểm điểm ý kiến chỉ đạo các hội nghị trước") || !strings.Contains(body, "Rà soát, đẩy nhanh tiến độ") ||
				!strings.Contains(body, `value="40"`) || !strings.Contains(body, "đã hoàn thành 0/2 ý kiến chỉ đạo") {
				t.Errorf("%s lacks the follow-up:\n%.4000s", path, body)
			}
		}

		// The news editor, its versions and exports.
		s.page(loc+"/news", "thuky", 200)
		s.page(loc+"/news", "canbo.hnd", 403)
		r = s.post(loc+"/news", "thuky", url.Values{"title": {"Hội nghị giao ban Quý III"}, "published_on": {"30/08/2021"}, "body": {"Chiều ngày 26/8, …"},
			"author": {"Văn Chi"}, "author_unit": {"Trung tâm VH - TT&TT huyện"}, "base_version": {"0"}})
		if r.status != 303 {
			t.Fatalf("save news: %d %.2000s", r.status, r.body)
		}
		r = s.post(loc+"/news", "thuky", url.Values{"title": {"Bản cũ"}, "body": {"x"}, "base_version": {"0"}})
		if r.status != 409 && r.status != 400 || !strings.Contains(r.body, "Người khác vừa lưu bản tin") || !strings.Contains(r.body, `value="Bản cũ"`) {
			t.Fatalf("stale news save: %d %.2000s", r.status, r.body)
		}
		r = s.do("GET", loc+"/news.html", "canbo.hnd", nil, "")
		if r.status != 200 || r.header.Get("Content-Security-Policy") != meeting.NewsCSP || !strings.Contains(r.body, "Văn Chi - Trung tâm VH - TT&amp;TT huyện") ||
			!strings.Contains(r.body, "data:image/png;base64,") {
			t.Errorf("news.html: %d %s", r.status, r.header.Get("Content-Security-Policy"))
		}
		r = s.do("GET", loc+"/news.docx", "huyenuy", nil, "")
		if r.status != 200 || !strings.HasPrefix(r.body, "PK") || !strings.Contains(r.header.Get("Content-Type"), "wordprocessingml") {
			t.Errorf("news.docx: %d %s", r.status, r.header.Get("Content-Type"))
		}
		s.page("/meetings", "canbo.hnd.iato", 200)
		r = s.do("GET", "/meetings/meeting.css", "", nil, "")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet: %d", r.status)
		}
	})
}

func TestAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		f := s.f
		in := f.q3Input()
		in.Chair = meeting.Person{}
		r := s.api("POST", "/api/v1/meetings", "thuky", in)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var m struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		}
		json.Unmarshal([]byte(r.body), &m)
		base := fmt.Sprintf("/api/v1/meetings/%d", m.ID)
		r = s.api("POST", base+"/hold", "thuky", nil)
		if r.status != 422 || !strings.Contains(r.body, `"field":"chair_name"`) || !strings.Contains(r.body, "Chưa có người chủ trì") {
			t.Fatalf("hold without chair: %d %s", r.status, r.body)
		}
		r = s.api("PATCH", base, "thuky", map[string]any{"chair": map[string]any{"name": "Kpă Ngun", "title": "Phó Bí thư Thường trực Huyện ủy"}, "version": m.Version + 5})
		if r.status != 409 {
			t.Fatalf("stale patch: %d %s", r.status, r.body)
		}
		r = s.api("PATCH", base, "thuky", map[string]any{"chair": map[string]any{"name": "Kpă Ngun", "title": "Phó Bí thư Thường trực Huyện ủy"}, "version": m.Version})
		if r.status != 200 || !strings.Contains(r.body, `"name":"Kpă Ngun"`) || !strings.Contains(r.body, `"agenda":["Báo cáo kết quả công tác Quý III năm 2021"`) {
			t.Fatalf("patch: %d %s", r.status, r.body)
		}
		r = s.api("PATCH", base, "canbo.hnd", map[string]any{"place": "x"})
		if r.status != 403 {
			t.Fatalf("officer patch: %d", r.status)
		}
		f.clock = time.Date(2021, 8, 26, 17, 0, 0, 0, meeting.Vietnam)
		r = s.api("POST", base+"/hold", "thuky", nil)
		if r.status != 200 || !strings.Contains(r.body, `"status":"held"`) {
			t.Fatalf("hold: %d %s", r.status, r.body)
		}
		r = s.api("POST", base+"/directives", "thuky", map[string]any{"title": "Rà soát"})
		if r.status != 422 || !strings.Contains(r.body, `"field":"owner_ids"`) || !strings.Contains(r.body, `"field":"deadline"`) {
			t.Fatalf("directive without owner and deadline: %d %s", r.status, r.body)
		}
		r = s.api("POST", base+"/directives", "thuky", map[string]any{"title": "Rà soát", "owner_ids": []int64{f.hnd.ID}, "deadline": "2021-09-30"})
		if r.status != 201 {
			t.Fatalf("directive: %d %s", r.status, r.body)
		}
		var task meeting.Task
		json.Unmarshal([]byte(r.body), &task)
		r = s.api("POST", base+"/directives", "thuky", map[string]any{"title": "Phối hợp", "owner_ids": []int64{f.mttq.ID}, "deadline": "2021-12-31"})
		var other meeting.Task
		json.Unmarshal([]byte(r.body), &other)

		f.clock = time.Date(2021, 10, 1, 9, 0, 0, 0, meeting.Vietnam)
		r = s.api("GET", fmt.Sprintf("/api/v1/tasks?overdue=1&unit=%d", f.hnd.ID), "huyenuy", nil)
		if r.status != 200 || !strings.Contains(r.body, `"title":"Rà soát"`) || strings.Contains(r.body, "Phối hợp") || !strings.Contains(r.body, `"overdue":true`) {
			t.Fatalf("tasks: %d %s", r.status, r.body)
		}
		r = s.api("GET", "/api/v1/tasks?status=bogus", "huyenuy", nil)
		if r.status != 422 {
			t.Errorf("bad status filter: %d", r.status)
		}
		r = s.api("POST", fmt.Sprintf("/api/v1/tasks/%d/updates", task.ID), "canbo.hnd", map[string]any{"status": "done", "note": "Xong", "report_unit_id": f.hnd.ID, "report_period": "2021Q3"})
		if r.status != 201 || !strings.Contains(r.body, `"status":"done"`) || !strings.Contains(r.body, `"progress":100`) {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		r = s.api("POST", fmt.Sprintf("/api/v1/tasks/%d/updates", other.ID), "canbo.hnd", map[string]any{"progress": 10})
		if r.status != 403 {
			t.Fatalf("update of another unit's task: %d %s", r.status, r.body)
		}
		r = s.api("PATCH", fmt.Sprintf("/api/v1/tasks/%d", other.ID), "thuky", map[string]any{"deadline": "2022-01-15", "owner_ids": []int64{f.mttq.ID, f.hlhpn.ID}})
		if r.status != 200 || !strings.Contains(r.body, `"deadline":"2022-01-15"`) {
			t.Fatalf("task patch: %d %s", r.status, r.body)
		}
		r = s.api("GET", fmt.Sprintf("/api/v1/tasks/%d", task.ID), "canbo.hnd.iato", nil)
		if r.status != 200 || !strings.Contains(r.body, `"updates":[`) || !strings.Contains(r.body, `"report_period":"2021Q3"`) {
			t.Fatalf("task: %d %s", r.status, r.body)
		}
		r = s.api("GET", base, "huyenuy", nil)
		if r.status != 200 || !strings.Contains(r.body, `"directives":[`) || !strings.Contains(r.body, `"news_html":`) {
			t.Fatalf("meeting: %d %s", r.status, r.body)
		}
		r = s.api("GET", "/api/v1/meetings?status=held", "canbo.hnd", nil)
		if r.status != 200 || !strings.Contains(r.body, fmt.Sprintf(`"id":%d`, m.ID)) {
			t.Fatalf("meetings: %d %s", r.status, r.body)
		}
		r = s.api("GET", "/api/v1/meetings", "", nil)
		if r.status != 401 {
			t.Errorf("public: %d", r.status)
		}
	})
}
