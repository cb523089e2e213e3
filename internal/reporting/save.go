package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// cellIn is one value to save, from a form, the API or a batch.
type cellIn struct {
	place   string // field or cell named in messages
	unitID  int64
	code    string
	option  string
	raw     string
	version *int64
	seen    *string
}

// planned is a cell checked against the catalogue and the stored value.
type planned struct {
	cellIn
	ind       *indicator.Indicator
	num       *int64
	text      *string
	old       *Value
	newVer    int64
	updatedAt time.Time
}

func (c *planned) key() string { return cellKey(c.ind.Code, c.option) }

// unitPlan is what a save does to one unit's report.
type unitPlan struct {
	unit    *org.Unit
	form    *indicator.Form
	report  *Report
	stored  map[string]Value
	changes []*planned
	first   string // place of the unit's first cell, for unit-wide messages
}

// saveOpts says how a save runs.
type saveOpts struct {
	write      bool // false: Diff, nothing is written
	checkRules bool // refuse blocking rule violations (imports)
}

// saveResult is what a save did or would do.
type saveResult struct {
	plans     []*unitPlan
	unchanged int
}

// save checks cells of one period and, when opts.write, writes them all or
// none in one transaction.
func (s *Service) save(ctx context.Context, per period.Period, cells []cellIn, opts saveOpts) (*saveResult, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !CanTake(p.Role, Save) {
		return nil, apperr.New(apperr.Forbidden, "reporting.err.role.save")
	}
	var res *saveResult
	run := func(q db.Q, tx *sql.Tx) error {
		var err error
		res, err = s.plan(ctx, q, tx, p, per, cells, opts)
		if err != nil || tx == nil {
			return err
		}
		return s.write(ctx, tx, per, res)
	}
	if !opts.write {
		return res, run(s.DB, nil)
	}
	return res, s.DB.Tx(ctx, func(tx *sql.Tx) error { return run(tx, tx) })
}

