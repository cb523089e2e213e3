package rollup

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

// TableQuery asks for a consolidated table.
type TableQuery struct {
	AreaID   int64 // 0: the nation
	Period   period.Period
	Approved bool // approved reports only; false: drafts too
	Lang     string
}

// Cell is one figure of the table; OK is false when nothing was reported.
type Cell struct {
	V  int64
	OK bool
}

// MarshalJSON writes the number, or null.
func (c Cell) MarshalJSON() ([]byte, error) {
	if !c.OK {
		return []byte("null"), nil
	}
	return json.Marshal(c.V)
}

func cellOf(v int64, ok bool) Cell { return Cell{V: v, OK: ok} }

// OrgCol is an organisation column.
type OrgCol struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Row is one indicator of the table.
type Row struct {
	Ind      *indicator.Indicator `json:"-"`
	Code     string               `json:"indicator"`
	Name     string               `json:"name"`
	Unit     string               `json:"unit"`
	ByOrg    []Cell               `json:"by_organisation"`
	Total    Cell                 `json:"total"`
	Prev     Cell                 `json:"previous_period"`
	LastYear Cell                 `json:"same_period_last_year"`
	YTD      Cell                 `json:"year_to_date"`
	Target   Cell                 `json:"annual_target"`
	// PlanPercent is YTD ÷ target in per mille (625 = 62,5 %); null
	// without a target.
	PlanPermille *int64 `json:"plan_permille"`
	Units        int64  `json:"units_reporting"`
	// Derived says where the figures come from when they are not typed
	// (a fund's ledger); nil for typed indicators.
	Derived *reporting.DerivedMark `json:"derived,omitempty"`
	// Window is the span of dates a derived figure of the period counts:
	// the bloc's cut-off window (thời gian chốt số liệu), not the calendar
	// months, so that a reader of the ledger finds the same sum. Set by the
	// bloc's report for derived rows; nil otherwise.
	Window *DateSpan `json:"derived_window,omitempty"`
	// lang is the table's language: how Fmt and PlanText write numbers.
	lang string
}

// DateSpan is a span of days, both inclusive.
type DateSpan struct {
	From db.Date `json:"from"`
	To   db.Date `json:"to"`
}

// Fmt formats a cell of the row in the table's language ("" when empty):
// "22.524" in Vietnamese, "22,524" in English.
func (r Row) Fmt(c Cell) string {
	if !c.OK {
		return ""
	}
	v := c.V
	if r.lang == "en" && r.Ind.ValueType == indicator.YesNo {
		if v != 0 {
			return "Yes"
		}
		return "No"
	}
	return localNum(indicator.FormatValue(*r.Ind, &v, nil), r.lang)
}

// PlanText is the plan progress as "62,5%" ("62.5%" in English; "" without
// a target).
func (r Row) PlanText() string {
	if r.PlanPermille == nil {
		return ""
	}
	return localNum(vn.FormatPercent(*r.PlanPermille, 1000), r.lang)
}

// Section groups the rows of one catalogue section.
type Section struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Rows []Row  `json:"rows"`
}

// Table is the consolidated table of an area for a period: indicators
// (grouped by section) × organisations, the total, the previous period,
// the same period last year, year to date, the annual target and the
// plan's progress.
type Table struct {
	AreaID   int64         `json:"area_id"`
	Period   period.Period `json:"period"`
	Prev     period.Period `json:"previous_period"`
	LastYear period.Period `json:"same_period_last_year"`
	Approved bool          `json:"approved_only"`
	Orgs     []OrgCol      `json:"organisations"`
	Sections []Section     `json:"sections"`
	// HasData tells whether anything was reported for the period itself.
	HasData bool `json:"has_data"`
}

// Rows lists every row, section after section.
func (t *Table) Rows() []Row {
	var out []Row
	for _, s := range t.Sections {
		out = append(out, s.Rows...)
	}
	return out
}

// Row returns the row of an indicator code, nil when absent.
func (t *Table) Row(code string) *Row {
	for i := range t.Sections {
		for j := range t.Sections[i].Rows {
			if t.Sections[i].Rows[j].Code == code {
				return &t.Sections[i].Rows[j]
			}
		}
	}
	return nil
}

