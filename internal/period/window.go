package period

import (
	"errors"
	"fmt"
	"time"
)

// CutoffRule says when the figures of a period are closed (thời gian chốt số
// liệu).
//
// With Day d > 1 a period's window runs from the d-th of the month before the
// period's first month to the (d−1)-th of the period's last month. With the
// default Day 15 (Nghị định 09/2019/NĐ-CP):
//
//	month 08/2021   15/07/2021–14/08/2021
//	quarter Q3 2021 15/06/2021–14/09/2021
//	S1 2021         15/12/2020–14/06/2021
//	N9 2021         15/12/2020–14/09/2021
//	year 2021       15/12/2020–14/12/2021
//
// Day 1 means no shift: the window is the calendar span (Q3 = 01/07–30/09).
// Day is limited to 1–28 so that every month has that day.
//
// MonthsEarly (0–2, default 0) moves the whole window that many months
// earlier, for blocs that close their figures well before the period ends:
// the seed's bloc held its Q3 2021 review on 26/08/2021, which fits
// CutoffRule{Day: 21, MonthsEarly: 1} (Q3 window 21/05/2021–20/08/2021).
//
// Windows of consecutive periods of one type always tile without gaps or
// overlaps, whatever the rule.
type CutoffRule struct {
	Day         int `json:"day"`
	MonthsEarly int `json:"months_early,omitzero"`
}

// DefaultCutoff is the rule of Nghị định 09/2019/NĐ-CP: the 15th to the 14th.
var DefaultCutoff = CutoffRule{Day: 15}

// MaxMonthsEarly bounds CutoffRule.MonthsEarly.
const MaxMonthsEarly = 2

// Validate checks the rule's ranges; the message is in Vietnamese.
func (r CutoffRule) Validate() error {
	var errs []error
	if r.Day < 1 || r.Day > 28 {
		errs = append(errs, fmt.Errorf("ngày chốt số liệu phải từ 1 đến 28 (đang là %d)", r.Day))
	}
	if r.MonthsEarly < 0 || r.MonthsEarly > MaxMonthsEarly {
		errs = append(errs, fmt.Errorf("số tháng chốt sớm phải từ 0 đến %d (đang là %d)", MaxMonthsEarly, r.MonthsEarly))
	}
	return errors.Join(errs...)
}

// Window returns the first and last dates (both inclusive, midnight UTC) of
// p's cut-off window under rule. If p or rule is invalid both are the zero
// time; validate settings when they are saved (see [Settings.Validate]).
func (p Period) Window(rule CutoffRule) (from, to time.Time) {
	if !p.Valid() || rule.Validate() != nil {
		return time.Time{}, time.Time{}
	}
	first, last := p.firstMonth()-rule.MonthsEarly, p.lastMonth()-rule.MonthsEarly
	if rule.Day == 1 {
		return date(p.Year, first, 1), date(p.Year, last+1, 0)
	}
	return date(p.Year, first-1, rule.Day), date(p.Year, last, rule.Day-1)
}

// InWindow reports whether the calendar date of t (in t's location) lies in
// p's window under rule.
func (p Period) InWindow(t time.Time, rule CutoffRule) bool {
	from, to := p.Window(rule)
	if from.IsZero() {
		return false
	}
	d := DateOf(t)
	return !d.Before(from) && !d.After(to)
}

// PeriodOf returns the period of type typ whose window under rule holds the
// calendar date of t (taken in t's location: pass t.In(zone) for instants).
// With the default rule: 20/09/2021 → 2021Q4 (quarter); 20/12/2021 → 202201
// (month), 2022Q1 (quarter), 2022S1, 2022; 14/12/2021 → 2021 (year),
// 15/12/2021 → 2022.
//
// ok is false when no period of that type holds the date — only possible for
// NineMonths, whose windows leave the rest of the year uncovered (default
// rule: 15/09–14/12) — or when typ or rule is invalid or the year falls
// outside [MinYear, MaxYear].
func PeriodOf(t time.Time, typ Type, rule CutoffRule) (Period, bool) {
	if !typ.Valid() || rule.Validate() != nil {
		return Period{}, false
	}
	y, mon, d := t.Date()
	// m is the calendar month whose "reporting month" holds the date.
	m := int(mon) + rule.MonthsEarly
	if rule.Day > 1 && d >= rule.Day {
		m++
	}
	y += (m - 1) / 12
	m = (m-1)%12 + 1

	var p Period
	switch typ {
	case Month:
		p = NewMonth(y, m)
	case Quarter:
		p = NewQuarter(y, (m-1)/3+1)
	case SixMonths:
		p = NewHalf(y, (m-1)/6+1)
	case NineMonths:
		if m > 9 {
			return Period{}, false
		}
		p = NewNineMonths(y)
	case Year:
		p = NewYear(y)
	}
	if !p.Valid() {
		return Period{}, false
	}
	return p, true
}

