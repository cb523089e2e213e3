package docgen

import (
	"io"
	"testing"
)

func BenchmarkWritePDF(b *testing.B) {
	d := q3Report(b)
	for b.Loop() {
		if err := WritePDF(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteDOCX(b *testing.B) {
	d := q3Report(b)
	for b.Loop() {
		if err := WriteDOCX(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteXLSX(b *testing.B) {
	d := allBlocks(b)
	for b.Loop() {
		if err := WriteXLSX(io.Discard, d, XLSXOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBarChart(b *testing.B) {
	labels := []string{"Ủy ban MTTQ huyện", "Hội Nông dân", "Hội LHPN", "Huyện đoàn", "Hội CCB", "Liên đoàn Lao động"}
	s := []Series{{Name: "Buổi", Values: []float64{12, 9, 11, 8, 5, 4}}, {Name: "Lượt", Values: []float64{640, 410, 520, 380, 210, 190}}}
	for b.Loop() {
		if _, err := BarChart("Kết quả", labels, s, 1600, 800); err != nil {
			b.Fatal(err)
		}
	}
}