// catalogue is what a table is laid out with.
type catalogue struct {
	inds     []indicator.Indicator
	sections []indicator.Section
	orgs     []org.Organisation
	key      string
	at       time.Time
}

// catalogueTTL bounds how long a cached catalogue is trusted even when its
// fingerprint has not changed (a section renamed to a name of the same
// length).
const catalogueTTL = 30 * time.Second

// catalogue returns the indicators, sections and organisations, cached
// while their fingerprint (counts, last changes) stays the same: loading
// them is a tenth of a national table's time.
func (s *Service) catalogue(ctx context.Context) (*catalogue, error) {
	var fp [7]sql.NullString
	err := s.DB.QueryRowContext(ctx, `SELECT
		(SELECT CAST(COUNT(*) AS TEXT) FROM indicators), (SELECT MAX(updated_at) FROM indicators),
		(SELECT CAST(COUNT(*) AS TEXT) FROM indicator_sections), (SELECT CAST(COALESCE(SUM(LENGTH(name_vi) + LENGTH(name_en) + sort_order), 0) AS TEXT) FROM indicator_sections),
		(SELECT CAST(COUNT(*) AS TEXT) FROM organisations), (SELECT MAX(updated_at) FROM organisations),
		(SELECT CAST(COUNT(*) AS TEXT) FROM indicator_organisations)`).Scan(&fp[0], &fp[1], &fp[2], &fp[3], &fp[4], &fp[5], &fp[6])
	if err != nil {
		return nil, fmt.Errorf("rollup: catalogue: %w", err)
	}
	key := fmt.Sprint(fp)
	s.mu.Lock()
	c := s.cat
	s.mu.Unlock()
	if c != nil && c.key == key && time.Since(c.at) < catalogueTTL {
		return c, nil
	}
	c, err = s.loadCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	c.key, c.at = key, time.Now()
	s.mu.Lock()
	s.cat = c
	s.mu.Unlock()
	return c, nil
}

