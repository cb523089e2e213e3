package vietqr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func samplePayload(t *testing.T) string {
	t.Helper()
	s, err := Encode(Payload{BIN: "970436", Account: "0011001932418", Amount: 500000, Note: "UH COVID19 NGUYEN VAN A"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMatrix(t *testing.T) {
	m, err := Matrix(samplePayload(t))
	if err != nil {
		t.Fatal(err)
	}
	n := len(m)
	if n < 21 || (n-17)%4 != 0 {
		t.Fatalf("matrix side %d is not a QR version size", n)
	}
	for _, row := range m {
		if len(row) != n {
			t.Fatalf("matrix not square")
		}
	}
	// Three finder patterns: 7×7 dark border with a 3×3 dark centre.
	for _, c := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				ring := x == 0 || y == 0 || x == 6 || y == 6
				centre := x >= 2 && x <= 4 && y >= 2 && y <= 4
				if want := ring || centre; m[c[1]+y][c[0]+x] != want {
					t.Fatalf("finder at %v wrong at (%d,%d)", c, x, y)
				}
			}
		}
	}
	if _, err := Matrix(""); err == nil {
		t.Error("empty payload accepted")
	}
}

func TestPNG(t *testing.T) {
	payload := samplePayload(t)
	m, _ := Matrix(payload)
	total := len(m) + 2*QuietZone
	for _, size := range []int{total, 300, 512, 1000} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			data, err := PNG(payload, size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("png.Decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
				t.Fatalf("image %v, want %d×%d", b, size, size)
			}
			scale := size / total
			off := (size - len(m)*scale) / 2
			if off < QuietZone*scale {
				t.Fatalf("quiet zone %d px < %d modules", off, QuietZone)
			}
			dark := func(x, y int) bool {
				r, _, _, _ := img.At(x, y).RGBA()
				return r < 0x8000
			}
			// Quiet zone is white all round.
			for i := 0; i < size; i++ {
				for _, p := range [][2]int{{i, 0}, {0, i}, {i, size - 1}, {size - 1, i}, {i, off - 1}, {off - 1, i}} {
					if dark(p[0], p[1]) {
						t.Fatalf("dark pixel in quiet zone at %v", p)
					}
				}
			}
			// Every module's centre has the module's colour.
			for y, row := range m {
				for x, want := range row {
					px, py := off+x*scale+scale/2, off+y*scale+scale/2
					if dark(px, py) != want {
						t.Fatalf("module (%d,%d) at pixel (%d,%d): dark=%v, want %v", x, y, px, py, !want, want)
					}
				}
			}
		})
	}
	for _, size := range []int{0, -1, total - 1, 10001} {
		if _, err := PNG(payload, size); err == nil {
			t.Errorf("PNG size %d accepted", size)
		}
	}
}

var rectRE = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

func TestSVG(t *testing.T) {
	payload := samplePayload(t)
	m, _ := Matrix(payload)
	data, err := SVG(payload)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML, and find the viewBox and the path.
	dec := xml.NewDecoder(bytes.NewReader(data))
	var viewBox, d string
	elems := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, data)
		}
		if se, ok := tok.(xml.StartElement); ok {
			elems++
			for _, a := range se.Attr {
				switch {
				case se.Name.Local == "svg" && a.Name.Local == "viewBox":
					viewBox = a.Value
				case se.Name.Local == "path" && a.Name.Local == "d":
					d = a.Value
				}
			}
		}
	}
	total := len(m) + 2*QuietZone
	if want := fmt.Sprintf("0 0 %d %d", total, total); viewBox != want {
		t.Errorf("viewBox %q, want %q (modules + quiet zone)", viewBox, want)
	}
	if elems != 3 {
		t.Errorf("%d elements, want svg, rect, path", elems)
	}
	// Redraw the path on a grid: it must give exactly the matrix.
	got := make([][]bool, total)
	for i := range got {
		got[i] = make([]bool, total)
	}
	darkWant, darkGot := 0, 0
	for d != "" {
		sm := rectRE.FindStringSubmatch(d)
		if sm == nil {
			t.Fatalf("unexpected path data at %q", d[:min(len(d), 30)])
		}
		x, _ := strconv.Atoi(sm[1])
		y, _ := strconv.Atoi(sm[2])
		w, _ := strconv.Atoi(sm[3])
		w2, _ := strconv.Atoi(sm[4])
		if w != w2 || w < 1 {
			t.Fatalf("bad run %q", sm[0])
		}
		for i := 0; i < w; i++ {
			if got[y][x+i] {
				t.Fatalf("module (%d,%d) drawn twice", x+i, y)
			}
			got[y][x+i] = true
			darkGot++
		}
		d = d[len(sm[0]):]
	}
	for y := 0; y < total; y++ {
		for x := 0; x < total; x++ {
			want := false
			if y >= QuietZone && y < QuietZone+len(m) && x >= QuietZone && x < QuietZone+len(m) {
				want = m[y-QuietZone][x-QuietZone]
			}
			if want {
				darkWant++
			}
			if got[y][x] != want {
				t.Fatalf("SVG module (%d,%d) = %v, want %v", x, y, got[y][x], want)
			}
		}
	}
	if darkGot != darkWant || darkWant == 0 {
		t.Errorf("%d dark modules drawn, want %d", darkGot, darkWant)
	}
	if !strings.HasPrefix(string(data), "<?xml") {
		t.Error("missing XML declaration")
	}
}

// TestScan decodes the PNG with zbarimg when it is installed (Debian
// package zbar-tools): an independent reader must get the payload back.
func TestScan(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (apt-get install zbar-tools)")
	}
	for _, p := range []Payload{
		{BIN: "970436", Account: "0011001932418", Amount: 500000, Note: "UH COVID19 NGUYEN VAN A"},
		{BIN: "970418", Account: "12345"},
		{BIN: "970405", Account: "1234567890123456789", Amount: 9999999999999, Note: "đặng thị hoà - 0912345678"},
	} {
		payload, err := Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		data, err := PNG(payload, 400)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "qr.png")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
		if err != nil {
			t.Fatalf("zbarimg: %v", err)
		}
		if got := strings.TrimRight(string(out), "\n"); got != payload {
			t.Errorf("scanned %q, want %q", got, payload)
		}
	}
}

func BenchmarkEncodeSVG(b *testing.B) {
	for b.Loop() {
		s, _ := Encode(Payload{BIN: "970436", Account: "0011001932418", Amount: 500000, Note: "UH COVID19"})
		if _, err := SVG(s); err != nil {
			b.Fatal(err)
		}
	}
}
