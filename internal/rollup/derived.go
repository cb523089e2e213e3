package rollup

import (
	"context"

	"giaoban/internal/platform/i18n"
)

// markDerived marks the rows of indicators whose values come from another
// room (a fund's ledger, see reporting.DerivedSource) rather than from
// typing, so that the consolidated report and its exports say where the
// figure comes from.
func (s *Service) markDerived(ctx context.Context, t *Table) error {
	if s.Rep == nil || t == nil {
		return nil
	}
	marks, err := s.Rep.DerivedIndicators(ctx)
	if err != nil || len(marks) == 0 {
		return err
	}
	for i := range t.Sections {
		for j := range t.Sections[i].Rows {
			r := &t.Sections[i].Rows[j]
			if m, ok := marks[r.Code]; ok {
				r.Derived = &m
			}
		}
	}
	return nil
}

// derivedName is a row's name in exported tables, with the note saying
// where a derived figure comes from.
func derivedName(r Row, lang string) string {
	if r.Derived == nil {
		return r.Name
	}
	return r.Name + " (" + i18n.T(lang, "rollup.derived_note", r.Derived.Label) + ")"
}
