package meeting

import (
	"time"

	"giaoban/internal/period"
	"giaoban/internal/platform/db"
)

// Source says where a task comes from.
type Source string

// Sources of a task.
const (
	FromDirective Source = "directive" // ý kiến chỉ đạo of a held meeting
	FromPlan      Source = "plan"      // a task of the annual plan
)

// TaskStatus is where a task stands.
type TaskStatus string

// Task statuses.
const (
	Open       TaskStatus = "open"
	InProgress TaskStatus = "in_progress"
	Done       TaskStatus = "done"
	Cancelled  TaskStatus = "cancelled"
)

// TaskStatuses lists the statuses in the order of the board's filter.
var TaskStatuses = []TaskStatus{Open, InProgress, Done, Cancelled}

// Valid tells whether s is a task status.
func (s TaskStatus) Valid() bool {
	return s == Open || s == InProgress || s == Done || s == Cancelled
}

// Finished tells whether nothing more is expected of the task.
func (s TaskStatus) Finished() bool { return s == Done || s == Cancelled }

// Owner is a unit a task is assigned to.
type Owner struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	path   string
}

// Task is a directive of a meeting or a task of the annual plan, assigned
// to owner units with a deadline.
type Task struct {
	ID       int64  `json:"id"`
	BlocID   int64  `json:"bloc_id"`
	BlocName string `json:"bloc_name"`
	Source   Source `json:"source"`
	// MeetingID is the meeting whose directive this is (directives only).
	MeetingID    *int64     `json:"meeting_id"`
	MeetingTitle string     `json:"meeting_title,omitempty"`
	MeetingAt    *time.Time `json:"meeting_at,omitempty"`
	// Seq is the directive's place in its meeting (1, 2, …).
	Seq         int        `json:"seq"`
	PlanYear    *int       `json:"plan_year,omitempty"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Owners      []Owner    `json:"owners"`
	Deadline    db.Date    `json:"deadline"`
	Status      TaskStatus `json:"status"`
	Progress    int        `json:"progress"`
	DoneOn      db.Date    `json:"done_on"`
	Version     int64      `json:"version"`
	// Overdue: the deadline has passed (before today, or before the day the
	// list is computed for) and the task is not finished.
	Overdue   bool      `json:"overdue"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Filled for one task.
	Updates  []Update   `json:"updates,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	blocPath string
}

// OwnerNames lists the owners' names.
func (t *Task) OwnerNames() []string {
	out := make([]string, len(t.Owners))
	for i, o := range t.Owners {
		out[i] = o.Name
	}
	return out
}

// HasOwner tells whether the unit is one of the task's owners.
func (t *Task) HasOwner(unitID int64) bool {
	for _, o := range t.Owners {
		if o.UnitID == unitID {
			return true
		}
	}
	return false
}

// overdueOn tells whether the task is late on day d.
func (t *Task) overdueOn(d db.Date) bool {
	return !t.Status.Finished() && t.Deadline.Valid() && t.Deadline.Before(d.Time)
}

// TaskInput creates or changes a task. Directives are created through
// DirectiveInput; a PATCH starts from the stored task (Input).
type TaskInput struct {
	BlocID      int64      `json:"bloc_id"`
	PlanYear    *int       `json:"plan_year"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	OwnerIDs    []int64    `json:"owner_ids"`
	Deadline    db.Date    `json:"deadline"`
	Status      TaskStatus `json:"status"`
	Progress    int        `json:"progress"`
	// Version the change starts from; nil skips the lost-update check.
	Version *int64 `json:"version,omitempty"`
}

// Input returns the task as an input, for PATCH.
func (t *Task) Input() TaskInput {
	v := t.Version
	in := TaskInput{BlocID: t.BlocID, PlanYear: t.PlanYear, Title: t.Title, Description: t.Description,
		Deadline: t.Deadline, Status: t.Status, Progress: t.Progress, Version: &v}
	for _, o := range t.Owners {
		in.OwnerIDs = append(in.OwnerIDs, o.UnitID)
	}
	return in
}

// DirectiveInput records a directive of a held meeting.
type DirectiveInput struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	OwnerIDs    []int64 `json:"owner_ids"`
	Deadline    db.Date `json:"deadline"`
}

// Update is one entry of a task's history: who, when, the status and
// progress it left the task in, and a note.
type Update struct {
	ID       int64      `json:"id"`
	At       time.Time  `json:"at"`
	UserName string     `json:"user"`
	UnitName string     `json:"unit,omitempty"`
	Status   TaskStatus `json:"status"`
	Progress int        `json:"progress"`
	Note     string     `json:"note"`
}

// Kinds of evidence.
const (
	EvidenceNote = "note"
	EvidenceFile = "file"
	EvidenceLink = "link"
)

// Evidence backs a task's progress: a note, a file, or a link to a unit's
// report for a period.
type Evidence struct {
	ID           int64     `json:"id"`
	TaskID       int64     `json:"task_id"`
	UpdateID     *int64    `json:"update_id"`
	Kind         string    `json:"kind"`
	Note         string    `json:"note,omitempty"`
	FileName     string    `json:"file_name,omitempty"`
	ContentType  string    `json:"content_type,omitempty"`
	Size         int64     `json:"size,omitempty"`
	ReportUnitID *int64    `json:"report_unit_id,omitempty"`
	ReportUnit   string    `json:"report_unit,omitempty"`
	ReportPeriod string    `json:"report_period,omitempty"`
	At           time.Time `json:"at"`
	UserName     string    `json:"user"`
	Data         []byte    `json:"-"`
}

// ReportPeriodLabel names the linked report's period for people in lang
// ("Quý III/2021", "Q3 2021"); a code that does not parse is shown as is.
func (e Evidence) ReportPeriodLabel(lang string) string {
	return period.CodeLabel(e.ReportPeriod, lang)
}

// URL is where the evidence is opened: the file's download or the report.
func (e Evidence) URL() string {
	switch e.Kind {
	case EvidenceFile:
		return evidenceURL(e.TaskID, e.ID)
	case EvidenceLink:
		if e.ReportUnitID != nil {
			return ReportPath(*e.ReportUnitID, e.ReportPeriod)
		}
	}
	return ""
}

// UpdateInput is a progress update on a task, with optional evidence.
type UpdateInput struct {
	// Status and Progress, when set, change the task.
	Status   TaskStatus `json:"status,omitempty"`
	Progress *int       `json:"progress,omitempty"`
	// Note goes to the task's history.
	Note string `json:"note"`
	// EvidenceNote is kept as evidence ("12 buổi tuyên truyền tại 10 xã…").
	EvidenceNote string `json:"evidence_note,omitempty"`
	// Report links a unit's report for a period as evidence.
	ReportUnitID *int64 `json:"report_unit_id,omitempty"`
	ReportPeriod string `json:"report_period,omitempty"`
	// File is evidence uploaded with the update (forms only).
	File *FileInput `json:"-"`
	// Version of the task the update starts from; nil skips the check.
	Version *int64 `json:"version,omitempty"`
}

// FileInput is an uploaded file.
type FileInput struct {
	Name string
	Data []byte
}

// TaskFilter selects tasks on the board; zero fields do not filter.
type TaskFilter struct {
	BlocID    int64
	Status    TaskStatus
	UnitID    int64
	MeetingID int64
	Source    Source
	Overdue   bool
	// Open keeps unfinished tasks only.
	Open  bool
	Limit int
}
