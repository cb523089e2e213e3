// Package reporting holds what units report: the values of each unit for
// each period, the narrative sections, the submit/approve workflow, the
// annual plan (targets), the bloc's period settings (cut-off, deadline) and
// completeness. The indicator room says what may be reported; this room
// keeps what was reported.
//
// Every change goes through the Service, which checks scope
// (auth.Principal.CanActForUnit), writes the audit log in the same
// transaction and refuses lost updates: each value carries a version, a save
// names the version it started from, and a save over someone else's newer
// change is refused with both values named.
package reporting

import (
	"time"
)

// Status is where a report stands in the workflow.
type Status string

// Report statuses. A unit that has not saved anything has no report row;
// it is treated as a draft that does not exist yet (see NotStarted).
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Returned  Status = "returned"
	Approved  Status = "approved"
)

// Statuses lists the statuses of a stored report.
var Statuses = []Status{Draft, Submitted, Returned, Approved}

// Valid tells whether s is a stored status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Editable tells whether values and narratives may be saved in status s.
func (s Status) Editable() bool { return s == Draft || s == Returned || s == "" }

// Report is one unit's report for one period.
type Report struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Period string `json:"period"`
	FormID *int64 `json:"form_id"`
	Status Status `json:"status"`
	// FirstSubmittedAt decides timeliness: a report first sent on time and
	// resubmitted after a return stays on time.
	FirstSubmittedAt *time.Time `json:"first_submitted_at"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	SubmittedBy      *int64     `json:"submitted_by"`
	Late             bool       `json:"late"`
	ApprovedAt       *time.Time `json:"approved_at"`
	ApprovedBy       *int64     `json:"approved_by"`
	ReturnComment    string     `json:"return_comment"`
	Version          int64      `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	// Read-only context.
	UnitName      string `json:"unit_name"`
	SubmittedName string `json:"submitted_by_name,omitempty"`
	ApprovedName  string `json:"approved_by_name,omitempty"`
}

// Value is one stored cell: a unit's value of an indicator (one option of
// its disaggregation, or "" for the value itself) for a period.
type Value struct {
	UnitID        int64     `json:"unit_id"`
	Period        string    `json:"period"`
	IndicatorID   int64     `json:"indicator_id"`
	IndicatorCode string    `json:"indicator"`
	Option        string    `json:"option"`
	Num           *int64    `json:"value_num"`
	Text          *string   `json:"value_text"`
	Version       int64     `json:"version"`
	UpdatedAt     time.Time `json:"updated_at"`
	UpdatedBy     *int64    `json:"updated_by"`
	UpdatedByName string    `json:"updated_by_name"`
}

// Empty tells whether the cell holds no value.
func (v Value) Empty() bool { return v.Num == nil && (v.Text == nil || *v.Text == "") }

// same tells whether two stored values are equal (both empty counts as equal).
func sameValue(aNum *int64, aText *string, bNum *int64, bText *string) bool {
	aEmpty := aNum == nil && (aText == nil || *aText == "")
	bEmpty := bNum == nil && (bText == nil || *bText == "")
	if aEmpty || bEmpty {
		return aEmpty && bEmpty
	}
	if (aNum == nil) != (bNum == nil) || aNum != nil && *aNum != *bNum {
		return false
	}
	at, bt := "", ""
	if aText != nil {
		at = *aText
	}
	if bText != nil {
		bt = *bText
	}
	return at == bt
}

// Narrative is a free-text section of a report, stored as sanitised HTML.
type Narrative struct {
	Section       string    `json:"section"`
	HTML          string    `json:"html"`
	Version       int64     `json:"version"`
	UpdatedAt     time.Time `json:"updated_at"`
	UpdatedByName string    `json:"updated_by_name"`
}

// Event is one workflow transition of a report.
type Event struct {
	ID       int64     `json:"id"`
	ReportID int64     `json:"report_id"`
	Action   Action    `json:"action"`
	From     Status    `json:"from"`
	To       Status    `json:"to"`
	UserID   *int64    `json:"user_id"`
	Username string    `json:"username"`
	FullName string    `json:"full_name"`
	At       time.Time `json:"at"`
	Comment  string    `json:"comment"`
}

// Target is a value of the annual plan: for one unit, or for the bloc of
// an area (the bloc total).
type Target struct {
	ID            int64  `json:"id"`
	Year          int    `json:"year"`
	IndicatorID   int64  `json:"indicator_id"`
	IndicatorCode string `json:"indicator"`
	UnitID        *int64 `json:"unit_id"`
	AreaID        *int64 `json:"area_id"`
	Value         int64  `json:"value"`
}
