package fund

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// ledgerTx is one write transaction over the ledgers of one or more funds.
// Appends to a fund's log are serialised by locking the fund's row (SELECT
// … FOR UPDATE on PostgreSQL; SQLite's single writer serialises every write
// transaction); the entries, their log hashes, the voucher counters, the
// daily sums, the search tokens, the fund's size and balance and a new
// signed checkpoint are all written in the same transaction, so they
// commit together or not at all.
type ledgerTx struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	signer note.Signer
	at     time.Time
	by     string
	funds  map[int64]*appender
}

// ledger runs fn with the funds' rows locked, in ascending id order (two
// transactions locking the same funds never wait for each other in a
// cycle), then writes what the appends left pending and commits.
func (s *Store) ledger(ctx context.Context, fundIDs []int64, fn func(lt *ledgerTx) error) error {
	return s.ledgerIn(ctx, s.DB.Tx, fundIDs, fn)
}

// bulkLedger is ledger for a bulk import (bulkTx; see bulk.go).
func (s *Store) bulkLedger(ctx context.Context, fundIDs []int64, fn func(lt *ledgerTx) error) error {
	return s.ledgerIn(ctx, s.bulkTx, fundIDs, fn)
}

func (s *Store) ledgerIn(ctx context.Context, inTx func(context.Context, func(*sql.Tx) error) error, fundIDs []int64, fn func(lt *ledgerTx) error) error {
	signer, _, err := s.Signer(ctx) // outside the transaction: it may write the key
	if err != nil {
		return err
	}
	ids := slices.Clone(fundIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var lt *ledgerTx
	err = inTx(ctx, func(tx *sql.Tx) error {
		lt = &ledgerTx{s: s, ctx: ctx, tx: tx, signer: signer, at: s.now(), by: audit.ActorFrom(ctx).Username, funds: map[int64]*appender{}}
		for _, id := range ids {
			a, err := lt.lock(id)
			if err != nil {
				return err
			}
			lt.funds[id] = a
		}
		if err := fn(lt); err != nil {
			return err
		}
		for _, id := range ids {
			if err := lt.funds[id].finish(); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.committed(ctx, lt) // the reports' derived values follow (derived.go)
	}
	return err
}

func (lt *ledgerTx) lock(id int64) (*appender, error) {
	q := "SELECT log_size, balance FROM funds WHERE id = $1"
	if lt.s.DB.Dialect == db.Postgres {
		q += " FOR UPDATE"
	}
	var size, balance int64
	if err := lt.tx.QueryRowContext(lt.ctx, q, id).Scan(&size, &balance); err != nil {
		return nil, notFound(err, "lock fund")
	}
	f, err := fundByID(lt.ctx, lt.tx, id)
	if err != nil {
		return nil, err
	}
	return &appender{lt: lt, fund: f, log: newDBLog(lt.ctx, lt.tx, id, size), size: size, balance: balance, startSize: size,
		counters: map[counterKey]*counter{}, daily: map[dailyKey]*dailySum{}, terms: map[string]int64{}}, nil
}

type counterKey struct {
	year   int
	series string
}

type counter struct {
	last    int64
	changed bool
}

type dailyKey struct {
	date       string
	class      string
	unit, area int64
}

type dailySum struct{ amount, n, maxSeq int64 }

// appender appends entries to one fund's log inside a ledgerTx.
type appender struct {
	lt        *ledgerTx
	fund      *Fund
	log       *dbLog
	size      int64
	balance   int64
	startSize int64
	counters  map[counterKey]*counter
	daily     map[dailyKey]*dailySum
	terms     map[string]int64
	pending   []*Entry
	tokens    []token
	fts       []ftsRow
	insFull   *sql.Stmt
	cmpFull   *sql.Stmt
	tokFull   *sql.Stmt
	ftsFull   *sql.Stmt
	// The writer goroutine (startAsync).
	jobs     chan writeJob
	done     chan struct{}
	mu       sync.Mutex
	werr     error
	inflight map[string]existing
	// The last date written out, and its ISO form: an import's entries
	// come day by day.
	isoOf   db.Date
	isoText string
	// The name index's automerge setting while holdMerges holds it.
	automerge string
	// BalanceFloor is the lowest balance allowed (0: never negative).
}

// iso returns d.ISO(), formatted again only when the date changes.
func (a *appender) iso(d db.Date) string {
	if a.isoText == "" || !d.Equal(a.isoOf.Time) {
		a.isoOf, a.isoText = d, d.ISO()
	}
	return a.isoText
}

// batchRows is how many entries one INSERT writes.
const batchRows = 100

// nextVoucher returns the next number of a series (PT, PC) for the year,
// from the fund's counter row: read once in the transaction (the fund is
// locked), written back when the transaction ends, so numbers have no gaps
// and no duplicates.
func (a *appender) nextVoucher(series string, year int) (int64, error) {
	k := counterKey{year, series}
	c := a.counters[k]
	if c == nil {
		c = &counter{}
		err := a.lt.tx.QueryRowContext(a.lt.ctx, "SELECT last FROM fund_counters WHERE fund_id = $1 AND year = $2 AND series = $3",
			a.fund.ID, year, series).Scan(&c.last)
		if err != nil && err != sql.ErrNoRows {
			return 0, fmt.Errorf("fund: voucher counter: %w", err)
		}
		a.counters[k] = c
	}
	c.last++
	c.changed = true
	return c.last, nil
}

// add appends e to the fund's log: it checks the balance, gives receipts
// and disbursements their voucher numbers, puts the published fields in
// canonical form, computes the log hashes and queues the row.
func (a *appender) add(e *Entry) error {
	f := a.fund
	e.FundID = f.ID
	e.Seq = a.size + 1
	if !validKindBook(e.Kind, e.Book) {
		return fmt.Errorf("fund: entry of kind %q in book %q", e.Kind, e.Book)
	}
	if nb := a.balance + e.Amount; nb < 0 {
		return apperr.Field("amount", "fund.err.balance", vn.FormatMoney(a.balance), vn.FormatMoney(-e.Amount), f.Name)
	}
	switch e.Kind {
	case translog.KindReceipt:
		n, err := a.nextVoucher(PrefixReceipt, e.Date.Year())
		if err != nil {
			return err
		}
		e.VoucherYear, e.VoucherNo = e.Date.Year(), n
		e.Ref = ReceiptNumber(f.Code, e.Date.Year(), n)
	case translog.KindDisbursement:
		n, err := a.nextVoucher(PrefixDisbursement, e.Date.Year())
		if err != nil {
			return err
		}
		e.VoucherYear, e.VoucherNo = e.Date.Year(), n
		e.Ref = DisbursementNumber(f.Code, e.Date.Year(), n)
	}
	p := e.Published().Normalize()
	e.Ref, e.BankRef, e.Party, e.Note = p.Ref, p.BankRef, p.Party, p.Note
	index, hashes, err := translog.Append(a.log, p)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "fund.err.entry", err.Error())
	}
	a.log.added(index, hashes)
	e.RecordHash = joinHashes(hashes)
	if e.Anonymous || e.Kind == translog.KindReversal {
		e.PartyFolded = ""
	} else {
		e.PartyFolded = vn.Fold(e.Party)
	}
	e.CreatedAt, e.CreatedBy = a.lt.at, a.lt.by
	a.size++
	a.balance += e.Amount

	var unit, area int64
	if e.UnitID != nil {
		unit = *e.UnitID
	}
	if e.AreaID != nil {
		area = *e.AreaID
	}
	k := dailyKey{a.iso(e.Date), e.Class, unit, area}
	d := a.daily[k]
	if d == nil {
		d = &dailySum{}
		a.daily[k] = d
	}
	d.amount += e.Amount
	d.maxSeq = e.Seq
	if e.Kind != translog.KindReversal {
		d.n++
	} else {
		d.n--
	}
	a.indexForSearch(e)
	a.pending = append(a.pending, e)
	return a.write(false)
}

const entryInsertCols = `fund_id, seq, kind, book, class, date, amount, ref, bank_ref, channel, party, note, reverses, party_folded,
	voucher_year, voucher_no, donor_name, party_kind, address, phone, anonymous, in_kind, transfer_note, unit_id, area_id,
	decision_no, approver, counterpart_fund_id, counterpart_seq, import_id, log_hashes, created_at, created_by`

const entryInsertN = 33

// sameAsNote marks a receipt's stored transfer note that equals its
// published note (most imported ones): the text is stored once.
const sameAsNote = "\x01"

func entryArgs(args []any, e *Entry) []any {
	donor, tnote := privateTexts(e)
	return append(args, e.FundID, e.Seq, e.Kind, e.Book, e.Class, e.Date, e.Amount, e.Ref, e.BankRef, e.Channel, e.Party, e.Note,
		e.Reverses, e.PartyFolded, e.VoucherYear, e.VoucherNo, donor, e.PartyKind, e.Address, e.Phone, e.Anonymous,
		e.InKind, tnote, e.UnitID, e.AreaID, e.DecisionNo, e.Approver, e.Counterpart, e.CounterSeq, e.ImportID,
		e.RecordHash, e.CreatedAt, e.CreatedBy)
}

// valuesList returns the VALUES rows of a multi-row INSERT: "($1, $2),
// ($3, $4)" on PostgreSQL, "(?, ?), (?, ?)" on SQLite. The SQLite driver
// looks up the name of every numbered parameter in a list, which costs the
// square of their number in a statement of thousands; anonymous "?"
// parameters cost nothing.
func valuesList(d db.Dialect, rows, cols int) string {
	var b strings.Builder
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		if d == db.SQLite {
			b.WriteString(strings.Repeat("?,", cols-1) + "?")
		} else {
			b.WriteString(placeholders(n, cols))
		}
		b.WriteByte(')')
		n += cols
	}
	return b.String()
}

