package rollup

import (
	"strings"

	"giaoban/internal/docgen"
)

// The print layout of the report's tables (DOCX, PDF). docgen prints a
// table at 12 pt across the 165 mm between the margins, scaling the
// widths it is given, and breaks inside a word that is wider than its
// column ("MTT/Q", "chươn/g trình", "153.974,/1"): a number or a name cut
// in two misreads. So every value column gets the width of its widest
// word or number in the embedded font, the indicator column what is left,
// and when the organisations do not fit beside an indicator column of a
// readable width, the table is printed in parts, the indicators repeated
// and the caption marked "(tiếp)". The workbook keeps one table per
// section: a spreadsheet has no page width.
const (
	printWidthMM = 165.0                  // A4 less the official margins (30 mm left, 15 mm right)
	printPadMM   = 2*docgen.CellPadMM + 1 // docgen's cell padding and some air
	printNameMM  = 45.0                   // the narrowest indicator column worth printing
)

// printCol is a column of a table with its cells, top to bottom.
type printCol struct {
	col   docgen.Column
	cells []docgen.Cell
}

// textMM is the printed width of s in a table cell, in millimetres.
func textMM(s string, isBold bool) float64 { return docgen.TableTextMM(s, isBold) }

// widestWord is the width of the widest word of s.
func widestWord(s string, isBold bool) float64 {
	w := 0.0
	for _, word := range strings.Fields(s) {
		w = max(w, textMM(word, isBold))
	}
	return w
}

// width is what the column needs so that no word and no number of it is
// broken: its title is bold, and so are bold cells.
func (c printCol) width() float64 {
	w := widestWord(c.col.Title, true)
	for _, cell := range c.cells {
		w = max(w, widestWord(cell.Text, cell.Bold))
	}
	return w + printPadMM
}

// printTables lays out a table of key columns (the indicator, its unit:
// the first is the widest, taking what is left) and value columns for
// print, in as many parts as the value columns need.
func printTables(caption, more string, keys, values []printCol) []docgen.Table {
	keyW := 0.0
	for _, k := range keys[1:] {
		keyW += k.width()
	}
	room := printWidthMM - keyW - printNameMM
	// As many parts as the widths need, of even widths: three columns
	// and three rather than five and one.
	sum := 0.0
	for _, v := range values {
		sum += v.width()
	}
	parts := 1
	for sum > room*float64(parts) {
		parts++
	}
	even := sum / float64(parts)
	var groups [][]printCol
	var cur []printCol
	used := 0.0
	for _, v := range values {
		w := v.width()
		if len(cur) > 0 && (used+w > room || len(groups) < parts-1 && used+w/2 > even) {
			groups = append(groups, cur)
			cur, used = nil, 0
		}
		cur = append(cur, v)
		used += w
	}
	if len(cur) > 0 || len(groups) == 0 {
		groups = append(groups, cur)
	}
	var out []docgen.Table
	for n, g := range groups {
		cols := append(append([]printCol{}, keys...), g...)
		sum := keyW
		for _, c := range g {
			sum += c.width()
		}
		t := docgen.Table{Caption: caption}
		if n > 0 {
			t.Caption = caption + " " + more
		}
		for i, c := range cols {
			col := c.col
			switch i {
			case 0:
				col.Width = max(printWidthMM-sum, printNameMM/2)
			default:
				col.Width = c.width()
			}
			t.Columns = append(t.Columns, col)
		}
		rows := 0
		if len(keys) > 0 {
			rows = len(keys[0].cells)
		}
		for r := 0; r < rows; r++ {
			row := make([]docgen.Cell, len(cols))
			for i, c := range cols {
				if r < len(c.cells) {
					row[i] = c.cells[r]
				}
			}
			t.Rows = append(t.Rows, row)
		}
		out = append(out, t)
	}
	return out
}

// wholeTable is the same table in one piece, with the given relative
// widths (the workbook's layout).
func wholeTable(caption string, cols []printCol) docgen.Table {
	t := docgen.Table{Caption: caption}
	rows := 0
	for _, c := range cols {
		t.Columns = append(t.Columns, c.col)
		rows = max(rows, len(c.cells))
	}
	for r := 0; r < rows; r++ {
		row := make([]docgen.Cell, len(cols))
		for i, c := range cols {
			if r < len(c.cells) {
				row[i] = c.cells[r]
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
