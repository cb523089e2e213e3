package indicator

import "giaoban/internal/period"

// Narratives are the free-text sections every form has, in report order.
// They are fixed, not stored per form.
var Narratives = []Narrative{
	{Code: NarrativeResults, NameVI: "Kết quả đạt được", NameEN: "Results achieved"},
	{Code: NarrativeLimits, NameVI: "Tồn tại, hạn chế", NameEN: "Shortcomings and limitations"},
	{Code: NarrativeNextTasks, NameVI: "Phương hướng, nhiệm vụ kỳ tới", NameEN: "Direction and tasks for the next period"},
	{Code: NarrativeProposals, NameVI: "Kiến nghị, đề xuất", NameEN: "Recommendations and proposals"},
}

// narratives returns a copy of Narratives for a form.
func narratives() []Narrative { return append([]Narrative(nil), Narratives...) }

// Name returns the section's name in lang.
func (s Section) Name(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	return s.NameVI
}

// Name returns the indicator's name in lang.
func (ind Indicator) Name(lang string) string {
	if lang == "en" && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameVI
}

// Unit returns the unit of measure in lang.
func (ind Indicator) Unit(lang string) string {
	if lang == "en" && ind.UnitEN != "" {
		return ind.UnitEN
	}
	return ind.UnitVI
}

// Numeric tells whether the indicator takes a number (everything but text).
func (ind Indicator) Numeric() bool { return ind.ValueType != Text }

// ReportedBy tells whether an organisation (by code, any case) reports the
// indicator: every organisation does when the list is empty.
func (ind Indicator) ReportedBy(orgCode string) bool {
	if len(ind.Organisations) == 0 {
		return true
	}
	for _, c := range ind.Organisations {
		if equalFoldASCII(c, orgCode) {
			return true
		}
	}
	return false
}

// Name returns the form's name in lang.
func (f Form) Name(lang string) string {
	if lang == "en" && f.NameEN != "" {
		return f.NameEN
	}
	return f.NameVI
}

