package reporting

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
)

// Derived values (issue 5, item 8): some indicators are not typed but
// computed by another room (the total a unit received into a fund in the
// period, what it paid out), so nobody types them twice.
//
// The values are written into data_values like typed ones, marked with the
// sentence saying where they came from (derived_source) and the page to
// check it (derived_url), with no user as author: the roll-up triggers and
// everything that reads values (consolidated report, comparisons, rules,
// exports) take them as they are, at once.
//
// When they are written:
//   - after every commit of a fund's ledger (Service.FundChanged, wired by
//     internal/app as the fund store's after-commit hook), for the units the
//     entries were received or paid by and every period whose cut-off window
//     holds an entry's date; the consolidated report is right the moment
//     the receipt is recorded, with no nightly job;
//   - before a report is submitted or approved and after it is reopened
//     (a safety net for changes made where the hook was not wired). Opening
//     the entry page only reads: a GET that wrote would move the report's
//     version on under another person's open form.
//
// Which reports follow the source: drafts, returned and submitted reports
// (a submitted report is still under review: it shows the ledger as it is).
// An approved report is frozen, as data approval locks data in DHIS2: a
// later correction of the ledger does not change what was approved; the
// entry page notes that the ledger has changed since ("Sổ quỹ đã thay đổi
// sau khi duyệt") with the ledger's figure, and reopening the report
// brings the new figure in.
//
// The values of a period are the sums of the entries dated within the
// period's cut-off window under the unit's bloc settings (the dates every
// figure of that report covers), not its calendar span.
//
// Typed values of an indicator that has since become derived are left as
// they are while the source has nothing for that unit and period (figures
// of the time before the fund), and replaced once it has.
//
// Values of derived indicators cannot be typed, saved through the API or
// imported: the form marks the indicator DerivedFrom (see FormFor) and a
// save names the refused cell.

// DerivedSource computes indicator values from another room. internal/app
// sets the fund store (package fund) as the Service's source, so that this
// package does not import the funds.
type DerivedSource interface {
	// DerivedIndicators calls fn for each indicator the source computes
	// now, with a short name of the source ("sổ quỹ COVID19") and the page
	// where anyone can check it.
	DerivedIndicators(ctx context.Context, fn func(code, label, url string)) error
	// DerivedValues calls fn with each derived value of the units (unitID
	// 0: every unit) over the dates from..to (both inclusive): the
	// indicator code, the unit, the value, a sentence saying where it came
	// from and the page to check it. Units the source has nothing for are
	// not called.
	DerivedValues(ctx context.Context, unitID int64, from, to time.Time, fn func(code string, unitID, value int64, source, url string)) error
}

// DerivedMark says where the values of a derived indicator come from.
type DerivedMark struct {
	Label string `json:"label"` // "sổ quỹ COVID19"
	URL   string `json:"url"`   // the public page of the source
	// Source is the sentence stored with the value shown.
	Source string `json:"source,omitempty"`
	// Changed, on an approved report, is the source's current figure when
	// it differs from the approved one (the ledger changed after approval).
	Changed string `json:"changed_after_approval,omitempty"`
}

// DerivedIndicators returns the indicators the source computes, by code
// (none without a source).
func (s *Service) DerivedIndicators(ctx context.Context) (map[string]DerivedMark, error) {
	if s.Derived == nil {
		return nil, nil
	}
	out := map[string]DerivedMark{}
	err := s.Derived.DerivedIndicators(ctx, func(code, label, url string) {
		out[indicator.NormalizeCode(code)] = DerivedMark{Label: label, URL: url}
	})
	if err != nil {
		return nil, fmt.Errorf("reporting: derived indicators: %w", err)
	}
	return out, nil
}

// markDerived sets DerivedFrom on the form's indicators the source computes
// (an indicator the catalogue already marks keeps its own text).
func (s *Service) markDerived(ctx context.Context, f *indicator.Form) error {
	if s.Derived == nil || f == nil {
		return nil
	}
	set, err := s.DerivedIndicators(ctx)
	if err != nil || len(set) == 0 {
		return err
	}
	f.Indicators = slices.Clone(f.Indicators)
	for i := range f.Indicators {
		if m, ok := set[f.Indicators[i].Code]; ok && f.Indicators[i].DerivedFrom == "" {
			f.Indicators[i].DerivedFrom = m.Label
		}
	}
	return nil
}

