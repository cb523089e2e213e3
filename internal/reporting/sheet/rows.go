package sheet

import "giaoban/internal/indicator"

// FormRows lays out the rows of a form as the web entry form does: one row
// per indicator, or one per option for a disaggregated indicator (its
// total is the sum of the options and is not typed); retired indicators
// and derived ones (computed by another room) are left out. Sections are
// named from sections (by code; the code itself when unknown), names and
// units in lang ("vi" or "en").
func FormRows(form indicator.Form, sections []indicator.Section, lang string) []RowSpec {
	secName := make(map[string]string, len(sections))
	for _, s := range sections {
		secName[s.Code] = s.Name(lang)
	}
	var rows []RowSpec
	for _, ind := range form.Indicators {
		if ind.Retired || ind.DerivedFrom != "" {
			continue
		}
		section, ok := secName[ind.Section]
		if !ok {
			section = ind.Section
		}
		r := RowSpec{
			IndicatorCode: ind.Code, Section: section, Name: ind.Name(lang), UnitOfMeasure: ind.Unit(lang),
			ValueType: ind.ValueType, Scale: ind.Scale, Min: ind.Min, Max: ind.Max,
		}
		if d := ind.Disaggregation; d != nil && len(d.Options) > 0 {
			for _, o := range d.Options {
				r.Option, r.OptionName = o.Code, o.NameVI
				if lang == "en" && o.NameEN != "" {
					r.OptionName = o.NameEN
				}
				rows = append(rows, r)
			}
			continue
		}
		rows = append(rows, r)
	}
	return rows
}
