package rollup

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"giaoban/internal/period"
	"giaoban/internal/platform/db"
)

// loadGroupBy is the plain way: a GROUP BY over the raw values of the
// area's subtree, joining units and areas (and reports for the approved
// class). The benchmark compares it with the maintained aggregate.
func (s *Service) loadGroupBy(ctx context.Context, areaID int64, codes []string, approved bool, maxInds []int64) (map[cellKey]Partial, error) {
	path := ""
	if areaID != Nation {
		p, err := s.Org.AreaPath(ctx, areaID)
		if err != nil {
			return nil, err
		}
		path = p
	}
	var p params
	query := `SELECT v.period, v.indicator_id, u.organisation_id, SUM(v.value_num), COUNT(DISTINCT v.unit_id)
		FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id
		WHERE a.path LIKE ` + p.add(path+"%") + ` AND v.period IN (` + p.list(anyStrings(codes)) + `) AND v.value_num IS NOT NULL`
	if approved {
		query += approvedCond
	}
	query += " GROUP BY v.period, v.indicator_id, u.organisation_id"
	rows, err := s.DB.QueryContext(ctx, query, p.args...)
	if err != nil {
		return nil, fmt.Errorf("rollup: group by: %w", err)
	}
	defer rows.Close()
	out := map[cellKey]Partial{}
	for rows.Next() {
		var k cellKey
		var part Partial
		if err := rows.Scan(&k.period, &k.ind, &k.org, &part.Sum, &part.Units); err != nil {
			return nil, err
		}
		out[k] = part
	}
	return out, rows.Err()
}

// TableGroupBy builds the same table as Table from a plain GROUP BY.
func (s *Service) TableGroupBy(ctx context.Context, q TableQuery) (*Table, error) {
	return s.table(ctx, q, s.loadGroupBy)
}

// BenchOptions tune a benchmark run.
type BenchOptions struct {
	Runs        int           // measured runs of each roll-up table (after 2 warm-ups)
	GroupByRuns int           // runs of each GROUP BY table
	GroupByMax  time.Duration // stop repeating a GROUP BY table after this long
	Writes      int           // write-to-visible rounds
}

// DefaultBenchOptions are what the command uses.
var DefaultBenchOptions = BenchOptions{Runs: 40, GroupByRuns: 5, GroupByMax: 90 * time.Second, Writes: 20}

// BenchCase is one measured table.
type BenchCase struct {
	Scope, Period       string
	P50, P95            time.Duration
	GroupByP50          time.Duration
	GroupByRuns         int
	Ratio               float64
	Same                bool
	Rows, Organisations int
}

// BenchResult are a run's figures.
type BenchResult struct {
	Dialect                db.Dialect
	Scale                  BenchConfig
	Load, Rebuild          time.Duration
	Cases                  []BenchCase
	WriteP50, WriteP95     time.Duration
	VisibleP50, VisibleP95 time.Duration
	Visible, WriteRounds   int
	CellRows               int64
	PeakRSSKiB, CurrentKiB int64
}

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// memKiB reads VmHWM (peak resident) and VmRSS from /proc/self/status.
func memKiB() (peak, cur int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var v int64
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%d", &v)
			peak = v
		}
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%d", &v)
			cur = v
		}
	}
	return peak, cur
}

// peakMeter tells the peak resident memory of each phase of a run and of
// the whole run. On Linux writing 5 to clear_refs resets VmHWM, so a
// phase's peak is read and the counter reset at its end; the run's peak is
// the largest of them.
type peakMeter struct{ overall int64 }

