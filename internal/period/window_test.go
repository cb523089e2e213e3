package period

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var ict = time.FixedZone("ICT", 7*3600)

// seedRule closes Q3 2021 on 20/08/2021, before the seed's review meeting of
// 26/08/2021.
var seedRule = CutoffRule{Day: 21, MonthsEarly: 1}

func TestWindow(t *testing.T) {
	tests := []struct {
		code     string
		rule     CutoffRule
		from, to string
	}{
		// DOMAIN.md and the decree's examples, default rule.
		{"2021Q3", DefaultCutoff, "15/06/2021", "14/09/2021"},
		{"202108", DefaultCutoff, "15/07/2021", "14/08/2021"},
		{"2021", DefaultCutoff, "15/12/2020", "14/12/2021"},
		{"2021S1", DefaultCutoff, "15/12/2020", "14/06/2021"},
		{"2021N9", DefaultCutoff, "15/12/2020", "14/09/2021"},
		// Every other type and the year crossing.
		{"202101", DefaultCutoff, "15/12/2020", "14/01/2021"},
		{"202112", DefaultCutoff, "15/11/2021", "14/12/2021"},
		{"202403", DefaultCutoff, "15/02/2024", "14/03/2024"},
		{"2021Q1", DefaultCutoff, "15/12/2020", "14/03/2021"},
		{"2021Q2", DefaultCutoff, "15/03/2021", "14/06/2021"},
		{"2021Q4", DefaultCutoff, "15/09/2021", "14/12/2021"},
		{"2021S2", DefaultCutoff, "15/06/2021", "14/12/2021"},
		// Day 1: the calendar span.
		{"202402", CutoffRule{Day: 1}, "01/02/2024", "29/02/2024"},
		{"202302", CutoffRule{Day: 1}, "01/02/2023", "28/02/2023"},
		{"2021Q3", CutoffRule{Day: 1}, "01/07/2021", "30/09/2021"},
		{"2021S2", CutoffRule{Day: 1}, "01/07/2021", "31/12/2021"},
		{"2021N9", CutoffRule{Day: 1}, "01/01/2021", "30/09/2021"},
		{"2021", CutoffRule{Day: 1}, "01/01/2021", "31/12/2021"},
		// Other days.
		{"202103", CutoffRule{Day: 2}, "02/02/2021", "01/03/2021"},
		{"202103", CutoffRule{Day: 28}, "28/02/2021", "27/03/2021"},
		{"202402", CutoffRule{Day: 28}, "28/01/2024", "27/02/2024"},
		{"202403", CutoffRule{Day: 28}, "28/02/2024", "27/03/2024"},
		{"2021Q1", CutoffRule{Day: 20}, "20/12/2020", "19/03/2021"},
		// Earlier cut-offs.
		{"2021Q3", seedRule, "21/05/2021", "20/08/2021"},
		{"2021Q3", CutoffRule{Day: 1, MonthsEarly: 1}, "01/06/2021", "31/08/2021"},
		{"202101", CutoffRule{Day: 15, MonthsEarly: 1}, "15/11/2020", "14/12/2020"},
		{"2021", CutoffRule{Day: 15, MonthsEarly: 2}, "15/10/2020", "14/10/2021"},
		{"2021N9", CutoffRule{Day: 1, MonthsEarly: 2}, "01/11/2020", "31/07/2021"},
	}
	for _, tt := range tests {
		from, to := MustParse(tt.code).Window(tt.rule)
		if !from.Equal(d(tt.from)) || !to.Equal(d(tt.to)) || from.Location() != time.UTC || to.Location() != time.UTC {
			t.Errorf("%s.Window(%+v) = %s–%s, want %s–%s", tt.code, tt.rule,
				from.Format("02/01/2006"), to.Format("02/01/2006"), tt.from, tt.to)
		}
	}
}

func TestWindowInvalid(t *testing.T) {
	for _, r := range []CutoffRule{{}, {Day: 29}, {Day: -1}, {Day: 15, MonthsEarly: 3}, {Day: 15, MonthsEarly: -1}} {
		from, to := NewQuarter(2021, 3).Window(r)
		if !from.IsZero() || !to.IsZero() {
			t.Errorf("Window(%+v) = %v, %v; want zero", r, from, to)
		}
		if NewQuarter(2021, 3).InWindow(d("01/08/2021"), r) {
			t.Errorf("InWindow with rule %+v is true", r)
		}
	}
	from, to := Period{}.Window(DefaultCutoff)
	if !from.IsZero() || !to.IsZero() {
		t.Error("Window of an invalid period not zero")
	}
}

