package meeting

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

func (h *Handler) taskRoutes(rt *web.Router) {
	rt.Handle("GET", "/tasks", auth.PermAuthenticated, h.boardPage)
	rt.Handle("GET", "/tasks/mine", auth.PermTaskUpdate, h.minePage)
	rt.Handle("GET", "/tasks/new", auth.PermMeetingManage, h.taskNewPage)
	rt.Handle("POST", "/tasks", auth.PermMeetingManage, h.taskCreate)
	rt.Handle("GET", "/tasks/{id}", auth.PermAuthenticated, h.taskPage)
	rt.Handle("GET", "/tasks/{id}/edit", auth.PermMeetingManage, h.taskEditPage)
	rt.Handle("POST", "/tasks/{id}", auth.PermMeetingManage, h.taskSave)
	rt.Handle("POST", "/tasks/{id}/updates", auth.PermTaskUpdate, h.taskUpdate)
	rt.Handle("GET", "/tasks/{id}/evidence/{eid}", auth.PermAuthenticated, h.evidence)
}

// boardFilter is the board's filter as the query gives it.
type boardFilter struct {
	Status, Source string
	Unit, Meeting  int64
	Bloc           int64
	Overdue        bool
}

type boardData struct {
	Tasks     []Task
	Filter    boardFilter
	Units     []option
	Meetings  []Meeting
	Blocs     []org.Bloc
	Statuses  []TaskStatus
	CanCreate bool
	Overdue   int
}

func readBoardFilter(r *http.Request) (boardFilter, TaskFilter) {
	q := r.URL.Query()
	b := boardFilter{Status: q.Get("status"), Source: q.Get("source"), Overdue: q.Get("overdue") != ""}
	b.Unit, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	b.Meeting, _ = strconv.ParseInt(q.Get("meeting"), 10, 64)
	b.Bloc, _ = strconv.ParseInt(q.Get("bloc"), 10, 64)
	if !TaskStatus(b.Status).Valid() {
		b.Status = ""
	}
	if b.Source != string(FromDirective) && b.Source != string(FromPlan) {
		b.Source = ""
	}
	return b, TaskFilter{Status: TaskStatus(b.Status), Source: Source(b.Source), UnitID: b.Unit, MeetingID: b.Meeting, BlocID: b.Bloc, Overdue: b.Overdue}
}

func (h *Handler) boardPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	bf, tf := readBoardFilter(r)
	d := boardData{Filter: bf, Statuses: TaskStatuses}
	var err error
	if d.Tasks, err = h.Service.Tasks(ctx, tf); err != nil {
		return err
	}
	for _, t := range d.Tasks {
		if t.Overdue {
			d.Overdue++
		}
	}
	if d.Units, err = h.Service.ownerOptions(ctx); err != nil {
		return err
	}
	if d.Meetings, err = h.Service.Meetings(ctx, MeetingFilter{Status: Held}); err != nil {
		return err
	}
	if d.Blocs, err = h.Service.VisibleBlocs(ctx); err != nil {
		return err
	}
	managed, err := h.Service.ManagedBlocs(ctx)
	if err != nil {
		return err
	}
	d.CanCreate = len(managed) > 0
	return h.page(w, r, "meeting/tasks.html", "meeting.tasks.title", "", d, nil)
}

