package reporting

import (
	"time"

	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// State is a unit's place in the completeness matrix of a period.
type State string

// Completeness states, in the order the matrix shows them.
const (
	NotStarted    State = "not_started"
	InDraft       State = "draft"
	OnTime        State = "submitted_on_time"
	SubmittedLate State = "submitted_late"
	WasReturned   State = "returned"
	IsApproved    State = "approved"
)

// States lists the states in matrix order.
var States = []State{NotStarted, InDraft, OnTime, SubmittedLate, WasReturned, IsApproved}

// Classify places a report in the matrix; nil is a unit that has not
// started.
func Classify(r *Report) State {
	if r == nil {
		return NotStarted
	}
	switch r.Status {
	case Submitted:
		if r.Late {
			return SubmittedLate
		}
		return OnTime
	case Returned:
		return WasReturned
	case Approved:
		return IsApproved
	}
	return InDraft
}

// Counted tells whether the state counts as reported (sent, whether or not
// approved yet).
func (s State) Counted() bool { return s == OnTime || s == SubmittedLate || s == IsApproved }

// NeedsReminder tells whether the unit has something to do: start, finish
// or correct its report.
func (s State) NeedsReminder() bool { return s == NotStarted || s == InDraft || s == WasReturned }

// Row is one unit of the completeness matrix.
type Row struct {
	UnitID           int64      `json:"unit_id"`
	UnitName         string     `json:"unit_name"`
	OrganisationID   int64      `json:"organisation_id"`
	OrganisationName string     `json:"organisation_name"`
	AreaID           int64      `json:"area_id"`
	AreaName         string     `json:"area_name"`
	State            State      `json:"state"`
	Late             bool       `json:"late"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	ReturnComment    string     `json:"return_comment,omitempty"`
	// Overdue: the deadline has passed and the unit still has to act.
	Overdue bool `json:"overdue"`
}

// Rate is the completeness of a group of units.
type Rate struct {
	Key      int64         `json:"id"`
	Name     string        `json:"name"`
	Units    int           `json:"units"`
	Reported int           `json:"reported"` // sent (on time or late) or approved
	OnTime   int           `json:"on_time"`  // reported, not late
	Approved int           `json:"approved"`
	Counts   map[State]int `json:"counts"`
}

// Completeness is the share of units that reported.
func (r Rate) Completeness() (num, den int64) { return int64(r.Reported), int64(r.Units) }

// Timeliness is the share of units that reported on time.
func (r Rate) Timeliness() (num, den int64) { return int64(r.OnTime), int64(r.Units) }

// CompletenessText is Completeness as "87,5%" ("—" for an empty group).
func (r Rate) CompletenessText() string { return vn.FormatPercent(r.Completeness()) }

// TimelinessText is Timeliness as "87,5%".
func (r Rate) TimelinessText() string { return vn.FormatPercent(r.Timeliness()) }

func (r *Rate) add(row Row) {
	r.Units++
	if r.Counts == nil {
		r.Counts = map[State]int{}
	}
	r.Counts[row.State]++
	if row.State.Counted() {
		r.Reported++
		if !row.Late {
			r.OnTime++
		}
	}
	if row.State == IsApproved {
		r.Approved++
	}
}

// Summary is the completeness of a bloc for a period.
type Summary struct {
	Period   string    `json:"period"`
	Deadline time.Time `json:"deadline"`
	Rows     []Row     `json:"rows"`
	Total    Rate      `json:"total"`
	ByOrg    []Rate    `json:"by_organisation"`
	ByArea   []Rate    `json:"by_area"`
	Remind   []Row     `json:"remind"`
}

// Summarize builds the rates and the reminder list from the rows (in the
// order given: groups appear in the order of their first unit). now and the
// deadline (a date, see period.Settings) decide which units are overdue.
func Summarize(p period.Period, s period.Settings, rows []Row, now time.Time) Summary {
	sum := Summary{Period: p.Code(), Deadline: s.DeadlineOf(p)}
	late := s.Late(p, now)
	orgIdx, areaIdx := map[int64]int{}, map[int64]int{}
	for _, row := range rows {
		row.Overdue = late && row.State.NeedsReminder()
		sum.Rows = append(sum.Rows, row)
		sum.Total.add(row)
		i, ok := orgIdx[row.OrganisationID]
		if !ok {
			i = len(sum.ByOrg)
			orgIdx[row.OrganisationID] = i
			sum.ByOrg = append(sum.ByOrg, Rate{Key: row.OrganisationID, Name: row.OrganisationName})
		}
		sum.ByOrg[i].add(row)
		j, ok := areaIdx[row.AreaID]
		if !ok {
			j = len(sum.ByArea)
			areaIdx[row.AreaID] = j
			sum.ByArea = append(sum.ByArea, Rate{Key: row.AreaID, Name: row.AreaName})
		}
		sum.ByArea[j].add(row)
		if row.State.NeedsReminder() {
			sum.Remind = append(sum.Remind, row)
		}
	}
	return sum
}
