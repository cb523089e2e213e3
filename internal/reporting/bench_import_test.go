package reporting

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/reporting/sheet"
)

// BenchmarkImportManyUnits uploads a many-unit XLSX template of one period
// with every value cell filled (a fresh SQLite database: units × integer
// indicators of one quarterly form) and measures, per import,
//
//   - import-s: the whole import (read and check the file, check every
//     value against the catalogue, the stored values and the rules, write
//     all of it in one transaction), as Service.Import does for the upload
//     page, the API and the CLI;
//   - read-s: reading and checking the file alone (sheet.ReadTemplate);
//   - excelize-s: simply opening the same file with excelize and iterating
//     its rows and cells, measured in the same run, and ratio = import-s /
//     excelize-s (ratio-cpu: the same in CPU time, import-cpu-s /
//     excelize-cpu-s);
//   - peak-heap-MB: the largest heap in use, sampled every 5 ms during the
//     imports (runtime.ReadMemStats), and VmHWM-MB: the process's peak
//     resident memory from /proc/self/status, reset before the imports
//     where the kernel allows it.
//
// By default it runs at a small scale (20 units × 100 indicators = 2,000
// cells; run it with -benchtime=1x in CI); GIAOBAN_BENCH_FULL=1 runs the
// issue's scale: 500 units × 200 indicators = 100,000 cells (targets
// ≤ 5 s and ≤ 300 MB). GIAOBAN_BENCH_LAYOUT=sheets uses one sheet per
// unit instead of one sheet with a column per unit; GIAOBAN_BENCH_UPDATE=1
// changes stored values instead of creating them.
func BenchmarkImportManyUnits(b *testing.B) {
	units, inds := 20, 100
	if os.Getenv("GIAOBAN_BENCH_FULL") != "" {
		units, inds = 500, 200
	}
	layout := sheet.UnitsAsColumns
	if os.Getenv("GIAOBAN_BENCH_LAYOUT") == "sheets" {
		layout = sheet.SheetPerUnit
	}
	ctx := context.Background()
	setup := time.Now()
	d := dbtest.Open(b, dbtest.SQLite)
	s, ids := benchWorld(b, d, units, inds)
	actx := auth.WithPrincipal(ctx, &auth.Principal{Role: auth.Admin, Username: "bench"})
	file := benchTemplate(b, s, actx, ids, layout, 0)
	cells := units * inds
	// With GIAOBAN_BENCH_UPDATE=1 every import changes stored values: the
	// file first imported (untimed) is sent again with every value moved
	// on, carrying the stored versions as a download would.
	var first []byte
	if os.Getenv("GIAOBAN_BENCH_UPDATE") != "" {
		first = file
		if _, err := s.Import(actx, ImportRequest{Data: first}); err != nil {
			b.Fatal(err)
		}
		file = benchTemplate(b, s, actx, ids, layout, 1)
		b.Log("every import updates stored values")
	}
	b.Logf("%d units × %d indicators = %d cells; %s file of %.2f MB; setup %v",
		units, inds, cells, layout, float64(len(file))/(1<<20), time.Since(setup).Round(time.Millisecond))

	// Reading alone and excelize alone, outside the timed loop.
	start := time.Now()
	got, problems, err := sheet.ReadTemplate(bytes.NewReader(file), int64(len(file)), sheet.Expect{AllUnits: true})
	if err != nil || len(problems) > 0 || len(got) != cells {
		b.Fatalf("read: %v %v, %d cells of %d", err, problems, len(got), cells)
	}
	read := time.Since(start)
	got = nil
	cpu0 := cpuTime()
	excel := excelizeRead(b, file, cells)
	excelCPU := cpuTime() - cpu0
	if excelCPU > 0 {
		b.ReportMetric(excelCPU.Seconds(), "excelize-cpu-s")
	}

	if os.Getenv("GIAOBAN_BENCH_NO_ROLLUP") != "" {
		// Diagnostic: without the roll-up triggers on data_values. An
		// import folds its changes into the roll-up itself (package
		// rollup/bulk) while they stand aside, so this shows only what
		// checking that they stand aside costs.
		for _, tr := range []string{"rollup_values_insert", "rollup_values_delete", "rollup_values_update"} {
			if _, err := d.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+tr); err != nil {
				b.Fatal(err)
			}
		}
		b.Log("roll-up triggers dropped")
	}
	runtime.GC()
	debug.FreeOSMemory()
	resetHWM()
	peak := sampleHeap()
	var total, cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if i > 0 {
			// Every import starts from an empty period (or the first file).
			for _, q := range []string{"DELETE FROM data_values", "DELETE FROM report_events", "DELETE FROM reports"} {
				if _, err := d.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			if first != nil {
				if _, err := s.Import(actx, ImportRequest{Data: first}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		res, err := s.Import(actx, ImportRequest{Data: file})
		total += time.Since(start)
		cpu += cpuTime() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if got := res.Created + res.Updated; got != cells || res.Units != units || first != nil && res.Updated != cells {
			b.Fatalf("import: %d created, %d updated in %d units, want %d in %d", res.Created, res.Updated, res.Units, cells, units)
		}
	}
	b.StopTimer()
	heap := peak()
	imp := total / time.Duration(b.N)
	b.ReportMetric(float64(cells), "cells")
	b.ReportMetric(imp.Seconds(), "import-s")
	if cpu > 0 {
		b.ReportMetric((cpu / time.Duration(b.N)).Seconds(), "import-cpu-s")
	}
	b.ReportMetric(read.Seconds(), "read-s")
	b.ReportMetric(excel.Seconds(), "excelize-s")
	b.ReportMetric(imp.Seconds()/excel.Seconds(), "ratio")
	if cpu > 0 && excelCPU > 0 {
		// The same ratio in CPU time, steadier on a shared machine.
		b.ReportMetric((cpu/time.Duration(b.N)).Seconds()/excelCPU.Seconds(), "ratio-cpu")
	}
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "VmHWM-MB")
	}
	b.Logf("import %v (CPU %v; read alone %v), excelize open+iterate %v (CPU %v), ratio %.2f; peak heap %d MB, VmHWM %d MB",
		imp.Round(time.Millisecond), (cpu / time.Duration(b.N)).Round(time.Millisecond), read.Round(time.Millisecond),
		excel.Round(time.Millisecond), excelCPU.Round(time.Millisecond), imp.Seconds()/excel.Seconds(), heap>>20, vmHWM()>>20)
}

