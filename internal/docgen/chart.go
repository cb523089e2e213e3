package docgen

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
	"strings"

	"golang.org/x/image/font"
)

// Series is one named row of values of a chart, one value per label; NaN
// marks a missing value.
type Series struct {
	Name   string
	Values []float64
}

// BarChart draws grouped bars, one group per label and one bar per series,
// with a value axis from zero, gridlines, the value over each bar and a
// legend, and returns it as a w×h PNG. Text is set in the embedded
// Liberation Serif, so Vietnamese labels print as they are. Sizes scale
// with w: 1600×900 suits a chart across an A4 text width.
func BarChart(title string, labels []string, series []Series, w, h int) ([]byte, error) {
	return drawChart(true, title, labels, series, w, h)
}

// LineChart draws one line per series over the labels (quarters, months),
// with markers, values, gridlines and a legend, as a w×h PNG.
func LineChart(title string, labels []string, series []Series, w, h int) ([]byte, error) {
	return drawChart(false, title, labels, series, w, h)
}

// ErrChart reports input a chart cannot be drawn from.
var ErrChart = errors.New("docgen: chart")

func drawChart(bars bool, title string, labels []string, series []Series, w, h int) ([]byte, error) {
	if w < 120 || h < 90 || w > 8000 || h > 8000 {
		return nil, fmt.Errorf("%w: size %d×%d outside 120×90 to 8000×8000", ErrChart, w, h)
	}
	if len(labels) == 0 || len(series) == 0 {
		return nil, fmt.Errorf("%w: no labels or no series", ErrChart)
	}
	for _, s := range series {
		if len(s.Values) > len(labels) {
			return nil, fmt.Errorf("%w: series %q has %d values for %d labels", ErrChart, s.Name, len(s.Values), len(labels))
		}
	}
	if _, _, err := parsedFonts(); err != nil {
		return nil, fmt.Errorf("%w: font: %v", ErrChart, err)
	}
	c := newCanvas(w, h)
	defer c.close()
	base := math.Max(10, math.Min(44, float64(w)/48))
	pad := base
	f := c.face(false, base)
	small := c.face(false, base*0.85)
	y := pad

	// Title, shrunk to fit the width.
	if title = strings.TrimSpace(title); title != "" {
		tf := c.face(true, base*1.3)
		for px := base * 1.3; textWidth(tf, title) > float64(w)-2*pad && px > base*0.7; px -= 1 {
			tf = c.face(true, px)
		}
		c.text(tf, title, float64(w)/2, y, topCentre, colText)
		y += lineH(tf) + base*0.3
	}

	// Legend: swatch and name per series, centred rows.
	if len(series) > 1 || series[0].Name != "" {
		y = c.legend(series, f, base, pad, y, float64(w), bars)
	}

	// Value range, rounded out to nice ticks.
	lo, hi := 0.0, 0.0
	for _, s := range series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	lo = math.Floor(lo/step+1e-9) * step
	hi = math.Ceil(hi/step-1e-9) * step
	var ticks []float64
	for v := lo; v <= hi+step/2; v += step {
		ticks = append(ticks, v)
	}
	tickW := 0.0
	tickText := make([]string, len(ticks))
	for i, v := range ticks {
		tickText[i] = compactNumber(v, step)
		tickW = math.Max(tickW, textWidth(small, tickText[i]))
	}

	// Plot area; x labels wrapped under their group.
	left := pad + tickW + base*0.5
	right := float64(w) - pad
	groupW := (right - left) / float64(len(labels))
	xl := make([][]string, len(labels))
	maxLines := 1
	for i, l := range labels {
		ls := wrapText(small, l, groupW*0.95)
		if len(ls) > 3 {
			ls = append(ls[:2], ls[2]+"…")
		}
		xl[i] = ls
		maxLines = max(maxLines, len(ls))
	}
	top := y + lineH(small) + base*0.2 // room for the values over the top
	bottom := float64(h) - pad - float64(maxLines)*lineH(small) - base*0.3
	if bottom-top < 20 || groupW < 4 {
		return nil, fmt.Errorf("%w: %d×%d is too small for %d labels", ErrChart, w, h, len(labels))
	}
	yOf := func(v float64) float64 { return bottom - (v-lo)/(hi-lo)*(bottom-top) }

	// Gridlines and the value axis.
	for i, v := range ticks {
		gy := math.Round(yOf(v))
		c.fillRect(left, gy, right, gy+math.Max(1, base/14), colGrid)
		c.text(small, tickText[i], left-base*0.3, gy, middleRight, colText)
	}
	axisW := math.Max(1, base/10)
	c.fillRect(left-axisW, top, left, bottom+1, colAxis)
	zero := math.Round(yOf(0))
	c.fillRect(left-axisW, zero, right, zero+axisW, colAxis)

	if bars {
		c.bars(series, len(labels), left, groupW, base, yOf)
	} else {
		c.lines(series, left, groupW, base, yOf)
	}

	// Labels under the groups.
	for i, ls := range xl {
		cx := left + groupW*(float64(i)+0.5)
		ly := bottom + base*0.3
		for _, l := range ls {
			c.text(small, l, cx, ly, topCentre, colText)
			ly += lineH(small)
		}
	}

	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, c.img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// legend draws the legend from y and returns the y under it.
func (c *canvas) legend(series []Series, f font.Face, base, pad, y, w float64, bars bool) float64 {
	sw := base * 0.8
	type item struct {
		name string
		w    float64
	}
	var rows [][]item
	var rowW []float64
	cur, curW := []item(nil), 0.0
	for _, s := range series {
		it := item{s.Name, sw + base*0.3 + textWidth(f, s.Name) + base}
		if len(cur) > 0 && curW+it.w > w-2*pad {
			rows, rowW = append(rows, cur), append(rowW, curW)
			cur, curW = nil, 0
		}
		cur, curW = append(cur, it), curW+it.w
	}
	rows, rowW = append(rows, cur), append(rowW, curW)
	k := 0
	lh := lineH(f)
	for r, row := range rows {
		x := (w - rowW[r] + base) / 2
		for _, it := range row {
			col := palette[k%len(palette)]
			mid := y + lh/2
			if bars {
				c.fillRect(x, mid-sw/2, x+sw, mid+sw/2, col)
			} else {
				c.line(x, mid, x+sw, mid, math.Max(2, base/6), col)
				c.disc(x+sw/2, mid, base/4, col)
			}
			c.text(f, it.name, x+sw+base*0.3, mid, middleLeft, colText)
			x += it.w
			k++
		}
		y += lh
	}
	return y + base*0.3
}

// bars draws grouped bars with their values over them.
func (c *canvas) bars(series []Series, n int, left, groupW, base float64, yOf func(float64) float64) {
	inner := groupW * 0.8
	barW := inner / float64(len(series))
	vf := c.face(false, base*0.8)
	if len(series) > 2 {
		vf = c.face(false, base*0.7)
	}
	for j, s := range series {
		col := palette[j%len(palette)]
		for i := 0; i < n && i < len(s.Values); i++ {
			v := s.Values[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x0 := left + groupW*float64(i) + (groupW-inner)/2 + barW*float64(j)
			gap := barW * 0.08
			y0, y1 := yOf(math.Max(v, 0)), yOf(math.Min(v, 0))
			c.fillRect(x0+gap, y0, x0+barW-gap, y1, col)
			label := compactNumber(v, 0)
			if v >= 0 {
				c.text(vf, label, x0+barW/2, y0-base*0.15, bottomCentre, colText)
			} else {
				c.text(vf, label, x0+barW/2, y1+base*0.15, topCentre, colText)
			}
		}
	}
}

// lines draws one polyline per series with markers and values.
func (c *canvas) lines(series []Series, left, groupW, base float64, yOf func(float64) float64) {
	vf := c.face(false, base*0.8)
	th := math.Max(2, base/6)
	for j, s := range series {
		col := palette[j%len(palette)]
		px, py, have := 0.0, 0.0, false
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				have = false
				continue
			}
			x, y := left+groupW*(float64(i)+0.5), yOf(v)
			if have {
				c.line(px, py, x, y, th, col)
			}
			px, py, have = x, y, true
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x, y := left+groupW*(float64(i)+0.5), yOf(v)
			c.disc(x, y, base/4, col)
			// Under the point when another series' value sits just above
			// it, so the two labels do not overprint.
			below := false
			for k, o := range series {
				if k != j && i < len(o.Values) && !math.IsNaN(o.Values[i]) {
					oy := yOf(o.Values[i])
					if (oy < y || (oy == y && k < j)) && y-oy < lineH(vf)*1.3 {
						below = true
					}
				}
			}
			if below {
				c.text(vf, compactNumber(v, 0), x, y+base*0.4, topCentre, colText)
			} else {
				c.text(vf, compactNumber(v, 0), x, y-base*0.4, bottomCentre, colText)
			}
		}
	}
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*e*(1+1e-9) {
			return m * e
		}
	}
	return 10 * e
}

// compactNumber writes v for an axis or a label: "348 triệu", "1,2 tỷ",
// "14.250", "2,5". step, when positive, sets the decimals of axis ticks.
func compactNumber(v, step float64) string {
	a := math.Abs(v)
	unit, div := "", 1.0
	switch {
	case a >= 1e9 && (step == 0 || step >= 1e8):
		unit, div = " tỷ", 1e9
	case a >= 1e6 && (step == 0 || step >= 1e5):
		unit, div = " triệu", 1e6
	}
	x := v / div
	dec := 0
	switch {
	case step > 0 && div == 1 && step < 1:
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
	case step > 0 && div > 1:
		dec = max(0, int(math.Ceil(-math.Log10(step/div)-1e-9)))
	case step == 0 && math.Abs(x) < 100 && x != math.Trunc(x):
		dec = 1
		if div == 1 && math.Abs(x) < 10 {
			dec = 2
		}
	}
	s := formatFloat(x, min(dec, 6))
	if dec > 0 && step == 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	if s == "-0" {
		s = "0"
	}
	return s + unit
}