// ownerOptions lists the units that own a task the user may see.
func (s *Service) ownerOptions(ctx context.Context) ([]option, error) {
	blocs, err := s.VisibleBlocs(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, b := range blocs {
		ids = append(ids, b.ID)
	}
	var w where
	w.in("t.bloc_id", ids)
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT u.id, u.name, a.path FROM task_owners o JOIN tasks t ON t.id = o.task_id
		JOIN units u ON u.id = o.unit_id JOIN areas a ON a.id = u.area_id`+w.String()+` ORDER BY a.path, u.name`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("meeting: owner units: %w", err)
	}
	defer rows.Close()
	var out []option
	for rows.Next() {
		var id int64
		var name, path string
		if err := rows.Scan(&id, &name, &path); err != nil {
			return nil, fmt.Errorf("meeting: owner units: %w", err)
		}
		out = append(out, option{Value: strconv.FormatInt(id, 10), Label: name})
	}
	return out, rows.Err()
}

type mineData struct {
	Unit     *org.Unit
	Tasks    []Task
	Overdue  int
	Statuses []TaskStatus
}

func (h *Handler) minePage(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	d := mineData{Statuses: TaskStatuses}
	if p.UnitID != 0 {
		u, err := h.Service.Org.Unit(r.Context(), p.UnitID)
		if err != nil {
			return err
		}
		d.Unit = u
		all, err := h.Service.Tasks(r.Context(), TaskFilter{UnitID: p.UnitID})
		if err != nil {
			return err
		}
		for _, t := range all {
			if t.Status == Cancelled {
				continue
			}
			if t.Overdue {
				d.Overdue++
			}
			d.Tasks = append(d.Tasks, t)
		}
	}
	return h.page(w, r, "meeting/mine.html", "meeting.mine.title", "", d, nil)
}

// taskForm is the task form as shown.
type taskForm struct {
	ID, Version                            int64
	BlocID                                 int64
	Source                                 Source
	Title, Description, Deadline, PlanYear string
	Status, Progress                       string
	Owners                                 map[int64]bool
}

type taskFormData struct {
	F        taskForm
	Blocs    []org.Bloc
	Members  []org.Unit
	Others   []org.Unit
	Statuses []TaskStatus
}

func (h *Handler) renderTaskForm(w http.ResponseWriter, r *http.Request, tf taskForm, formErr error) error {
	ctx := r.Context()
	blocs, err := h.Service.ManagedBlocs(ctx)
	if err != nil {
		return err
	}
	d := taskFormData{F: tf, Blocs: blocs, Statuses: TaskStatuses}
	var bloc *org.Bloc
	for i := range blocs {
		if blocs[i].ID == tf.BlocID {
			bloc = &blocs[i]
		}
	}
	if bloc == nil && len(blocs) > 0 && tf.ID == 0 {
		bloc = &blocs[0]
		d.F.BlocID = bloc.ID
	}
	if bloc != nil {
		units, err := h.Service.Org.BlocUnits(ctx, bloc.ID)
		if err != nil {
			return err
		}
		for _, u := range units {
			if u.AreaID == bloc.AreaID {
				d.Members = append(d.Members, u)
			} else {
				d.Others = append(d.Others, u)
			}
		}
	}
	titleKey := "meeting.task.new"
	if tf.ID != 0 {
		titleKey = "meeting.task.edit"
	}
	return h.page(w, r, "meeting/task_form.html", titleKey, "", d, formErr)
}

func (h *Handler) taskNewPage(w http.ResponseWriter, r *http.Request) error {
	bloc, _ := strconv.ParseInt(r.URL.Query().Get("bloc"), 10, 64)
	year := strconv.Itoa(h.Service.now().In(Vietnam).Year())
	return h.renderTaskForm(w, r, taskForm{BlocID: bloc, Source: FromPlan, PlanYear: year, Owners: map[int64]bool{}}, nil)
}

func readTaskForm(r *http.Request) (taskForm, TaskInput, *form) {
	f := &form{r: r}
	tf := taskForm{BlocID: f.id("bloc_id"), Title: f.text("title"), Description: r.PostFormValue("description"),
		Deadline: f.text("deadline"), PlanYear: f.text("plan_year"), Status: f.text("status"), Progress: f.text("progress"),
		Owners: map[int64]bool{}}
	if v := f.version("version"); v != nil {
		tf.Version = *v
	}
	in := TaskInput{BlocID: tf.BlocID, Title: tf.Title, Description: tf.Description, OwnerIDs: f.ids("owner_ids"),
		Deadline: f.date("deadline"), Status: TaskStatus(tf.Status), Progress: f.int("progress", 0), Version: f.version("version")}
	if tf.PlanYear != "" {
		y := f.int("plan_year", 0)
		in.PlanYear = &y
	}
	for _, id := range in.OwnerIDs {
		tf.Owners[id] = true
	}
	return tf, in, f
}

func (h *Handler) taskCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	tf, in, f := readTaskForm(r)
	tf.Source = FromPlan
	if len(f.fe) > 0 {
		return h.renderTaskForm(w, r, tf, f.fe.Err())
	}
	t, err := h.Service.CreateTask(r.Context(), in)
	if err != nil {
		return h.renderTaskForm(w, r, tf, f.merge(err))
	}
	return web.Redirect(w, r, taskURL(t.ID), "form.saved")
}

func (h *Handler) task(r *http.Request) (*Task, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Service.Task(r.Context(), id)
}

func taskFormOf(t *Task) taskForm {
	tf := taskForm{ID: t.ID, Version: t.Version, BlocID: t.BlocID, Source: t.Source, Title: t.Title, Description: t.Description,
		Deadline: vn.FormatDate(t.Deadline.Time), Status: string(t.Status), Progress: strconv.Itoa(t.Progress), Owners: map[int64]bool{}}
	if t.PlanYear != nil {
		tf.PlanYear = strconv.Itoa(*t.PlanYear)
	}
	for _, o := range t.Owners {
		tf.Owners[o.UnitID] = true
	}
	return tf
}

func (h *Handler) taskEditPage(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	if !CanManageTask(r.Context(), t) {
		return apperr.New(apperr.Forbidden, "meeting.err.not_manager")
	}
	return h.renderTaskForm(w, r, taskFormOf(t), nil)
}

func (h *Handler) taskSave(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	if !CanManageTask(r.Context(), t) {
		return apperr.New(apperr.Forbidden, "meeting.err.not_manager")
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	tf, in, f := readTaskForm(r)
	tf.ID, tf.BlocID, tf.Source = t.ID, t.BlocID, t.Source
	in.BlocID = t.BlocID
	if len(f.fe) > 0 {
		return h.renderTaskForm(w, r, tf, f.fe.Err())
	}
	if _, err := h.Service.UpdateTask(r.Context(), t.ID, in); err != nil {
		return h.renderTaskForm(w, r, tf, f.merge(err))
	}
	return web.Redirect(w, r, taskURL(t.ID), "form.saved")
}

// updateForm is the progress form as shown.
type updateForm struct {
	Status, Progress, Note, EvidenceNote, ReportUnit, ReportPeriod string
}

type taskData struct {
	T         *Task
	CanUpdate bool
	CanManage bool
	U         updateForm
	Statuses  []TaskStatus
	Next      string
	Periods   []periodChoice
}

func (h *Handler) renderTask(w http.ResponseWriter, r *http.Request, t *Task, uf *updateForm, formErr error) error {
	d := taskData{T: t, CanUpdate: CanUpdate(r.Context(), t), CanManage: CanManageTask(r.Context(), t), Statuses: TaskStatuses}
	if uf != nil {
		d.U = *uf
	} else {
		d.U = updateForm{Status: string(t.Status), Progress: strconv.Itoa(t.Progress)}
		if p := principalOf(r); p.UnitID != 0 && t.HasOwner(p.UnitID) {
			d.U.ReportUnit = strconv.FormatInt(p.UnitID, 10)
		}
	}
	d.Periods = periodChoices(h.Service.choiceYear(d.U.ReportPeriod))
	return h.page(w, r, "meeting/task.html", "", t.Title, d, formErr)
}

func (h *Handler) taskPage(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	return h.renderTask(w, r, t, nil, nil)
}

func (h *Handler) taskUpdate(w http.ResponseWriter, r *http.Request) error {
	t, err := h.task(r)
	if err != nil {
		return err
	}
	if err := parseBody(w, r, MaxEvidenceBytes+(1<<20)); err != nil {
		return err
	}
	f := &form{r: r}
	uf := updateForm{Status: f.text("status"), Progress: f.text("progress"), Note: r.PostFormValue("note"),
		EvidenceNote: r.PostFormValue("evidence_note"), ReportUnit: f.text("report_unit_id"), ReportPeriod: f.text("report_period")}
	in := UpdateInput{Status: TaskStatus(uf.Status), Note: uf.Note, EvidenceNote: uf.EvidenceNote, ReportPeriod: uf.ReportPeriod, Version: f.version("version")}
	if uf.Progress != "" {
		p := f.int("progress", t.Progress)
		in.Progress = &p
	}
	if in.ReportPeriod != "" {
		id := f.id("report_unit_id")
		in.ReportUnitID = &id
	}
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			if fhs[0].Size > MaxEvidenceBytes {
				f.fe.Add("file", "meeting.err.file_size", MaxEvidenceBytes>>20)
			} else {
				fd, err := fhs[0].Open()
				if err != nil {
					return err
				}
				b, err := io.ReadAll(io.LimitReader(fd, MaxEvidenceBytes+1))
				fd.Close()
				if err != nil {
					return err
				}
				in.File = &FileInput{Name: fhs[0].Filename, Data: b}
			}
		}
	}
	next := safeNext(r.PostFormValue("next"), taskURL(t.ID))
	if len(f.fe) > 0 {
		return h.renderTask(w, r, t, &uf, f.fe.Err())
	}
	if _, err := h.Service.PostUpdate(r.Context(), t.ID, in); err != nil {
		return h.renderTask(w, r, t, &uf, f.merge(err))
	}
	return web.Redirect(w, r, next, "meeting.task.updated")
}

func (h *Handler) evidence(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := web.PathID(r, "eid")
	if err != nil {
		return err
	}
	e, err := h.Service.EvidenceFile(r.Context(), id, eid)
	if err != nil {
		return err
	}
	ctype := e.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", attachment(e.FileName))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Data)))
	_, err = w.Write(e.Data)
	return err
}
