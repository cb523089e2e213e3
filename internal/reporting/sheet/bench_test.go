package sheet

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/indicator"
)

// benchSpec is a many-unit workbook with units × rows value cells, every
// one filled (a stored value with its version), with rows of every type.
func benchSpec(layout Layout, units, rows int) Spec {
	spec := Spec{Period: "2021Q3", Layout: layout}
	types := []indicator.ValueType{indicator.Integer, indicator.Integer, indicator.Money, indicator.Integer, indicator.Decimal, indicator.YesNo, indicator.Text}
	for i := range rows {
		vt := types[i%len(types)]
		r := RowSpec{IndicatorCode: fmt.Sprintf("CT_%03d", i), Section: fmt.Sprintf("Mục %d", i/25+1),
			Name: fmt.Sprintf("Chỉ tiêu số %d của khối Mặt trận và các đoàn thể", i), UnitOfMeasure: "người", ValueType: vt}
		if vt == indicator.Decimal {
			r.Scale = 2
		}
		spec.Rows = append(spec.Rows, r)
	}
	for u := range units {
		us := UnitSpec{ID: int64(1000 + u), Name: fmt.Sprintf("Hội Nông dân xã số %d (hư cấu)", u), Values: map[string]Prefill{}}
		for i, r := range spec.Rows {
			raw := strconv.Itoa((u*7 + i*13) % 100000)
			switch r.ValueType {
			case indicator.Money:
				raw += "000"
			case indicator.Decimal:
				raw += ",25"
			case indicator.YesNo:
				raw = strconv.Itoa(i % 2)
			case indicator.Text:
				raw = "Đã tổ chức " + raw + " buổi"
			}
			us.Values[Key(r.IndicatorCode, r.Option)] = Prefill{Raw: raw, Version: int64(i + 1)}
		}
		spec.Units = append(spec.Units, us)
	}
	return spec
}

var benchFiles sync.Map // layout → []byte

func benchFile(b *testing.B, layout Layout, units, rows int) []byte {
	key := fmt.Sprintf("%s/%d/%d", layout, units, rows)
	if v, ok := benchFiles.Load(key); ok {
		return v.([]byte)
	}
	start := time.Now()
	data := writeSpec(b, benchSpec(layout, units, rows))
	b.Logf("%s: %d units × %d rows written in %v, %s", layout, units, rows, time.Since(start).Round(time.Millisecond), formatMB(int64(len(data))))
	benchFiles.Store(key, data)
	return data
}

// peakHeap samples the heap in use while fn runs and returns the peak
// above what was in use before, and the bytes allocated.
func peakHeap(fn func()) (peak, alloc uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, total := ms.HeapInuse, ms.TotalAlloc
	var mu sync.Mutex
	top := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			mu.Lock()
			top = max(top, s.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	runtime.ReadMemStats(&ms)
	close(done)
	wg.Wait()
	top = max(top, ms.HeapInuse)
	return top - base, ms.TotalAlloc - total
}

// excelizeRead is the baseline: open the file with excelize and iterate
// every row of every sheet.
func excelizeRead(data []byte) (cells int, err error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				return 0, err
			}
			cells += len(cols)
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
	}
	return cells, nil
}

// BenchmarkReadTemplate100k reads a many-unit workbook with 100,000 value
// cells (ReadTemplate: read and validate) and, in the same run, reads the
// same file with excelize (open and iterate all rows). Figures: read-ms
// (wall clock), read-cpu-ms (CPU time of the process, GC included: steadier
// on a busy machine), read-peak-MB (heap in use above the start, sampled
// every 5 ms), read-alloc-MB, the same for excelize, and x-excelize = read
// time / excelize time. The target for validate and apply is ≤ 5 s
// and ≤ 300 MB on a 2-core machine.
func BenchmarkReadTemplate100k(b *testing.B) {
	for _, c := range []struct {
		layout      Layout
		units, rows int
	}{{SheetPerUnit, 500, 200}, {UnitsAsColumns, 100, 1000}} {
		b.Run(string(c.layout), func(b *testing.B) {
			data := benchFile(b, c.layout, c.units, c.rows)
			expect := Expect{Period: "2021Q3", AllUnits: true}
			var readTime, exTime, readCPU, exCPU time.Duration
			var readPeak, readAlloc, exPeak, exAlloc uint64
			b.ResetTimer()
			for range b.N {
				var cells []Cell
				var errs []CellError
				var err error
				start, cpu := time.Now(), cpuTime()
				p, a := peakHeap(func() { cells, errs, err = readBytes(data, expect) })
				readTime, readCPU = readTime+time.Since(start), readCPU+cpuTime()-cpu
				readPeak, readAlloc = max(readPeak, p), max(readAlloc, a)
				if err != nil || len(errs) > 0 || len(cells) != c.units*c.rows {
					b.Fatalf("%v, %d errors, %d cells", err, len(errs), len(cells))
				}
				b.StopTimer()
				start, cpu = time.Now(), cpuTime()
				p, a = peakHeap(func() { _, err = excelizeRead(data) })
				exTime, exCPU = exTime+time.Since(start), exCPU+cpuTime()-cpu
				exPeak, exAlloc = max(exPeak, p), max(exAlloc, a)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			n := float64(b.N)
			mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
			b.ReportMetric(float64(readTime.Milliseconds())/n, "read-ms")
			b.ReportMetric(float64(readCPU.Milliseconds())/n, "read-cpu-ms")
			b.ReportMetric(float64(exCPU.Milliseconds())/n, "excelize-cpu-ms")
			b.ReportMetric(mb(readPeak), "read-peak-MB")
			b.ReportMetric(mb(readAlloc), "read-alloc-MB")
			b.ReportMetric(float64(exTime.Milliseconds())/n, "excelize-ms")
			b.ReportMetric(mb(exPeak), "excelize-peak-MB")
			b.ReportMetric(mb(exAlloc), "excelize-alloc-MB")
			b.ReportMetric(readTime.Seconds()/exTime.Seconds(), "x-excelize")
		})
	}
}

// BenchmarkWriteTemplate100k writes the same workbooks.
func BenchmarkWriteTemplate100k(b *testing.B) {
	for _, c := range []struct {
		layout      Layout
		units, rows int
	}{{SheetPerUnit, 500, 200}, {UnitsAsColumns, 100, 1000}} {
		b.Run(string(c.layout), func(b *testing.B) {
			spec := benchSpec(c.layout, c.units, c.rows)
			var size int
			b.ResetTimer()
			for range b.N {
				var buf bytes.Buffer
				if err := WriteTemplate(&buf, spec); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size)/(1<<20), "file-MB")
		})
	}
}