func (s *Service) loadCatalogue(ctx context.Context) (*catalogue, error) {
	inds, err := s.Ind.Indicators(ctx, false)
	if err != nil {
		return nil, err
	}
	secs, err := s.Ind.Sections(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := s.Org.Organisations(ctx, true)
	if err != nil {
		return nil, err
	}
	return &catalogue{inds: inds, sections: secs, orgs: orgs}, nil
}

// loader loads the partials of an area for some period codes.
type loader func(ctx context.Context, areaID int64, codes []string, approved bool, maxInds []int64) (map[cellKey]Partial, error)

// Table builds the consolidated table from the maintained aggregate.
func (s *Service) Table(ctx context.Context, q TableQuery) (*Table, error) {
	t, err := s.table(ctx, q, s.loadScope)
	if err == nil {
		err = s.markDerived(ctx, t)
	}
	return t, err
}

func (s *Service) loadScope(ctx context.Context, areaID int64, codes []string, approved bool, maxInds []int64) (map[cellKey]Partial, error) {
	scope, err := s.scope(ctx, areaID)
	if err != nil {
		return nil, err
	}
	return load(ctx, s.DB, scope, codes, approved, maxInds)
}

func (s *Service) table(ctx context.Context, q TableQuery, ld loader) (*Table, error) {
	p := q.Period
	if !p.Valid() {
		return nil, apperr.Field("period", "rollup.err.period", p.Code())
	}
	cat, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	t := &Table{AreaID: q.AreaID, Period: p, Prev: p.Prev(), LastYear: p.SameLastYear(), Approved: q.Approved}
	seen := map[string]bool{}
	var codes []string
	for _, pp := range []period.Period{p, t.Prev, t.LastYear} {
		for _, c := range codesFor(pp, pp == p) {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	var maxInds []int64
	for i := range cat.inds {
		if cat.inds[i].AggUnits == indicator.Max && aggregable(&cat.inds[i]) {
			maxInds = append(maxInds, cat.inds[i].ID)
		}
	}
	parts, err := ld(ctx, q.AreaID, codes, q.Approved, maxInds)
	if err != nil {
		return nil, err
	}
	targets, err := s.targets(ctx, q.AreaID, p.Year)
	if err != nil {
		return nil, err
	}
	f := &Figures{AreaID: q.AreaID, Approved: q.Approved, ix: indexOf(parts), codes: seen}
	for _, o := range cat.orgs {
		t.Orgs = append(t.Orgs, OrgCol{ID: o.ID, Code: o.Code, Name: o.Short()})
	}
	secIdx := map[string]int{}
	for _, sec := range cat.sections {
		secIdx[sec.Code] = len(t.Sections)
		t.Sections = append(t.Sections, Section{Code: sec.Code, Name: sec.Name(q.Lang)})
	}
	for i := range cat.inds {
		ind := &cat.inds[i]
		if !aggregable(ind) {
			continue
		}
		row := Row{Ind: ind, Code: ind.Code, Name: ind.Name(q.Lang), Unit: ind.Unit(q.Lang), lang: q.Lang}
		any := false
		for _, o := range t.Orgs {
			c := cellOf(f.Value(ind, o.ID, p))
			row.ByOrg = append(row.ByOrg, c)
		}
		row.Total = cellOf(f.Value(ind, 0, p))
		row.Prev = cellOf(f.Value(ind, 0, t.Prev))
		row.LastYear = cellOf(f.Value(ind, 0, t.LastYear))
		row.YTD = cellOf(f.YTD(ind, 0, p))
		row.Units = f.Units(ind, 0, p)
		if tv, ok := targets[ind.ID]; ok {
			row.Target = Cell{V: tv, OK: true}
			if tv > 0 && row.YTD.OK {
				pm := divRound(row.YTD.V*1000, tv)
				row.PlanPermille = &pm
			}
		}
		any = row.Total.OK || row.Prev.OK || row.LastYear.OK || row.YTD.OK || row.Target.OK
		if row.Total.OK {
			t.HasData = true
		}
		if !any {
			continue
		}
		k, ok := secIdx[ind.Section]
		if !ok {
			k = len(t.Sections)
			secIdx[ind.Section] = k
			t.Sections = append(t.Sections, Section{Code: ind.Section, Name: ind.Section})
		}
		t.Sections[k].Rows = append(t.Sections[k].Rows, row)
	}
	var kept []Section
	for _, sec := range t.Sections {
		if len(sec.Rows) > 0 {
			kept = append(kept, sec)
		}
	}
	t.Sections = kept
	return t, nil
}

// targets returns the annual plan of an area by indicator: the bloc's own
// target where the plan sets one, otherwise the sum of its units' targets.
func (s *Service) targets(ctx context.Context, areaID int64, year int) (map[int64]int64, error) {
	out := map[int64]int64{}
	var path string
	if areaID != Nation {
		p, err := s.Org.AreaPath(ctx, areaID)
		if err != nil {
			return nil, err
		}
		path = p
		rows, err := s.DB.QueryContext(ctx, "SELECT indicator_id, value FROM targets WHERE year = $1 AND area_id = $2", year, areaID)
		if err != nil {
			return nil, fmt.Errorf("rollup: targets: %w", err)
		}
		for rows.Next() {
			var id, v int64
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("rollup: targets: %w", err)
			}
			out[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.indicator_id, SUM(t.value) FROM targets t JOIN units u ON u.id = t.unit_id
		JOIN areas a ON a.id = u.area_id WHERE t.year = $1 AND t.unit_id IS NOT NULL AND a.path LIKE $2 GROUP BY t.indicator_id`, year, path+"%")
	if err != nil {
		return nil, fmt.Errorf("rollup: unit targets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("rollup: unit targets: %w", err)
		}
		if _, set := out[id]; !set {
			out[id] = v
		}
	}
	return out, rows.Err()
}

// sortedOrgIDs lists organisation ids of partials, for tests and charts.
func sortedOrgIDs(parts map[cellKey]Partial) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for k := range parts {
		if !seen[k.org] {
			seen[k.org] = true
			out = append(out, k.org)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