func TestInWindow(t *testing.T) {
	q3 := NewQuarter(2021, 3)
	tests := []struct {
		t    time.Time
		want bool
	}{
		{d("14/06/2021"), false},
		{d("15/06/2021"), true},
		{d("14/09/2021"), true},
		{d("15/09/2021"), false},
		{time.Date(2021, 9, 14, 23, 59, 59, 0, ict), true},
		{time.Date(2021, 9, 15, 0, 0, 0, 0, ict), false},
		{time.Date(2021, 6, 15, 0, 0, 0, 0, ict), true},
	}
	for _, tt := range tests {
		if got := q3.InWindow(tt.t, DefaultCutoff); got != tt.want {
			t.Errorf("Q3 2021 InWindow(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		date string
		typ  Type
		rule CutoffRule
		want string // "" means ok = false
	}{
		// Quarter, default rule: 14th/15th of each quarter's last month.
		{"14/03/2021", Quarter, DefaultCutoff, "2021Q1"},
		{"15/03/2021", Quarter, DefaultCutoff, "2021Q2"},
		{"14/06/2021", Quarter, DefaultCutoff, "2021Q2"},
		{"15/06/2021", Quarter, DefaultCutoff, "2021Q3"},
		{"26/08/2021", Quarter, DefaultCutoff, "2021Q3"},
		{"14/09/2021", Quarter, DefaultCutoff, "2021Q3"},
		{"15/09/2021", Quarter, DefaultCutoff, "2021Q4"},
		{"20/09/2021", Quarter, DefaultCutoff, "2021Q4"},
		{"30/09/2021", Quarter, DefaultCutoff, "2021Q4"},
		{"01/10/2021", Quarter, DefaultCutoff, "2021Q4"},
		{"14/12/2021", Quarter, DefaultCutoff, "2021Q4"},
		{"15/12/2021", Quarter, DefaultCutoff, "2022Q1"},
		{"20/12/2021", Quarter, DefaultCutoff, "2022Q1"},
		{"31/12/2021", Quarter, DefaultCutoff, "2022Q1"},
		{"01/01/2022", Quarter, DefaultCutoff, "2022Q1"},
		{"14/03/2022", Quarter, DefaultCutoff, "2022Q1"},
		// Month, default rule.
		{"14/08/2021", Month, DefaultCutoff, "202108"},
		{"15/08/2021", Month, DefaultCutoff, "202109"},
		{"15/07/2021", Month, DefaultCutoff, "202108"},
		{"14/07/2021", Month, DefaultCutoff, "202107"},
		{"14/12/2021", Month, DefaultCutoff, "202112"},
		{"15/12/2021", Month, DefaultCutoff, "202201"},
		{"20/12/2021", Month, DefaultCutoff, "202201"},
		{"31/12/2021", Month, DefaultCutoff, "202201"},
		{"01/01/2022", Month, DefaultCutoff, "202201"},
		{"14/01/2022", Month, DefaultCutoff, "202201"},
		{"15/01/2022", Month, DefaultCutoff, "202202"},
		{"14/02/2024", Month, DefaultCutoff, "202402"},
		{"15/02/2024", Month, DefaultCutoff, "202403"},
		{"29/02/2024", Month, DefaultCutoff, "202403"},
		// Six months.
		{"14/06/2021", SixMonths, DefaultCutoff, "2021S1"},
		{"15/06/2021", SixMonths, DefaultCutoff, "2021S2"},
		{"14/12/2021", SixMonths, DefaultCutoff, "2021S2"},
		{"15/12/2021", SixMonths, DefaultCutoff, "2022S1"},
		{"31/12/2021", SixMonths, DefaultCutoff, "2022S1"},
		{"01/01/2022", SixMonths, DefaultCutoff, "2022S1"},
		{"15/12/2020", SixMonths, DefaultCutoff, "2021S1"},
		// Nine months: windows leave 15/09–14/12 uncovered.
		{"14/12/2020", NineMonths, DefaultCutoff, ""},
		{"15/12/2020", NineMonths, DefaultCutoff, "2021N9"},
		{"31/12/2020", NineMonths, DefaultCutoff, "2021N9"},
		{"01/01/2021", NineMonths, DefaultCutoff, "2021N9"},
		{"14/09/2021", NineMonths, DefaultCutoff, "2021N9"},
		{"15/09/2021", NineMonths, DefaultCutoff, ""},
		{"30/09/2021", NineMonths, DefaultCutoff, ""},
		{"14/12/2021", NineMonths, DefaultCutoff, ""},
		{"15/12/2021", NineMonths, DefaultCutoff, "2022N9"},
		// Year.
		{"15/12/2020", Year, DefaultCutoff, "2021"},
		{"14/12/2021", Year, DefaultCutoff, "2021"},
		{"15/12/2021", Year, DefaultCutoff, "2022"},
		{"31/12/2021", Year, DefaultCutoff, "2022"},
		{"01/01/2022", Year, DefaultCutoff, "2022"},
		// Day 1: the calendar.
		{"31/12/2021", Month, CutoffRule{Day: 1}, "202112"},
		{"01/01/2022", Month, CutoffRule{Day: 1}, "202201"},
		{"29/02/2024", Month, CutoffRule{Day: 1}, "202402"},
		{"31/12/2021", Quarter, CutoffRule{Day: 1}, "2021Q4"},
		{"01/01/2022", Quarter, CutoffRule{Day: 1}, "2022Q1"},
		{"30/06/2021", SixMonths, CutoffRule{Day: 1}, "2021S1"},
		{"01/07/2021", SixMonths, CutoffRule{Day: 1}, "2021S2"},
		{"30/09/2021", NineMonths, CutoffRule{Day: 1}, "2021N9"},
		{"01/10/2021", NineMonths, CutoffRule{Day: 1}, ""},
		{"31/12/2021", NineMonths, CutoffRule{Day: 1}, ""},
		{"01/01/2022", NineMonths, CutoffRule{Day: 1}, "2022N9"},
		{"31/12/2021", Year, CutoffRule{Day: 1}, "2021"},
		{"01/01/2022", Year, CutoffRule{Day: 1}, "2022"},
		// Day 28.
		{"27/02/2021", Month, CutoffRule{Day: 28}, "202102"},
		{"28/02/2021", Month, CutoffRule{Day: 28}, "202103"},
		{"31/12/2021", Month, CutoffRule{Day: 28}, "202201"},
		{"27/12/2021", Year, CutoffRule{Day: 28}, "2021"},
		{"28/12/2021", Year, CutoffRule{Day: 28}, "2022"},
		// The seed bloc's earlier cut-off: Q3 closes on 20/08.
		{"20/05/2021", Quarter, seedRule, "2021Q2"},
		{"21/05/2021", Quarter, seedRule, "2021Q3"},
		{"20/08/2021", Quarter, seedRule, "2021Q3"},
		{"21/08/2021", Quarter, seedRule, "2021Q4"},
		{"26/08/2021", Quarter, seedRule, "2021Q4"},
		{"20/11/2021", Year, seedRule, "2021"},
		{"21/11/2021", Year, seedRule, "2022"},
		{"21/10/2021", Month, seedRule, "202112"},
		{"21/11/2021", Month, seedRule, "202201"},
		{"30/11/2021", Month, CutoffRule{Day: 15, MonthsEarly: 2}, "202202"},
		// Invalid input.
		{"01/08/2021", "week", DefaultCutoff, ""},
		{"01/08/2021", "", DefaultCutoff, ""},
		{"01/08/2021", Quarter, CutoffRule{}, ""},
		{"01/08/2021", Quarter, CutoffRule{Day: 29}, ""},
		{"01/08/2021", Quarter, CutoffRule{Day: 15, MonthsEarly: 3}, ""},
		{"01/08/0999", Quarter, DefaultCutoff, ""},
		{"15/12/9999", Year, DefaultCutoff, ""},
		{"14/12/9999", Year, DefaultCutoff, "9999"},
		{"15/12/0999", Year, DefaultCutoff, "1000"},
	}
	for _, tt := range tests {
		got, ok := PeriodOf(d(tt.date), tt.typ, tt.rule)
		if ok != (tt.want != "") || got.Code() != tt.want {
			t.Errorf("PeriodOf(%s, %s, %+v) = %q, %v; want %q", tt.date, tt.typ, tt.rule, got.Code(), ok, tt.want)
		}
		if !ok && got != (Period{}) {
			t.Errorf("PeriodOf(%s, %s, %+v) returned %#v with ok = false", tt.date, tt.typ, tt.rule, got)
		}
		if ok && !got.InWindow(d(tt.date), tt.rule) {
			t.Errorf("PeriodOf(%s, %s, %+v) = %s whose window does not hold the date", tt.date, tt.typ, tt.rule, got)
		}
	}
}

func TestPeriodOfZone(t *testing.T) {
	// The date is taken in the time's own location.
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2021, 9, 14, 23, 30, 0, 0, ict), "2021Q3"},
		{time.Date(2021, 9, 15, 6, 0, 0, 0, ict), "2021Q4"},
		// The same instant seen in UTC is still 14/09.
		{time.Date(2021, 9, 15, 6, 0, 0, 0, ict).UTC(), "2021Q3"},
		{time.Date(2021, 12, 14, 23, 59, 59, 999999999, time.UTC), "2021Q4"},
	}
	for _, tt := range tests {
		got, ok := PeriodOf(tt.t, Quarter, DefaultCutoff)
		if !ok || got.Code() != tt.want {
			t.Errorf("PeriodOf(%v) = %s, %v; want %s", tt.t, got, ok, tt.want)
		}
	}
}

