package rollup

import (
	"giaoban/internal/indicator"
	"giaoban/internal/period"
)

// Partial is what a group of units reported for one indicator in one
// period: the sum of their values, how many units reported it, and the
// largest unit total (only for indicators aggregated by max).
type Partial struct {
	Sum    int64
	Units  int64
	Max    int64
	HasMax bool
}

// add merges another group's partial.
func (p Partial) add(q Partial) Partial {
	r := Partial{Sum: p.Sum + q.Sum, Units: p.Units + q.Units, Max: p.Max, HasMax: p.HasMax}
	if q.HasMax && (!r.HasMax || q.Max > r.Max) {
		r.Max, r.HasMax = q.Max, true
	}
	return r
}

// Series is one cell's partials by period code.
type Series map[string]Partial

// aggregable tells whether an indicator's values roll up at all.
func aggregable(ind *indicator.Indicator) bool {
	return ind.ValueType != indicator.Text && ind.AggUnits != indicator.None && ind.AggUnits != ""
}

// acrossUnits is the value of a partial by the indicator's AggUnits.
func acrossUnits(ind *indicator.Indicator, p Partial) (int64, bool) {
	if p.Units <= 0 || !aggregable(ind) {
		return 0, false
	}
	switch ind.AggUnits {
	case indicator.Average:
		return divRound(p.Sum, p.Units), true
	case indicator.Max:
		return p.Max, p.HasMax
	}
	return p.Sum, true // sum, and last: the units' stocks added up
}

// divRound divides rounding half away from zero.
func divRound(a, b int64) int64 {
	if b == 0 {
		return 0
	}
	if (a < 0) != (b < 0) {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// periodAgg is the rule combining an indicator's values of consecutive
// periods: cumulative (lũy kế) values already cover the year, so the last
// one counts.
func periodAgg(ind *indicator.Indicator) indicator.Aggregation {
	if ind.Cumulative {
		return indicator.Last
	}
	return ind.AggPeriods
}

// combine folds values of consecutive periods, in order.
func combine(vals []int64, agg indicator.Aggregation) (int64, bool) {
	if len(vals) == 0 {
		return 0, false
	}
	var r int64
	switch agg {
	case indicator.Sum:
		for _, v := range vals {
			r += v
		}
	case indicator.Max:
		r = vals[0]
		for _, v := range vals[1:] {
			r = max(r, v)
		}
	case indicator.Last:
		r = vals[len(vals)-1]
	case indicator.Average:
		for _, v := range vals {
			r += v
		}
		r = divRound(r, int64(len(vals)))
	default:
		return 0, false
	}
	return r, true
}

// parts returns the periods a period's value is built from when nothing
// was reported for it directly: the months of a quarter, the quarters of
// a half, of nine months or of a year. A month has none.
func parts(p period.Period) []period.Period {
	switch p.Type {
	case period.Quarter:
		return p.Children(period.Month)
	case period.SixMonths, period.NineMonths, period.Year:
		return p.Children(period.Quarter)
	}
	return nil
}

// Eval is the value of a cell for a period: what was reported for the
// period itself when any unit reported it, otherwise its parts combined by
// the indicator's AggPeriods (a quarter from its months, a year from its
// quarters, each of them by the same rule).
func Eval(ind *indicator.Indicator, s Series, p period.Period) (int64, bool) {
	if part, ok := s[p.Code()]; ok && part.Units > 0 {
		return acrossUnits(ind, part)
	}
	return evalParts(ind, s, parts(p))
}

func evalParts(ind *indicator.Indicator, s Series, ps []period.Period) (int64, bool) {
	var vals []int64
	for _, q := range ps {
		if v, ok := Eval(ind, s, q); ok {
			vals = append(vals, v)
		}
	}
	return combine(vals, periodAgg(ind))
}

// YearToDate is the cumulative value from the start of p's year to the end
// of p (lũy kế): the quarters or months up to p combined; for a half, nine
// months or a year, the period that ends with p.
func YearToDate(ind *indicator.Indicator, s Series, p period.Period) (int64, bool) {
	switch p.Type {
	case period.Quarter, period.Month:
		return evalParts(ind, s, p.YearToDate())
	case period.SixMonths:
		if p.Index == 2 {
			return Eval(ind, s, period.NewYear(p.Year))
		}
	}
	return Eval(ind, s, p)
}

// codesFor lists the period codes Eval and YearToDate may read for p.
func codesFor(p period.Period, ytd bool) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(q period.Period)
	walk = func(q period.Period) {
		if !q.Valid() || seen[q.Code()] {
			return
		}
		seen[q.Code()] = true
		out = append(out, q.Code())
		for _, c := range parts(q) {
			walk(c)
		}
	}
	walk(p)
	if ytd {
		switch p.Type {
		case period.Quarter, period.Month:
			for _, q := range p.YearToDate() {
				walk(q)
			}
		case period.SixMonths:
			walk(period.NewYear(p.Year))
		}
	}
	return out
}