// benchWorld makes a province with units communes, one organisation, inds
// integer indicators in a quarterly form, and returns the service and the
// unit ids.
func benchWorld(b *testing.B, d *db.DB, units, inds int) (*Service, []int64) {
	b.Helper()
	ctx := context.Background()
	s := New(d)
	fail := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	_, err := s.Org.EnsureLevels(ctx)
	fail(err)
	prov, err := s.Org.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelProvince, Name: "Tỉnh Thử"})
	fail(err)
	o, err := s.Org.CreateOrganisation(ctx, org.OrganisationInput{Code: "HND", NameVI: "Hội Nông dân"})
	fail(err)
	_, err = s.Ind.CreateSection(ctx, indicator.SectionInput{Code: "bench", NameVI: "Chỉ tiêu thử", SortOrder: 1})
	fail(err)
	var codes []string
	for i := range inds {
		code := fmt.Sprintf("CT_%03d", i)
		_, err := s.Ind.CreateIndicator(ctx, indicator.IndicatorInput{Code: code, NameVI: fmt.Sprintf("Chỉ tiêu thử số %d của khối Mặt trận và các đoàn thể", i),
			Section: "bench", UnitVI: "người", ValueType: indicator.Integer, AggUnits: indicator.Sum, AggPeriods: indicator.Sum})
		fail(err)
		codes = append(codes, code)
	}
	_, err = s.Ind.CreateForm(ctx, indicator.FormInput{Code: "QUY_THU", NameVI: "Báo cáo quý (thử)", PeriodType: "quarter", Indicators: codes})
	fail(err)
	ids := make([]int64, units)
	for i := range units {
		a, err := s.Org.CreateArea(ctx, org.AreaInput{LevelCode: org.LevelCommune, Name: "Xã thử " + strconv.Itoa(i+1), ParentID: &prov.ID})
		fail(err)
		u, err := s.Org.CreateUnit(ctx, org.UnitInput{OrganisationID: o.ID, AreaID: a.ID})
		fail(err)
		ids[i] = u.ID
	}
	return s, ids
}

// benchTemplate writes the template of the units for 2021Q3 as the
// download does (prefilled with the stored values and their versions),
// every value cell filled as a user would; shift moves every value on.
func benchTemplate(b *testing.B, s *Service, ctx context.Context, ids []int64, layout sheet.Layout, shift int) []byte {
	b.Helper()
	spec, err := s.TemplateSpec(ctx, TemplateRequest{Period: "2021Q3", UnitIDs: ids, Layout: layout})
	if err != nil {
		b.Fatal(err)
	}
	for j := range spec.Units {
		for i, r := range spec.Rows {
			k := sheet.Key(r.IndicatorCode, r.Option)
			p := spec.Units[j].Values[k]
			p.Raw = strconv.Itoa(1 + shift + (j*7+i*13)%5000)
			spec.Units[j].Values[k] = p
		}
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, *spec); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// excelizeRead opens file with excelize and iterates the rows of every
// sheet, reading every cell: the baseline of the ratio.
func excelizeRead(b *testing.B, file []byte, cells int) time.Duration {
	b.Helper()
	start := time.Now()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range cols {
				if c != "" {
					n++
				}
			}
		}
		rows.Close()
	}
	f.Close()
	d := time.Since(start)
	if n < cells {
		b.Fatalf("excelize read %d non-empty cells, fewer than the %d values", n, cells)
	}
	return d
}

// sampleHeap samples the heap in use every 5 ms until the returned
// function is called, which returns the largest value seen.
func sampleHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		wg.Wait()
		return peak.Load()
	}
}

// cpuTime is the CPU time (user and system, all threads) the process has
// used, from /proc/self/stat in clock ticks of 10 ms; 0 where there is no
// /proc. On a busy machine it measures the work better than the wall clock.
func cpuTime() time.Duration {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The fields after the command (which may hold spaces) in parentheses.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// resetHWM resets the process's peak resident memory (Linux: writing 5 to
// /proc/self/clear_refs), so that VmHWM covers what follows.
func resetHWM() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// vmHWM is the process's peak resident memory in bytes (0 when unknown).
func vmHWM() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