var propertyRules = []CutoffRule{
	DefaultCutoff,
	{Day: 1},
	{Day: 2},
	{Day: 28},
	{Day: 20},
	seedRule,
	{Day: 1, MonthsEarly: 1},
	{Day: 15, MonthsEarly: 2},
	{Day: 28, MonthsEarly: 2},
}

// TestPeriodOfEveryDay checks, for every day of 2019–2026 and several rules,
// that PeriodOf finds a period whose window holds the day, that the
// neighbouring periods' windows do not, and that nine-month periods are found
// exactly when a nine-month window holds the day.
func TestPeriodOfEveryDay(t *testing.T) {
	tiling := []Type{Month, Quarter, SixMonths, Year}
	for _, rule := range propertyRules {
		for day := d("01/01/2019"); day.Year() <= 2026; day = day.AddDate(0, 0, 1) {
			for _, typ := range tiling {
				p, ok := PeriodOf(day, typ, rule)
				if !ok || p.Type != typ {
					t.Fatalf("%+v: PeriodOf(%s, %s) = %v, %v", rule, day.Format("02/01/2006"), typ, p, ok)
				}
				if !p.InWindow(day, rule) || p.Prev().InWindow(day, rule) || p.Next().InWindow(day, rule) {
					t.Fatalf("%+v: PeriodOf(%s, %s) = %s, but windows disagree", rule, day.Format("02/01/2006"), typ, p)
				}
			}
			n9, ok := PeriodOf(day, NineMonths, rule)
			inAny := false
			for y := day.Year() - 1; y <= day.Year()+1; y++ {
				if NewNineMonths(y).InWindow(day, rule) {
					inAny = true
					if !ok || n9 != NewNineMonths(y) {
						t.Fatalf("%+v: %s is in %d N9's window but PeriodOf = %v, %v", rule, day.Format("02/01/2006"), y, n9, ok)
					}
				}
			}
			if ok != inAny {
				t.Fatalf("%+v: PeriodOf(%s, N9) = %v, %v but in a window: %v", rule, day.Format("02/01/2006"), n9, ok, inAny)
			}
		}
	}
}