// phase returns the peak in MiB since the previous call and starts anew.
func (m *peakMeter) phase() float64 {
	p, _ := memKiB()
	// What the phase allocated and dropped goes back to the system, so
	// the next phase's peak is its own.
	debug.FreeOSMemory()
	m.overall = max(m.overall, p)
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return float64(p) / 1024
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// RunBench loads the scale into d (unless it already holds it), then
// measures the consolidated tables of the nation, a province and a commune
// for a quarter and a year, the same tables by a plain GROUP BY, and how
// soon a saved value shows. Figures are printed to w as they come.
func RunBench(ctx context.Context, d *db.DB, c BenchConfig, opt BenchOptions, w io.Writer) (*BenchResult, error) {
	res := &BenchResult{Dialect: d.Dialect, Scale: c}
	var mem peakMeter
	mem.phase()
	s := New(d)
	loaded, err := BenchLoaded(ctx, d)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "giaoban bench rollup: scale %s on %s (%s)\n", c.Name, d.Dialect, d.Redacted)
	fmt.Fprintf(w, "  %d provinces, %d communes, %d units, %d indicators, %d quarters: %d values\n",
		c.Provinces, c.Communes, c.Units(), c.Indicators, c.Quarters, c.Values())
	switch {
	case loaded == "":
		start := time.Now()
		if err := LoadBench(ctx, d, c, func(s string) {
			peak, cur := memKiB()
			fmt.Fprintf(w, "  load: %s [%s; resident %d MiB, peak so far %d MiB]\n", s, time.Since(start).Round(time.Second), cur/1024, peak/1024)
		}); err != nil {
			return nil, err
		}
		res.Load = time.Since(start)
		fmt.Fprintf(w, "load time (values written in large transactions, roll-up triggers suspended): %s (peak %.0f MiB)\n", res.Load.Round(time.Millisecond), mem.phase())
		start = time.Now()
		if d.Dialect == db.SQLite {
			err = RebuildStream(ctx, d)
		} else {
			err = Rebuild(ctx, d)
		}
		if err != nil {
			return nil, err
		}
		res.Rebuild = time.Since(start)
		fmt.Fprintf(w, "aggregate built in one pass: %s (peak %.0f MiB)\n", res.Rebuild.Round(time.Millisecond), mem.phase())
		if d.Dialect == db.SQLite {
			if _, err := d.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE"); err != nil {
				return nil, err
			}
		} else if _, err := d.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, err
		}
	case loaded != c.Name:
		return nil, fmt.Errorf("the database holds the %q scale, not %q", loaded, c.Name)
	default:
		fmt.Fprintln(w, "reusing the loaded database (load time not measured again)")
	}
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM rollup_cells").Scan(&res.CellRows); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "rollup_cells rows: %d\n", res.CellRows)
	var prov, commune int64
	if err := d.QueryRowContext(ctx, "SELECT MIN(id) FROM areas WHERE parent_id IS NULL").Scan(&prov); err != nil {
		return nil, err
	}
	if err := d.QueryRowContext(ctx, "SELECT MIN(id) FROM areas WHERE parent_id = $1", prov).Scan(&commune); err != nil {
		return nil, err
	}
	scopes := []struct {
		name string
		id   int64
	}{{"nation", Nation}, {"province", prov}, {"commune", commune}}
	pers := []period.Period{LastQuarter, period.NewYear(LastQuarter.Year)}
	fmt.Fprintln(w, "\nconsolidated table (approved reports; every indicator × organisation, total, previous period, same period last year, year to date, plan):")
	fmt.Fprintf(w, "  %-9s %-7s %10s %10s %14s %6s %9s %s\n", "scope", "period", "p50", "p95", "GROUP BY p50", "runs", "ratio", "same figures")
	for _, sc := range scopes {
		for _, p := range pers {
			q := TableQuery{AreaID: sc.id, Period: p, Approved: true}
			var tab *Table
			var times []time.Duration
			for i := 0; i < opt.Runs+2; i++ {
				start := time.Now()
				tab, err = s.Table(ctx, q)
				if err != nil {
					return nil, err
				}
				if i >= 2 {
					times = append(times, time.Since(start))
				}
			}
			bc := BenchCase{Scope: sc.name, Period: p.Code(), P50: percentile(times, 0.5), P95: percentile(times, 0.95),
				Rows: len(tab.Rows()), Organisations: len(tab.Orgs)}
			var gtimes []time.Duration
			var gtab *Table
			began := time.Now()
			for i := 0; i < opt.GroupByRuns && (i == 0 || time.Since(began) < opt.GroupByMax); i++ {
				start := time.Now()
				gtab, err = s.TableGroupBy(ctx, q)
				if err != nil {
					return nil, err
				}
				gtimes = append(gtimes, time.Since(start))
			}
			bc.GroupByP50, bc.GroupByRuns = percentile(gtimes, 0.5), len(gtimes)
			if len(gtimes) > 0 {
				bc.Ratio = float64(bc.GroupByP50) / float64(max(bc.P50, time.Microsecond))
				bc.Same = sameTables(tab, gtab)
			}
			res.Cases = append(res.Cases, bc)
			fmt.Fprintf(w, "  %-9s %-7s %10s %10s %14s %6d %8.0f× %v (%d rows × %d organisations)\n", bc.Scope, bc.Period, ms(bc.P50), ms(bc.P95),
				ms(bc.GroupByP50), bc.GroupByRuns, bc.Ratio, bc.Same, bc.Rows, bc.Organisations)
		}
	}
	fmt.Fprintf(w, "  (peak while querying: %.0f MiB)\n", mem.phase())
	if err := benchWrites(ctx, s, opt.Writes, res); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "\nwrite to visible (%d rounds: update one value of an approved commune report, commit, query the nation's quarter table):\n", res.WriteRounds)
	fmt.Fprintf(w, "  write+commit p50 %s, p95 %s; next query p50 %s, p95 %s; visible in the next query: %d of %d\n",
		ms(res.WriteP50), ms(res.WriteP95), ms(res.VisibleP50), ms(res.VisibleP95), res.Visible, res.WriteRounds)
	mem.phase()
	res.PeakRSSKiB, res.CurrentKiB = mem.overall, 0
	_, res.CurrentKiB = memKiB()
	fmt.Fprintf(w, "peak resident memory (VmHWM): %.1f MiB; now %.1f MiB\n", float64(res.PeakRSSKiB)/1024, float64(res.CurrentKiB)/1024)
	return res, nil
}

