package rollup

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"giaoban/internal/docgen"
	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

// Formats an export can take.
var Formats = []string{"xlsx", "docx", "pdf"}

// noData is the refusal of an empty period: the report says so instead of
// printing an empty form, and says when drafts would have figures.
func noData(t *Table, lang string) error {
	label := t.Period.Label(lang)
	if t.Approved {
		return apperr.New(apperr.NotFound, "rollup.err.no_approved_data", label)
	}
	return apperr.New(apperr.NotFound, "rollup.err.no_data", label)
}

// Document builds the consolidated report in the official layout: the
// bloc's header, number, place and date, BÁO CÁO and its subject, the
// edited (or drafted) results, the tables, the charts, the signature and
// "Nơi nhận". A period without figures is refused. Its tables are laid
// out for print (DOCX, PDF).
func (s *Service) Document(ctx context.Context, q ReportQuery) (*docgen.Document, error) {
	return s.document(ctx, q, true)
}

// document is Document with the tables laid out for print or, for the
// workbook, whole.
func (s *Service) document(ctx context.Context, q ReportQuery, print bool) (*docgen.Document, error) {
	rep, err := s.Report(ctx, q)
	if err != nil {
		return nil, err
	}
	if !rep.Table.HasData {
		if q.Drafts {
			return nil, noData(rep.Table, q.Lang)
		}
		// Say whether drafts hold figures.
		all, err := s.Table(ctx, TableQuery{AreaID: rep.Area.ID, Period: q.Period, Approved: false, Lang: q.Lang})
		if err != nil {
			return nil, err
		}
		if !all.HasData {
			return nil, noData(all, q.Lang)
		}
		return nil, noData(rep.Table, q.Lang)
	}
	set, err := s.DocSettingsOf(ctx, rep.Bloc.ID)
	if err != nil {
		return nil, err
	}
	en := q.Lang == "en"
	pick := func(vi, eng string) string {
		if en {
			return eng
		}
		return vi
	}
	d := &docgen.Document{
		Header: docgen.Header{ParentBody: set.ParentBody, IssuingBody: set.IssuingBody},
		Number: "Số:      /" + set.Symbol,
		Place:  set.Place,
		Kind:   pick("BÁO CÁO", "REPORT"),
		Subject: rep.Subject + func() string {
			if rep.Area.ID != rep.Bloc.AreaID {
				return " - " + rep.Area.Name
			}
			return ""
		}(),
		Signature: docgen.Signature{OnBehalf: set.OnBehalf, Title: set.SignerTitle, Name: set.SignerName},
		Lang:      q.Lang,
	}
	if rep.Draft != nil {
		if rep.Draft.Number != "" {
			d.Number = rep.Draft.Number
		}
		if rep.Draft.Date.Valid() {
			d.Date = rep.Draft.Date.Time
		}
	}
	for _, l := range strings.Split(set.Recipients, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.Recipients = append(d.Recipients, l)
		}
	}
	d.Blocks = append(d.Blocks, docgen.Heading{Level: 1, Text: pick("I. KẾT QUẢ ĐẠT ĐƯỢC", "I. RESULTS")})
	for _, para := range strings.Split(reporting.PlainText(rep.NarrativeHTML()), "\n") {
		d.Blocks = append(d.Blocks, docgen.Text(para))
	}
	d.Blocks = append(d.Blocks, docgen.Heading{Level: 1, Text: pick("II. SỐ LIỆU TỔNG HỢP", "II. CONSOLIDATED FIGURES")})
	d.Blocks = append(d.Blocks, tables(rep.Table, q.Lang, print)...)
	var imgs []docgen.Block
	for _, name := range []string{"org", "trend", "plan"} {
		png, err := s.Chart(ctx, ChartQuery{ReportQuery: q, Name: name}, rep)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, docgen.Image{PNG: png})
	}
	if len(imgs) > 0 {
		d.Blocks = append(d.Blocks, docgen.Heading{Level: 1, Text: pick("III. BIỂU ĐỒ", "III. CHARTS")})
		d.Blocks = append(d.Blocks, imgs...)
	}
	return d, nil
}

