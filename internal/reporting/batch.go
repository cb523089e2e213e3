package reporting

// CellValue is one value of a batch: what a spreadsheet cell, a CSV line or
// a form field says a unit reported for an indicator (and one option of its
// disaggregation, or "" for the value itself) in a period.
type CellValue struct {
	UnitID        int64
	Period        string // "" means the batch's period
	IndicatorCode string
	Option        string
	Raw           string // as typed: "348.000.000", "có", "" (no value)
	// Version is the version of the stored value the file was made from
	// (0: there was none); nil skips the lost-update check.
	Version *int64
	Place   string // "Sheet1!D12" or "dòng 7", for messages
}

// Batch is a set of values for many units and one period, applied all or
// nothing.
type Batch struct {
	Period string
	Cells  []CellValue
}

// Change is what applying one cell would do.
type Change struct {
	Place         string `json:"place"`
	UnitID        int64  `json:"unit_id"`
	UnitName      string `json:"unit_name"`
	Period        string `json:"period"`
	IndicatorCode string `json:"indicator"`
	IndicatorName string `json:"indicator_name"`
	Option        string `json:"option"`
	OptionName    string `json:"option_name,omitempty"`
	Old           string `json:"old"` // formatted the Vietnamese way; "" for none
	New           string `json:"new"`
	// OldVersion is the stored version (0: none).
	OldVersion int64 `json:"old_version"`
}

// ApplyResult says what Apply wrote.
type ApplyResult struct {
	Changes []Change `json:"changes"`
	// Unchanged counts the cells whose value was already stored.
	Unchanged int `json:"unchanged"`
	// Units counts the reports touched.
	Units int `json:"units"`
}
