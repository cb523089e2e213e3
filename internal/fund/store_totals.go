package fund

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

// Sums of a fund (or of several) over a period, from the daily sums kept
// with the entries. Reversals count against the class of the entry they
// reverse, on the date of the reversal.
type Sums struct {
	Received      int64 `json:"received"`      // money receipts (cash and transfer)
	InKind        int64 `json:"in_kind"`       // receipts in kind, valued
	PaidOut       int64 `json:"paid_out"`      // disbursements (positive)
	TransfersIn   int64 `json:"transfers_in"`  // from other funds
	TransfersOut  int64 `json:"transfers_out"` // to other funds (positive)
	Receipts      int64 `json:"receipts"`      // number of receipts not reversed
	Disbursements int64 `json:"disbursements"` // number of disbursements not reversed
	Net           int64 `json:"net"`           // everything in minus everything out
}

func (t *Sums) add(class string, amount, n int64) {
	switch class {
	case ClassMoney:
		t.Received += amount
		t.Receipts += n
	case ClassInKind:
		t.InKind += amount
		t.Receipts += n
	case ClassOut:
		t.PaidOut -= amount
		t.Disbursements += n
	case ClassTransferIn:
		t.TransfersIn += amount
	case ClassTransferOut:
		t.TransfersOut -= amount
	}
	t.Net += amount
}

type dailyRow struct {
	date   db.Date
	class  string
	unit   int64
	area   int64
	amount int64
	n      int64
	maxSeq int64
}