// tables lays the table out: per section, the indicators × organisations
// with the total; then one table of comparisons and plan. For print
// (DOCX, PDF) the columns are as wide as their words and numbers, the
// organisations without a figure in a section are left out of its table,
// and a table too wide for the page is printed in parts (printTables); the
// workbook has every column in one table per section.
func tables(t *Table, lang string, print bool) []docgen.Block {
	en := lang == "en"
	pick := func(vi, eng string) string {
		if en {
			return eng
		}
		return vi
	}
	// Money prints in millions of đồng with one decimal, as report tables
	// do (the unit column says so); the workbook keeps the same number.
	cell := func(r Row, c Cell) docgen.Cell {
		if !c.OK {
			return docgen.TextCell("")
		}
		if r.Ind != nil && r.Ind.ValueType == indicator.Money {
			return docgen.Cell{Text: localNum(vn.FormatDecimal(divRound(c.V, 100_000), 1), lang), Number: ptrF(float64(c.V) / 1e6)}
		}
		if r.Ind != nil && r.Ind.ValueType == indicator.Decimal {
			return docgen.Cell{Text: r.Fmt(c), Number: ptrF(float64(c.V) / pow10(r.Ind.Scale))}
		}
		v := c.V
		return docgen.Cell{Text: localNum(vn.FormatInt(v), lang), Int: &v}
	}
	unit := func(r Row) string {
		if r.Ind != nil && r.Ind.ValueType == indicator.Money {
			return pick("triệu đồng", "million đồng")
		}
		return r.Unit
	}
	more := pick("(tiếp)", "(continued)")
	lay := func(caption string, keys, values []printCol) []docgen.Block {
		var out []docgen.Block
		if !print {
			return append(out, wholeTable(caption, append(append([]printCol{}, keys...), values...)))
		}
		for _, tab := range printTables(caption, more, keys, values) {
			out = append(out, tab)
		}
		return out
	}
	keys := func(rows []Row, name func(Row) string) []printCol {
		n := printCol{col: docgen.Column{Title: pick("Chỉ tiêu", "Indicator"), Width: 4}}
		u := printCol{col: docgen.Column{Title: pick("ĐVT", "Unit"), Width: 1.4, Align: docgen.AlignCenter}}
		for _, r := range rows {
			n.cells = append(n.cells, docgen.TextCell(name(r)))
			u.cells = append(u.cells, docgen.TextCell(unit(r)))
		}
		return []printCol{n, u}
	}
	var out []docgen.Block
	for n, sec := range t.Sections {
		var values []printCol
		for i, o := range t.Orgs {
			c := printCol{col: docgen.Column{Title: o.Name, Width: 1.4, Numeric: true, Decimals: 1}}
			reported := false
			for _, r := range sec.Rows {
				c.cells = append(c.cells, cell(r, r.ByOrg[i]))
				reported = reported || r.ByOrg[i].OK
			}
			if reported || !print {
				values = append(values, c)
			}
		}
		total := printCol{col: docgen.Column{Title: pick("Toàn khối", "Total"), Width: 1.6, Numeric: true, Decimals: 1}}
		for _, r := range sec.Rows {
			c := cell(r, r.Total)
			c.Bold = true
			total.cells = append(total.cells, c)
		}
		values = append(values, total)
		out = append(out, lay(fmt.Sprintf("%d. %s", n+1, sec.Name), keys(sec.Rows, func(r Row) string { return derivedName(r, lang) }), values)...)
	}
	rows := t.Rows()
	values := []printCol{
		{col: docgen.Column{Title: t.Period.Label(lang), Width: 1.5, Numeric: true, Decimals: 1}},
		{col: docgen.Column{Title: pick("Kỳ trước", "Previous"), Width: 1.5, Numeric: true, Decimals: 1}},
		{col: docgen.Column{Title: pick("Cùng kỳ năm trước", "Same period last year"), Width: 1.5, Numeric: true, Decimals: 1}},
		{col: docgen.Column{Title: pick("Lũy kế", "Year to date"), Width: 1.5, Numeric: true, Decimals: 1}},
		{col: docgen.Column{Title: pick("Kế hoạch năm", "Annual plan"), Width: 1.5, Numeric: true, Decimals: 1}},
		{col: docgen.Column{Title: pick("% KH", "% plan"), Width: 1.1, Numeric: true}},
	}
	for _, r := range rows {
		for i, c := range []docgen.Cell{cell(r, r.Total), cell(r, r.Prev), cell(r, r.LastYear), cell(r, r.YTD), cell(r, r.Target), docgen.TextCell(r.PlanText())} {
			values[i].cells = append(values[i].cells, c)
		}
	}
	return append(out, lay(pick("So sánh và tiến độ kế hoạch năm", "Comparisons and progress of the annual plan"), keys(rows, func(r Row) string { return r.Name }), values)...)
}

func ptrF(f float64) *float64 { return &f }

func pow10(n int) float64 {
	f := 1.0
	for i := 0; i < n; i++ {
		f *= 10
	}
	return f
}

// Export writes the consolidated report as XLSX, DOCX or PDF.
func (s *Service) Export(ctx context.Context, q ReportQuery, format string, w io.Writer) error {
	if !slices.Contains(Formats, format) {
		return apperr.Field("format", "rollup.err.format", format)
	}
	d, err := s.document(ctx, q, format != "xlsx")
	if err != nil {
		return err
	}
	switch format {
	case "xlsx":
		return docgen.WriteXLSX(w, *d, docgen.XLSXOptions{SheetPerTable: true})
	case "docx":
		return docgen.WriteDOCX(w, *d)
	case "pdf":
		return docgen.WritePDF(w, *d)
	}
	return apperr.Field("format", "rollup.err.format", format)
}

// ContentType is the media type of an export format.
func ContentType(format string) string {
	switch format {
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case "pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}
