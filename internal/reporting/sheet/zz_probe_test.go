package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"syscall"
	"testing"
	"time"
)

func BenchmarkProbeRead(b *testing.B) {
	data := benchFile(b, SheetPerUnit, 500, 200)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		c0 := cpuTime()
		_, errs, err := readBytes(data, Expect{AllUnits: true})
		if err != nil || len(errs) > 0 {
			b.Fatal(err)
		}
		b.Logf("wall %v cpu %v", time.Since(start), cpuTime()-c0)
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

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestProbeCompact(t *testing.T) {
	small := testSpec(SheetPerUnit)
	small.Units = small.Units[:1]
	small.Rows = small.Rows[3:7]
	seed := compact(t, small)
	t.Logf("compact %d bytes", len(seed))
	zr, _ := zipNewReader(seed)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		t.Logf("%s: %s", f.Name, b)
	}
}
