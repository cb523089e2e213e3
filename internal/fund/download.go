package fund

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/platform/web"
)

// Downloads of a public list (what the visitor filtered), CSV or XLSX. The
// whole signed statement is /api/v1/public/funds/{code}/statement.csv.
const (
	MaxCSVRows  = 200_000
	MaxXLSXRows = 100_000
)

func downloadName(f *Fund, q Query, ext string) string {
	kind := "thu"
	if q.Book == BookOut {
		kind = "chi"
	}
	return fmt.Sprintf("%s-%s.%s", f.Code, kind, ext)
}

func (h *Handler) downloadHeader(r *http.Request, book string) []string {
	party := web.T(r, "fund.field.donor")
	if book == BookOut {
		party = web.T(r, "fund.field.recipient")
	}
	return []string{web.T(r, "fund.field.seq"), web.T(r, "fund.field.date"), web.T(r, "fund.field.number"), party,
		web.T(r, "fund.field.amount"), web.T(r, "fund.field.channel"), web.T(r, "fund.field.bank_ref"), web.T(r, "fund.field.note"),
		web.T(r, "fund.field.status")}
}

func (h *Handler) downloadRow(r *http.Request, e *Entry) []string {
	status := ""
	if e.ReversedBy > 0 {
		status = web.T(r, "fund.entry.reversed_by", e.ReversedBy)
	}
	return []string{strconv.FormatInt(e.Seq, 10), e.Date.Format("02/01/2006"), e.Ref, e.Party, strconv.FormatInt(e.Magnitude(), 10),
		web.T(r, "fund.channel."+channelKey(e.Channel)), e.BankRef, e.Note, status}
}

func channelKey(c string) string {
	if c == "" {
		return "none"
	}
	return c
}

func (h *Handler) downloadCSV(w http.ResponseWriter, r *http.Request, f *Fund, q Query) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+downloadName(f, q, "csv")+`"`)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff") // spreadsheets then read UTF-8
	cw := csv.NewWriter(bw)
	if err := cw.Write(h.downloadHeader(r, q.Book)); err != nil {
		return err
	}
	err := h.Store.EachPublic(r.Context(), f.ID, q, MaxCSVRows, func(e *Entry) error {
		return cw.Write(csvSafe(h.downloadRow(r, e)))
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvSafe keeps a spreadsheet from running a cell as a formula (the
// published texts are normalised so already; this covers the rest).
func csvSafe(rec []string) []string {
	for i, s := range rec {
		if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '@') {
			rec[i] = "'" + s
		}
	}
	return rec
}

func (h *Handler) downloadXLSX(w http.ResponseWriter, r *http.Request, f *Fund, q Query) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Sheet1"
	// Printed landscape, one page wide: every column of a row on the same
	// sheet of paper, the header row repeated on each page.
	if err := x.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), Size: ptr(9), FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return err
	}
	if err := x.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: sheet + "!$3:$3", Scope: sheet}); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Widths fit the longest usual value (a receipt number is
	// "PT-COVID19-2021-000383").
	for _, c := range []struct {
		from, to int
		width    float64
	}{{1, 1, 8}, {2, 2, 12}, {3, 3, 25}, {4, 4, 34}, {5, 5, 16}, {6, 6, 16}, {7, 7, 20}, {8, 8, 50}, {9, 9, 18}} {
		if err := sw.SetColWidth(c.from, c.to, c.width); err != nil {
			return err
		}
	}
	money, _ := x.NewStyle(&excelize.Style{CustomNumFmt: ptr(`#,##0 "đ"`)})
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	title := []any{excelize.Cell{StyleID: bold, Value: f.Name}}
	if err := sw.SetRow("A1", title); err != nil {
		return err
	}
	var head []any
	for _, s := range h.downloadHeader(r, q.Book) {
		head = append(head, excelize.Cell{StyleID: bold, Value: s})
	}
	if err := sw.SetRow("A3", head); err != nil {
		return err
	}
	row := 4
	err = h.Store.EachPublic(r.Context(), f.ID, q, MaxXLSXRows, func(e *Entry) error {
		rec := h.downloadRow(r, e)
		vals := make([]any, len(rec))
		for i, s := range rec {
			vals[i] = s
		}
		vals[0] = e.Seq
		vals[4] = excelize.Cell{StyleID: money, Value: e.Magnitude()}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+downloadName(f, q, "xlsx")+`"`)
	return x.Write(w)
}

func ptr[T any](v T) *T { return &v }
