package fund

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// The funds feed the periodic reports (issue 5, item 8): the reporting
// room asks which indicators the funds compute (DerivedIndicators) and
// their values by receiving unit over a period's dates (DerivedValues), and
// is told after every ledger commit which units' sums changed on which
// dates (AfterCommit). The methods use plain types so that the reporting
// room needs no import of this package: internal/app connects the two.

// campaignFunds maps each campaign (or fund code) that IndicatorSources
// names to the public page of its statement, for the campaigns that have a
// fund: the fund's own page when the code names one fund, the list of funds
// otherwise.
func (s *Store) campaignFunds(ctx context.Context) (map[string]string, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT code, campaign FROM funds")
	if err != nil {
		return nil, fmt.Errorf("fund: campaigns: %w", err)
	}
	defer rows.Close()
	codes := map[string]bool{}
	byCampaign := map[string][]string{}
	for rows.Next() {
		var code, campaign string
		if err := rows.Scan(&code, &campaign); err != nil {
			return nil, fmt.Errorf("fund: campaigns: %w", err)
		}
		codes[strings.ToUpper(code)] = true
		if campaign != "" {
			c := strings.ToUpper(campaign)
			byCampaign[c] = append(byCampaign[c], code)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, src := range IndicatorSources {
		c := strings.ToUpper(src.Campaign)
		switch {
		case codes[c]:
			out[c] = "/quy/" + c
		case len(byCampaign[c]) == 1:
			out[c] = "/quy/" + byCampaign[c][0]
		case len(byCampaign[c]) > 1:
			out[c] = "/quy"
		}
	}
	return out, nil
}

// derivedLabel names a campaign's ledger for people: "sổ quỹ COVID19".
func derivedLabel(campaign string) string { return "sổ quỹ " + campaign }

// DerivedIndicators calls fn for each indicator the funds compute now: those
// of IndicatorSources whose campaign has a fund (without one, units type
// the figure as before), with a short name of the source ("sổ quỹ
// COVID19") and the public page of the fund.
func (s *Store) DerivedIndicators(ctx context.Context, fn func(code, label, url string)) error {
	pages, err := s.campaignFunds(ctx)
	if err != nil {
		return err
	}
	for _, src := range IndicatorSources {
		if url, ok := pages[strings.ToUpper(src.Campaign)]; ok {
			fn(src.Indicator, derivedLabel(src.Campaign), url)
		}
	}
	return nil
}

// sourceSentence says where a derived value came from: "Sổ quỹ COVID19:
// tiền tiếp nhận từ 21/05/2021 đến 20/08/2021 (412 phiếu thu)".
func sourceSentence(src IndicatorSource, t *Sums, from, to db.Date) (value int64, sentence string) {
	period := ""
	if from.Valid() && to.Valid() {
		period = fmt.Sprintf(" từ %s đến %s", vn.FormatDate(from.Time), vn.FormatDate(to.Time))
	}
	switch src.Measure {
	case "received":
		return t.Received, fmt.Sprintf("Sổ quỹ %s: tiền tiếp nhận%s (%s phiếu thu)", src.Campaign, period, vn.FormatInt(t.Receipts))
	case "paid_out":
		return t.PaidOut, fmt.Sprintf("Sổ quỹ %s: tiền đã chi hỗ trợ%s (%s khoản chi)", src.Campaign, period, vn.FormatInt(t.Disbursements))
	case "in_kind":
		return t.InKind, fmt.Sprintf("Sổ quỹ %s: hiện vật tiếp nhận quy ra tiền%s", src.Campaign, period)
	}
	return 0, ""
}

// DerivedValues calls fn, for each indicator the funds compute and each
// receiving unit with entries dated from from to to (both inclusive), with
// the unit's sum (as Totals computes it), the sentence saying where it came
// from and the fund's public page. unitID 0 means every unit; otherwise
// only that unit's sums are read. Units with no entry of the measure's kind
// are not called (their value is nothing, not a typed zero).
func (s *Store) DerivedValues(ctx context.Context, unitID int64, from, to time.Time, fn func(code string, unitID, value int64, source, url string)) error {
	pages, err := s.campaignFunds(ctx)
	if err != nil {
		return err
	}
	f, t := db.NewDate(from), db.NewDate(to)
	done := map[string]bool{}
	for _, src := range IndicatorSources {
		c := strings.ToUpper(src.Campaign)
		url, ok := pages[c]
		if !ok || done[c] {
			continue
		}
		done[c] = true
		ids, err := s.fundsFor(ctx, c)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		rows, err := s.daily(ctx, ids, unitID, f, t)
		if err != nil {
			return err
		}
		byUnit := map[int64]*Sums{}
		var units []int64
		for _, r := range rows {
			if r.unit == 0 {
				continue
			}
			sum := byUnit[r.unit]
			if sum == nil {
				sum = &Sums{}
				byUnit[r.unit] = sum
				units = append(units, r.unit)
			}
			sum.add(r.class, r.amount, r.n)
		}
		slices.Sort(units)
		for _, other := range IndicatorSources {
			if !strings.EqualFold(other.Campaign, c) {
				continue
			}
			for _, u := range units {
				sum := byUnit[u]
				if !touches(other.Measure, sum) {
					continue
				}
				v, sentence := sourceSentence(other, sum, f, t)
				fn(other.Indicator, u, v, sentence, url)
			}
		}
	}
	return nil
}

// touches tells whether a unit's sums hold entries of a measure's kind.
func touches(measure string, t *Sums) bool {
	switch measure {
	case "received":
		return t.Received != 0 || t.Receipts != 0
	case "paid_out":
		return t.PaidOut != 0 || t.Disbursements != 0
	case "in_kind":
		return t.InKind != 0
	}
	return false
}

// CommitHook is told, after a ledger transaction has committed, the
// receiving units whose sums changed and the dates they changed on (both
// sorted, without repeats). It runs on the committing goroutine, after the
// commit, with a context that is not cancelled with the request's.
type CommitHook func(ctx context.Context, unitIDs []int64, dates []time.Time)

type commitHooks struct {
	mu  sync.Mutex
	fns []CommitHook
}

// AfterCommit adds fn to the hooks run after every ledger commit (receipts,
// disbursements, reversals, transfers, imports).
func (s *Store) AfterCommit(fn CommitHook) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.fns = append(s.hooks.fns, fn)
}

// committed runs the hooks for what a committed ledger transaction changed.
func (s *Store) committed(ctx context.Context, lt *ledgerTx) {
	if lt == nil {
		return
	}
	s.hooks.mu.Lock()
	fns := slices.Clone(s.hooks.fns)
	s.hooks.mu.Unlock()
	if len(fns) == 0 {
		return
	}
	units, dates := lt.touched()
	if len(units) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, fn := range fns {
		func() {
			defer func() {
				if r := recover(); r != nil {
					slog.Error("fund: after-commit hook", "panic", r)
				}
			}()
			fn(ctx, units, dates)
		}()
	}
}

// touched lists the receiving units and dates of the daily sums the
// transaction changed.
func (lt *ledgerTx) touched() (units []int64, dates []time.Time) {
	us, ds := map[int64]bool{}, map[string]bool{}
	for _, a := range lt.funds {
		for k := range a.daily {
			if k.unit != 0 && !us[k.unit] {
				us[k.unit] = true
				units = append(units, k.unit)
			}
			if !ds[k.date] {
				ds[k.date] = true
				if d, err := time.Parse(time.DateOnly, k.date); err == nil {
					dates = append(dates, d)
				}
			}
		}
	}
	slices.Sort(units)
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	return units, dates
}
