package reporting

import (
	"testing"
	"time"

	"giaoban/internal/period"
)

func TestClassify(t *testing.T) {
	at := time.Date(2021, 9, 10, 3, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		r    *Report
		want State
	}{
		{"no report", nil, NotStarted},
		{"draft", &Report{Status: Draft}, InDraft},
		{"submitted on time", &Report{Status: Submitted, SubmittedAt: &at}, OnTime},
		{"submitted late", &Report{Status: Submitted, Late: true, SubmittedAt: &at}, SubmittedLate},
		{"returned", &Report{Status: Returned, ReturnComment: "Thiếu số liệu"}, WasReturned},
		{"returned after a late submission", &Report{Status: Returned, Late: true}, WasReturned},
		{"approved", &Report{Status: Approved}, IsApproved},
		{"approved, sent late", &Report{Status: Approved, Late: true}, IsApproved},
	}
	for _, c := range cases {
		if got := Classify(c.r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSubmissionTimeliness: a report is on time when first sent on or
// before the deadline's date in Vietnam, late from the next day.
func TestSubmissionTimeliness(t *testing.T) {
	q3 := period.MustParse("2021Q3")
	def := period.DefaultSettings() // Q3 2021: cut-off 14/09, deadline 19/09
	early := period.Settings{Cutoff: period.CutoffRule{Day: 21, MonthsEarly: 1}, Deadline: period.DeadlineRule{DaysAfterCutoff: 3}}
	cases := []struct {
		name string
		s    period.Settings
		at   time.Time // in Vietnam
		late bool
	}{
		{"default, well before", def, vnTime(2021, 9, 1, 9, 0), false},
		{"default, last evening", def, vnTime(2021, 9, 19, 23, 59), false},
		{"default, next morning", def, vnTime(2021, 9, 20, 0, 1), true},
		{"bloc rule: meeting on 26/08, deadline 23/08", early, vnTime(2021, 8, 23, 17, 0), false},
		{"bloc rule: a day after", early, vnTime(2021, 8, 24, 8, 0), true},
	}
	for _, c := range cases {
		if got := lateAt(c.s, q3, c.at); got != c.late {
			t.Errorf("%s: late = %v, want %v", c.name, got, c.late)
		}
	}
	// 00:30 on 20/09 in Vietnam is still 19/09 in UTC: the zone decides.
	if !lateAt(def, q3, time.Date(2021, 9, 19, 17, 30, 0, 0, time.UTC)) {
		t.Error("late must be judged on Vietnam's date")
	}
}

func vnTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Vietnam)
}

func TestSummarize(t *testing.T) {
	q3 := period.MustParse("2021Q3")
	rows := []Row{
		{UnitID: 1, OrganisationID: 10, OrganisationName: "MTTQ", AreaID: 100, AreaName: "Huyện", State: IsApproved},
		{UnitID: 2, OrganisationID: 20, OrganisationName: "HND", AreaID: 100, AreaName: "Huyện", State: SubmittedLate, Late: true},
		{UnitID: 3, OrganisationID: 10, OrganisationName: "MTTQ", AreaID: 200, AreaName: "Xã A", State: OnTime},
		{UnitID: 4, OrganisationID: 20, OrganisationName: "HND", AreaID: 200, AreaName: "Xã A", State: WasReturned},
		{UnitID: 5, OrganisationID: 10, OrganisationName: "MTTQ", AreaID: 300, AreaName: "Xã B", State: InDraft},
		{UnitID: 6, OrganisationID: 20, OrganisationName: "HND", AreaID: 300, AreaName: "Xã B", State: NotStarted},
		{UnitID: 7, OrganisationID: 10, OrganisationName: "MTTQ", AreaID: 300, AreaName: "Xã B", State: IsApproved, Late: true},
	}
	before := Summarize(q3, period.DefaultSettings(), rows, vnTime(2021, 9, 15, 8, 0))
	after := Summarize(q3, period.DefaultSettings(), rows, vnTime(2021, 9, 25, 8, 0))
	tot := after.Total
	if tot.Units != 7 || tot.Reported != 4 || tot.OnTime != 2 || tot.Approved != 2 {
		t.Errorf("total %+v", tot)
	}
	if len(after.ByOrg) != 2 || after.ByOrg[0].Name != "MTTQ" || after.ByOrg[0].Units != 4 || after.ByOrg[0].Reported != 3 || after.ByOrg[0].OnTime != 2 {
		t.Errorf("by organisation %+v", after.ByOrg)
	}
	if len(after.ByArea) != 3 || after.ByArea[2].Name != "Xã B" || after.ByArea[2].Units != 3 || after.ByArea[2].Reported != 1 {
		t.Errorf("by area %+v", after.ByArea)
	}
	if len(after.Remind) != 3 || after.Remind[0].UnitID != 4 || after.Remind[1].UnitID != 5 || after.Remind[2].UnitID != 6 {
		t.Errorf("remind %+v", after.Remind)
	}
	for _, r := range before.Remind {
		if r.Overdue {
			t.Errorf("unit %d overdue before the deadline", r.UnitID)
		}
	}
	for _, r := range after.Remind {
		if !r.Overdue {
			t.Errorf("unit %d not overdue after the deadline", r.UnitID)
		}
	}
	if n, d := after.ByOrg[1].Completeness(); n != 1 || d != 3 {
		t.Errorf("HND completeness %d/%d", n, d)
	}
	if !after.Deadline.Equal(time.Date(2021, 9, 19, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("deadline %v", after.Deadline)
	}
}