// Indicator returns the form's indicator with a code, or nil.
func (f *Form) Indicator(code string) *Indicator {
	for i := range f.Indicators {
		if f.Indicators[i].Code == code {
			return &f.Indicators[i]
		}
	}
	return nil
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// SectionInput creates or changes a section.
type SectionInput struct {
	Code      string `json:"code"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en"`
	SortOrder int    `json:"sort_order"`
}

// DisaggregationInput creates or changes a disaggregation and its options
// (at least two, in order).
type DisaggregationInput struct {
	Code    string   `json:"code"`
	NameVI  string   `json:"name_vi"`
	NameEN  string   `json:"name_en"`
	Options []Option `json:"options"`
}

// IndicatorInput creates or changes an indicator.
type IndicatorInput struct {
	Code       string      `json:"code"`
	NameVI     string      `json:"name_vi"`
	NameEN     string      `json:"name_en"`
	Section    string      `json:"section"` // section code
	UnitVI     string      `json:"unit_vi"`
	UnitEN     string      `json:"unit_en"`
	ValueType  ValueType   `json:"value_type"`
	Scale      int         `json:"scale"`
	AggUnits   Aggregation `json:"agg_units"`
	AggPeriods Aggregation `json:"agg_periods"`
	Cumulative bool        `json:"cumulative"`
	Min        *int64      `json:"min"`
	Max        *int64      `json:"max"`
	// Organisations reporting it, by code (any case); empty: every one.
	Organisations []string `json:"organisations"`
	// Disaggregation by code ("gender", "ethnicity"); "" for none.
	Disaggregation string `json:"disaggregation"`
	DerivedFrom    string `json:"derived_from"`
	SortOrder      int    `json:"sort_order"`
	Retired        *bool  `json:"retired"`
}

// Input returns the indicator as an input, for changing some fields (PATCH).
func (ind Indicator) Input() IndicatorInput {
	in := IndicatorInput{
		Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN, Section: ind.Section,
		UnitVI: ind.UnitVI, UnitEN: ind.UnitEN, ValueType: ind.ValueType, Scale: ind.Scale,
		AggUnits: ind.AggUnits, AggPeriods: ind.AggPeriods, Cumulative: ind.Cumulative,
		Min: ind.Min, Max: ind.Max, Organisations: append([]string(nil), ind.Organisations...),
		DerivedFrom: ind.DerivedFrom, SortOrder: ind.SortOrder,
	}
	if ind.Disaggregation != nil {
		in.Disaggregation = ind.Disaggregation.Code
	}
	r := ind.Retired
	in.Retired = &r
	return in
}

// FormInput creates or changes a form. The organisation is given by
// OrganisationID or, when that is nil, by Organisation (a code); neither
// means a generic form for every organisation.
type FormInput struct {
	Code           string      `json:"code"`
	NameVI         string      `json:"name_vi"`
	NameEN         string      `json:"name_en"`
	OrganisationID *int64      `json:"organisation_id"`
	Organisation   string      `json:"organisation,omitempty"`
	PeriodType     period.Type `json:"period_type"`
	// Indicators by code, in form order.
	Indicators []string `json:"indicators"`
	Active     *bool    `json:"active"`
}

// Input returns the form as an input, for changing some fields (PATCH).
func (f Form) Input() FormInput {
	in := FormInput{Code: f.Code, NameVI: f.NameVI, NameEN: f.NameEN, OrganisationID: f.OrganisationID, PeriodType: f.PeriodType}
	for _, ind := range f.Indicators {
		in.Indicators = append(in.Indicators, ind.Code)
	}
	a := f.Active
	in.Active = &a
	return in
}

// RuleInput creates or changes a rule.
type RuleInput struct {
	Code      string   `json:"code"`
	Left      string   `json:"left"`
	Operator  string   `json:"operator"`
	Right     string   `json:"right"`
	Severity  Severity `json:"severity"`
	MessageVI string   `json:"message_vi"`
	MessageEN string   `json:"message_en"`
	Active    *bool    `json:"active"`
}

// Input returns the rule as an input, for changing some fields (PATCH).
func (r Rule) Input() RuleInput {
	a := r.Active
	return RuleInput{Code: r.Code, Left: r.Left, Operator: r.Operator, Right: r.Right, Severity: r.Severity,
		MessageVI: r.MessageVI, MessageEN: r.MessageEN, Active: &a}
}

// Codes lists the indicator codes a rule names, each once.
func (r Rule) Codes() []string {
	var out []string
	seen := map[string]bool{}
	for _, side := range []string{r.Left, r.Right} {
		e, err := ParseExpr(side)
		if err != nil {
			continue
		}
		for _, c := range e.Codes() {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Valid tells whether v is a known value type.
func (v ValueType) Valid() bool {
	for _, x := range ValueTypes {
		if x == v {
			return true
		}
	}
	return false
}

// Valid tells whether a is a known aggregation.
func (a Aggregation) Valid() bool {
	for _, x := range Aggregations {
		if x == a {
			return true
		}
	}
	return false
}

// Valid tells whether s is a known severity.
func (s Severity) Valid() bool { return s == Blocking || s == Warning }

// Name returns the disaggregation's name in lang.
func (d Disaggregation) Name(lang string) string {
	if lang == "en" && d.NameEN != "" {
		return d.NameEN
	}
	return d.NameVI
}

// Name returns the option's name in lang.
func (o Option) Name(lang string) string {
	if lang == "en" && o.NameEN != "" {
		return o.NameEN
	}
	return o.NameVI
}

// Name returns the narrative's name in lang.
func (n Narrative) Name(lang string) string {
	if lang == "en" && n.NameEN != "" {
		return n.NameEN
	}
	return n.NameVI
}

// Name returns the organisation's name in lang.
func (o OrgRef) Name(lang string) string {
	if lang == "en" && o.NameEN != "" {
		return o.NameEN
	}
	return o.NameVI
}