// derivedStored is a derived indicator's stored cell.
type derivedStored struct {
	Present bool
	Num     *int64
	Version int64
	Derived bool // written from the source (derived_source is set)
	Source  string
	URL     string
}

// derivedWant is what the source says a cell should hold.
type derivedWant struct {
	Found  bool // the source has entries for the unit and period
	Value  int64
	Source string
	URL    string
}

// derivedStep is what a refresh does to one cell.
type derivedStep int

const (
	stepKeep   derivedStep = iota // nothing to write
	stepInsert                    // a new derived value
	stepUpdate                    // the value or its source changed, or a typed value gives way
	stepDelete                    // the source no longer has anything: the derived value goes
	stepFrozen                    // the report is approved: left as approved, the page notes the change
)

// derivedRule decides what a refresh does to a cell of a report in status
// st (see the package comment above).
func derivedRule(st Status, have derivedStored, want derivedWant) derivedStep {
	var step derivedStep
	switch {
	case !want.Found && (!have.Present || !have.Derived):
		step = stepKeep // nothing, or a value typed before the source had any
	case !want.Found:
		step = stepDelete
	case !have.Present:
		step = stepInsert
	case !have.Derived || have.Num == nil || *have.Num != want.Value || have.Source != want.Source || have.URL != want.URL:
		step = stepUpdate
	}
	if step != stepKeep && st == Approved {
		// Only a change of figure is worth a notice; a sentence that
		// differs in its count of entries is not.
		if step == stepUpdate && have.Num != nil && *have.Num == want.Value {
			return stepKeep
		}
		return stepFrozen
	}
	return step
}

// derivedCells are a report's derived indicators with their stored cells
// and what the source says.
type derivedCells struct {
	inds   map[string]*indicator.Indicator
	marks  map[string]DerivedMark
	stored map[string]derivedStored
	want   map[string]derivedWant
}

