package docgen

import (
	"math"
	"strconv"
	"strings"

	"giaoban/internal/vn"
)

// display is the text a cell prints in PDF and DOCX.
func (c Cell) display(col Column) string {
	if c.Text != "" {
		return c.Text
	}
	switch {
	case c.Int != nil:
		return vn.FormatInt(*c.Int)
	case c.Number != nil:
		return formatFloat(*c.Number, col.Decimals)
	}
	return ""
}

// formatFloat formats v with the given decimals, the Vietnamese way:
// 1234.5 → "1.234,5".
func formatFloat(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	if decimals < 0 {
		decimals = 0
	}
	if decimals > 6 {
		decimals = 6
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil { // beyond int64: print it plainly
		return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
	}
	out := vn.FormatInt(n)
	if frac != "" {
		out += "," + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// align resolves a column's alignment.
func (c Column) align() Align {
	if c.Align != AlignAuto {
		return c.Align
	}
	if c.Numeric || c.Money {
		return AlignRight
	}
	return AlignLeft
}

// widths returns the columns' widths scaled to total.
func (t *Table) widths(total float64) []float64 {
	out := make([]float64, len(t.Columns))
	sum := 0.0
	for i, c := range t.Columns {
		w := c.Width
		if w <= 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			w = 1
		}
		out[i] = w
		sum += w
	}
	for i := range out {
		out[i] = out[i] / sum * total
	}
	return out
}

// headerCount is the number of rows of Rows that belong to the header,
// bounded by len(Rows).
func (t *Table) headerCount() int {
	return max(0, min(t.HeaderRows, len(t.Rows)))
}

// hasTitles reports whether any column has a title (the title row is
// printed only then).
func (t *Table) hasTitles() bool {
	for _, c := range t.Columns {
		if c.Title != "" {
			return true
		}
	}
	return false
}

// cellAt returns row r's cell in column i, or an empty cell when the row is
// short.
func cellAt(row []Cell, i int) Cell {
	if i < len(row) {
		return row[i]
	}
	return Cell{}
}

// isTotal reports whether body row i (an index into Rows) is the total row.
func (t *Table) isTotal(i int) bool {
	return t.TotalRow && i == len(t.Rows)-1 && i >= t.headerCount()
}