// writeJob is one multi-row INSERT.
type writeJob struct {
	table string // "entries", "compact" (entries of one shape), "tokens" or "fts"
	rows  int
	args  []any
	refs  []string // bank references of the entries written
}

// flush writes the queued rows: whole batches through prepared
// statements, and with all the rest too.
func (a *appender) flush() error { return a.write(true) }

// write turns queued rows into INSERTs: whole batches, and with all the
// rest too. They run at once, or on the writer goroutine (startAsync).
func (a *appender) write(all bool) error {
	if err := a.asyncError(); err != nil {
		return err
	}
	for len(a.pending) >= compactRows || all && len(a.pending) > 0 {
		// A run of entries of one shape (an import's receipts) goes in a
		// compact INSERT; anything else in the full one.
		var j writeJob
		if sh, ok := shapeOf(a.pending[0]); ok {
			n := 1
			for n < len(a.pending) && n < compactRows {
				if s2, ok := shapeOf(a.pending[n]); !ok || s2 != sh {
					break
				}
				n++
			}
			if n < compactRows && n == len(a.pending) && !all {
				break
			}
			j = writeJob{table: "compact", rows: n, args: make([]any, 0, compactSharedN+n*compactRowN)}
			j.args = sh.args(j.args)
			for _, e := range a.pending[:n] {
				j.args = compactArgs(j.args, e, a.iso(e.Date))
			}
		} else {
			n := min(len(a.pending), batchRows)
			if n < batchRows && !all {
				break
			}
			j = writeJob{table: "entries", rows: n, args: make([]any, 0, n*entryInsertN)}
			for _, e := range a.pending[:n] {
				j.args = entryArgs(j.args, e)
			}
		}
		for _, e := range a.pending[:j.rows] {
			if e.BankRef != "" && e.Kind != "reversal" {
				j.refs = append(j.refs, e.BankRef)
				if a.jobs != nil {
					a.mu.Lock()
					a.inflight[e.BankRef] = existing{amount: e.Amount, seq: e.Seq}
					a.mu.Unlock()
				}
			}
		}
		if err := a.submit(j); err != nil {
			return err
		}
		a.pending = a.pending[j.rows:]
	}
	if len(a.pending) == 0 {
		a.pending = nil
	}
	return a.searchJobs(all)
}

