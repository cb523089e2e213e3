package sheet

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"
)

func BenchmarkProbeRead(b *testing.B) {
	data := benchFile(b, SheetPerUnit, 500, 200)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		_, errs, err := readBytes(data, Expect{AllUnits: true})
		if err != nil || len(errs) > 0 {
			b.Fatal(err)
		}
		b.Logf("%v", time.Since(start))
	}
}

func TestProbeSize2(t *testing.T) {
	data := writeSpec(t, benchSpec(SheetPerUnit, 500, 200))
	zr, _ := zipNewReader(data)
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	t.Logf("zip %d, xml %d bytes, %d parts", len(data), total, len(zr.File))
}

func zipNewReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}
