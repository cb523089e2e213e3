package sheet

import (
	"testing"

	"giaoban/internal/indicator"
)

func TestFormRows(t *testing.T) {
	zero := int64(0)
	form := indicator.Form{Indicators: []indicator.Indicator{
		{Code: "A", NameVI: "Số buổi", NameEN: "Sessions", UnitVI: "buổi", Section: "tt", ValueType: indicator.Integer, Min: &zero},
		{Code: "B", NameVI: "Số người", Section: "tt", ValueType: indicator.Integer, Disaggregation: &indicator.Disaggregation{
			Options: []indicator.Option{{Code: "nam", NameVI: "Nam", NameEN: "Male"}, {Code: "nu", NameVI: "Nữ"}}}},
		{Code: "C", NameVI: "Cũ", Retired: true},
		{Code: "D", NameVI: "Tiền quỹ", DerivedFrom: "fund"},
		{Code: "E", NameVI: "Tỷ lệ", Section: "khac", ValueType: indicator.Decimal, Scale: 1},
	}}
	sections := []indicator.Section{{Code: "tt", NameVI: "Tuyên truyền, vận động", NameEN: "Information"}}
	rows := FormRows(form, sections, "vi")
	if len(rows) != 4 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	if r := rows[0]; r.IndicatorCode != "A" || r.Section != "Tuyên truyền, vận động" || r.Name != "Số buổi" || r.UnitOfMeasure != "buổi" || r.Min == nil {
		t.Errorf("%+v", r)
	}
	if r := rows[2]; r.IndicatorCode != "B" || r.Option != "nu" || r.OptionName != "Nữ" {
		t.Errorf("%+v", r)
	}
	if r := rows[3]; r.IndicatorCode != "E" || r.Section != "khac" || r.Scale != 1 {
		t.Errorf("%+v", r)
	}
	en := FormRows(form, sections, "en")
	if en[0].Name != "Sessions" || en[0].Section != "Information" || en[1].OptionName != "Male" || en[2].OptionName != "Nữ" {
		t.Errorf("%+v", en)
	}
	// The rows make a template that reads back.
	spec := Spec{Period: "2021Q3", Units: []UnitSpec{{ID: 1, Name: "Đơn vị", Values: map[string]Prefill{
		Key("B", "nu"): {Raw: "1.234", Version: 2}, Key("E", ""): {Raw: "1,5", Version: 3}}}}, Rows: rows}
	cells, errs, err := readBytes(writeSpec(t, spec), Expect{Period: "2021Q3", UnitIDs: []int64{1}, Rows: rows})
	if err != nil || len(errs) > 0 || describe(cells) != "1|B|nu=\"1234\" v2 @Đơn vị!D10\n1|E|=\"1,5\" v3 @Đơn vị!D12" {
		t.Errorf("%v %v\n%s", err, errs, describe(cells))
	}
}
