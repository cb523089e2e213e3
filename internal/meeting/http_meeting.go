package meeting

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
)

func (h *Handler) meetingRoutes(rt *web.Router) {
	rt.Handle("GET", "/meetings", auth.PermAuthenticated, h.listPage)
	rt.Handle("GET", "/meetings/new", auth.PermMeetingManage, h.newPage)
	rt.Handle("POST", "/meetings", auth.PermMeetingManage, h.create)
	rt.Handle("GET", "/meetings/{id}", auth.PermAuthenticated, h.showPage)
	rt.Handle("GET", "/meetings/{id}/edit", auth.PermMeetingManage, h.editPage)
	rt.Handle("POST", "/meetings/{id}", auth.PermMeetingManage, h.update)
	rt.Handle("POST", "/meetings/{id}/hold", auth.PermMeetingManage, h.hold)
	rt.Handle("GET", "/meetings/{id}/agenda", auth.PermAuthenticated, h.agendaPage)
	rt.Handle("POST", "/meetings/{id}/directives", auth.PermMeetingManage, h.addDirective)
	rt.Handle("POST", "/meetings/{id}/snapshots", auth.PermMeetingManage, h.takeSnapshot)
	rt.Handle("GET", "/meetings/{id}/snapshots/{v}", auth.PermAuthenticated, h.snapshotPage)
	rt.Handle("POST", "/meetings/{id}/photos", auth.PermMeetingManage, h.uploadPhoto)
	rt.Handle("GET", "/meetings/{id}/photos/{pid}", auth.PermAuthenticated, h.photo)
	rt.Handle("POST", "/meetings/{id}/photos/{pid}/delete", auth.PermMeetingManage, h.deletePhoto)
}

type listData struct {
	Meetings  []Meeting
	Blocs     []org.Bloc
	Bloc      int64
	Status    string
	Year      int
	CanCreate bool
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := listData{Status: q.Get("status")}
	d.Bloc, _ = strconv.ParseInt(q.Get("bloc"), 10, 64)
	d.Year, _ = strconv.Atoi(q.Get("year"))
	if d.Status != string(Planned) && d.Status != string(Held) {
		d.Status = ""
	}
	var err error
	if d.Blocs, err = h.Service.VisibleBlocs(r.Context()); err != nil {
		return err
	}
	if d.Meetings, err = h.Service.Meetings(r.Context(), MeetingFilter{BlocID: d.Bloc, Status: Status(d.Status), Year: d.Year}); err != nil {
		return err
	}
	managed, err := h.Service.ManagedBlocs(r.Context())
	if err != nil {
		return err
	}
	d.CanCreate = len(managed) > 0
	return h.page(w, r, "meeting/list.html", "meeting.list.title", "", d, nil)
}

// newForm is a new meeting's form: a quarterly review of the current
// quarter by default, the agenda usual for it.
func (h *Handler) newForm(r *http.Request) meetingForm {
	bloc, _ := strconv.ParseInt(r.URL.Query().Get("bloc"), 10, 64)
	now := h.Service.now().In(Vietnam)
	q := period.NewQuarter(now.Year(), (int(now.Month())-1)/3+1)
	f := meetingForm{BlocID: bloc, Kind: string(Quarterly), Period: q.Code(), Units: map[int64]bool{}, Bodies: map[int64]bool{},
		Agenda: "Báo cáo kết quả công tác " + periodPhrase(q) + "\nChương trình công tác " + periodPhrase(q.Next()) +
			"\nThảo luận, ý kiến của các đơn vị\nPhát biểu chỉ đạo, kết luận Hội nghị"}
	for range extraPersons {
		f.Persons = append(f.Persons, personRow{})
	}
	return f
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, mf meetingForm, formErr error) error {
	d, err := h.formChoices(r.Context(), mf)
	if err != nil {
		return err
	}
	titleKey := "meeting.new.title"
	if mf.ID != 0 {
		titleKey = "meeting.edit.title"
	}
	return h.page(w, r, "meeting/form.html", titleKey, "", d, formErr)
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderForm(w, r, h.newForm(r), nil)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	mf, in, f := readMeetingForm(r)
	if len(f.fe) > 0 {
		return h.renderForm(w, r, mf, f.fe.Err())
	}
	m, err := h.Service.CreateMeeting(r.Context(), in)
	if err != nil {
		return h.renderForm(w, r, mf, f.merge(err))
	}
	return web.Redirect(w, r, meetingURL(m.ID), "form.saved")
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	return h.renderForm(w, r, formOf(m), nil)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	mf, in, f := readMeetingForm(r)
	mf.ID, mf.Status = m.ID, m.Status
	if len(f.fe) > 0 {
		return h.renderForm(w, r, mf, f.fe.Err())
	}
	if _, err := h.Service.UpdateMeeting(r.Context(), m.ID, in); err != nil {
		return h.renderForm(w, r, mf, f.merge(err))
	}
	return web.Redirect(w, r, meetingURL(m.ID), "form.saved")
}

