package org

// Import, part two: resolving parsed rows against the database (levels,
// parents, organisations, areas, what already exists) and applying them.
// All or nothing: every row is checked first and every problem listed; only
// a clean file is written, in one transaction, with an audit entry per
// change. A row that matches an existing record (by code, or by parent and
// name for areas without code, or by organisation and area for units)
// updates it when something differs and is "unchanged" otherwise, so that
// importing the same file twice changes nothing the second time.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// What an import does with a row.
const (
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionUnchanged = "unchanged"
)

// RowResult says what an import does (or did) with one row.
type RowResult struct {
	Line   int    `json:"line"`
	Action string `json:"action"`
	ID     int64  `json:"id,omitempty"` // after applying
	Code   string `json:"code,omitempty"`
	Name   string `json:"name"`
	// Areas: the level and the parent; units: the organisation and the area.
	Kind    string   `json:"kind,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Changes []string `json:"changes,omitempty"` // columns that change
}

// ImportResult summarises an import: the preview of a dry run, or what
// was written.
type ImportResult struct {
	Kind      string      `json:"kind"`
	Applied   bool        `json:"applied"`
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Ignored   []string    `json:"ignored_columns,omitempty"`
	Digest    string      `json:"digest"` // SHA-256 of the file, hex
	Rows      []RowResult `json:"rows"`
}

// Digest is the hex SHA-256 of an import file.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func (r *ImportResult) count() {
	r.Created, r.Updated, r.Unchanged = 0, 0, 0
	for _, row := range r.Rows {
		switch row.Action {
		case ActionCreate:
			r.Created++
		case ActionUpdate:
			r.Updated++
		default:
			r.Unchanged++
		}
	}
}

// areaIndex holds every area, for resolving references without a query
// per row.
type areaIndex struct {
	byID         map[int64]*Area
	byCode       map[string]*Area
	byName       map[string][]*Area
	byParentName map[int64]map[string][]*Area // parent 0: roots
}

func loadAreaIndex(ctx context.Context, q db.Q) (*areaIndex, error) {
	all, err := queryAreas(ctx, q, "SELECT "+areaCols+areaFrom+" ORDER BY a.id")
	if err != nil {
		return nil, err
	}
	idx := &areaIndex{byID: map[int64]*Area{}, byCode: map[string]*Area{}, byName: map[string][]*Area{}, byParentName: map[int64]map[string][]*Area{}}
	for i := range all {
		a := &all[i]
		idx.byID[a.ID] = a
		if a.Code != nil {
			idx.byCode[*a.Code] = a
		}
		f := vn.Fold(a.Name)
		idx.byName[f] = append(idx.byName[f], a)
		var pid int64
		if a.ParentID != nil {
			pid = *a.ParentID
		}
		if idx.byParentName[pid] == nil {
			idx.byParentName[pid] = map[string][]*Area{}
		}
		idx.byParentName[pid][f] = append(idx.byParentName[pid][f], a)
	}
	return idx, nil
}

// codeVariants are the ways a code may have been written: as is, and with
// the leading zeros a spreadsheet drops from a number ("1" → "01", "001",
// "00001").
func codeVariants(code string) []string {
	out := []string{code}
	for _, n := range []int{2, 3, 5} {
		if len(code) < n {
			out = append(out, strings.Repeat("0", n-len(code))+code)
		}
	}
	return out
}

// byCodeAny finds an area by any variant of a code.
func (idx *areaIndex) byCodeAny(code string) *Area {
	for _, c := range codeVariants(code) {
		if a := idx.byCode[c]; a != nil {
			return a
		}
	}
	return nil
}

// resolve finds the areas a reference cell names: "#123" (an id), a trail
// of names from an ancestor down ("Huyện X / Xã Y / Thôn 1", also with
// "›"), or a name; diacritics and case ignored.
func (idx *areaIndex) resolve(cell string) []*Area {
	cell = strings.TrimSpace(cell)
	if id, err := strconv.ParseInt(strings.TrimPrefix(cell, "#"), 10, 64); err == nil && strings.HasPrefix(cell, "#") {
		if a := idx.byID[id]; a != nil {
			return []*Area{a}
		}
		return nil
	}
	segs := splitTrail(cell)
	if len(segs) <= 1 {
		return idx.byName[vn.Fold(cell)]
	}
	cands := idx.byName[vn.Fold(segs[0])]
	for _, seg := range segs[1:] {
		f := vn.Fold(seg)
		var next []*Area
		for _, c := range cands {
			next = append(next, idx.byParentName[c.ID][f]...)
		}
		cands = next
	}
	return cands
}

func splitTrail(s string) []string {
	s = strings.ReplaceAll(s, "›", " / ")
	parts := strings.Split(s, " / ")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ref is how an export names an area so that an import finds it again:
// its code, else its name when no other area has it, else its trail from
// the root, else "#id".
func (idx *areaIndex) ref(a *Area) string {
	if a.Code != nil {
		return *a.Code
	}
	if len(idx.byName[vn.Fold(a.Name)]) == 1 {
		return a.Name
	}
	var names []string
	for _, id := range pathIDs(a.Path) {
		if x := idx.byID[id]; x != nil {
			names = append(names, x.Name)
		}
	}
	trail := strings.Join(names, " / ")
	if got := idx.resolve(trail); len(got) == 1 && got[0].ID == a.ID && len(names) > 1 {
		return trail
	}
	return "#" + strconv.FormatInt(a.ID, 10)
}

// standardCodeLen is the length of a GSO code at a standard level.
var standardCodeLen = map[string]int{LevelProvince: 2, LevelDistrict: 3, LevelCommune: 5}

// pickCurrent narrows candidates to the current ones (no end of validity)
// when that leaves exactly one.
func pickCurrent(cands []*Area) []*Area {
	if len(cands) <= 1 {
		return cands
	}
	var cur []*Area
	for _, a := range cands {
		if !a.Closed() {
			cur = append(cur, a)
		}
	}
	if len(cur) == 1 {
		return cur
	}
	return cands
}

// areaStep is the plan for one area row.
type areaStep struct {
	row        AreaRow
	level      AreaLevel
	code       string
	existing   *Area
	parentDB   *Area
	parentStep int // 1-based index of the file row that creates the parent
	keepParent bool
	result     RowResult
}

type areaPlan struct {
	steps    []*areaStep
	problems []Problem
}

func (s *AreaSheet) label(col string) string {
	if s.cols == nil {
		return col
	}
	if l := s.cols.label[col]; l != "" {
		return l
	}
	return col
}

// planAreas resolves every row of an area file against q.
func planAreas(ctx context.Context, q db.Q, sh *AreaSheet) (*areaPlan, error) {
	levels, err := levels(ctx, q)
	if err != nil {
		return nil, err
	}
	idx, err := loadAreaIndex(ctx, q)
	if err != nil {
		return nil, err
	}
	var levelNames []string
	for _, l := range levels {
		levelNames = append(levelNames, l.NameVI)
	}
	plan := &areaPlan{}
	fileByCode := map[string]int{}   // code → 1-based step
	fileByName := map[string][]int{} // folded name → steps
	fileByKey := map[string][]int{}  // parent key + folded name → steps
	hasParentCols := sh.Has(ColParentCode) || sh.Has(ColParentName)
	for _, row := range sh.Rows {
		st := &areaStep{row: row, code: row.Code}
		n := len(plan.steps) + 1
		bad := func(col, key string, args ...any) {
			plan.problems = append(plan.problems, Problem{Line: row.Line, Column: sh.label(col), Key: key, Args: args})
		}
		lvl, ok := MatchLevel(levels, row.Level)
		if ok {
			st.level = lvl
			if want := standardCodeLen[lvl.Code]; st.code != "" && len(st.code) < want {
				st.code = strings.Repeat("0", want-len(st.code)) + st.code
			}
		} else {
			bad(ColLevel, "org.import.err.level", row.Level, strings.Join(levelNames, ", "))
		}
		// The parent: a row earlier in the file, or an area in the database.
		switch {
		case row.ParentCode != "":
			found := false
			for _, c := range codeVariants(row.ParentCode) {
				if j := fileByCode[c]; j != 0 {
					st.setParentStep(plan, j)
					found = true
					break
				}
			}
			if !found {
				if a := idx.byCodeAny(row.ParentCode); a != nil {
					st.parentDB = a
				} else {
					bad(ColParentCode, "org.import.err.parent_not_found", row.ParentCode)
				}
			}
		case row.ParentName != "":
			f := vn.Fold(row.ParentName)
			if js := fileByName[f]; len(js) == 1 {
				st.setParentStep(plan, js[0])
			} else if len(js) > 1 {
				bad(ColParentName, "org.import.err.parent_ambiguous", row.ParentName)
			} else {
				switch cands := pickCurrent(idx.resolve(row.ParentName)); len(cands) {
				case 1:
					st.parentDB = cands[0]
				case 0:
					bad(ColParentName, "org.import.err.parent_not_found", row.ParentName)
				default:
					bad(ColParentName, "org.import.err.parent_ambiguous", row.ParentName)
				}
			}
		default:
			st.keepParent = !hasParentCols
		}
		// The area the row names, if it exists.
		folded := vn.Fold(row.Name)
		if st.code != "" {
			if j := fileByCode[st.code]; j != 0 {
				bad(ColCode, "org.import.err.dup_in_file", st.code, plan.steps[j-1].row.Line)
			}
			st.existing = idx.byCode[st.code]
		}
		if st.existing == nil {
			var cands []*Area
			var key string
			switch {
			case st.keepParent:
				cands, key = idx.byName[folded], "keep"
			case st.parentStep != 0:
				key = "f" + strconv.Itoa(st.parentStep)
			case st.parentDB != nil:
				cands, key = idx.byParentName[st.parentDB.ID][folded], "d"+strconv.FormatInt(st.parentDB.ID, 10)
			default:
				cands, key = idx.byParentName[0][folded], "root"
			}
			if st.code != "" { // a code not yet known may name an area without code
				var nocode []*Area
				for _, a := range cands {
					if a.Code == nil {
						nocode = append(nocode, a)
					}
				}
				cands = nocode
			}
			var match []*Area
			for _, a := range cands {
				if !sh.Has(ColValidFrom) && !sh.Has(ColValidTo) || overlaps(row.ValidFrom, row.ValidTo, a.ValidFrom, a.ValidTo) {
					match = append(match, a)
				}
			}
			match = pickCurrent(match)
			switch len(match) {
			case 1:
				st.existing = match[0]
			case 0:
			default:
				bad(ColName, "org.import.err.ambiguous", row.Name)
			}
			if st.code == "" {
				for _, j := range fileByKey[key+"|"+folded] {
					if o := plan.steps[j-1].row; overlaps(row.ValidFrom, row.ValidTo, o.ValidFrom, o.ValidTo) {
						bad(ColName, "org.import.err.dup_in_file", row.Name, o.Line)
						break
					}
				}
			}
			fileByKey[key+"|"+folded] = append(fileByKey[key+"|"+folded], n)
		}
		// The parent's level must be shallower.
		var parentDepth int
		var parentName string
		switch {
		case st.parentDB != nil:
			parentDepth, parentName = st.parentDB.LevelDepth, st.parentDB.Name
		case st.parentStep != 0:
			p := plan.steps[st.parentStep-1]
			parentDepth, parentName = p.level.Depth, p.row.Name
		case st.keepParent && st.existing != nil && st.existing.ParentID != nil:
			if p := idx.byID[*st.existing.ParentID]; p != nil {
				parentDepth, parentName = p.LevelDepth, p.Name
			}
		}
		if ok && parentDepth >= st.level.Depth && parentName != "" {
			bad(ColLevel, "org.import.err.parent_level", parentName, st.level.NameVI)
		}
		if st.existing != nil && st.parentDB != nil && strings.HasPrefix(st.parentDB.Path, st.existing.Path) {
			col := ColParentCode
			if row.ParentCode == "" {
				col = ColParentName
			}
			bad(col, "org.import.err.cycle", st.parentDB.Name, st.existing.Name)
		}
		st.result = RowResult{Line: row.Line, Code: st.code, Name: row.Name, Kind: st.level.NameVI, Parent: parentName}
		st.decide(sh)
		if st.code != "" {
			fileByCode[st.code] = n
		}
		fileByName[folded] = append(fileByName[folded], n)
		plan.steps = append(plan.steps, st)
	}
	return plan, nil
}

// setParentStep makes the file row j (1-based) the parent; when that row
// names an existing area, the parent is that area.
func (st *areaStep) setParentStep(plan *areaPlan, j int) {
	if p := plan.steps[j-1]; p.existing != nil {
		st.parentDB = p.existing
		return
	}
	st.parentStep = j
}

// decide sets the row's action and the columns that change.
func (st *areaStep) decide(sh *AreaSheet) {
	e := st.existing
	if e == nil {
		st.result.Action = ActionCreate
		return
	}
	st.result.ID = e.ID
	var ch []string
	if e.Name != st.row.Name {
		ch = append(ch, sh.label(ColName))
	}
	if st.level.ID != 0 && e.LevelID != st.level.ID {
		ch = append(ch, sh.label(ColLevel))
	}
	if st.code != "" && e.CodeString() != st.code {
		ch = append(ch, sh.label(ColCode))
	}
	if !st.keepParent {
		var want int64
		switch {
		case st.parentDB != nil:
			want = st.parentDB.ID
		case st.parentStep != 0:
			want = -1 // a new area: always a move
		}
		var have int64
		if e.ParentID != nil {
			have = *e.ParentID
		}
		if want != have {
			col := ColParentCode
			if !sh.Has(ColParentCode) {
				col = ColParentName
			}
			ch = append(ch, sh.label(col))
		}
	}
	if sh.Has(ColValidFrom) && e.ValidFrom.ISO() != st.row.ValidFrom.ISO() {
		ch = append(ch, sh.label(ColValidFrom))
	}
	if sh.Has(ColValidTo) && e.ValidTo.ISO() != st.row.ValidTo.ISO() {
		ch = append(ch, sh.label(ColValidTo))
	}
	st.result.Changes = ch
	if len(ch) == 0 {
		st.result.Action = ActionUnchanged
	} else {
		st.result.Action = ActionUpdate
	}
}

// input builds the store input of a step; ids holds the ids of the rows
// applied so far.
func (st *areaStep) input(sh *AreaSheet, ids []int64) AreaInput {
	in := AreaInput{LevelID: st.level.ID, Name: st.row.Name, ValidFrom: st.row.ValidFrom, ValidTo: st.row.ValidTo}
	if st.code != "" {
		c := st.code
		in.Code = &c
	}
	e := st.existing
	switch {
	case st.parentDB != nil:
		id := st.parentDB.ID
		in.ParentID = &id
	case st.parentStep != 0:
		id := ids[st.parentStep-1]
		in.ParentID = &id
	case st.keepParent && e != nil:
		in.ParentID = e.ParentID
	}
	if e != nil {
		if in.Code == nil {
			in.Code = e.Code
		}
		if !sh.Has(ColValidFrom) {
			in.ValidFrom = e.ValidFrom
		}
		if !sh.Has(ColValidTo) {
			in.ValidTo = e.ValidTo
		}
	}
	return in
}

// fieldColumn maps a store field to the file column it came from.
var fieldColumn = map[string]string{
	"name": ColName, "code": ColCode, "level_id": ColLevel, "parent_id": ColParentCode,
	"valid_from": ColValidFrom, "valid_to": ColValidTo,
	"organisation_id": ColOrganisation, "area_id": ColArea,
}

// rowProblems turns a store error for a row into problems at that line;
// ok is false when err is not a validation error.
func rowProblems(err error, line int, label func(string) string) ([]Problem, bool) {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid && e.Code != apperr.Conflict {
		return nil, false
	}
	if len(e.Fields) == 0 {
		return []Problem{{Line: line, Key: e.Key, Args: e.Args}}, true
	}
	var ps []Problem
	for _, f := range e.Fields {
		col := f.Field
		if c, ok := fieldColumn[f.Field]; ok {
			col = label(c)
		}
		ps = append(ps, Problem{Line: line, Column: col, Key: f.Key, Args: f.Args})
	}
	return ps, true
}

// ImportAreas reads an area file (CSV or XLSX) and, unless dryRun, writes
// it: all rows or none. The result lists what each row does. A rejected
// file returns an Invalid error whose cause is an *ImportError listing
// every problem.
func (s *Store) ImportAreas(ctx context.Context, data []byte, dryRun bool) (*ImportResult, error) {
	sh, err := ParseAreas(data)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Kind: ImportAreas, Ignored: sh.Ignored, Digest: Digest(data)}
	if err := problemsErr(sh.Problems); err != nil && len(sh.Rows) == 0 {
		return res, err
	}
	run := func(q db.Q, apply bool) error {
		plan, err := planAreas(ctx, q, sh)
		if err != nil {
			return err
		}
		res.Rows = res.Rows[:0]
		for _, st := range plan.steps {
			res.Rows = append(res.Rows, st.result)
		}
		res.count()
		if err := problemsErr(append(append([]Problem(nil), sh.Problems...), plan.problems...)); err != nil {
			return err
		}
		if !apply {
			return nil
		}
		ids := make([]int64, len(plan.steps))
		for i, st := range plan.steps {
			var a *Area
			var err error
			switch st.result.Action {
			case ActionCreate:
				a, err = createArea(ctx, q, st.input(sh, ids))
			case ActionUpdate:
				a, err = updateArea(ctx, q, st.existing.ID, st.input(sh, ids))
			default:
				a = st.existing
			}
			if err != nil {
				if ps, ok := rowProblems(err, st.row.Line, sh.label); ok {
					return problemsErr(ps)
				}
				return err
			}
			ids[i] = a.ID
			res.Rows[i].ID = a.ID
		}
		res.Applied = true
		return nil
	}
	if dryRun {
		return res, run(s.DB, false)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return run(tx, true) })
	if err != nil {
		res.Applied = false
	}
	return res, err
}

// unitStep is the plan for one unit row.
type unitStep struct {
	row      UnitRow
	org      *Organisation
	area     *Area
	name     string
	existing *Unit
	result   RowResult
}

func (s *UnitSheet) label(col string) string {
	if s.cols == nil {
		return col
	}
	if l := s.cols.label[col]; l != "" {
		return l
	}
	return col
}

// matchOrganisation finds an organisation by code or by name (Vietnamese,
// English or short), diacritics ignored.
func matchOrganisation(orgs []Organisation, cell string) (*Organisation, int) {
	c := normCode(cell)
	for i := range orgs {
		if strings.EqualFold(orgs[i].Code, c) {
			return &orgs[i], 1
		}
	}
	f := vn.Fold(cell)
	var found []*Organisation
	for i := range orgs {
		o := &orgs[i]
		if f == vn.Fold(o.NameVI) || f == vn.Fold(o.NameEN) || o.ShortName != "" && f == vn.Fold(o.ShortName) {
			found = append(found, o)
		}
	}
	if len(found) == 1 {
		return found[0], 1
	}
	return nil, len(found)
}

// planUnits resolves every row of a unit file against q; p (when not nil)
// limits the areas to its scope.
func planUnits(ctx context.Context, q db.Q, p *auth.Principal, sh *UnitSheet) ([]*unitStep, []Problem, error) {
	orgs, err := organisations(ctx, q, false)
	if err != nil {
		return nil, nil, err
	}
	idx, err := loadAreaIndex(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	units, err := queryUnits(ctx, q, "SELECT "+unitCols+unitFrom)
	if err != nil {
		return nil, nil, err
	}
	existing := map[[2]int64]*Unit{}
	for i := range units {
		existing[[2]int64{units[i].OrganisationID, units[i].AreaID}] = &units[i]
	}
	var steps []*unitStep
	var problems []Problem
	inFile := map[[2]int64]int{}
	for _, row := range sh.Rows {
		st := &unitStep{row: row}
		bad := func(col, key string, args ...any) {
			problems = append(problems, Problem{Line: row.Line, Column: sh.label(col), Key: key, Args: args})
		}
		o, n := matchOrganisation(orgs, row.Organisation)
		switch {
		case o != nil:
			st.org = o
		case n > 1:
			bad(ColOrganisation, "org.import.err.org_ambiguous", row.Organisation)
		default:
			bad(ColOrganisation, "org.import.err.org_not_found", row.Organisation)
		}
		if a := idx.byCodeAny(row.Area); a != nil && allDigits(row.Area) {
			st.area = a
		} else {
			switch cands := pickCurrent(idx.resolve(row.Area)); len(cands) {
			case 1:
				st.area = cands[0]
			case 0:
				bad(ColArea, "org.import.err.area_not_found", row.Area)
			default:
				bad(ColArea, "org.import.err.area_ambiguous", row.Area, len(cands))
			}
		}
		if st.area != nil && p != nil && !CanManageUnits(p, st.area.Path) {
			bad(ColArea, "org.import.err.out_of_scope", st.area.Name)
		}
		st.name = row.Name
		if st.org != nil && st.area != nil {
			key := [2]int64{st.org.ID, st.area.ID}
			if j := inFile[key]; j != 0 {
				bad(ColArea, "org.import.err.unit_dup_in_file", st.org.NameVI, st.area.Name, j)
			}
			inFile[key] = row.Line
			st.existing = existing[key]
			if st.name == "" {
				if st.existing != nil {
					st.name = st.existing.Name
				} else {
					st.name = DefaultUnitName(*st.org, *st.area)
				}
			}
		}
		st.result = RowResult{Line: row.Line, Name: st.name}
		if st.org != nil {
			st.result.Kind = st.org.NameVI
		}
		if st.area != nil {
			st.result.Parent = st.area.Name
			st.result.Code = st.area.CodeString()
		}
		st.decide(sh)
		steps = append(steps, st)
	}
	return steps, problems, nil
}

func (st *unitStep) decide(sh *UnitSheet) {
	e := st.existing
	if e == nil {
		st.result.Action = ActionCreate
		return
	}
	st.result.ID = e.ID
	var ch []string
	if st.name != "" && st.name != e.Name {
		ch = append(ch, sh.label(ColName))
	}
	if st.row.Active != nil && *st.row.Active != e.Active {
		ch = append(ch, sh.label(ColActive))
	}
	st.result.Changes = ch
	if len(ch) == 0 {
		st.result.Action = ActionUnchanged
	} else {
		st.result.Action = ActionUpdate
	}
}

// ImportUnits reads a unit file (CSV or XLSX) and, unless dryRun, writes
// it: all rows or none. When p is not nil every row's area must be in p's
// scope (a secretariat imports the units of its own subtree); nil is the
// system (command line, seeding).
func (s *Store) ImportUnits(ctx context.Context, p *auth.Principal, data []byte, dryRun bool) (*ImportResult, error) {
	sh, err := ParseUnits(data)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Kind: ImportUnits, Ignored: sh.Ignored, Digest: Digest(data)}
	if err := problemsErr(sh.Problems); err != nil && len(sh.Rows) == 0 {
		return res, err
	}
	run := func(q db.Q, apply bool) error {
		steps, problems, err := planUnits(ctx, q, p, sh)
		if err != nil {
			return err
		}
		res.Rows = res.Rows[:0]
		for _, st := range steps {
			res.Rows = append(res.Rows, st.result)
		}
		res.count()
		if err := problemsErr(append(append([]Problem(nil), sh.Problems...), problems...)); err != nil {
			return err
		}
		if !apply {
			return nil
		}
		for i, st := range steps {
			in := UnitInput{OrganisationID: st.org.ID, AreaID: st.area.ID, Name: st.name, Active: st.row.Active}
			var u *Unit
			var err error
			switch st.result.Action {
			case ActionCreate:
				u, err = createUnit(ctx, q, in)
			case ActionUpdate:
				u, err = updateUnit(ctx, q, st.existing.ID, in)
			default:
				u = st.existing
			}
			if err != nil {
				if ps, ok := rowProblems(err, st.row.Line, sh.label); ok {
					return problemsErr(ps)
				}
				return err
			}
			res.Rows[i].ID = u.ID
		}
		res.Applied = true
		return nil
	}
	if dryRun {
		return res, run(s.DB, false)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return run(tx, true) })
	if err != nil {
		res.Applied = false
	}
	return res, err
}
