// Package meeting is the review meeting (hội nghị giao ban) of a bloc and
// what comes out of it: the meeting itself (type, period under review, date
// and time, place, chair, attendees, agenda, minutes, conclusions, photos),
// the consolidated report frozen for it as numbered snapshots, the chair's
// directives (ý kiến chỉ đạo), each a task assigned to owner units with a
// deadline, the task board that follows directives and annual-plan tasks up
// to the next meeting, and the news article drafted from a held meeting.
//
// The consolidated report and the drafted results narrative come from the
// roll-up room: the application sets Service.Snapshot and Service.Results.
// Without them the snapshot button is hidden and the news draft uses the
// meeting's conclusions.
package meeting

import (
	"time"

	"giaoban/internal/platform/web"
)

// Kind is the type of meeting.
type Kind string

// Kinds of meeting.
const (
	Monthly   Kind = "monthly"   // giao ban tháng
	Quarterly Kind = "quarterly" // giao ban quý
	Thematic  Kind = "thematic"  // chuyên đề
)

// Kinds lists the kinds of meeting.
var Kinds = []Kind{Monthly, Quarterly, Thematic}

// Valid tells whether k is a kind of meeting.
func (k Kind) Valid() bool { return k == Monthly || k == Quarterly || k == Thematic }

// Status is where a meeting stands.
type Status string

// Statuses of a meeting: planned, then held.
const (
	Planned Status = "planned"
	Held    Status = "held"
)

// Person is someone named in a meeting: the chair or an attendee, with the
// title they hold and the body they come from (an external body such as the
// Party committee, or a unit of the Front).
type Person struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	BodyID *int64 `json:"body_id"`
	UnitID *int64 `json:"unit_id"`
	// BodyName is the name of the body or unit (read-only).
	BodyName string `json:"body_name,omitempty"`
}

// Set tells whether the person has a name.
func (p Person) Set() bool { return p.Name != "" }

// Label is "Kpă Ngun - Phó Bí thư Thường trực Huyện ủy", the way articles
// name someone.
func (p Person) Label() string {
	if p.Title == "" {
		return p.Name
	}
	return p.Name + " - " + p.Title
}

// Kinds of attendee.
const (
	AttendeePerson = "person"
	AttendeeUnit   = "unit"
	AttendeeBody   = "body"
)

// Attendee is a person, a unit of the Front or an external body (its
// leaders) attending a meeting.
type Attendee struct {
	Kind   string `json:"kind"`
	Name   string `json:"name,omitempty"`
	Title  string `json:"title,omitempty"`
	UnitID *int64 `json:"unit_id,omitempty"`
	BodyID *int64 `json:"body_id,omitempty"`
	// Read-only context.
	UnitName     string `json:"unit_name,omitempty"`
	BodyName     string `json:"body_name,omitempty"`
	BodyShort    string `json:"body_short,omitempty"`
	BodyKind     string `json:"body_kind,omitempty"`
	BodyParent   string `json:"body_parent,omitempty"` // short name of the parent body
	BodyParentID *int64 `json:"-"`
}

// Label is how the attendee is listed.
func (a Attendee) Label() string {
	switch a.Kind {
	case AttendeeUnit:
		return a.UnitName
	case AttendeeBody:
		return a.BodyName
	}
	s := a.Name
	if a.Title != "" {
		s += " - " + a.Title
	}
	if a.BodyName != "" && a.Title == "" {
		s += " (" + a.BodyName + ")"
	}
	return s
}