// sameTables tells whether two tables hold the same figures.
func sameTables(a, b *Table) bool {
	if a == nil || b == nil {
		return false
	}
	ra, rb := a.Rows(), b.Rows()
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		x, y := ra[i], rb[i]
		if x.Code != y.Code || x.Total != y.Total || x.Prev != y.Prev || x.LastYear != y.LastYear || x.YTD != y.YTD || len(x.ByOrg) != len(y.ByOrg) {
			return false
		}
		for j := range x.ByOrg {
			if x.ByOrg[j] != y.ByOrg[j] {
				return false
			}
		}
	}
	return true
}

// benchWrites updates one value at a time through SQL (the triggers do
// the rest) and checks that the next query shows it.
func benchWrites(ctx context.Context, s *Service, rounds int, res *BenchResult) error {
	var ind int64
	var code string
	if err := s.DB.QueryRowContext(ctx, "SELECT id, code FROM indicators WHERE agg_units = 'sum' AND agg_periods = 'sum' AND NOT cumulative ORDER BY sort_order LIMIT 1").Scan(&ind, &code); err != nil {
		return err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.unit_id FROM reports r JOIN units u ON u.id = r.unit_id JOIN areas a ON a.id = u.area_id
		WHERE r.period = $1 AND r.status = 'approved' AND a.parent_id IS NOT NULL ORDER BY r.unit_id LIMIT $2`, LastQuarter.Code(), max(rounds, 1))
	if err != nil {
		return err
	}
	var units []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		units = append(units, id)
	}
	rows.Close()
	q := TableQuery{AreaID: Nation, Period: LastQuarter, Approved: true}
	var writes, reads []time.Duration
	for i := 0; i < rounds && i < len(units); i++ {
		before, err := s.Table(ctx, q)
		if err != nil {
			return err
		}
		want := before.Row(code).Total.V + 7
		start := time.Now()
		if _, err := s.DB.ExecContext(ctx, "UPDATE data_values SET value_num = value_num + 7, version = version + 1 WHERE unit_id = $1 AND period = $2 AND indicator_id = $3 AND option = ''",
			units[i], LastQuarter.Code(), ind); err != nil {
			return err
		}
		writes = append(writes, time.Since(start))
		start = time.Now()
		after, err := s.Table(ctx, q)
		if err != nil {
			return err
		}
		reads = append(reads, time.Since(start))
		if after.Row(code).Total.V == want {
			res.Visible++
		}
		res.WriteRounds++
	}
	res.WriteP50, res.WriteP95 = percentile(writes, 0.5), percentile(writes, 0.95)
	res.VisibleP50, res.VisibleP95 = percentile(reads, 0.5), percentile(reads, 0.95)
	return nil
}
