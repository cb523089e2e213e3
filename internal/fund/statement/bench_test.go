package statement

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// genCSV is an io.Reader that produces a bank statement of n lines on the
// fly, so that the file itself takes no memory.
type genCSV struct {
	n, i int
	buf  []byte
}

func newGenCSV(n int) *genCSV {
	g := &genCSV{n: n}
	g.buf = append(g.buf, "\ufeffSAO KÊ TÀI KHOẢN,,,,,\nNgày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Số dư,Nội dung\n"...)
	return g
}

var genNames = []string{"NGUYEN VAN AN", "TRAN THI BINH", "LE HOANG CUONG", "PHAM THI DUNG", "DANG QUOC BAO"}

func (g *genCSV) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i < g.n {
		g.i++
		day := 1 + g.i%28
		b := g.buf
		b = fmt.Appendf(b, "%02d/08/2021 %02d:%02d:%02d,FT21%09d,", day, g.i%24, g.i%60, g.i%60, g.i)
		if g.i%10 == 0 {
			b = append(b, `"1,500,000",,`...)
		} else {
			b = append(b, ',', '"')
			b = strconv.AppendInt(b, int64(50000*(1+g.i%200)), 10)
			b = append(b, `",`...)
		}
		b = append(b, `"123,456,789",MBVCB.`...)
		b = strconv.AppendInt(b, int64(g.i), 10)
		b = append(b, '.')
		b = append(b, genNames[g.i%len(genNames)]...)
		b = append(b, " ung ho quy phong chong covid\n"...)
		g.buf = b
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

// parseCounting parses n generated lines, sampling the heap, and returns
// the lines read, the peak heap in use and the elapsed time.
func parseCounting(t testing.TB, n int) (lines int, peak uint64, elapsed time.Duration) {
	runtime.GC()
	var ms runtime.MemStats
	start := time.Now()
	for l, err := range Parse(newGenCSV(n), KindCSV, Profile{}) {
		if err != nil {
			t.Fatal(err)
		}
		if l.Amount == 0 {
			t.Fatal("zero amount")
		}
		lines++
		if lines%50000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	return lines, peak, time.Since(start)
}

// TestParseConstantMemory parses 300,000 lines and checks that the heap
// stays small: no slice of all lines is kept anywhere.
func TestParseConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 300000
	lines, peak, _ := parseCounting(t, n)
	if lines != n {
		t.Fatalf("%d lines, want %d", lines, n)
	}
	// 300,000 lines hold about 30 MB of text and as many Line values;
	// the reader's buffers are 2 MB.
	if peak > 24<<20 {
		t.Errorf("peak heap in use %d MB: memory grows with the file", peak>>20)
	}
}

// BenchmarkParseCSV1M parses a generated 1,000,000-line CSV statement and
// reports lines per second and the peak heap in use (sampled every 50,000
// lines with runtime.ReadMemStats).
func BenchmarkParseCSV1M(b *testing.B) {
	const n = 1000000
	for b.Loop() {
		lines, peak, d := parseCounting(b, n)
		if lines != n {
			b.Fatalf("%d lines", lines)
		}
		b.ReportMetric(float64(lines)/d.Seconds(), "lines/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.Logf("%d lines in %v: %.0f lines/s, peak heap in use %.1f MB", lines, d.Round(time.Millisecond), float64(lines)/d.Seconds(), float64(peak)/(1<<20))
	}
}
