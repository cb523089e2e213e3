package meeting

import (
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.HandleDoc("GET", "/api/v1/meetings", auth.PermAuthenticated, "List review meetings (filters: bloc, status, year)", h.apiMeetings)
	rt.HandleDoc("POST", "/api/v1/meetings", auth.PermMeetingManage, "Plan a review meeting", h.apiMeetingCreate)
	rt.HandleDoc("GET", "/api/v1/meetings/{id}", auth.PermAuthenticated, "A meeting with its attendees, agenda, directives, snapshots, photos and, while planned, the follow-up of earlier directives", h.apiMeeting)
	rt.HandleDoc("PATCH", "/api/v1/meetings/{id}", auth.PermMeetingManage, "Change a meeting (send version to refuse a lost update)", h.apiMeetingUpdate)
	rt.HandleDoc("POST", "/api/v1/meetings/{id}/hold", auth.PermMeetingManage, "Record that a meeting was held (needs a chair and a date)", h.apiHold)
	rt.HandleDoc("POST", "/api/v1/meetings/{id}/directives", auth.PermMeetingManage, "Record a directive of a held meeting as a task (needs owner units and a deadline)", h.apiDirective)
	rt.HandleDoc("GET", "/api/v1/tasks", auth.PermAuthenticated, "The task board (filters: status, unit, overdue, meeting, bloc, source)", h.apiTasks)
	rt.HandleDoc("GET", "/api/v1/tasks/{id}", auth.PermAuthenticated, "A task with its history and evidence", h.apiTask)
	rt.HandleDoc("PATCH", "/api/v1/tasks/{id}", auth.PermMeetingManage, "Change a task: title, description, owners, deadline, status, progress", h.apiTaskUpdate)
	rt.HandleDoc("POST", "/api/v1/tasks/{id}/updates", auth.PermTaskUpdate, "Post progress on a task (own unit's tasks for officers and leaders), with a note or a report link as evidence", h.apiTaskProgress)
}

func (h *Handler) apiMeetings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := MeetingFilter{Status: Status(q.Get("status"))}
	f.BlocID, _ = strconv.ParseInt(q.Get("bloc"), 10, 64)
	f.Year, _ = strconv.Atoi(q.Get("year"))
	if f.Status != "" && f.Status != Planned && f.Status != Held {
		return apperr.Field("status", "err.bad_choice", string(f.Status))
	}
	list, err := h.Service.Meetings(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []Meeting{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list})
}

// meetingView is a meeting with what hangs on it.
type meetingView struct {
	*Meeting
	Directives []Task      `json:"directives"`
	Snapshots  []Snapshot  `json:"snapshots"`
	Photos     []Photo     `json:"photos"`
	FollowUp   *FollowUp   `json:"follow_up,omitempty"`
	News       []News      `json:"news_versions,omitempty"`
	Links      meetingLink `json:"links"`
}

type meetingLink struct {
	Page     string `json:"page"`
	Agenda   string `json:"agenda"`
	NewsHTML string `json:"news_html,omitempty"`
	NewsDOCX string `json:"news_docx,omitempty"`
}

func (h *Handler) meetingView(r *http.Request, m *Meeting) (*meetingView, error) {
	d, err := h.showData(r.Context(), m, directiveForm{})
	if err != nil {
		return nil, err
	}
	v := &meetingView{Meeting: m, Directives: d.Directives, Snapshots: d.Snapshots, Photos: d.Photos, FollowUp: d.FollowUp, News: d.News,
		Links: meetingLink{Page: meetingURL(m.ID), Agenda: meetingURL(m.ID) + "/agenda"}}
	if v.Directives == nil {
		v.Directives = []Task{}
	}
	if m.Held() {
		v.Links.NewsHTML, v.Links.NewsDOCX = meetingURL(m.ID)+"/news.html", meetingURL(m.ID)+"/news.docx"
	}
	return v, nil
}

func (h *Handler) apiMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	v, err := h.meetingView(r, m)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *Handler) apiMeetingCreate(w http.ResponseWriter, r *http.Request) error {
	var in MeetingInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.Service.CreateMeeting(r.Context(), in)
	if err != nil {
		return err
	}
	v, err := h.meetingView(r, m)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, v)
}

func (h *Handler) apiMeetingUpdate(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	// PATCH: start from the stored meeting, apply what the body gives; a
	// body without "version" skips the lost-update check.
	in := m.Input()
	in.Version = nil
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err = h.Service.UpdateMeeting(r.Context(), m.ID, in)
	if err != nil {
		return err
	}
	v, err := h.meetingView(r, m)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

// versionBody is the optional body of actions: the version acted on.
type versionBody struct {
	Version *int64 `json:"version"`
}

func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := web.DecodeJSON(w, r, v)
	if e, ok := apperr.As(err); ok && e.Key == "err.json_empty" {
		return nil
	}
	return err
}

func (h *Handler) apiHold(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var body versionBody
	if err := decodeOptional(w, r, &body); err != nil {
		return err
	}
	m, err := h.Service.Hold(r.Context(), id, body.Version)
	if err != nil {
		return err
	}
	v, err := h.meetingView(r, m)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *Handler) apiDirective(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in DirectiveInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := h.Service.AddDirective(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, t)
}

func (h *Handler) apiTasks(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := TaskFilter{Status: TaskStatus(q.Get("status")), Source: Source(q.Get("source"))}
	var fe apperr.Fields
	if f.Status != "" && !f.Status.Valid() {
		fe.Add("status", "err.bad_choice", string(f.Status))
	}
	if f.Source != "" && f.Source != FromDirective && f.Source != FromPlan {
		fe.Add("source", "err.bad_choice", string(f.Source))
	}
	for name, dst := range map[string]*int64{"unit": &f.UnitID, "meeting": &f.MeetingID, "bloc": &f.BlocID} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				fe.Add(name, "err.not_a_number", s)
			}
			*dst = n
		}
	}
	switch q.Get("overdue") {
	case "", "0", "false":
	case "1", "true":
		f.Overdue = true
	default:
		fe.Add("overdue", "err.bad_choice", q.Get("overdue"))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	list, err := h.Service.Tasks(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []Task{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list, "today": h.Service.Today()})
}

func (h *Handler) apiTask(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, t)
}

func (h *Handler) apiTaskUpdate(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	in := t.Input()
	in.Version = nil
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err = h.Service.UpdateTask(r.Context(), t.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, t)
}

func (h *Handler) apiTaskProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in UpdateInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := h.Service.PostUpdate(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, t)
}