// meeting reads the {id} meeting.
func (h *Handler) meeting(r *http.Request) (*Meeting, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Service.Meeting(r.Context(), id)
}

// managedMeeting reads the {id} meeting if the user runs its bloc.
func (h *Handler) managedMeeting(r *http.Request) (*Meeting, error) {
	m, err := h.meeting(r)
	if err != nil {
		return nil, err
	}
	if !CanManage(r.Context(), m) {
		return nil, apperr.New(apperr.Forbidden, "meeting.err.not_manager")
	}
	return m, nil
}

// directiveForm is the form that records a directive.
type directiveForm struct {
	Title, Description, Deadline string
	Owners                       map[int64]bool
}

type showData struct {
	M           *Meeting
	FollowUp    *FollowUp
	Directives  []Task
	Photos      []Photo
	Snapshots   []Snapshot
	News        []News
	CanManage   bool
	CanSnapshot bool
	Members     []org.Unit // the bloc's own units, offered first as owners
	Others      []org.Unit // the units under the bloc
	D           directiveForm
}

func (h *Handler) showData(ctx context.Context, m *Meeting, df directiveForm) (*showData, error) {
	s := h.Service
	d := &showData{M: m, CanManage: CanManage(ctx, m), D: df}
	d.CanSnapshot = d.CanManage && s.CanSnapshot() && m.Period != ""
	var err error
	if !m.Held() {
		if d.FollowUp, err = s.FollowUp(ctx, m); err != nil {
			return nil, err
		}
	}
	if d.Directives, err = s.Tasks(ctx, TaskFilter{MeetingID: m.ID, Limit: 1000}); err != nil {
		return nil, err
	}
	sortBySeq(d.Directives)
	if d.Photos, err = s.Photos(ctx, m.ID); err != nil {
		return nil, err
	}
	if d.Snapshots, err = s.Snapshots(ctx, m.ID); err != nil {
		return nil, err
	}
	if m.Held() {
		if d.News, err = s.NewsVersions(ctx, m.ID); err != nil {
			return nil, err
		}
	}
	if d.CanManage && m.Held() {
		units, err := s.Org.BlocUnits(ctx, m.BlocID)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if u.AreaID == m.blocArea {
				d.Members = append(d.Members, u)
			} else {
				d.Others = append(d.Others, u)
			}
		}
	}
	return d, nil
}

// sortBySeq orders a meeting's directives as they were given.
func sortBySeq(ts []Task) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Seq < ts[j-1].Seq; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func (h *Handler) renderShow(w http.ResponseWriter, r *http.Request, m *Meeting, df directiveForm, formErr error) error {
	d, err := h.showData(r.Context(), m, df)
	if err != nil {
		return err
	}
	return h.page(w, r, "meeting/show.html", "", m.Title, d, formErr)
}

func (h *Handler) showPage(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	return h.renderShow(w, r, m, directiveForm{Owners: map[int64]bool{}}, nil)
}

func (h *Handler) hold(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f := &form{r: r}
	if _, err := h.Service.Hold(r.Context(), m.ID, f.version("version")); err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
			// Show the form with what is missing marked, to fill it in.
			p := h.Render.NewPage(w, r, "meeting.edit.title", nil)
			d, derr := h.formChoices(r.Context(), formOf(m))
			if derr != nil {
				return derr
			}
			p.Data = d
			p.Errors, p.ErrorList, _ = web.FormErrors(p.Lang, err)
			return h.Render.HTML(w, http.StatusBadRequest, "meeting/form.html", p)
		}
		return h.renderShow(w, r, m, directiveForm{Owners: map[int64]bool{}}, err)
	}
	return web.Redirect(w, r, meetingURL(m.ID), "meeting.held")
}