func (a *appender) submit(j writeJob) error {
	if a.jobs == nil {
		return a.exec(a.lt.ctx, j)
	}
	a.jobs <- j
	return nil
}

// exec runs one INSERT; whole batches through a statement prepared once.
func (a *appender) exec(ctx context.Context, j writeJob) error {
	tx, d := a.lt.tx, a.lt.s.DB.Dialect
	var head string
	var cols, full int
	var stmt **sql.Stmt
	switch j.table {
	case "compact":
		var err error
		if j.rows == compactRows {
			if a.cmpFull == nil {
				if a.cmpFull, err = tx.PrepareContext(ctx, compactInsert(d, compactRows)); err != nil {
					return fmt.Errorf("fund: prepare entries: %w", err)
				}
			}
			_, err = a.cmpFull.ExecContext(ctx, j.args...)
		} else {
			_, err = tx.ExecContext(ctx, compactInsert(d, j.rows), j.args...)
		}
		if err != nil {
			return fmt.Errorf("fund: insert entries: %w", err)
		}
		return nil
	case "entries":
		head, cols, full, stmt = "INSERT INTO fund_entries ("+entryInsertCols+") VALUES ", entryInsertN, batchRows, &a.insFull
		if d == db.SQLite {
			// No statement journal where foreign keys are not checked
			// (bulkTx); a failure ends the transaction all the same.
			head = "INSERT OR FAIL INTO fund_entries (" + entryInsertCols + ") VALUES "
		}
	case "tokens":
		head, cols, full, stmt = "INSERT INTO fund_tokens (fund_id, token, seq) VALUES ", 3, tokenBatch, &a.tokFull
	default:
		head, cols, full, stmt = "INSERT INTO fund_fts (rowid, name) VALUES ", 2, ftsBatch, &a.ftsFull
	}
	var err error
	if j.rows == full {
		if *stmt == nil {
			if *stmt, err = tx.PrepareContext(ctx, head+valuesList(d, full, cols)); err != nil {
				return fmt.Errorf("fund: prepare %s: %w", j.table, err)
			}
		}
		_, err = (*stmt).ExecContext(ctx, j.args...)
	} else {
		_, err = tx.ExecContext(ctx, head+valuesList(d, j.rows, cols), j.args...)
	}
	if err != nil {
		return fmt.Errorf("fund: insert %s: %w", j.table, err)
	}
	return nil
}

