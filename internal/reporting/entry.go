package reporting

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// historyLength is how many earlier periods feed the outlier check.
const historyLength = 8

// Entry is everything the data-entry form (and the API) shows of one
// report: the rows grouped by section with the values, their versions and
// the comparisons, the narratives, the rule violations, the workflow.
type Entry struct {
	Unit        *org.Unit        `json:"unit"`
	Period      string           `json:"period"`
	PeriodLabel string           `json:"period_label"`
	Report      *Report          `json:"report"`
	Status      Status           `json:"status"`
	FormCode    string           `json:"form"`
	FormName    string           `json:"form_name"`
	Sections    []EntrySection   `json:"sections"`
	Narratives  []EntryNarrative `json:"narratives"`
	// Values are the stored cells with their versions, by cell key order.
	Values     []Value               `json:"values"`
	Violations []indicator.Violation `json:"violations"`
	Events     []Event               `json:"events"`
	Actions    []Action              `json:"actions"`
	Editable   bool                  `json:"editable"`
	Deadline   time.Time             `json:"deadline"`
	// Previous and SameLastYear are the periods compared with.
	Previous     string `json:"previous_period"`
	SameLastYear string `json:"same_period_last_year"`
}

// EntrySection is a heading of the form.
type EntrySection struct {
	Code string     `json:"code"`
	Name string     `json:"name"`
	Rows []EntryRow `json:"rows"`
}

// EntryRow is one indicator of the form.
type EntryRow struct {
	Code      string              `json:"indicator"`
	Name      string              `json:"name"`
	Unit      string              `json:"unit_of_measure"`
	ValueType indicator.ValueType `json:"value_type"`
	Cells     []EntryCell         `json:"cells"`
	// Total is the computed total of a disaggregated indicator.
	Total        string   `json:"total,omitempty"`
	Previous     string   `json:"previous"`
	SameLastYear string   `json:"same_period_last_year"`
	YearToDate   string   `json:"year_to_date"`
	Target       string   `json:"target"`
	Progress     string   `json:"progress"` // year to date / target, "87,5%"
	Outlier      bool     `json:"outlier"`
	Problems     []string `json:"problems,omitempty"`
	// Derived is set when the value is computed from another room (a
	// fund's ledger): shown read-only with where it came from.
	Derived *DerivedMark `json:"derived,omitempty"`
}

