package rollup

import (
	"context"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/vn"
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

// markWindow sets, on the derived rows of a bloc's report, the dates the
// period's figures count: the bloc's cut-off window (Q2 2021 of the demo
// is 21/02–20/05/2021), which a reader of the ledger, looking at calendar
// months, would otherwise take for a mismatch.
func (s *Service) markWindow(ctx context.Context, b *org.Bloc, p period.Period, t *Table) error {
	var span *DateSpan
	for i := range t.Sections {
		for j := range t.Sections[i].Rows {
			r := &t.Sections[i].Rows[j]
			if r.Derived == nil {
				continue
			}
			if span == nil {
				set, err := s.Rep.BlocSettings(ctx, b.ID)
				if err != nil {
					return err
				}
				from, to := set.WindowOf(p)
				if from.IsZero() {
					from, to = p.Start(), p.End()
				}
				span = &DateSpan{From: db.NewDate(from), To: db.NewDate(to)}
			}
			r.Window = span
		}
	}
	return nil
}

// DerivedNote says where a derived row's figures come from, and which
// dates of the source the period counts when the report knows them; ""
// for a typed row.
func (r Row) DerivedNote(lang string) string {
	switch {
	case r.Derived == nil:
		return ""
	case r.Window == nil:
		return i18n.T(lang, "rollup.derived_note", r.Derived.Label)
	}
	return i18n.T(lang, "rollup.derived_note_window", r.Derived.Label, vn.FormatDate(r.Window.From.Time), vn.FormatDate(r.Window.To.Time))
}

// derivedName is a row's name in exported tables, with the note saying
// where a derived figure comes from.
func derivedName(r Row, lang string) string {
	if r.Derived == nil {
		return r.Name
	}
	return r.Name + " (" + r.DerivedNote(lang) + ")"
}