// TestWindowsTile checks that the windows of consecutive periods of each
// tiling type meet exactly, that PeriodOf maps both ends of a window back to
// its period, that windows have the length of the period's calendar span
// shifted, and that Day 1 without MonthsEarly gives the calendar span.
func TestWindowsTile(t *testing.T) {
	for _, rule := range propertyRules {
		for _, typ := range TypesAll() {
			for p := (Period{typ, 2019, 1}); p.Year <= 2026; p = p.Next() {
				from, to := p.Window(rule)
				if from.After(to) {
					t.Fatalf("%+v: %s window %v after %v", rule, p, from, to)
				}
				if typ != NineMonths {
					nextFrom, _ := p.Next().Window(rule)
					if !nextFrom.Equal(to.AddDate(0, 0, 1)) {
						t.Fatalf("%+v: %s ends %v, %s starts %v", rule, p, to, p.Next(), nextFrom)
					}
				}
				for _, end := range []time.Time{from, to} {
					if got, ok := PeriodOf(end, typ, rule); !ok || got != p {
						t.Fatalf("%+v: PeriodOf(%v, %s) = %v, %v; want %s", rule, end, typ, got, ok, p)
					}
				}
				// The window is the calendar span moved back by whole months
				// (and, for Day > 1, one month then forward Day−1 days).
				shift := func(t time.Time) time.Time {
					if rule.Day == 1 {
						return t.AddDate(0, -rule.MonthsEarly, 0)
					}
					return t.AddDate(0, -rule.MonthsEarly-1, rule.Day-1)
				}
				if wantFrom, wantTo := shift(p.Start()), shift(p.End().AddDate(0, 0, 1)).AddDate(0, 0, -1); !from.Equal(wantFrom) || !to.Equal(wantTo) {
					t.Fatalf("%+v: %s window %v–%v, want %v–%v", rule, p, from, to, wantFrom, wantTo)
				}
				if rule == (CutoffRule{Day: 1}) && (!from.Equal(p.Start()) || !to.Equal(p.End())) {
					t.Fatalf("Day 1: %s window %v–%v, calendar %v–%v", p, from, to, p.Start(), p.End())
				}
			}
		}
	}
}