// EntryCell is one input: the indicator's value, or one option of it.
type EntryCell struct {
	Key        string    `json:"key"`
	Option     string    `json:"option"`
	OptionName string    `json:"option_name,omitempty"`
	Input      string    `json:"value"` // as an input shows it
	Version    int64     `json:"version"`
	UpdatedBy  string    `json:"updated_by,omitempty"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
	Numeric    bool      `json:"-"`
	// Error is set by the page when a save of this cell was refused.
	Error string `json:"-"`
}

// EntryNarrative is one narrative section.
type EntryNarrative struct {
	Code     string `json:"section"`
	Name     string `json:"name"`
	HTML     string `json:"html"`
	Editable string `json:"-"` // what the textarea shows
	Version  int64  `json:"version"`
	// Hash identifies the text the page showed, so that a form post
	// leaves an untouched section alone.
	Hash string `json:"-"`
}

// textHash is a short digest of a narrative as the textarea shows it.
func textHash(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// Entry builds the entry view of a unit's report for a period in lang.
func (s *Service) Entry(ctx context.Context, unitID int64, periodCode, lang string) (*Entry, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	u, err := s.unitFor(ctx, p, unitID)
	if err != nil {
		return nil, err
	}
	form, err := s.FormFor(ctx, u, per)
	if err != nil {
		return nil, err
	}
	// How derived values are marked (read only: see derivedMarks).
	derived, err := s.derivedMarks(ctx, u, per, form, false)
	if err != nil {
		return nil, err
	}
	r, err := reportOf(ctx, s.DB, u.ID, per.Code())
	if err != nil {
		return nil, err
	}
	settings, err := settingsForPath(ctx, s.DB, u.AreaPath)
	if err != nil {
		return nil, err
	}
	e := &Entry{Unit: u, Period: per.Code(), PeriodLabel: per.Label(lang), Report: r, Status: Draft,
		FormCode: form.Code, FormName: form.Name(lang), Deadline: settings.DeadlineOf(per),
		Previous: per.Prev().Code(), SameLastYear: per.SameLastYear().Code()}
	if r != nil {
		e.Status = r.Status
		if e.Events, err = s.Events(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	if p.CanActForUnit(u.ID, u.AreaPath) {
		e.Actions = Allowed(e.Status, p.Role)
		_, err := Next(e.Status, Save, p.Role)
		e.Editable = err == nil
	}

	// Values of this period, the history and the year to date.
	var hist []period.Period
	for q := per.Prev(); len(hist) < historyLength && q.Valid(); q = q.Prev() {
		hist = append(hist, q)
	}
	ytd := per.YearToDate()
	all := append(append([]period.Period{per}, hist...), ytd...)
	all = append(all, per.SameLastYear())
	cur, err := loadValues(ctx, s.DB, []int64{u.ID}, []string{per.Code()})
	if err != nil {
		return nil, err
	}
	stored := cur[u.ID][per.Code()]
	e.Values = make([]Value, 0, len(stored))
	for _, v := range stored {
		e.Values = append(e.Values, v)
	}
	sort.Slice(e.Values, func(i, j int) bool {
		return cellKey(e.Values[i].IndicatorCode, e.Values[i].Option) < cellKey(e.Values[j].IndicatorCode, e.Values[j].Option)
	})
	tot, err := unitTotals(ctx, s.DB, u.ID, codes(all))
	if err != nil {
		return nil, err
	}
	targets, err := targetMap(ctx, s.DB, per.Year, u.ID, 0)
	if err != nil {
		return nil, err
	}
	rules, err := s.Ind.Rules(ctx)
	if err != nil {
		return nil, err
	}
	e.Violations = indicator.CheckLang(form, tot[per.Code()], rules, lang)
	problems := map[string][]string{}
	for _, v := range e.Violations {
		for _, r := range rules {
			if r.Code == v.RuleCode {
				if cs := r.Codes(); len(cs) > 0 {
					problems[cs[0]] = append(problems[cs[0]], v.Message)
				}
			}
		}
	}
	sections, err := s.Ind.Sections(ctx)
	if err != nil {
		return nil, err
	}
	secIdx := map[string]int{}
	for i := range form.Indicators {
		ind := &form.Indicators[i]
		row := s.entryRow(ind, stored, tot, per, hist, ytd, targets, lang)
		row.Problems = problems[ind.Code]
		if m, ok := derived[ind.Code]; ok {
			row.Derived = &m
		}
		j, ok := secIdx[ind.Section]
		if !ok {
			j = len(e.Sections)
			secIdx[ind.Section] = j
			name := ind.Section
			for _, sec := range sections {
				if sec.Code == ind.Section {
					name = sec.Name(lang)
				}
			}
			e.Sections = append(e.Sections, EntrySection{Code: ind.Section, Name: name})
		}
		e.Sections[j].Rows = append(e.Sections[j].Rows, row)
	}
	var narr map[string]Narrative
	if r != nil {
		if narr, err = s.narratives(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	for _, n := range form.Narratives {
		name := n.NameVI
		if lang == "en" && n.NameEN != "" {
			name = n.NameEN
		}
		st := narr[n.Code]
		ed := Editable(st.HTML)
		e.Narratives = append(e.Narratives, EntryNarrative{Code: n.Code, Name: name, HTML: st.HTML, Editable: ed, Version: st.Version, Hash: textHash(ed)})
	}
	return e, nil
}

// entryRow builds one indicator's row.
func (s *Service) entryRow(ind *indicator.Indicator, stored map[string]Value, tot map[string]map[string]int64, per period.Period,
	hist, ytd []period.Period, targets map[string]int64, lang string) EntryRow {
	row := EntryRow{Code: ind.Code, Name: ind.Name(lang), Unit: ind.Unit(lang), ValueType: ind.ValueType}
	cell := func(option, optName string) EntryCell {
		k := cellKey(ind.Code, option)
		c := EntryCell{Key: k, Option: option, OptionName: optName, Numeric: ind.Numeric()}
		if v, ok := stored[k]; ok {
			c.Input, c.Version, c.UpdatedBy, c.UpdatedAt = indicator.FormatInput(*ind, v.Num, v.Text), v.Version, v.UpdatedByName, v.UpdatedAt
		}
		return c
	}
	if d := ind.Disaggregation; d != nil {
		for _, o := range d.Options {
			name := o.NameVI
			if lang == "en" && o.NameEN != "" {
				name = o.NameEN
			}
			row.Cells = append(row.Cells, cell(o.Code, name))
		}
		if v, ok := tot[per.Code()][ind.Code]; ok {
			row.Total = indicator.FormatValue(*ind, &v, nil)
		}
	} else {
		row.Cells = append(row.Cells, cell("", ""))
	}
	if !ind.Numeric() {
		return row
	}
	show := func(p period.Period) string {
		if v, ok := tot[p.Code()][ind.Code]; ok {
			return indicator.FormatValue(*ind, &v, nil)
		}
		return ""
	}
	row.Previous, row.SameLastYear = show(per.Prev()), show(per.SameLastYear())
	var achieved *int64
	if ind.ValueType != indicator.YesNo {
		achieved = overPeriods(ind, tot, ytd)
		if achieved != nil {
			row.YearToDate = indicator.FormatValue(*ind, achieved, nil)
		}
	}
	if t, ok := targets[ind.Code]; ok {
		row.Target = indicator.FormatValue(*ind, &t, nil)
		if achieved != nil && t > 0 {
			row.Progress = vn.FormatPercent(*achieved, t)
		}
	}
	if v, ok := tot[per.Code()][ind.Code]; ok {
		var h []int64
		for _, q := range hist {
			if x, ok := tot[q.Code()][ind.Code]; ok {
				h = append(h, x)
			}
		}
		row.Outlier = indicator.IsOutlier(h, v)
	}
	return row
}

// PeriodLabel names the report's period for people in lang.
func (r Report) PeriodLabel(lang string) string { return period.CodeLabel(r.Period, lang) }
