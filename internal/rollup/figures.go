package rollup

import (
	"context"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
)

// Figures are the consolidated partials of one area (and the areas merged
// into it) for some periods, ready to be evaluated per indicator,
// organisation and period.
type Figures struct {
	AreaID   int64
	Approved bool
	ix       index
	codes    map[string]bool
}

// Figures loads what Value and YTD need for the given periods (their
// parts and, with ytd, their year-to-date periods too). approved selects
// approved reports only; otherwise drafts count too.
func (s *Service) Figures(ctx context.Context, areaID int64, periods []period.Period, ytd, approved bool, inds []indicator.Indicator) (*Figures, error) {
	scope, err := s.scope(ctx, areaID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var codes []string
	for _, p := range periods {
		if !p.Valid() {
			return nil, apperr.Field("period", "rollup.err.period", p.Code())
		}
		for _, c := range codesFor(p, ytd) {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	var maxInds []int64
	for i := range inds {
		if inds[i].AggUnits == indicator.Max && aggregable(&inds[i]) {
			maxInds = append(maxInds, inds[i].ID)
		}
	}
	parts, err := load(ctx, s.DB, scope, codes, approved, maxInds)
	if err != nil {
		return nil, err
	}
	return &Figures{AreaID: areaID, Approved: approved, ix: indexOf(parts), codes: seen}, nil
}

// Value is the figure of an indicator for an organisation (0: all of them)
// in a period; ok is false when nothing was reported.
func (f *Figures) Value(ind *indicator.Indicator, orgID int64, p period.Period) (int64, bool) {
	return Eval(ind, f.ix.get(ind.ID, orgID), p)
}

// YTD is the year-to-date figure (lũy kế) up to the end of p.
func (f *Figures) YTD(ind *indicator.Indicator, orgID int64, p period.Period) (int64, bool) {
	return YearToDate(ind, f.ix.get(ind.ID, orgID), p)
}

// Units is how many units reported the indicator in the period itself
// (not its parts), for an organisation or all (0).
func (f *Figures) Units(ind *indicator.Indicator, orgID int64, p period.Period) int64 {
	return f.ix.get(ind.ID, orgID)[p.Code()].Units
}

// Empty tells whether nothing at all was loaded.
func (f *Figures) Empty() bool { return len(f.ix) == 0 }

// Has tells whether any indicator has a figure in period p (for any
// organisation).
func (f *Figures) Has(inds []indicator.Indicator, p period.Period) bool {
	for i := range inds {
		if _, ok := f.Value(&inds[i], 0, p); ok {
			return true
		}
	}
	return false
}
