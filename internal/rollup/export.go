package rollup

import (
	"context"
	"fmt"
	"io"
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
	label := periodLabel(t.Period, lang)
	if t.Approved {
		return apperr.New(apperr.NotFound, "rollup.err.no_approved_data", label)
	}
	return apperr.New(apperr.NotFound, "rollup.err.no_data", label)
}

// Document builds the consolidated report in the official layout: the
// bloc's header, number, place and date, BÁO CÁO and its subject, the
// edited (or drafted) results, the tables, the charts, the signature and
// "Nơi nhận". A period without figures is refused.
func (s *Service) Document(ctx context.Context, q ReportQuery) (*docgen.Document, error) {
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
	d.Blocks = append(d.Blocks, tables(rep.Table, q.Lang)...)
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

// tables lays the table out for print: per section, the indicators ×
// organisations with the total; then one table of comparisons and plan.
func tables(t *Table, lang string) []docgen.Block {
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
			return docgen.Cell{Text: vn.FormatDecimal(divRound(c.V, 100_000), 1), Number: ptrF(float64(c.V) / 1e6)}
		}
		if r.Ind != nil && r.Ind.ValueType == indicator.Decimal {
			return docgen.Cell{Text: r.Fmt(c), Number: ptrF(float64(c.V) / pow10(r.Ind.Scale))}
		}
		return docgen.IntCell(c.V)
	}
	unit := func(r Row) string {
		if r.Ind != nil && r.Ind.ValueType == indicator.Money {
			return pick("triệu đồng", "million đồng")
		}
		return r.Unit
	}
	var out []docgen.Block
	for n, sec := range t.Sections {
		cols := []docgen.Column{{Title: pick("Chỉ tiêu", "Indicator"), Width: 4}, {Title: pick("ĐVT", "Unit"), Width: 1.4, Align: docgen.AlignCenter}}
		for _, o := range t.Orgs {
			cols = append(cols, docgen.Column{Title: o.Name, Width: 1.4, Numeric: true, Decimals: 1})
		}
		cols = append(cols, docgen.Column{Title: pick("Toàn khối", "Total"), Width: 1.6, Numeric: true, Decimals: 1})
		tab := docgen.Table{Caption: fmt.Sprintf("%d. %s", n+1, sec.Name), Columns: cols}
		for _, r := range sec.Rows {
			row := []docgen.Cell{docgen.TextCell(derivedName(r, lang)), docgen.TextCell(unit(r))}
			for _, c := range r.ByOrg {
				row = append(row, cell(r, c))
			}
			row = append(row, docgen.Cell{Int: cell(r, r.Total).Int, Number: cell(r, r.Total).Number, Text: cell(r, r.Total).Text, Bold: true})
			tab.Rows = append(tab.Rows, row)
		}
		out = append(out, tab)
	}
	cmp := docgen.Table{Caption: pick("So sánh và tiến độ kế hoạch năm", "Comparisons and progress of the annual plan"), Columns: []docgen.Column{
		{Title: pick("Chỉ tiêu", "Indicator"), Width: 4},
		{Title: pick("ĐVT", "Unit"), Width: 1.4, Align: docgen.AlignCenter},
		{Title: periodLabel(t.Period, lang), Width: 1.5, Numeric: true, Decimals: 1},
		{Title: pick("Kỳ trước", "Previous"), Width: 1.5, Numeric: true, Decimals: 1},
		{Title: pick("Cùng kỳ năm trước", "Same period last year"), Width: 1.5, Numeric: true, Decimals: 1},
		{Title: pick("Lũy kế", "Year to date"), Width: 1.5, Numeric: true, Decimals: 1},
		{Title: pick("Kế hoạch năm", "Annual plan"), Width: 1.5, Numeric: true, Decimals: 1},
		{Title: pick("% KH", "% plan"), Width: 1.1, Numeric: true},
	}}
	for _, r := range t.Rows() {
		cmp.Rows = append(cmp.Rows, []docgen.Cell{docgen.TextCell(r.Name), docgen.TextCell(unit(r)), cell(r, r.Total), cell(r, r.Prev), cell(r, r.LastYear), cell(r, r.YTD),
			cell(r, r.Target), docgen.TextCell(r.PlanText())})
	}
	return append(out, cmp)
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
	d, err := s.Document(ctx, q)
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
