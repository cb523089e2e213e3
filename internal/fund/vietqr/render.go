package vietqr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QuietZone is the white margin around the code, in modules (ISO/IEC 18004
// requires at least 4).
const QuietZone = 4

// Matrix returns the QR modules of payload at error-correction level M,
// without the quiet zone: m[y][x] is true for a dark module.
func Matrix(payload string) ([][]bool, error) {
	if payload == "" {
		return nil, invalid("", "không có nội dung để tạo mã QR")
	}
	qr, err := qrcode.NewWith(payload, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("tạo mã QR: %w", err)
	}
	var w matrixWriter
	if err := qr.Save(&w); err != nil {
		return nil, fmt.Errorf("tạo mã QR: %w", err)
	}
	return w.bits, nil
}

// matrixWriter is a qrcode.Writer that keeps the bitmap.
type matrixWriter struct{ bits [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error { w.bits = m.Bitmap(); return nil }
func (w *matrixWriter) Close() error                { return nil }

// PNG renders payload as a square black-on-white PNG of about size pixels:
// each module is a whole number of pixels (so scanners see crisp edges), the
// image is exactly size×size and the code is centred in it with at least the
// quiet zone around. size must leave at least one pixel per module.
func PNG(payload string, size int) ([]byte, error) {
	m, err := Matrix(payload)
	if err != nil {
		return nil, err
	}
	total := len(m) + 2*QuietZone
	if size < total || size > 10000 {
		return nil, invalid("", "kích thước ảnh %d điểm ảnh không phù hợp (từ %d đến 10000)", size, total)
	}
	scale := size / total
	off := (size - len(m)*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range m {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				line := img.Pix[(off+y*scale+dy)*img.Stride:]
				for dx := 0; dx < scale; dx++ {
					line[off+x*scale+dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SVG renders payload as a scalable SVG whose user unit is one module: the
// viewBox is (modules + 2 × QuietZone) square, a white background, and one
// path in which each horizontal run of dark modules on a row is one
// rectangle "M x y h w v 1 h -w z". Set the displayed size with CSS or the
// width/height attributes of the embedding page.
func SVG(payload string) ([]byte, error) {
	m, err := Matrix(payload)
	if err != nil {
		return nil, err
	}
	total := len(m) + 2*QuietZone
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+"\n"+
		`<rect width="%d" height="%d" fill="#fff"/>`+"\n"+`<path fill="#000" d="`, total, total, total, total)
	for y, row := range m {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			w := 1
			for x+w < len(row) && row[x+w] {
				w++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, w, w)
			x += w
		}
	}
	b.WriteString("\"/>\n</svg>\n")
	return []byte(b.String()), nil
}