func (h *Handler) agendaPage(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	d := &showData{M: m}
	if !m.Held() {
		if d.FollowUp, err = h.Service.FollowUp(r.Context(), m); err != nil {
			return err
		}
	}
	return h.page(w, r, "meeting/agenda.html", "", m.Title, d, nil)
}

func (h *Handler) addDirective(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f := &form{r: r}
	df := directiveForm{Title: f.text("title"), Description: r.PostFormValue("description"), Deadline: f.text("deadline"), Owners: map[int64]bool{}}
	in := DirectiveInput{Title: df.Title, Description: df.Description, OwnerIDs: f.ids("owner_ids"), Deadline: f.date("deadline")}
	for _, id := range in.OwnerIDs {
		df.Owners[id] = true
	}
	if _, err := h.Service.AddDirective(r.Context(), m.ID, in); err != nil {
		return h.renderShow(w, r, m, df, f.merge(err))
	}
	if len(f.fe) > 0 {
		return h.renderShow(w, r, m, df, f.fe.Err())
	}
	return web.Redirect(w, r, meetingURL(m.ID)+"#directives", "meeting.directive_added")
}

func (h *Handler) takeSnapshot(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	snap, err := h.Service.TakeSnapshot(r.Context(), m.ID)
	if err != nil {
		return err
	}
	return web.Redirect(w, r, meetingURL(m.ID)+"/snapshots/"+strconv.FormatInt(snap.Version, 10), "meeting.snapshot_taken")
}

type snapshotData struct {
	M    *Meeting
	S    *Snapshot
	All  []Snapshot
	HTML any
}

func (h *Handler) snapshotPage(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	v, err := web.PathID(r, "v")
	if err != nil {
		return err
	}
	snap, err := h.Service.SnapshotVersion(r.Context(), m.ID, v)
	if err != nil {
		return err
	}
	all, err := h.Service.Snapshots(r.Context(), m.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, "meeting/snapshot.html", "", snap.Title, snapshotData{M: m, S: snap, All: all, HTML: trustedHTML(snap.HTML)}, nil)
}

func (h *Handler) uploadPhoto(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	if err := parseBody(w, r, int64(maxPhotos)*MaxPhotoBytes+(1<<20)); err != nil {
		return err
	}
	caption := r.PostFormValue("caption")
	var files [][]byte
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photo"] {
			if fh.Size > MaxPhotoBytes {
				return h.renderShow(w, r, m, directiveForm{Owners: map[int64]bool{}}, apperr.Field("photo", "meeting.err.photo_size", MaxPhotoBytes>>20))
			}
			fd, err := fh.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(io.LimitReader(fd, MaxPhotoBytes+1))
			fd.Close()
			if err != nil {
				return err
			}
			files = append(files, b)
		}
	}
	if len(files) == 0 {
		return h.renderShow(w, r, m, directiveForm{Owners: map[int64]bool{}}, apperr.Field("photo", "meeting.err.photo_missing"))
	}
	for _, b := range files {
		if _, err := h.Service.AddPhoto(r.Context(), m.ID, caption, b); err != nil {
			return h.renderShow(w, r, m, directiveForm{Owners: map[int64]bool{}}, err)
		}
	}
	return web.Redirect(w, r, meetingURL(m.ID)+"#photos", "meeting.photo_added")
}

func (h *Handler) photo(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := web.PathID(r, "pid")
	if err != nil {
		return err
	}
	ph, err := h.Service.Photo(r.Context(), id, pid)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ph.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(ph.Data)))
	w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", ph.UploadedAt.Truncate(time.Second), bytesReader(ph.Data))
	return nil
}

func (h *Handler) deletePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := web.PathID(r, "pid")
	if err != nil {
		return err
	}
	if err := h.Service.DeletePhoto(r.Context(), id, pid); err != nil {
		return err
	}
	return web.Redirect(w, r, meetingURL(id)+"#photos", "form.deleted")
}

// today is the current date in Vietnam, for templates.
func (h *Handler) today() db.Date { return h.Service.Today() }
