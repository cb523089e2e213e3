package docgen

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"giaoban/internal/docgen/fonts"
)

// Drawing primitives for the charts: an RGBA canvas, anti-aliased lines
// and polygons (x/image/vector), text in the embedded Liberation Serif.

var (
	fontsOnce            sync.Once
	fontRegular, fontBld *sfnt.Font
	fontErr              error
)

func parsedFonts() (*sfnt.Font, *sfnt.Font, error) {
	fontsOnce.Do(func() {
		fontRegular, fontErr = opentype.Parse(fonts.SerifRegular)
		if fontErr == nil {
			fontBld, fontErr = opentype.Parse(fonts.SerifBold)
		}
	})
	return fontRegular, fontBld, fontErr
}

// canvas is a chart being drawn. Faces are made per canvas: an opentype
// face is not safe for concurrent use.
type canvas struct {
	img   *image.RGBA
	ras   *vector.Rasterizer
	faces map[faceKey]font.Face
}

type faceKey struct {
	bold bool
	px   float64
}

func newCanvas(w, h int) *canvas {
	c := &canvas{
		img:   image.NewRGBA(image.Rect(0, 0, w, h)),
		ras:   vector.NewRasterizer(w, h),
		faces: map[faceKey]font.Face{},
	}
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	return c
}

func (c *canvas) face(bold bool, px float64) font.Face {
	k := faceKey{bold, math.Round(px*4) / 4}
	if f, ok := c.faces[k]; ok {
		return f
	}
	reg, bld, _ := parsedFonts()
	src := reg
	if bold {
		src = bld
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: k.px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // the embedded font and a positive size cannot fail
	}
	c.faces[k] = f
	return f
}

func (c *canvas) close() {
	for _, f := range c.faces {
		f.Close()
	}
}

// textWidth is the advance of s in pixels.
func textWidth(f font.Face, s string) float64 {
	return float64(font.MeasureString(f, s)) / 64
}

// anchor says where (x, y) is on the text: horizontally left, centre or
// right; vertically the top, middle or bottom of the line box.
type anchor struct{ h, v int }

var (
	topCentre    = anchor{0, -1}
	middleRight  = anchor{1, 0}
	middleLeft   = anchor{-1, 0}
	bottomCentre = anchor{0, 1}
)

// text draws s at (x, y) as the anchor says.
func (c *canvas) text(f font.Face, s string, x, y float64, a anchor, col color.Color) {
	m := f.Metrics()
	asc, desc := float64(m.Ascent)/64, float64(m.Descent)/64
	w := textWidth(f, s)
	switch a.h {
	case 0:
		x -= w / 2
	case 1:
		x -= w
	}
	var base float64
	switch a.v {
	case -1:
		base = y + asc
	case 0:
		base = y + (asc-desc)/2
	default:
		base = y - desc
	}
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(base * 64)}}
	d.DrawString(s)
}

// lineH is the height of a line of text of face f.
func lineH(f font.Face) float64 {
	m := f.Metrics()
	return float64(m.Height) / 64
}

// fillRect fills [x0,x1)×[y0,y1) (pixel-aligned).
func (c *canvas) fillRect(x0, y0, x1, y1 float64, col color.Color) {
	r := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1)))
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// polygon fills a closed polygon, anti-aliased.
func (c *canvas) polygon(pts [][2]float64, col color.Color) {
	if len(pts) < 3 {
		return
	}
	b := c.img.Bounds()
	c.ras.Reset(b.Dx(), b.Dy())
	c.ras.MoveTo(float32(pts[0][0]), float32(pts[0][1]))
	for _, p := range pts[1:] {
		c.ras.LineTo(float32(p[0]), float32(p[1]))
	}
	c.ras.ClosePath()
	c.ras.Draw(c.img, b, image.NewUniform(col), image.Point{})
}

// line draws a segment of the given thickness.
func (c *canvas) line(x0, y0, x1, y1, th float64, col color.Color) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*th/2, dx/l*th/2
	c.polygon([][2]float64{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}}, col)
}

// disc fills a circle.
func (c *canvas) disc(x, y, r float64, col color.Color) {
	const n = 24
	pts := make([][2]float64, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / n
		pts[i] = [2]float64{x + r*math.Cos(a), y + r*math.Sin(a)}
	}
	c.polygon(pts, col)
}

// wrapText breaks s into lines no wider than w (a word wider than w stays
// on its own line).
func wrapText(f font.Face, s string, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if cur != "" && textWidth(f, try) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur = try
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// palette holds the series colours: distinct in print and for the colour
// blind (Okabe–Ito, darkened for white paper).
var palette = []color.RGBA{
	{0, 114, 178, 255},   // blue
	{213, 94, 0, 255},    // vermilion
	{0, 158, 115, 255},   // green
	{204, 121, 167, 255}, // purple
	{230, 159, 0, 255},   // orange
	{86, 180, 233, 255},  // sky blue
	{120, 120, 120, 255}, // grey
	{240, 228, 66, 255},  // yellow
}

var (
	colAxis = color.RGBA{60, 60, 60, 255}
	colGrid = color.RGBA{220, 220, 220, 255}
	colText = color.RGBA{20, 20, 20, 255}
)

// textWidthMM measures s set in the embedded serif at sizePt points, in
// millimetres (the DOCX writer sizes its rules with it; Liberation Serif
// and Times New Roman share their metrics).
func textWidthMM(bold bool, sizePt float64, s string) float64 {
	reg, bld, err := parsedFonts()
	if err != nil {
		return 0
	}
	src := reg
	if bold {
		src = bld
	}
	// Measured at ten times the size, for precision past hinting.
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: sizePt * 10, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return 0
	}
	defer f.Close()
	return textWidth(f, s) / 10 * ptMM
}

// wrapMM breaks s into lines no wider than w millimetres.
func wrapMM(bold bool, sizePt float64, s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Fields(para) {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if cur != "" && textWidthMM(bold, sizePt, try) > w {
				lines = append(lines, cur)
				cur = word
				continue
			}
			cur = try
		}
		lines = append(lines, cur)
	}
	return lines
}
