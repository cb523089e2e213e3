package reporting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/rollup/bulk"
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
	bulk       bool // fold the changes into the roll-up at the end (batches)
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
		return s.write(ctx, tx, per, res, opts)
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
	units, err := s.unitsByID(ctx, cells)
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		if _, ok := plans[c.unitID]; ok {
			continue
		}
		u := units[c.unitID]
		if u == nil {
			fe.Add(c.place, "reporting.err.no_unit", c.unitID)
			plans[c.unitID] = nil
			continue
		}
		if !p.CanActForUnit(u.ID, u.AreaPath) {
			fe.Add(c.place, "reporting.err.unit_scope", u.Name)
			plans[c.unitID] = nil
			continue
		}
		f, ok := forms[u.OrganisationID]
		if !ok {
			var err error
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
	reports, err := s.reportsOf(ctx, q, tx, per, plans, order)
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		up := plans[id]
		up.report = reports[id]
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

// MaxFieldErrors bounds the problems one error lists (a file of 100,000
// bad cells names the first ones and counts the rest).
const MaxFieldErrors = 1000

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
	n := len(fe)
	if n > MaxFieldErrors {
		fe = append(fe[:MaxFieldErrors:MaxFieldErrors], apperr.FieldError{Field: "…", Key: "reporting.err.more", Args: []any{n - MaxFieldErrors}})
	}
	return &apperr.Error{Code: code, Key: "reporting.err.batch", Args: []any{n}, Fields: fe}
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

// insertChunk is how many new cells one INSERT statement writes. The rows
// travel as one JSON parameter: a statement per 100 rows kept SQLite
// copying every index page it touched into the statement journal again
// and again, and parsing hundreds of parameters.
const insertChunk = 25_000

// insertSQL inserts the new cells of a JSON array of
// [unit_id, indicator_id, option, value_num, value_text] for one period
// ($1), at one time ($2), by one user ($3).
func (s *Service) insertSQL() string {
	if s.DB.Dialect == db.Postgres {
		return `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, version, updated_at, updated_by)
			SELECT (e->>0)::BIGINT, $1, (e->>1)::BIGINT, e->>2, (e->>3)::BIGINT, e->>4, 1, $2, $3
			FROM jsonb_array_elements($4::jsonb) e`
	}
	return `INSERT INTO data_values(unit_id, period, indicator_id, option, value_num, value_text, version, updated_at, updated_by)
		SELECT e.value ->> 0, $1, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, 1, $2, $3 FROM json_each($4) e`
}

// rowsJSON collects new cells as the JSON array insertSQL reads.
type rowsJSON struct {
	b []byte
	n int
}

func (r *rowsJSON) add(unitID, indicatorID int64, option string, num *int64, text *string) {
	if r.n == 0 {
		r.b = append(r.b[:0], '[')
	} else {
		r.b = append(r.b, ',')
	}
	r.n++
	r.b = append(r.b, '[')
	r.b = strconv.AppendInt(r.b, unitID, 10)
	r.b = append(r.b, ',')
	r.b = strconv.AppendInt(r.b, indicatorID, 10)
	r.b = append(r.b, ',')
	r.b = appendJSONString(r.b, option)
	r.b = append(r.b, ',')
	if num != nil {
		r.b = strconv.AppendInt(r.b, *num, 10)
	} else {
		r.b = append(r.b, "null"...)
	}
	r.b = append(r.b, ',')
	if text != nil {
		r.b = appendJSONString(r.b, *text)
	} else {
		r.b = append(r.b, "null"...)
	}
	r.b = append(r.b, ']')
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// write stores the planned changes, one audit entry per report. New cells
// are inserted thousands to a statement and changed ones through one
// prepared statement, so that an import of 100,000 cells stays quick. With
// opts.bulk the roll-up triggers stand aside and the changes are folded
// into the aggregate at the end (package rollup/bulk), a few statements
// instead of a trigger program per value.
func (s *Service) write(ctx context.Context, tx *sql.Tx, per period.Period, res *saveResult, opts saveOpts) error {
	now := s.now()
	actor := audit.ActorFrom(ctx)
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	var fold *bulk.Write
	if opts.bulk {
		var keys []bulk.Key
		for _, up := range res.plans {
			if len(up.changes) > 0 {
				keys = append(keys, bulk.Key{Unit: up.unit.ID, Period: per.Code()})
			}
		}
		if len(keys) > 0 {
			var err error
			if fold, err = bulk.Begin(ctx, tx, s.DB.Dialect, keys); err != nil {
				return err
			}
		}
	}
	var update *sql.Stmt
	defer func() {
		if update != nil {
			update.Close()
		}
	}()
	var pending rowsJSON
	flush := func() error {
		if pending.n == 0 {
			return nil
		}
		pending.b = append(pending.b, ']')
		_, err := tx.ExecContext(ctx, s.insertSQL(), per.Code(), now, by, string(pending.b))
		pending.n = 0
		if db.IsUniqueViolation(err) {
			return apperr.Wrap(err, apperr.Conflict, "err.conflict")
		}
		if err != nil {
			return fmt.Errorf("reporting: insert values: %w", err)
		}
		return nil
	}
	var touched []int64
	for _, up := range res.plans {
		if len(up.changes) == 0 {
			continue
		}
		oldView, newView := make(map[string]any, len(up.changes)+2), make(map[string]any, len(up.changes)+2)
		for _, c := range up.changes {
			if c.old == nil {
				pending.add(up.unit.ID, c.ind.ID, c.option, c.num, c.text)
				if pending.n >= insertChunk {
					if err := flush(); err != nil {
						return err
					}
				}
				c.newVer = 1
				oldView[c.key()] = nil
			} else {
				if update == nil {
					var err error
					update, err = tx.PrepareContext(ctx, `UPDATE data_values SET value_num = $1, value_text = $2, version = version + 1, updated_at = $3, updated_by = $4
						WHERE unit_id = $5 AND period = $6 AND indicator_id = $7 AND option = $8 AND version = $9`)
					if err != nil {
						return fmt.Errorf("reporting: update value: %w", err)
					}
				}
				r, err := update.ExecContext(ctx, c.num, c.text, now, by, up.unit.ID, per.Code(), c.ind.ID, c.option, c.old.Version)
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
		touched = append(touched, up.report.ID)
		oldView["_period"], newView["_period"] = per.Code(), per.Code()
		oldView["_unit"], newView["_unit"] = up.unit.ID, up.unit.ID
		if err := audit.Record(ctx, tx, audit.Update, "report_values", up.report.ID, oldView, newView); err != nil {
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if fold != nil {
		if err := fold.Finish(ctx); err != nil {
			return err
		}
	}
	for ids := range slices.Chunk(touched, 500) {
		args := []any{now}
		var ph []string
		for _, id := range ids {
			args = append(args, id)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET version = version + 1, updated_at = $1 WHERE id IN ("+strings.Join(ph, ",")+")", args...); err != nil {
			return fmt.Errorf("reporting: touch reports: %w", err)
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

// unitsByID loads the units a batch names: one by one for a few, all at
// once for many (an import of a whole district).
func (s *Service) unitsByID(ctx context.Context, cells []cellIn) (map[int64]*org.Unit, error) {
	ids := map[int64]bool{}
	for _, c := range cells {
		ids[c.unitID] = true
	}
	out := make(map[int64]*org.Unit, len(ids))
	if len(ids) > 20 {
		all, err := s.Org.Units(ctx, org.UnitFilter{})
		if err != nil {
			return nil, err
		}
		for i := range all {
			if ids[all[i].ID] {
				out[all[i].ID] = &all[i]
			}
		}
		return out, nil
	}
	for id := range ids {
		u, err := s.Org.Unit(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = u
	}
	return out, nil
}

// reportsOf returns the reports of units for a period. With a transaction
// the missing ones are created and all are locked until it ends, so that
// two saves of one report queue (SQLite transactions on the writer are
// serial already).
func (s *Service) reportsOf(ctx context.Context, q db.Q, tx *sql.Tx, per period.Period, plans map[int64]*unitPlan, order []int64) (map[int64]*Report, error) {
	out := map[int64]*Report{}
	now := s.now()
	for ids := range slices.Chunk(order, 200) {
		if tx != nil {
			var b strings.Builder
			var args []any
			b.WriteString("INSERT INTO reports(unit_id, period, form_id, status, version, created_at, updated_at) VALUES ")
			for i, id := range ids {
				if i > 0 {
					b.WriteString(", ")
				}
				args = append(args, id, per.Code(), plans[id].form.ID, now)
				n := len(args)
				fmt.Fprintf(&b, "($%d, $%d, $%d, 'draft', 1, $%d, $%d)", n-3, n-2, n-1, n, n)
			}
			b.WriteString(" ON CONFLICT (unit_id, period) DO NOTHING")
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return nil, fmt.Errorf("reporting: create reports: %w", err)
			}
		}
		args := []any{per.Code()}
		var ph []string
		for _, id := range ids {
			args = append(args, id)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		query := "SELECT " + reportCols + reportFrom + " WHERE r.period = $1 AND r.unit_id IN (" + strings.Join(ph, ",") + ") ORDER BY r.unit_id"
		if tx != nil && s.DB.Dialect == db.Postgres {
			query += " FOR UPDATE OF r"
		}
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("reporting: reports: %w", err)
		}
		for rows.Next() {
			r, err := scanReport(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("reporting: reports: %w", err)
			}
			out[r.UnitID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