// DeadlineRule says when reports of a period are due: the last day of the
// cut-off window plus DaysAfterCutoff days.
//
// The decree fixes the cut-off but leaves the submission deadline to each
// reporting regime; regimes typically have lower levels report a few days
// after the 14th so that the level above can compile its own report around
// the 20th. The default, 5 days, makes the deadline the 19th of the period's
// last month with the default cut-off (Q3 2021: 19/09/2021).
type DeadlineRule struct {
	DaysAfterCutoff int `json:"days_after_cutoff"`
}

// DefaultDeadline is the default deadline rule: 5 days after the cut-off.
var DefaultDeadline = DeadlineRule{DaysAfterCutoff: 5}

// MaxDaysAfterCutoff bounds DeadlineRule.DaysAfterCutoff.
const MaxDaysAfterCutoff = 60

// Validate checks the rule's range; the message is in Vietnamese.
func (r DeadlineRule) Validate() error {
	if r.DaysAfterCutoff < 0 || r.DaysAfterCutoff > MaxDaysAfterCutoff {
		return fmt.Errorf("số ngày gửi báo cáo sau ngày chốt số liệu phải từ 0 đến %d (đang là %d)", MaxDaysAfterCutoff, r.DaysAfterCutoff)
	}
	return nil
}

// Deadline returns the due date of p's report: a date (midnight UTC), and a
// report submitted at any time on that date — in Vietnam's time zone — is on
// time (see [Settings.Late]). Zero time if p or a rule is invalid.
func (p Period) Deadline(c CutoffRule, d DeadlineRule) time.Time {
	if d.Validate() != nil {
		return time.Time{}
	}
	_, to := p.Window(c)
	if to.IsZero() {
		return time.Time{}
	}
	return to.AddDate(0, 0, d.DaysAfterCutoff)
}

// Settings are a bloc's reporting rules.
type Settings struct {
	Cutoff   CutoffRule   `json:"cutoff"`
	Deadline DeadlineRule `json:"deadline"`
}

// DefaultSettings returns the rules of Nghị định 09/2019/NĐ-CP: cut-off on the
// 15th, reports due 5 days after the cut-off.
func DefaultSettings() Settings {
	return Settings{Cutoff: DefaultCutoff, Deadline: DefaultDeadline}
}

// Validate checks both rules; messages are in Vietnamese. The zero Settings is
// invalid (cut-off day 0): start from DefaultSettings.
func (s Settings) Validate() error {
	return errors.Join(s.Cutoff.Validate(), s.Deadline.Validate())
}

// WindowOf is p.Window(s.Cutoff).
func (s Settings) WindowOf(p Period) (from, to time.Time) { return p.Window(s.Cutoff) }

// DeadlineOf is p.Deadline(s.Cutoff, s.Deadline).
func (s Settings) DeadlineOf(p Period) time.Time { return p.Deadline(s.Cutoff, s.Deadline) }

// PeriodOf is PeriodOf(t, typ, s.Cutoff).
func (s Settings) PeriodOf(t time.Time, typ Type) (Period, bool) { return PeriodOf(t, typ, s.Cutoff) }

// Late reports whether a report of p submitted at submitted is late: its
// calendar date, in submitted's location (convert to Vietnam's zone first), is
// after the deadline. Always false when the deadline is undefined (invalid p
// or settings).
func (s Settings) Late(p Period, submitted time.Time) bool {
	dl := s.DeadlineOf(p)
	return !dl.IsZero() && DateOf(submitted).After(dl)
}
