package indicator

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

//go:embed catalogue/indicators.csv catalogue/catalogue.json
var catalogueFS embed.FS

// Catalogue is the default catalogue shipped with the product: sections,
// disaggregations, about ninety indicators of the Front and the mass
// organisations covering what their periodic reports contain, the default
// forms and rules. It lives in catalogue/indicators.csv (one indicator a
// line, ";"-separated, in catalogue order within each section) and
// catalogue/catalogue.json (the rest).
type Catalogue struct {
	Sections        []SectionInput        `json:"sections"`
	Disaggregations []DisaggregationInput `json:"disaggregations"`
	Indicators      []IndicatorInput      `json:"-"`
	Forms           []FormSpec            `json:"forms"`
	Rules           []RuleInput           `json:"rules"`
}

// FormSpec describes a default form. Its indicators are either listed, or
// chosen: every indicator the organisation AllFor reports (AllFor "": the
// indicators every organisation reports), less Exclude. Indicators are put
// in catalogue order.
type FormSpec struct {
	Code         string   `json:"code"`
	NameVI       string   `json:"name_vi"`
	NameEN       string   `json:"name_en"`
	PeriodType   string   `json:"period_type"`
	Organisation string   `json:"organisation"`
	AllFor       *string  `json:"all_for"`
	Exclude      []string `json:"exclude"`
	Indicators   []string `json:"indicators"`
}

// DefaultCatalogue reads the embedded default catalogue.
func DefaultCatalogue() (*Catalogue, error) {
	b, err := catalogueFS.ReadFile("catalogue/catalogue.json")
	if err != nil {
		return nil, err
	}
	var c Catalogue
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("indicator: catalogue.json: %w", err)
	}
	for i := range c.Sections {
		c.Sections[i].SortOrder = (i + 1) * 10
	}
	f, err := catalogueFS.Open("catalogue/indicators.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if c.Indicators, err = ReadIndicatorsCSV(f); err != nil {
		return nil, fmt.Errorf("indicator: indicators.csv: %w", err)
	}
	return &c, nil
}

// indicatorCSVHeader is the header of the indicator CSV format.
var indicatorCSVHeader = []string{"code", "section", "name_vi", "name_en", "unit_vi", "unit_en", "type", "scale",
	"agg_units", "agg_periods", "cumulative", "min", "max", "disaggregation", "organisations"}

// ReadIndicatorsCSV reads indicators in the format of
// catalogue/indicators.csv: ";"-separated, "#" comment lines, a header
// line, organisations separated by spaces. Sort orders are given in steps
// of 10 in the order of the lines within each section.
func ReadIndicatorsCSV(r io.Reader) ([]IndicatorInput, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.Comment = '#'
	cr.FieldsPerRecord = len(indicatorCSVHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	for i, h := range indicatorCSVHeader {
		if strings.TrimSpace(head[i]) != h {
			return nil, fmt.Errorf("cột %d phải là %q, không phải %q", i+1, h, head[i])
		}
	}
	var out []IndicatorInput
	perSection := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		in := IndicatorInput{
			Code: rec[0], Section: rec[1], NameVI: rec[2], NameEN: rec[3], UnitVI: rec[4], UnitEN: rec[5],
			ValueType: ValueType(rec[6]), AggUnits: Aggregation(rec[8]), AggPeriods: Aggregation(rec[9]),
			Cumulative: rec[10] == "1", Disaggregation: rec[13], Organisations: strings.Fields(rec[14]),
		}
		if in.Scale, err = strconv.Atoi(rec[7]); err != nil {
			return nil, fmt.Errorf("dòng %d: scale %q", line, rec[7])
		}
		for _, b := range []struct {
			s string
			p **int64
		}{{rec[11], &in.Min}, {rec[12], &in.Max}} {
			if b.s == "" {
				continue
			}
			v, err := strconv.ParseInt(b.s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("dòng %d: giới hạn %q", line, b.s)
			}
			*b.p = &v
		}
		perSection[in.Section]++
		in.SortOrder = perSection[in.Section] * 10
		out = append(out, in)
	}
}