func TestDeadline(t *testing.T) {
	tests := []struct {
		code string
		c    CutoffRule
		d    DeadlineRule
		want string // "" means the zero time
	}{
		{"2021Q3", DefaultCutoff, DefaultDeadline, "19/09/2021"},
		{"202108", DefaultCutoff, DefaultDeadline, "19/08/2021"},
		{"202112", DefaultCutoff, DefaultDeadline, "19/12/2021"},
		{"2021S1", DefaultCutoff, DefaultDeadline, "19/06/2021"},
		{"2021S2", DefaultCutoff, DefaultDeadline, "19/12/2021"},
		{"2021N9", DefaultCutoff, DefaultDeadline, "19/09/2021"},
		{"2021", DefaultCutoff, DefaultDeadline, "19/12/2021"},
		{"2021Q3", DefaultCutoff, DeadlineRule{}, "14/09/2021"},
		{"202112", DefaultCutoff, DeadlineRule{DaysAfterCutoff: 20}, "03/01/2022"},
		{"202402", CutoffRule{Day: 1}, DefaultDeadline, "05/03/2024"},
		{"2021Q4", CutoffRule{Day: 1}, DeadlineRule{DaysAfterCutoff: 1}, "01/01/2022"},
		{"202402", CutoffRule{Day: 28}, DeadlineRule{DaysAfterCutoff: 2}, "29/02/2024"},
		{"2021Q3", seedRule, DefaultDeadline, "25/08/2021"},
		{"2021Q3", DefaultCutoff, DeadlineRule{DaysAfterCutoff: 60}, "13/11/2021"},
		{"2021Q3", DefaultCutoff, DeadlineRule{DaysAfterCutoff: -1}, ""},
		{"2021Q3", DefaultCutoff, DeadlineRule{DaysAfterCutoff: 61}, ""},
		{"2021Q3", CutoffRule{}, DefaultDeadline, ""},
	}
	for _, tt := range tests {
		got := MustParse(tt.code).Deadline(tt.c, tt.d)
		if tt.want == "" {
			if !got.IsZero() {
				t.Errorf("%s.Deadline(%+v, %+v) = %v, want zero", tt.code, tt.c, tt.d, got)
			}
			continue
		}
		if !got.Equal(d(tt.want)) || got.Location() != time.UTC {
			t.Errorf("%s.Deadline(%+v, %+v) = %v, want %s", tt.code, tt.c, tt.d, got.Format("02/01/2006"), tt.want)
		}
	}
	if !(Period{}).Deadline(DefaultCutoff, DefaultDeadline).IsZero() {
		t.Error("Deadline of an invalid period not zero")
	}
}