// Meeting is a review meeting of a bloc.
type Meeting struct {
	ID       int64  `json:"id"`
	BlocID   int64  `json:"bloc_id"`
	BlocName string `json:"bloc_name"`
	Kind     Kind   `json:"kind"`
	Title    string `json:"title"`
	// Period is the code of the period under review ("2021Q3"), "" for a
	// thematic meeting about no period.
	Period   string     `json:"period"`
	StartsAt *time.Time `json:"starts_at"`
	Place    string     `json:"place"`
	// Purpose is the "nhằm …" of the article's lead; empty means the
	// default one for the kind and period.
	Purpose   string     `json:"purpose"`
	Chair     Person     `json:"chair"`
	Attendees []Attendee `json:"attendees"`
	Agenda    []string   `json:"agenda"`
	// Minutes and Conclusions are sanitised HTML.
	Minutes     string     `json:"minutes"`
	Conclusions string     `json:"conclusions"`
	Status      Status     `json:"status"`
	HeldAt      *time.Time `json:"held_at"`
	Version     int64      `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// blocPath is the materialised path of the bloc's area, for scope checks.
	blocPath string
	blocArea int64
}

// Held tells whether the meeting took place.
func (m *Meeting) Held() bool { return m.Status == Held }

// Local is the meeting's start in Vietnam's time, nil when unset.
func (m *Meeting) Local() *time.Time {
	if m.StartsAt == nil {
		return nil
	}
	t := m.StartsAt.In(Vietnam)
	return &t
}

// Vietnam is the time zone of meetings and deadlines (the one users see).
var Vietnam = web.Local

// MeetingInput creates or changes a meeting. A PATCH starts from the
// stored meeting (Input) and applies the body on top.
type MeetingInput struct {
	BlocID      int64      `json:"bloc_id"`
	Kind        Kind       `json:"kind"`
	Title       string     `json:"title"`
	Period      string     `json:"period"`
	StartsAt    *time.Time `json:"starts_at"`
	Place       string     `json:"place"`
	Purpose     string     `json:"purpose"`
	Chair       Person     `json:"chair"`
	Attendees   []Attendee `json:"attendees"`
	Agenda      []string   `json:"agenda"`
	Minutes     string     `json:"minutes"`
	Conclusions string     `json:"conclusions"`
	// Version is the version the change starts from; a different stored
	// version refuses the change (someone else saved in between). Omitted
	// (nil) skips the check.
	Version *int64 `json:"version,omitempty"`
}

// Input returns the meeting as an input, for PATCH.
func (m *Meeting) Input() MeetingInput {
	v := m.Version
	in := MeetingInput{BlocID: m.BlocID, Kind: m.Kind, Title: m.Title, Period: m.Period, StartsAt: m.StartsAt,
		Place: m.Place, Purpose: m.Purpose, Chair: m.Chair, Agenda: append([]string(nil), m.Agenda...),
		Minutes: m.Minutes, Conclusions: m.Conclusions, Version: &v}
	in.Chair.BodyName = ""
	for _, a := range m.Attendees {
		in.Attendees = append(in.Attendees, Attendee{Kind: a.Kind, Name: a.Name, Title: a.Title, UnitID: a.UnitID, BodyID: a.BodyID})
	}
	return in
}

// Photo is a picture of the meeting (its bytes only when asked for).
type Photo struct {
	ID          int64     `json:"id"`
	MeetingID   int64     `json:"meeting_id"`
	Caption     string    `json:"caption"`
	ContentType string    `json:"content_type"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Size        int64     `json:"size"`
	UploadedAt  time.Time `json:"uploaded_at"`
	Data        []byte    `json:"-"`
}

// URL is where the photo is served.
func (p Photo) URL() string { return photoURL(p.MeetingID, p.ID) }

// Snapshot is the consolidated report frozen for a meeting.
type Snapshot struct {
	MeetingID   int64     `json:"meeting_id"`
	Version     int64     `json:"version"`
	TakenAt     time.Time `json:"taken_at"`
	TakenByName string    `json:"taken_by"`
	BlocID      int64     `json:"bloc_id"`
	Period      string    `json:"period"`
	Title       string    `json:"title"`
	// HTML and JSON are filled when one snapshot is read.
	HTML string `json:"html,omitempty"`
	JSON string `json:"json,omitempty"`
}
