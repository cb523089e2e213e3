package reporting

import (
	"context"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
)

// SaveResult is what a save of one report wrote.
type SaveResult struct {
	// Values are the cells written, with their new versions.
	Values    []Value `json:"values"`
	Unchanged int     `json:"unchanged"`
	// Violations are the rules the report now breaks (shown, not refused:
	// blocking ones stop the submission).
	Violations []indicator.Violation `json:"violations"`
}

// SaveValues saves values of one unit's report, all or none. A value whose
// version is older than the stored one and whose stored value is not what
// the user saw is refused as a conflict naming both values. Values equal to
// the stored ones are left alone (their versions do not move).
func (s *Service) SaveValues(ctx context.Context, unitID int64, periodCode string, in []ValueInput) (*SaveResult, error) {
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	cells := make([]cellIn, 0, len(in))
	for _, v := range in {
		cells = append(cells, cellIn{place: cellKey(indicator.NormalizeCode(v.Indicator), v.Option), unitID: unitID,
			code: v.Indicator, option: v.Option, raw: string(v.Value), version: v.Version, seen: v.Seen})
	}
	res, err := s.save(ctx, per, cells, saveOpts{write: true})
	if err != nil {
		return nil, err
	}
	out := &SaveResult{Values: []Value{}, Unchanged: res.unchanged}
	for _, up := range res.plans {
		for _, c := range up.changes {
			v := Value{UnitID: up.unit.ID, Period: per.Code(), IndicatorID: c.ind.ID, IndicatorCode: c.ind.Code, Option: c.option,
				Num: c.num, Text: c.text, Version: c.newVer, UpdatedAt: c.updatedAt}
			out.Values = append(out.Values, v)
		}
		vs, err := s.violations(ctx, up.form, up.unit.ID, per)
		if err != nil {
			return nil, err
		}
		out.Violations = vs
	}
	if out.Violations == nil {
		out.Violations = []indicator.Violation{}
	}
	return out, nil
}

// violations checks the rules over a report's stored values.
func (s *Service) violations(ctx context.Context, f *indicator.Form, unitID int64, per period.Period) ([]indicator.Violation, error) {
	rules, err := s.Ind.Rules(ctx)
	if err != nil {
		return nil, err
	}
	vals, err := loadValues(ctx, s.DB, []int64{unitID}, []string{per.Code()})
	if err != nil {
		return nil, err
	}
	return indicator.Check(f, totals(vals[unitID][per.Code()]), rules), nil
}

// batchCells checks the batch's period and turns its cells into cells to
// save; cells of another period are left out and named in fe.
func batchCells(b Batch) (period.Period, []cellIn, apperr.Fields, error) {
	per, err := parsePeriod("period", b.Period)
	if err != nil {
		return per, nil, nil, err
	}
	var fe apperr.Fields
	cells := make([]cellIn, 0, len(b.Cells))
	for _, c := range b.Cells {
		if c.Period != "" {
			cp, err := period.Parse(c.Period)
			if err != nil {
				fe.Add(c.Place, "reporting.err.period", c.Period)
				continue
			}
			if cp != per {
				fe.Add(c.Place, "reporting.err.other_period", cp.Code(), per.Code())
				continue
			}
		}
		cells = append(cells, cellIn{place: c.Place, unitID: c.UnitID, code: c.IndicatorCode, option: c.Option, raw: c.Raw, version: c.Version})
	}
	return per, cells, fe, nil
}

// Apply validates a batch of values for many units and one period and
// writes it all or nothing: type and range (indicator.ParseValue), form
// membership (a value for an indicator the unit's form lacks is refused,
// naming it), blocking rules, reports already submitted or approved, the
// principal's scope, and versions when cells carry them. Every problem is
// reported at once, each naming the cell's Place; nothing is written then.
func (s *Service) Apply(ctx context.Context, b Batch) (*ApplyResult, error) {
	return s.runBatch(ctx, b, true)
}

// Diff checks a batch like Apply and returns what Apply would change (old →
// new per cell), without writing anything.
func (s *Service) Diff(ctx context.Context, b Batch) (*ApplyResult, error) {
	return s.runBatch(ctx, b, false)
}

func (s *Service) runBatch(ctx context.Context, b Batch, write bool) (*ApplyResult, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	per, cells, fe, err := batchCells(b)
	if err != nil {
		return nil, err
	}
	if len(fe) > 0 {
		// Report every problem at once: check the other cells too.
		_, err := s.save(ctx, per, cells, saveOpts{checkRules: true})
		conflict := false
		if e, ok := apperr.As(err); ok && (e.Code == apperr.Invalid || e.Code == apperr.Conflict) {
			fe = append(fe, e.Fields...)
			conflict = e.Code == apperr.Conflict
		} else if err != nil {
			return nil, err
		}
		return nil, fieldsError(fe, conflict)
	}
	res, err := s.save(ctx, per, cells, saveOpts{write: write, checkRules: true, bulk: true})
	if err != nil {
		return nil, err
	}
	out := &ApplyResult{Changes: []Change{}, Unchanged: res.unchanged}
	for _, up := range res.plans {
		if len(up.changes) > 0 {
			out.Units++
		}
		for _, c := range up.changes {
			ch := Change{Place: c.place, UnitID: up.unit.ID, UnitName: up.unit.Name, Period: per.Code(), IndicatorCode: c.ind.Code,
				IndicatorName: c.ind.NameVI, Option: c.option, New: display(c.ind, c.num, c.text)}
			if c.option != "" {
				ch.OptionName = optionName(c.ind, c.option, "vi")
			}
			if c.old != nil {
				ch.Old, ch.OldVersion = display(c.ind, c.old.Num, c.old.Text), c.old.Version
			}
			out.Changes = append(out.Changes, ch)
		}
	}
	return out, nil
}

// optionName is the name of one option of an indicator's disaggregation.
func optionName(ind *indicator.Indicator, code, lang string) string {
	if ind.Disaggregation == nil {
		return ""
	}
	for _, o := range ind.Disaggregation.Options {
		if o.Code == code {
			if lang == "en" && o.NameEN != "" {
				return o.NameEN
			}
			return o.NameVI
		}
	}
	return code
}