// plan resolves units, forms, indicators and values and checks everything:
// scope, workflow, type and range, form membership, versions, rules. tx is
// nil for a dry run; with a tx the reports are created and locked first.
func (s *Service) plan(ctx context.Context, q db.Q, tx *sql.Tx, p *auth.Principal, per period.Period, cells []cellIn, opts saveOpts) (*saveResult, error) {
	var fe apperr.Fields
	conflict := false
	plans := map[int64]*unitPlan{}
	var order []int64
	forms := map[int64]*indicator.Form{}
	for _, c := range cells {
		if _, ok := plans[c.unitID]; ok {
			continue
		}
		u, err := s.Org.Unit(ctx, c.unitID)
		if apperr.Is(err, apperr.NotFound) {
			fe.Add(c.place, "reporting.err.no_unit", c.unitID)
			plans[c.unitID] = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		if !p.CanActForUnit(u.ID, u.AreaPath) {
			fe.Add(c.place, "reporting.err.unit_scope", u.Name)
			plans[c.unitID] = nil
			continue
		}
		f, ok := forms[u.OrganisationID]
		if !ok {
			f, err = s.FormFor(ctx, u, per)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
			forms[u.OrganisationID] = f
		}
		if f == nil {
			fe.Add(c.place, "reporting.err.no_form", u.Name, per.Type.LabelVI())
			plans[c.unitID] = nil
			continue
		}
		plans[c.unitID] = &unitPlan{unit: u, form: f, first: c.place}
		order = append(order, c.unitID)
	}
	slices.Sort(order)
	unitIDs := order
	for _, id := range order {
		up := plans[id]
		var err error
		if tx != nil {
			up.report, _, err = s.lockReport(ctx, tx, id, per.Code(), &up.form.ID)
		} else {
			up.report, err = reportOf(ctx, q, id, per.Code())
		}
		if err != nil {
			return nil, err
		}
		status := Draft
		if up.report != nil {
			status = up.report.Status
		}
		if _, err := Next(status, Save, p.Role); err != nil {
			e, _ := apperr.As(err)
			if e == nil || e.Code == apperr.Forbidden {
				return nil, err
			}
			fe.Add(up.first, "reporting.err.unit_locked_"+string(status), up.unit.Name)
			plans[id] = nil
		}
	}
	stored, err := loadValues(ctx, q, unitIDs, []string{per.Code()})
	if err != nil {
		return nil, err
	}
	res := &saveResult{}
	seen := map[string]string{}
	for _, c := range cells {
		up := plans[c.unitID]
		if up == nil {
			continue
		}
		if up.stored == nil {
			up.stored = stored[c.unitID][per.Code()]
			if up.stored == nil {
				up.stored = map[string]Value{}
			}
		}
		pc, key, ok := s.checkCell(ctx, &fe, up, c)
		if !ok {
			continue
		}
		dup := fmt.Sprintf("%d/%s", c.unitID, key)
		if prev, ok := seen[dup]; ok {
			fe.Add(c.place, "reporting.err.duplicate", prev)
			continue
		}
		seen[dup] = c.place
		if old, ok := up.stored[key]; ok {
			pc.old = &old
		}
		var oldNum *int64
		var oldText *string
		var oldVer int64
		if pc.old != nil {
			oldNum, oldText, oldVer = pc.old.Num, pc.old.Text, pc.old.Version
		}
		if sameValue(oldNum, oldText, pc.num, pc.text) {
			res.unchanged++
			continue
		}
		if c.version != nil && *c.version != oldVer && !s.sawStored(pc, c.seen) {
			conflict = true
			addConflict(&fe, pc, s.now())
			continue
		}
		up.changes = append(up.changes, pc)
	}
	if opts.checkRules && len(fe) == 0 {
		rules, err := s.Ind.Rules(ctx)
		if err != nil {
			return nil, err
		}
		for _, id := range order {
			if up := plans[id]; up != nil && len(up.changes) > 0 {
				for _, v := range indicator.Check(up.form, totals(up.merged()), rules) {
					if v.Severity == indicator.Blocking {
						fe.Add(up.first, "reporting.err.rule", up.unit.Name, v.Message)
					}
				}
			}
		}
	}
	if len(fe) > 0 {
		return nil, fieldsError(fe, conflict)
	}
	for _, id := range order {
		if up := plans[id]; up != nil {
			res.plans = append(res.plans, up)
		}
	}
	return res, nil
}

// checkCell resolves a cell's indicator and option and parses its value.
func (s *Service) checkCell(ctx context.Context, fe *apperr.Fields, up *unitPlan, c cellIn) (*planned, string, bool) {
	code := indicator.NormalizeCode(c.code)
	ind := up.form.Indicator(code)
	if ind == nil {
		if code == "" {
			fe.Add(c.place, "reporting.err.no_indicator_code")
		} else if known, err := s.Ind.IndicatorByCode(ctx, code); err == nil {
			fe.Add(c.place, "reporting.err.not_in_form", known.NameVI, code, up.unit.Name)
		} else {
			fe.Add(c.place, "reporting.err.no_indicator", code)
		}
		return nil, "", false
	}
	if ind.DerivedFrom != "" {
		fe.Add(c.place, "reporting.err.derived", ind.NameVI, ind.DerivedFrom)
		return nil, "", false
	}
	option := strings.ToLower(strings.TrimSpace(c.option))
	if d := ind.Disaggregation; d != nil {
		found := false
		var codes []string
		for _, o := range d.Options {
			codes = append(codes, o.Code)
			found = found || o.Code == option
		}
		if !found {
			fe.Add(c.place, "reporting.err.bad_option", c.option, ind.NameVI, strings.Join(codes, ", "))
			return nil, "", false
		}
	} else if option != "" {
		fe.Add(c.place, "reporting.err.no_options", ind.NameVI, c.option)
		return nil, "", false
	}
	num, text, err := indicator.ParseValue(*ind, c.raw)
	if err != nil {
		var ve *indicator.ValueError
		if errors.As(err, &ve) {
			fe.Add(c.place, "reporting.err.value", ve.Msg)
			return nil, "", false
		}
		fe.Add(c.place, "reporting.err.value", err.Error())
		return nil, "", false
	}
	c.option = option
	return &planned{cellIn: c, ind: ind, num: num, text: text}, cellKey(ind.Code, option), true
}

// sawStored tells whether what the user saw is what is stored now: the
// value changed and changed back, so the user's edit loses nothing.
func (s *Service) sawStored(pc *planned, seen *string) bool {
	if seen == nil {
		return false
	}
	num, text, err := indicator.ParseValue(*pc.ind, *seen)
	if err != nil {
		return false
	}
	var oldNum *int64
	var oldText *string
	if pc.old != nil {
		oldNum, oldText = pc.old.Num, pc.old.Text
	}
	return sameValue(oldNum, oldText, num, text)
}

// label names a cell for people: the indicator, and the option in brackets.
func label(ind *indicator.Indicator, option string) string {
	if ind.Disaggregation != nil && option != "" {
		for _, o := range ind.Disaggregation.Options {
			if o.Code == option {
				return ind.NameVI + " (" + o.NameVI + ")"
			}
		}
	}
	return ind.NameVI
}

// addConflict names the cell, who changed it to what and when, and the
// user's value.
func addConflict(fe *apperr.Fields, pc *planned, now time.Time) {
	stored, when, who := "", "", ""
	if pc.old != nil {
		stored = display(pc.ind, pc.old.Num, pc.old.Text)
		when = clock(pc.old.UpdatedAt, now)
		who = pc.old.UpdatedByName
	}
	if stored == "" {
		stored = "(trống)"
	}
	yours := display(pc.ind, pc.num, pc.text)
	if yours == "" {
		yours = "(trống)"
	}
	if who == "" {
		fe.Add(pc.place, "reporting.err.conflict_anon", label(pc.ind, pc.option), stored, when, yours)
		return
	}
	fe.Add(pc.place, "reporting.err.conflict", label(pc.ind, pc.option), who, stored, when, yours)
}

// clock is "14:05" for a time today in Vietnam, "14:05 ngày 26/08/2021" otherwise.
func clock(t, now time.Time) string {
	t, now = t.In(Vietnam), now.In(Vietnam)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("15:04 ngày 02/01/2006")
}

// fieldsError turns collected problems into one error: Conflict when a
// value changed under the user, Invalid otherwise. A single problem is also
// the error's own message, so the API and the page show it as it is.
func fieldsError(fe apperr.Fields, conflict bool) error {
	code := apperr.Invalid
	if conflict {
		code = apperr.Conflict
	}
	if len(fe) == 1 {
		return &apperr.Error{Code: code, Key: fe[0].Key, Args: fe[0].Args, Fields: fe}
	}
	return &apperr.Error{Code: code, Key: "reporting.err.batch", Args: []any{len(fe)}, Fields: fe}
}

// merged is the unit's cells after the planned changes.
func (up *unitPlan) merged() map[string]Value {
	m := make(map[string]Value, len(up.stored)+len(up.changes))
	for k, v := range up.stored {
		m[k] = v
	}
	for _, c := range up.changes {
		m[c.key()] = Value{IndicatorCode: c.ind.Code, Option: c.option, Num: c.num, Text: c.text}
	}
	return m
}

// write stores the planned changes, one audit entry per report.
func (s *Service) write(ctx context.Context, tx *sql.Tx, per period.Period, res *saveResult) error {
	now := s.now()
	actor := audit.ActorFrom(ctx)
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	for _, up := range res.plans {
		if len(up.changes) == 0 {
			continue
		}
		oldView, newView := map[string]any{}, map[string]any{}
		for _, c := range up.changes {
			if c.old == nil {
				err := tx.QueryRowContext(ctx, `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, version, updated_at, updated_by)
					VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING version`,
					up.unit.ID, per.Code(), c.ind.ID, c.option, c.num, c.text, now, by).Scan(&c.newVer)
				if db.IsUniqueViolation(err) {
					return apperr.Wrap(err, apperr.Conflict, "err.conflict")
				}
				if err != nil {
					return fmt.Errorf("reporting: insert value: %w", err)
				}
				oldView[c.key()] = nil
			} else {
				r, err := tx.ExecContext(ctx, `UPDATE data_values SET value_num = $1, value_text = $2, version = version + 1, updated_at = $3, updated_by = $4
					WHERE unit_id = $5 AND period = $6 AND indicator_id = $7 AND option = $8 AND version = $9`,
					c.num, c.text, now, by, up.unit.ID, per.Code(), c.ind.ID, c.option, c.old.Version)
				if err != nil {
					return fmt.Errorf("reporting: update value: %w", err)
				}
				if n, _ := r.RowsAffected(); n != 1 {
					return apperr.New(apperr.Conflict, "err.conflict")
				}
				c.newVer = c.old.Version + 1
				oldView[c.key()] = auditValue(c.old.Num, c.old.Text)
			}
			c.updatedAt = now
			newView[c.key()] = auditValue(c.num, c.text)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET version = version + 1, updated_at = $1 WHERE id = $2", now, up.report.ID); err != nil {
			return fmt.Errorf("reporting: touch report: %w", err)
		}
		oldView["_period"], newView["_period"] = per.Code(), per.Code()
		oldView["_unit"], newView["_unit"] = up.unit.ID, up.unit.ID
		if err := audit.Record(ctx, tx, audit.Update, "report_values", up.report.ID, oldView, newView); err != nil {
			return err
		}
	}
	return nil
}

func auditValue(num *int64, text *string) any {
	switch {
	case num != nil:
		return *num
	case text != nil:
		return *text
	}
	return nil
}