func (s *Store) daily(ctx context.Context, fundIDs []int64, unitID int64, from, to db.Date) ([]dailyRow, error) {
	if len(fundIDs) == 0 {
		return nil, nil
	}
	var w where
	var ids []string
	for _, id := range fundIDs {
		ids = append(ids, w.arg(id))
	}
	w.conds = append(w.conds, "fund_id IN ("+strings.Join(ids, ", ")+")")
	if unitID != 0 {
		w.add("unit_id = ?", unitID)
	}
	if from.Valid() {
		w.add("date >= ?", from)
	}
	if to.Valid() {
		w.add("date <= ?", to)
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT date, class, unit_id, area_id, amount, n, max_seq FROM fund_daily"+w.String()+" ORDER BY date", w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: sums: %w", err)
	}
	defer rows.Close()
	var out []dailyRow
	for rows.Next() {
		var r dailyRow
		if err := rows.Scan(&r.date, &r.class, &r.unit, &r.area, &r.amount, &r.n, &r.maxSeq); err != nil {
			return nil, fmt.Errorf("fund: sums: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FundSums returns the sums of a fund over [from, to] (zero dates: open),
// for the receiving unit unitID (0: all).
func (s *Store) FundSums(ctx context.Context, fundID, unitID int64, from, to db.Date) (*Sums, error) {
	rows, err := s.daily(ctx, []int64{fundID}, unitID, from, to)
	if err != nil {
		return nil, err
	}
	var t Sums
	for _, r := range rows {
		t.add(r.class, r.amount, r.n)
	}
	return &t, nil
}

// sumsCache keeps each fund's all-time sums for the size of its log they
// were computed at: the public pages show them on every request, and they
// change only when the log grows.
type sumsCache struct {
	mu sync.Mutex
	m  map[int64]cachedSums
}

type cachedSums struct {
	size int64
	sums Sums
}

// AllSums returns the fund's sums over all dates, from the cache when the
// fund's log has not grown since (f is read fresh by the caller).
func (s *Store) AllSums(ctx context.Context, f *Fund) (*Sums, error) {
	s.sums.mu.Lock()
	c, ok := s.sums.m[f.ID]
	s.sums.mu.Unlock()
	if ok && c.size == f.LogSize {
		out := c.sums
		return &out, nil
	}
	t, err := s.FundSums(ctx, f.ID, 0, db.Date{}, db.Date{})
	if err != nil {
		return nil, err
	}
	s.sums.mu.Lock()
	if s.sums.m == nil {
		s.sums.m = map[int64]cachedSums{}
	}
	s.sums.m[f.ID] = cachedSums{size: f.LogSize, sums: *t}
	s.sums.mu.Unlock()
	return t, nil
}

// fundsFor resolves a fund code, or else a campaign code, to fund ids.
func (s *Store) fundsFor(ctx context.Context, code string) ([]int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	rows, err := s.DB.QueryContext(ctx, "SELECT id FROM funds WHERE code = $1 UNION SELECT id FROM funds WHERE campaign = $1 AND NOT EXISTS (SELECT 1 FROM funds WHERE code = $1)", code)
	if err != nil {
		return nil, fmt.Errorf("fund: funds of %s: %w", code, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.NotFound, "fund.err.no_such_fund", code)
	}
	return ids, nil
}

// Totals is what the reporting room reads to fill indicator values derived
// from the funds (issue 5, item 8), so nobody types them twice.
//
// fund is a fund code ("COVID19") or, when no fund has that code, a
// campaign code shared by the funds of several levels: their sums are
// added (transfers between them are not counted, so nothing is counted
// twice). received is the money received (receipts in cash and by bank
// transfer, net of their reversals; in-kind donations are not money, see
// TotalsDetail); paidOut is what was paid out (disbursements net of their
// reversals, as a positive amount; transfers to other funds are not paid
// out). Only entries dated from from to to, both inclusive, count (a zero
// date leaves that end open), and only those of the receiving unit unitID
// (a receipt's receiving unit; a disbursement's is the fund's managing
// unit) unless unitID is 0.
//
// Indicator codes it feeds (catalogue of internal/indicator), see
// IndicatorSources:
//
//	QUY_COVID_TIEP_NHAN   ← received  (campaign COVID19)
//	QUY_COVID_CHI_HO_TRO  ← paidOut   (campaign COVID19)
//	QUY_COVID_HIEN_VAT    ← Sums.InKind from TotalsDetail (campaign COVID19)
//	QUY_VI_NGUOI_NGHEO_TIEP_NHAN ← received (campaign VNN)
//	QUY_VI_NGUOI_NGHEO_CHI       ← paidOut  (campaign VNN)
func (s *Store) Totals(ctx context.Context, fund string, unitID int64, from, to db.Date) (received, paidOut int64, err error) {
	t, err := s.TotalsDetail(ctx, fund, unitID, from, to)
	if err != nil {
		return 0, 0, err
	}
	return t.Received, t.PaidOut, nil
}

// TotalsDetail is Totals with every sum.
func (s *Store) TotalsDetail(ctx context.Context, fund string, unitID int64, from, to db.Date) (*Sums, error) {
	ids, err := s.fundsFor(ctx, fund)
	if err != nil {
		return nil, err
	}
	rows, err := s.daily(ctx, ids, unitID, from, to)
	if err != nil {
		return nil, err
	}
	var t Sums
	for _, r := range rows {
		t.add(r.class, r.amount, r.n)
	}
	return &t, nil
}

// IndicatorSource says which indicator a fund sum feeds.
type IndicatorSource struct {
	Indicator string // indicator code in the catalogue
	Campaign  string // fund or campaign code given to Totals
	Measure   string // "received", "paid_out" or "in_kind"
}

// IndicatorSources maps indicator codes to fund sums (see Totals).
var IndicatorSources = []IndicatorSource{
	{"QUY_COVID_TIEP_NHAN", "COVID19", "received"},
	{"QUY_COVID_CHI_HO_TRO", "COVID19", "paid_out"},
	{"QUY_COVID_HIEN_VAT", "COVID19", "in_kind"},
	{"QUY_VI_NGUOI_NGHEO_TIEP_NHAN", "VNN", "received"},
	{"QUY_VI_NGUOI_NGHEO_CHI", "VNN", "paid_out"},
}

// Derived is an indicator value computed from the funds, with where it
// came from (shown beside the value in reports).
type Derived struct {
	Indicator string `json:"indicator"`
	Value     int64  `json:"value"`
	// Source is a sentence for the reader: "Quỹ COVID19: tổng tiền
	// tiếp nhận từ 01/07/2021 đến 30/09/2021 (sổ quỹ, 412 phiếu thu)".
	Source string `json:"source"`
	// URL is the public page of the fund.
	URL string `json:"url"`
}

// IndicatorValue computes the value of an indicator that IndicatorSources
// maps to a fund sum; ok is false for other indicators or when no fund
// has the campaign.
func (s *Store) IndicatorValue(ctx context.Context, indicator string, unitID int64, from, to db.Date) (d Derived, ok bool, err error) {
	for _, src := range IndicatorSources {
		if src.Indicator != indicator {
			continue
		}
		t, err := s.TotalsDetail(ctx, src.Campaign, unitID, from, to)
		if apperr.Is(err, apperr.NotFound) {
			return d, false, nil
		}
		if err != nil {
			return d, false, err
		}
		d = Derived{Indicator: indicator, URL: "/quy/" + src.Campaign}
		d.Value, d.Source = sourceSentence(src, t, from, to)
		return d, true, nil
	}
	return d, false, nil
}

// PeriodSums is one period's sums.
type PeriodSums struct {
	Period string // "2021-08" or "2021Q3"
	Label  string // "08/2021" or "Quý III/2021"
	Sums
}

var romans = []string{"I", "II", "III", "IV"}

// ByPeriod returns a fund's sums by month, or by quarter, oldest first.
func (s *Store) ByPeriod(ctx context.Context, fundID int64, quarterly bool) ([]PeriodSums, error) {
	rows, err := s.daily(ctx, []int64{fundID}, 0, db.Date{}, db.Date{})
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	var out []PeriodSums
	for _, r := range rows {
		y, m := r.date.Year(), int(r.date.Month())
		key, label := fmt.Sprintf("%04d-%02d", y, m), fmt.Sprintf("%02d/%04d", m, y)
		if quarterly {
			q := (m-1)/3 + 1
			key, label = fmt.Sprintf("%04dQ%d", y, q), fmt.Sprintf("Quý %s/%04d", romans[q-1], y)
		}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, PeriodSums{Period: key, Label: label})
		}
		out[i].add(r.class, r.amount, r.n)
	}
	return out, nil
}

// AreaSums is one area's sums.
type AreaSums struct {
	AreaID   int64
	AreaName string
	Sums
}

// ByArea returns a fund's sums by area (a receipt counts in its receiving
// unit's area, a disbursement in the area it went to), largest first.
func (s *Store) ByArea(ctx context.Context, fundID int64) ([]AreaSums, error) {
	rows, err := s.daily(ctx, []int64{fundID}, 0, db.Date{}, db.Date{})
	if err != nil {
		return nil, err
	}
	idx := map[int64]int{}
	var out []AreaSums
	for _, r := range rows {
		i, ok := idx[r.area]
		if !ok {
			i = len(out)
			idx[r.area] = i
			out = append(out, AreaSums{AreaID: r.area})
		}
		out[i].add(r.class, r.amount, r.n)
	}
	for i := range out {
		if out[i].AreaID == 0 {
			continue
		}
		if err := s.DB.QueryRowContext(ctx, "SELECT name FROM areas WHERE id = $1", out[i].AreaID).Scan(&out[i].AreaName); err != nil {
			out[i].AreaName = fmt.Sprint(out[i].AreaID)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Received+out[i].PaidOut > out[j].Received+out[j].PaidOut
	})
	return out, nil
}

// Disclosure is the Decree 93 disclosure status of one month of a fund:
// when its entries became public (the first signed checkpoint covering the
// month's last entry) against when they were due (the month's last entry
// date plus the fund's DiscloseDays).
type Disclosure struct {
	Month       string     `json:"month"` // "2021-08"
	Label       string     `json:"label"` // "08/2021"
	Entries     int64      `json:"entries"`
	LastDate    db.Date    `json:"last_date"`
	Due         db.Date    `json:"due"`
	PublishedAt *time.Time `json:"published_at"`
	// Status: "on_time", "late" (published after the due date), "pending"
	// (not yet published, not yet due) or "overdue".
	Status string `json:"status"`
}

// DisclosureStatus returns the disclosure status of a fund by month,
// newest first.
func (s *Store) DisclosureStatus(ctx context.Context, f *Fund) ([]Disclosure, error) {
	rows, err := s.daily(ctx, []int64{f.ID}, 0, db.Date{}, db.Date{})
	if err != nil {
		return nil, err
	}
	type acc struct {
		n      int64
		last   db.Date
		maxSeq int64
	}
	months := map[string]*acc{}
	var keys []string
	for _, r := range rows {
		k := r.date.Format("2006-01")
		a := months[k]
		if a == nil {
			a = &acc{}
			months[k] = a
			keys = append(keys, k)
		}
		a.n += max(r.n, 0)
		if r.date.After(a.last.Time) {
			a.last = r.date
		}
		a.maxSeq = max(a.maxSeq, r.maxSeq)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(keys)))
	today := db.NewDate(time.Now().In(time.FixedZone("ICT", 7*3600)))
	var out []Disclosure
	for _, k := range keys {
		a := months[k]
		d := Disclosure{Month: k, Label: k[5:] + "/" + k[:4], Entries: a.n, LastDate: a.last, Due: db.NewDate(a.last.AddDate(0, 0, f.DiscloseDays))}
		// Checkpoints grow in size and time: the smallest covering one is the first.
		var at *time.Time
		var t time.Time
		err := s.DB.QueryRowContext(ctx, "SELECT created_at FROM fund_checkpoints WHERE fund_id = $1 AND size >= $2 ORDER BY size LIMIT 1", f.ID, a.maxSeq).Scan(&t)
		if err == nil {
			at = &t
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("fund: disclosure: %w", err)
		}
		d.PublishedAt = at
		switch {
		case at != nil && !db.NewDate(at.In(time.FixedZone("ICT", 7*3600))).After(d.Due.Time):
			d.Status = "on_time"
		case at != nil:
			d.Status = "late"
		case today.After(d.Due.Time):
			d.Status = "overdue"
		default:
			d.Status = "pending"
		}
		out = append(out, d)
	}
	return out, nil
}