// startAsync runs the INSERTs on a goroutine of their own, so that reading,
// classifying and hashing the next lines (one core) overlaps with SQLite
// writing the previous ones (the other). Only on SQLite: its connection
// may run a statement while another's rows are open, which PostgreSQL's
// wire protocol does not allow. stopAsync must follow.
func (a *appender) startAsync() {
	if a.lt.s.DB.Dialect != db.SQLite || a.jobs != nil {
		return
	}
	a.jobs = make(chan writeJob, 16)
	a.done = make(chan struct{})
	a.inflight = map[string]existing{}
	// The statements run without the caller's cancellation: the SQLite
	// driver watches a cancellable context with a goroutine of its own for
	// every statement, thousands in an import, which kept this goroutine
	// waiting for a processor. The context is checked between statements
	// instead (and its end rolls the transaction back).
	ctx := context.WithoutCancel(a.lt.ctx)
	go func() {
		defer close(a.done)
		for j := range a.jobs {
			if a.asyncError() == nil {
				err := a.lt.ctx.Err()
				if err == nil {
					err = a.exec(ctx, j)
				}
				if err != nil {
					a.mu.Lock()
					a.werr = err
					a.mu.Unlock()
				}
			}
			a.mu.Lock()
			for _, r := range j.refs {
				delete(a.inflight, r)
			}
			a.mu.Unlock()
		}
	}()
}

