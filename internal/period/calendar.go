package period

import (
	"cmp"
	"time"
)

// date returns y-m-d at midnight UTC; time.Date normalises out-of-range
// months and days (month 0 is December of the year before, day 0 is the last
// day of the month before).
func date(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the calendar date of t in t's location, as midnight UTC (the
// form of every date in this package). Convert instants to the local zone
// first: DateOf(t.In(vn)).
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return date(y, int(m), d)
}

// firstMonth is the first calendar month (1–12) of a valid p.
func (p Period) firstMonth() int {
	return (p.Index-1)*p.Type.months() + 1
}

// lastMonth is the last calendar month (1–12) of a valid p.
func (p Period) lastMonth() int {
	return p.firstMonth() + p.Type.months() - 1
}

// Start returns the first day of p's calendar span (Q3 2021: 01/07/2021), or
// the zero time if p is invalid.
func (p Period) Start() time.Time {
	if !p.Valid() {
		return time.Time{}
	}
	return date(p.Year, p.firstMonth(), 1)
}

// End returns the last day (inclusive) of p's calendar span (Q3 2021:
// 30/09/2021), or the zero time if p is invalid.
func (p Period) End() time.Time {
	if !p.Valid() {
		return time.Time{}
	}
	return date(p.Year, p.lastMonth()+1, 0)
}

// Months returns the number of calendar months in a period of p's type (0 if
// the type is unknown).
func (p Period) Months() int { return p.Type.months() }

// shift returns the period n steps after p within its type (n may be
// negative). Nine-month and year periods step by whole years.
func (p Period) shift(n int) Period {
	if !p.Valid() {
		return Period{}
	}
	k := p.Type.perYear()
	ord := p.Year*k + p.Index - 1 + n // ≥ 0: p.Year ≥ MinYear and |n| is 1
	return Period{p.Type, ord / k, ord%k + 1}
}

// Next returns the period of the same type after p (202112 → 202201,
// 2021Q4 → 2022Q1, 2021S2 → 2022S1, 2021N9 → 2022N9). The result may fall
// outside [MinYear, MaxYear] and then is not Valid.
func (p Period) Next() Period { return p.shift(1) }

// Prev returns the period of the same type before p (202201 → 202112).
func (p Period) Prev() Period { return p.shift(-1) }

// SameLastYear returns the same period one year earlier (cùng kỳ năm trước):
// 2021Q3 → 2020Q3.
func (p Period) SameLastYear() Period {
	if !p.Valid() {
		return Period{}
	}
	return Period{p.Type, p.Year - 1, p.Index}
}

// YearToDate returns the periods of p's type from the start of p's year up to
// and including p, in order (lũy kế từ đầu năm): 2021Q3 → 2021Q1, 2021Q2,
// 2021Q3; 202103 → 202101, 202102, 202103. For nine months and year it is just
// [p]. Nil if p is invalid.
func (p Period) YearToDate() []Period {
	if !p.Valid() {
		return nil
	}
	out := make([]Period, 0, p.Index)
	for i := 1; i <= p.Index; i++ {
		out = append(out, Period{p.Type, p.Year, i})
	}
	return out
}

// Contains reports whether p's calendar span contains q's. It is reflexive
// (p contains p). 2021 contains 2021Q3 and 202108; 2021N9 contains
// 2021Q1–2021Q3, 2021S1 and 202101–202109; 2021S1 contains 2021Q1 and 2021Q2.
// False if either period is invalid.
func (p Period) Contains(q Period) bool {
	if !p.Valid() || !q.Valid() || p.Year != q.Year {
		return false
	}
	return p.firstMonth() <= q.firstMonth() && q.lastMonth() <= p.lastMonth()
}

// Children returns, in order, the periods of type t whose calendar spans lie
// inside p's: 2021Q3.Children(Month) = 202107, 202108, 202109;
// 2021N9.Children(Quarter) = 2021Q1, 2021Q2, 2021Q3; 2021N9.Children(SixMonths)
// = 2021S1. Children(p.Type) is [p]; a coarser type gives nil.
func (p Period) Children(t Type) []Period {
	if !p.Valid() || !t.Valid() {
		return nil
	}
	var out []Period
	for i := 1; i <= t.perYear(); i++ {
		if q := (Period{t, p.Year, i}); p.Contains(q) {
			out = append(out, q)
		}
	}
	return out
}

// Compare orders periods by the end of their calendar spans, then by their
// start, later start first, so that every period comes after the periods it
// contains — the order in which reports fall due:
//
//	202101 202102 202103 2021Q1 … 202106 2021Q2 2021S1 … 202109 2021Q3 2021N9
//	… 202112 2021Q4 2021S2 2021
//
// Valid periods never compare equal unless they are equal. Invalid periods
// sort before valid ones, among themselves by type, year and index. It returns
// -1, 0 or +1 and suits slices.SortFunc.
func Compare(a, b Period) int {
	av, bv := a.Valid(), b.Valid()
	switch {
	case av && bv:
		if c := cmp.Compare(a.Year*12+a.lastMonth(), b.Year*12+b.lastMonth()); c != 0 {
			return c
		}
		return cmp.Compare(b.Year*12+b.firstMonth(), a.Year*12+a.firstMonth())
	case av:
		return 1
	case bv:
		return -1
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Year, b.Year); c != 0 {
		return c
	}
	return cmp.Compare(a.Index, b.Index)
}

// Compare is Compare(p, q).
func (p Period) Compare(q Period) int { return Compare(p, q) }

// Less reports whether p sorts before q (see [Compare]).
func (p Period) Less(q Period) bool { return Compare(p, q) < 0 }