// readDerived reads the derived indicators of a form, their stored cells
// and the source's values over the period's cut-off window; nil when the
// form has none.
func (s *Service) readDerived(ctx context.Context, q db.Q, u *org.Unit, per period.Period, form *indicator.Form) (*derivedCells, error) {
	if s.Derived == nil {
		return nil, nil
	}
	set, err := s.DerivedIndicators(ctx)
	if err != nil {
		return nil, err
	}
	dc := &derivedCells{inds: map[string]*indicator.Indicator{}, marks: map[string]DerivedMark{}, stored: map[string]derivedStored{}, want: map[string]derivedWant{}}
	var ids []string
	var args []any
	for i := range form.Indicators {
		ind := &form.Indicators[i]
		m, ok := set[ind.Code]
		if !ok || !ind.Numeric() || ind.Disaggregation != nil {
			continue
		}
		dc.inds[ind.Code], dc.marks[ind.Code] = ind, m
		args = append(args, ind.ID)
		ids = append(ids, "$"+strconv.Itoa(len(args)+2))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	settings, err := settingsForPath(ctx, s.DB, u.AreaPath)
	if err != nil {
		return nil, err
	}
	from, to := settings.WindowOf(per)
	if from.IsZero() {
		from, to = per.Start(), per.End()
	}
	err = s.Derived.DerivedValues(ctx, u.ID, from, to, func(code string, unitID, value int64, source, url string) {
		code = indicator.NormalizeCode(code)
		if unitID == u.ID && dc.inds[code] != nil {
			dc.want[code] = derivedWant{Found: true, Value: value, Source: source, URL: url}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("reporting: derived values: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT i.code, v.value_num, v.version, v.derived_source, v.derived_url
		FROM data_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE v.unit_id = $1 AND v.period = $2 AND v.option = '' AND v.indicator_id IN (`+strings.Join(ids, ", ")+`)`,
		append([]any{u.ID, per.Code()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("reporting: derived cells: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var c derivedStored
		var src, url sql.NullString
		if err := rows.Scan(&code, &c.Num, &c.Version, &src, &url); err != nil {
			return nil, fmt.Errorf("reporting: derived cells: %w", err)
		}
		c.Present, c.Derived, c.Source, c.URL = true, src.Valid, src.String, url.String
		dc.stored[code] = c
	}
	return dc, rows.Err()
}

// plan returns the steps of a refresh, by indicator code, in code order.
func (dc *derivedCells) plan(st Status) (codes []string, steps map[string]derivedStep) {
	steps = map[string]derivedStep{}
	for code := range dc.inds {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		steps[code] = derivedRule(st, dc.stored[code], dc.want[code])
	}
	return codes, steps
}

// syncDerived brings the derived values of a unit's report for a period up
// to date with the source (unless the report is approved) and returns how
// each derived indicator is marked. It writes in its own transaction, with
// the report locked.
func (s *Service) syncDerived(ctx context.Context, u *org.Unit, per period.Period, form *indicator.Form) (map[string]DerivedMark, error) {
	return s.derivedMarks(ctx, u, per, form, true)
}

// derivedMarks returns how each derived indicator of the report is marked
// (source, change after approval); with write it first brings the stored
// values up to date (syncDerived). Reading a page does not write: a GET
// that moved a report's version on would turn another person's open form
// into a conflict, and the after-commit hook keeps the values current.
func (s *Service) derivedMarks(ctx context.Context, u *org.Unit, per period.Period, form *indicator.Form, write bool) (map[string]DerivedMark, error) {
	dc, err := s.readDerived(ctx, s.DB, u, per, form)
	if err != nil || dc == nil {
		return nil, err
	}
	r, err := reportOf(ctx, s.DB, u.ID, per.Code())
	if err != nil {
		return nil, err
	}
	st := Draft
	if r != nil {
		st = r.Status
	}
	codes, steps := dc.plan(st)
	pending := false
	for _, code := range codes {
		pending = pending || steps[code] != stepKeep && steps[code] != stepFrozen
	}
	if write && pending {
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			r, _, err := s.lockReport(ctx, tx, u.ID, per.Code(), &form.ID)
			if err != nil {
				return err
			}
			// Read again under the lock: a save or an approval may have
			// come in between.
			if dc, err = s.readDerived(ctx, tx, u, per, form); err != nil || dc == nil {
				return err
			}
			codes, steps = dc.plan(r.Status)
			return s.writeDerived(ctx, tx, r, u, per, dc, codes, steps)
		})
		if err != nil || dc == nil {
			return nil, err
		}
	}
	out := map[string]DerivedMark{}
	for _, code := range codes {
		m := dc.marks[code]
		c, w := dc.stored[code], dc.want[code]
		switch steps[code] {
		case stepFrozen:
			m.Source = c.Source
			v := w.Value
			m.Changed = indicator.FormatValue(*dc.inds[code], &v, nil)
		case stepKeep:
			m.Source = c.Source
		default:
			m.Source = w.Source
		}
		out[code] = m
	}
	return out, nil
}

// writeDerived applies the steps of a refresh, with one audit entry for the
// report, and moves the report's version on.
func (s *Service) writeDerived(ctx context.Context, tx *sql.Tx, r *Report, u *org.Unit, per period.Period, dc *derivedCells, codes []string, steps map[string]derivedStep) error {
	now := s.now()
	oldView, newView := map[string]any{}, map[string]any{}
	for _, code := range codes {
		ind, c, w := dc.inds[code], dc.stored[code], dc.want[code]
		var err error
		switch steps[code] {
		case stepInsert:
			_, err = tx.ExecContext(ctx, `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, version, updated_at, updated_by, derived_source, derived_url)
				VALUES ($1, $2, $3, '', $4, NULL, 1, $5, NULL, $6, $7)`, u.ID, per.Code(), ind.ID, w.Value, now, w.Source, w.URL)
		case stepUpdate:
			_, err = tx.ExecContext(ctx, `UPDATE data_values SET value_num = $1, value_text = NULL, version = version + 1, updated_at = $2, updated_by = NULL,
				derived_source = $3, derived_url = $4 WHERE unit_id = $5 AND period = $6 AND indicator_id = $7 AND option = ''`,
				w.Value, now, w.Source, w.URL, u.ID, per.Code(), ind.ID)
		case stepDelete:
			_, err = tx.ExecContext(ctx, `DELETE FROM data_values WHERE unit_id = $1 AND period = $2 AND indicator_id = $3 AND option = ''`, u.ID, per.Code(), ind.ID)
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("reporting: derived value %s: %w", code, err)
		}
		if c.Present {
			oldView[code] = auditValue(c.Num, nil)
		} else {
			oldView[code] = nil
		}
		if steps[code] == stepDelete {
			newView[code] = nil
		} else {
			newView[code] = w.Value
		}
	}
	if len(newView) == 0 {
		return nil
	}
	oldView["_period"], newView["_period"] = per.Code(), per.Code()
	oldView["_unit"], newView["_unit"] = u.ID, u.ID
	newView["_derived"] = true
	if err := audit.Record(ctx, tx, audit.Update, "report_values", r.ID, oldView, newView); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE reports SET version = version + 1, updated_at = $1 WHERE id = $2", now, r.ID); err != nil {
		return fmt.Errorf("reporting: touch report: %w", err)
	}
	return nil
}

// RefreshDerived brings the derived values of a unit's report for a period
// up to date with the source (an approved report is left as it is). It
// acts for no one in particular: the caller has checked who may ask.
func (s *Service) RefreshDerived(ctx context.Context, unitID int64, periodCode string) error {
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return err
	}
	u, err := s.Org.Unit(ctx, unitID)
	if err != nil {
		return err
	}
	return s.refreshUnitPeriod(ctx, u, per)
}

func (s *Service) refreshUnitPeriod(ctx context.Context, u *org.Unit, per period.Period) error {
	form, err := s.FormFor(ctx, u, per)
	if apperr.Is(err, apperr.NotFound) {
		return nil // the unit reports no such period
	}
	if err != nil {
		return err
	}
	_, err = s.syncDerived(ctx, u, per, form)
	return err
}

// FundChanged refreshes the derived values the source changed: for each
// unit, the reports of every period (of every type the unit has a form
// for) whose cut-off window holds one of the dates. It is the fund store's
// after-commit hook (internal/app wires it).
func (s *Service) FundChanged(ctx context.Context, unitIDs []int64, dates []time.Time) error {
	if s.Derived == nil || len(dates) == 0 {
		return nil
	}
	// A fund that feeds no indicator (no campaign of the catalogue) changes
	// no report: nothing to look up unit by unit.
	if set, err := s.DerivedIndicators(ctx); err != nil || len(set) == 0 {
		return err
	}
	var errs []error
	for _, id := range unitIDs {
		u, err := s.Org.Unit(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		settings, err := settingsForPath(ctx, s.DB, u.AreaPath)
		if err != nil {
			return err
		}
		for _, per := range periodsOf(settings, dates) {
			if err := s.refreshUnitPeriod(ctx, u, per); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", u.Name, per.Code(), err))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("reporting: derived values: %v", errs)
	}
	return nil
}

// periodsOf lists the periods, of every type, whose cut-off windows hold
// the dates, finest type first.
func periodsOf(st period.Settings, dates []time.Time) []period.Period {
	seen := map[period.Period]bool{}
	var out []period.Period
	for _, t := range period.TypesAll() {
		for _, d := range dates {
			p, ok := st.PeriodOf(d, t)
			if ok && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// FundHook is FundChanged as a fund store's after-commit hook: errors are
// logged (the next submission, approval or reopening refreshes again).
func (s *Service) FundHook(ctx context.Context, unitIDs []int64, dates []time.Time) {
	if err := s.FundChanged(ctx, unitIDs, dates); err != nil {
		slog.Error("reporting: derived values after a fund change", "err", err)
	}
}