// stopAsync waits for the writer goroutine to finish what was queued.
func (a *appender) stopAsync() error {
	if a.jobs == nil {
		return nil
	}
	close(a.jobs)
	<-a.done
	a.jobs = nil
	return a.asyncError()
}

func (a *appender) asyncError() error {
	if a.done == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.werr
}

// pendingRef finds a queued entry (not yet written, or being written)
// with a bank reference.
func (a *appender) pendingRef(ref string) (existing, bool) {
	for _, e := range a.pending {
		if e.BankRef == ref && e.Kind != "reversal" {
			return existing{amount: e.Amount, seq: e.Seq}, true
		}
	}
	if a.inflight != nil {
		a.mu.Lock()
		defer a.mu.Unlock()
		e, ok := a.inflight[ref]
		return e, ok
	}
	return existing{}, false
}

// finish writes the counters, sums, terms, the fund's size and balance,
// and a signed checkpoint of the new log.
func (a *appender) finish() error {
	defer func() {
		if a.insFull != nil {
			a.insFull.Close()
		}
		if a.cmpFull != nil {
			a.cmpFull.Close()
		}
		if a.tokFull != nil {
			a.tokFull.Close()
		}
		if a.ftsFull != nil {
			a.ftsFull.Close()
		}
	}()
	if err := a.flush(); err != nil {
		return err
	}
	if err := a.stopAsync(); err != nil {
		return err
	}
	if err := a.releaseMerges(); err != nil {
		return err
	}
	if a.size == a.startSize {
		return nil
	}
	ctx, tx, id := a.lt.ctx, a.lt.tx, a.fund.ID
	for k, c := range a.counters {
		if !c.changed {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fund_counters (fund_id, year, series, last) VALUES ($1, $2, $3, $4)
			ON CONFLICT (fund_id, year, series) DO UPDATE SET last = excluded.last`, id, k.year, k.series, c.last); err != nil {
			return fmt.Errorf("fund: voucher counter: %w", err)
		}
	}
	for k, d := range a.daily {
		if _, err := tx.ExecContext(ctx, `INSERT INTO fund_daily (fund_id, date, class, unit_id, area_id, amount, n, max_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (fund_id, date, class, unit_id, area_id) DO UPDATE SET amount = fund_daily.amount + excluded.amount,
			n = fund_daily.n + excluded.n, max_seq = excluded.max_seq`,
			id, k.date, k.class, k.unit, k.area, d.amount, d.n, d.maxSeq); err != nil {
			return fmt.Errorf("fund: daily sums: %w", err)
		}
	}
	if err := a.finishSearch(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE funds SET log_size = $1, balance = $2, updated_at = $3 WHERE id = $4", a.size, a.balance, a.lt.at, id); err != nil {
		return fmt.Errorf("fund: update fund: %w", err)
	}
	root, err := translog.TreeHash(a.log, a.size)
	if err != nil {
		return fmt.Errorf("fund: tree hash: %w", err)
	}
	return a.checkpoint(root)
}

func (a *appender) checkpoint(root tlog.Hash) error {
	text, err := translog.Checkpoint(a.fund.Code, a.size, root, a.lt.signer)
	if err != nil {
		return fmt.Errorf("fund: sign checkpoint: %w", err)
	}
	if _, err := a.lt.tx.ExecContext(a.lt.ctx, `INSERT INTO fund_checkpoints (fund_id, size, root, note, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (fund_id, size) DO NOTHING`, a.fund.ID, a.size, root.String(), text, a.lt.at); err != nil {
		return fmt.Errorf("fund: store checkpoint: %w", err)
	}
	return nil
}
