// Package indicator holds the catalogue of indicators (chỉ tiêu), the report
// forms (data sets) that group them for an organisation and a period type,
// and the validation rules between indicators. Values live in reporting;
// this room says what may be reported and what is valid.
package indicator

import (
	"time"

	"giaoban/internal/period"
)

// ValueType is the kind of value an indicator takes.
type ValueType string

const (
	Integer ValueType = "integer" // counts: người, lượt, buổi, ngôi nhà…
	Money   ValueType = "money"   // int64 đồng
	Decimal ValueType = "decimal" // fixed-point int64 with Indicator.Scale decimals
	YesNo   ValueType = "yesno"   // 1 = có, 0 = không
	Text    ValueType = "text"    // short text
)

// ValueTypes lists the value types.
var ValueTypes = []ValueType{Integer, Money, Decimal, YesNo, Text}

// Aggregation says how values combine across units or across periods.
type Aggregation string

const (
	Sum     Aggregation = "sum"
	Max     Aggregation = "max"
	Last    Aggregation = "last" // the latest period's value (stocks: số hội viên)
	Average Aggregation = "average"
	None    Aggregation = "none" // not aggregated (text, per-unit facts)
)

// Aggregations lists the aggregation rules.
var Aggregations = []Aggregation{Sum, Max, Last, Average, None}

// Option is one category of a disaggregation ("nam", "nữ").
type Option struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// Disaggregation splits an indicator's value into categories; the total is
// the sum of the categories.
type Disaggregation struct {
	ID      int64    `json:"id"`
	Code    string   `json:"code"` // "gender", "ethnicity"
	NameVI  string   `json:"name_vi"`
	NameEN  string   `json:"name_en"`
	Options []Option `json:"options"`
}

// Indicator is one line of the catalogue.
type Indicator struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"` // stable, e.g. "QUY_COVID_TIEP_NHAN"
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	// Section groups indicators in forms and reports (Tuyên truyền, vận
	// động; An sinh xã hội; …), by code.
	Section   string    `json:"section"`
	UnitVI    string    `json:"unit_vi"` // người, lượt, buổi, ngôi nhà, hộ, mô hình, đồng…
	UnitEN    string    `json:"unit_en"`
	ValueType ValueType `json:"value_type"`
	Scale     int       `json:"scale"` // decimals for Decimal
	// AggUnits combines values of several units (a bloc, an area subtree);
	// AggPeriods combines the periods of a longer period (months → quarter).
	AggUnits   Aggregation `json:"agg_units"`
	AggPeriods Aggregation `json:"agg_periods"`
	// Cumulative (lũy kế) values are reported since the start of the year.
	Cumulative bool `json:"cumulative"`
	// Min and Max bound a numeric value (nil: no bound; counts have Min 0).
	Min *int64 `json:"min"`
	Max *int64 `json:"max"`
	// Organisations reporting it, by code; empty means every organisation.
	Organisations []string `json:"organisations"`
	// OrganisationIDs are the same organisations by id.
	OrganisationIDs  []int64         `json:"organisation_ids"`
	Disaggregation   *Disaggregation `json:"disaggregation"`
	DisaggregationID *int64          `json:"disaggregation_id"`
	// Derived values are computed by another room (a fund's receipts), not typed.
	DerivedFrom string    `json:"derived_from"`
	SortOrder   int       `json:"sort_order"`
	Retired     bool      `json:"retired"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Section is a heading of the catalogue.
type Section struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en"`
	SortOrder int    `json:"sort_order"`
}

// Narrative section codes every form has, in report order.
const (
	NarrativeResults   = "ket_qua"      // Kết quả đạt được
	NarrativeLimits    = "ton_tai"      // Tồn tại, hạn chế
	NarrativeNextTasks = "phuong_huong" // Phương hướng, nhiệm vụ kỳ tới
	NarrativeProposals = "kien_nghi"    // Kiến nghị, đề xuất
)

// Narrative is a free-text section of a form.
type Narrative struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// Form is a report form (data set): the indicators and narrative sections
// an organisation reports for a period type.
type Form struct {
	ID             int64       `json:"id"`
	Code           string      `json:"code"`
	NameVI         string      `json:"name_vi"`
	NameEN         string      `json:"name_en"`
	OrganisationID *int64      `json:"organisation_id"` // nil: every organisation
	PeriodType     period.Type `json:"period_type"`
	Indicators     []Indicator `json:"indicators"`
	Narratives     []Narrative `json:"narratives"`
	Active         bool        `json:"active"`
	// Read-only context.
	OrganisationCode string    `json:"organisation_code,omitempty"`
	OrganisationName string    `json:"organisation_name,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Severity of a rule violation.
type Severity string

const (
	Blocking Severity = "blocking" // the report cannot be submitted
	Warning  Severity = "warning"  // shown, the officer may submit anyway
)

// Rule compares two sides built from indicator values of the same unit and
// period: "NHA_BAN_GIAO <= NHA_KHOI_CONG". Rules are data an admin edits.
type Rule struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Left      string    `json:"left"`     // expression: indicator codes joined by + and -, integers
	Operator  string    `json:"operator"` // <=, <, >=, >, ==, !=
	Right     string    `json:"right"`
	Severity  Severity  `json:"severity"`
	MessageVI string    `json:"message_vi"` // what the officer reads when it fails
	MessageEN string    `json:"message_en"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Violation is a rule (or a type/range check) that a set of values breaks.
type Violation struct {
	RuleCode  string   `json:"rule_code"`
	Indicator string   `json:"indicator,omitempty"` // for type and range checks
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
}
