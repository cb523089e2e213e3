package docgen

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"testing"
)

// decodeChart decodes a chart, checks its size and that its plot area
// (the middle, margins left out) is inked: at least 2 % non-white.
func decodeChart(t *testing.T, b []byte, w, h int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Fatalf("size %v, want %dx%d", got, w, h)
	}
	ink := 0
	for y := h / 5; y < h*9/10; y++ {
		for x := w / 10; x < w*9/10; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || b < 0xf000 {
				ink++
			}
		}
	}
	if ink < w*h/50 {
		t.Errorf("plot area nearly blank: %d inked pixels", ink)
	}
	return img
}

func TestBarChart(t *testing.T) {
	b, err := BarChart("Kết quả Quý III năm 2021 — Ủy ban MTTQ, Hội LHPN, Đoàn",
		[]string{"Ủy ban MTTQ huyện", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Huyện đoàn"},
		[]Series{{Name: "Tiếp nhận (đồng)", Values: []float64{348e6, 20e6, 15.5e6, 9e6}}, {Name: "Chi hỗ trợ", Values: []float64{14.25e6, 3e6, math.NaN(), 1e6}}},
		800, 450)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeChart(t, b, 800, 450)
	// The first bar (the tallest) is drawn in the first series colour.
	found := false
	for y := 100; y < 400 && !found; y++ {
		for x := 0; x < 800; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == uint32(palette[0].R) && g>>8 == uint32(palette[0].G) && bl>>8 == uint32(palette[0].B) {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("no bar in the first series' colour")
	}
}

func TestLineChart(t *testing.T) {
	b, err := LineChart("Tiếp nhận theo quý", []string{"Quý I", "Quý II", "Quý III", "Quý IV"},
		[]Series{{Name: "2021", Values: []float64{52e6, 80e6, 348e6, 120e6}}, {Name: "2020", Values: []float64{40e6, -5e6, 60e6}}}, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b, 640, 360)
}

func TestChartSmallValuesAndOneSeries(t *testing.T) {
	b, err := BarChart("", []string{"a", "b"}, []Series{{Values: []float64{0.25, 1.5}}}, 300, 200)
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b, 300, 200)
	if _, err := BarChart("", []string{"a"}, []Series{{Values: []float64{0}}}, 300, 200); err != nil {
		t.Errorf("all-zero chart: %v", err)
	}
}

func TestChartRejectsBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		labels []string
		series []Series
		w, h   int
	}{
		"no labels":       {nil, []Series{{Values: nil}}, 400, 300},
		"no series":       {[]string{"a"}, nil, 400, 300},
		"too many values": {[]string{"a"}, []Series{{Values: []float64{1, 2}}}, 400, 300},
		"tiny":            {[]string{"a"}, []Series{{Values: []float64{1}}}, 50, 50},
		"huge":            {[]string{"a"}, []Series{{Values: []float64{1}}}, 100000, 300},
		"too many labels": {make([]string, 200), []Series{{Values: []float64{1}}}, 400, 300},
	} {
		if _, err := BarChart("x", c.labels, c.series, c.w, c.h); !errors.Is(err, ErrChart) {
			t.Errorf("%s: err = %v, want ErrChart", name, err)
		}
	}
}

func TestNiceStepAndCompactNumber(t *testing.T) {
	for _, c := range []struct{ raw, want float64 }{{0.3, 0.5}, {1, 1}, {1.1, 2}, {3, 5}, {7, 10}, {69.6e6, 100e6}} {
		if got := niceStep(c.raw); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("niceStep(%v) = %v, want %v", c.raw, got, c.want)
		}
	}
	for _, c := range []struct {
		v, step float64
		want    string
	}{
		{348e6, 0, "348 triệu"}, {14.25e6, 0, "14,2 triệu"}, {1.2e9, 0, "1,2 tỷ"}, {14250, 0, "14.250"},
		{2.5, 0, "2,5"}, {0, 0, "0"}, {7, 0, "7"}, {100e6, 100e6, "100 triệu"}, {0.5, 0.5, "0,5"},
		{-5e6, 0, "-5 triệu"}, {250000, 50000, "250.000"},
	} {
		if got := compactNumber(c.v, c.step); got != c.want {
			t.Errorf("compactNumber(%v, %v) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
}
