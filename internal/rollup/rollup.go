// Package rollup consolidates what units report: live totals along the
// area tree, across the organisations of a bloc and along periods, the
// consolidated report (page, JSON, XLSX, DOCX, PDF) with its drafted
// narrative, and the dashboard's charts.
//
// # The aggregate
//
// rollup_cells (migrations 0400) holds, per (area, class, period,
// indicator, organisation), the sum of the values and the number of units
// that reported them, for every strict ancestor of a unit's area and for
// the whole country (area 0). Class 0 counts every value, class 1 only
// values of approved reports. Triggers on data_values, reports, units and
// areas keep it in the same transaction as every write, on both dialects,
// so every write path (the entry page, the API, imports, the demo, SQL by
// hand) stays consistent and a saved value shows in the very next query:
// there is no nightly job.
//
// Why this shape:
//   - The area's OWN units are not materialised: at its own area a unit is
//     alone in its (area, organisation) cell, so the cell would copy
//     data_values row for row (80 million rows at national scale for the
//     communes alone). The value of an area is rollup_cells(area) plus its
//     own units' values, read from data_values by the unique index (a
//     handful of units). At national scale the table holds about 1.7
//     million rows instead of 80 million, and a write touches 2–4 rows per
//     class instead of 3–5.
//   - Only sum and the number of reporting units are kept: they can be
//     incremented and decremented. "average" across units is sum ÷ units
//     (a unit counts once per indicator however many options it fills).
//     "max" across units cannot be decremented; no catalogue indicator uses
//     it, so it is computed at query time from data_values for the
//     indicators that use it (bounded by their number). "last" across
//     units adds the units' stocks up, as the reporting room does.
//   - Longer periods are not maintained: a quarter's cell is read as it is
//     or, when no unit reported the quarter itself, from its ≤ 3 months; a
//     half, nine months or a year from its ≤ 4 quarters, with the
//     indicator's AggPeriods (sum, max, last, average; cumulative
//     indicators take the last). That is at most a few dozen rows per cell,
//     read by one primary-key range scan, and it keeps writes cheap.
//   - Organisations are columns of the key, so a bloc's organisations are
//     one scan; the bloc total combines them at query time.
//
// Historic areas: a report belongs to the unit and area that existed then.
// An area's figures over time include those of the areas merged into it
// (org.Store.Predecessors), each counted once.
package rollup

import (
	"sync"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
)

// Service reads roll-ups and keeps the drafts, templates and document
// settings of consolidated reports.
type Service struct {
	DB  *db.DB
	Org *org.Store
	Ind *indicator.Store
	Rep *reporting.Service
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time

	mu  sync.Mutex
	cat *catalogue // see catalogue
}

// New returns a service on d.
func New(d *db.DB) *Service {
	return &Service{DB: d, Org: &org.Store{DB: d}, Ind: &indicator.Store{DB: d}, Rep: reporting.New(d)}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Nation is the area id of the whole country: the roots of the tree.
const Nation int64 = 0