func TestSettings(t *testing.T) {
	s := DefaultSettings()
	if s != (Settings{Cutoff: CutoffRule{Day: 15}, Deadline: DeadlineRule{DaysAfterCutoff: 5}}) {
		t.Fatalf("DefaultSettings() = %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("DefaultSettings().Validate() = %v", err)
	}
	tests := []struct {
		s    Settings
		want []string // substrings of the error; nil means valid
	}{
		{Settings{Cutoff: CutoffRule{Day: 1}}, nil},
		{Settings{Cutoff: CutoffRule{Day: 28, MonthsEarly: 2}, Deadline: DeadlineRule{60}}, nil},
		{Settings{Cutoff: seedRule, Deadline: DefaultDeadline}, nil},
		{Settings{}, []string{"ngày chốt số liệu phải từ 1 đến 28 (đang là 0)"}},
		{Settings{Cutoff: CutoffRule{Day: 29}}, []string{"ngày chốt số liệu phải từ 1 đến 28 (đang là 29)"}},
		{Settings{Cutoff: CutoffRule{Day: 31}}, []string{"đang là 31"}},
		{Settings{Cutoff: CutoffRule{Day: -5}}, []string{"đang là -5"}},
		{Settings{Cutoff: CutoffRule{Day: 15, MonthsEarly: 3}}, []string{"số tháng chốt sớm phải từ 0 đến 2 (đang là 3)"}},
		{Settings{Cutoff: CutoffRule{Day: 15, MonthsEarly: -1}}, []string{"số tháng chốt sớm"}},
		{Settings{Cutoff: DefaultCutoff, Deadline: DeadlineRule{-1}}, []string{"số ngày gửi báo cáo sau ngày chốt số liệu phải từ 0 đến 60 (đang là -1)"}},
		{Settings{Cutoff: DefaultCutoff, Deadline: DeadlineRule{61}}, []string{"đang là 61"}},
		{Settings{Cutoff: CutoffRule{Day: 0, MonthsEarly: 5}, Deadline: DeadlineRule{99}},
			[]string{"ngày chốt số liệu", "số tháng chốt sớm", "số ngày gửi báo cáo"}},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if tt.want == nil {
			if err != nil {
				t.Errorf("%+v.Validate() = %v", tt.s, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%+v.Validate() = nil, want an error", tt.s)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v.Validate() = %q, want it to contain %q", tt.s, err, w)
			}
		}
	}
}

func TestSettingsHelpers(t *testing.T) {
	s := DefaultSettings()
	q3 := NewQuarter(2021, 3)
	from, to := s.WindowOf(q3)
	if !from.Equal(d("15/06/2021")) || !to.Equal(d("14/09/2021")) {
		t.Errorf("WindowOf = %v, %v", from, to)
	}
	if got := s.DeadlineOf(q3); !got.Equal(d("19/09/2021")) {
		t.Errorf("DeadlineOf = %v", got)
	}
	if got, ok := s.PeriodOf(d("20/09/2021"), Quarter); !ok || got != NewQuarter(2021, 4) {
		t.Errorf("PeriodOf = %v, %v", got, ok)
	}
	late := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2021, 9, 1, 8, 0, 0, 0, ict), false},
		{time.Date(2021, 9, 19, 23, 59, 59, 0, ict), false},
		{time.Date(2021, 9, 20, 0, 0, 1, 0, ict), true},
		{time.Date(2021, 10, 2, 0, 0, 0, 0, ict), true},
		{d("19/09/2021"), false},
		{d("20/09/2021"), true},
	}
	for _, tt := range late {
		if got := s.Late(q3, tt.at); got != tt.want {
			t.Errorf("Late(Q3 2021, %v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	if (Settings{}).Late(q3, d("01/01/2030")) || s.Late(Period{}, d("01/01/2030")) {
		t.Error("Late with an undefined deadline is true")
	}
}

func TestSettingsJSON(t *testing.T) {
	b, err := json.Marshal(DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"cutoff":{"day":15},"deadline":{"days_after_cutoff":5}}` {
		t.Fatalf("json = %s", b)
	}
	var s Settings
	if err := json.Unmarshal([]byte(`{"cutoff":{"day":21,"months_early":1},"deadline":{"days_after_cutoff":5}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s != (Settings{Cutoff: seedRule, Deadline: DefaultDeadline}) {
		t.Fatalf("unmarshal = %+v", s)
	}
}
