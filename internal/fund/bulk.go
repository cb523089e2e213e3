package fund

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/db"
)

// The bulk path of a statement import (a million lines in seconds).
//
// What costs time in an import is SQLite writing rows, so the rows it
// writes are made cheap, on the writer goroutine (startAsync), while the
// main goroutine reads, classifies and hashes the next lines:
//
//   - the receipts of one import share most of their columns (fund, kind,
//     book, class, channel, unit, area, import, time, author) and leave
//     the private ones empty: they go in a compact INSERT (compactInsert)
//     that binds the shared values once per statement and 14 values per
//     row instead of 33 (binding is a fifth of SQLite's work per row);
//   - the transaction runs with SQLite's foreign-key checks off (bulkTx):
//     the keys every row carries (fund, unit, area) are checked once, at
//     the start (checkBulkKeys). With the checks on, a multi-row INSERT
//     keeps a statement journal (a copy of every page it touches, to undo
//     itself alone if a later row's key fails) and makes the name index
//     flush its buffer as a segment of its own before every such statement;
//     INSERT OR FAIL without the checks needs neither, and a failure still
//     ends the whole import (its transaction is rolled back);
//   - and with CHECK constraints off: SQLite tests "kind IN (…)" and
//     "book IN (…)" by filling two temporary tables for every row (seven
//     B-tree inserts besides the row's six); appender.add checks both in
//     Go (validKindBook) for every entry, in every transaction;
//   - bank references are checked for duplicates against a Bloom filter
//     (refFilter) of the fund's references and of those the import added,
//     so the database is asked only about references the filter may have:
//     none on a first import, every line on a repeated one. A query on the
//     transaction's connection waits for the INSERT the writer goroutine
//     is running, which made the main goroutine wait on every batch;
//   - debits are matched against the fund's open disbursements loaded once
//     (loadOpenDisbursements), for the same reason.

// entryShape is what the entries written by one compact INSERT share.
type entryShape struct {
	fundID                     int64
	kind, book, class, channel string
	unit, area                 int64
	importID                   string
	at                         time.Time
	by                         string
}

// shapeOf returns e's shape, and false when e does not fit the compact
// INSERT (a private column set, a reversal or transfer field, no unit).
func shapeOf(e *Entry) (entryShape, bool) {
	if e.Reverses != 0 || e.Address != "" || e.Phone != "" || e.Anonymous || e.InKind != "" || e.DecisionNo != "" ||
		e.Approver != "" || e.Counterpart != nil || e.CounterSeq != 0 || e.UnitID == nil || e.AreaID == nil {
		return entryShape{}, false
	}
	return entryShape{fundID: e.FundID, kind: e.Kind, book: e.Book, class: e.Class, channel: e.Channel, unit: *e.UnitID,
		area: *e.AreaID, importID: e.ImportID, at: e.CreatedAt, by: e.CreatedBy}, true
}

func (sh *entryShape) args(args []any) []any {
	return append(args, sh.fundID, sh.kind, sh.book, sh.class, sh.channel, sh.unit, sh.area, sh.importID, sh.at, sh.by)
}

// The columns of the compact INSERT: first the shared ones (bound once),
// then those of each row. The columns left out keep their defaults (empty,
// zero, NULL), which is what shapeOf requires of them.
const (
	compactShared  = `fund_id, kind, book, class, channel, unit_id, area_id, import_id, created_at, created_by`
	compactRow     = `seq, date, amount, ref, bank_ref, party, note, party_folded, voucher_year, voucher_no, donor_name, party_kind, transfer_note, log_hashes`
	compactSharedN = 10
	compactRowN    = 14
)

// importCacheKB is the SQLite page cache a bulk import works with.
const importCacheKB = 128 << 10

// compactRows is how many entries one compact INSERT writes.
const compactRows = 250

func compactArgs(args []any, e *Entry, date string) []any {
	donor, tnote := privateTexts(e)
	return append(args, e.Seq, date, e.Amount, e.Ref, e.BankRef, e.Party, e.Note, e.PartyFolded, int64(e.VoucherYear),
		e.VoucherNo, donor, e.PartyKind, tnote, e.RecordHash)
}

// compactInsert returns the compact INSERT of n rows: the shared values
// are parameters 1–10, referred to again by every row.
func compactInsert(d db.Dialect, n int) string {
	var b strings.Builder
	b.WriteString("INSERT ")
	if d == db.SQLite {
		b.WriteString("OR FAIL ")
	}
	b.WriteString("INTO fund_entries (" + compactShared + ", " + compactRow + ") VALUES ")
	shared := make([]string, compactSharedN)
	for i := range shared {
		if d == db.SQLite {
			shared[i] = "?" + strconv.Itoa(i+1)
		} else {
			shared[i] = "$" + strconv.Itoa(i+1)
		}
	}
	head := "(" + strings.Join(shared, ",") + ","
	next := compactSharedN + 1
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(head)
		if d == db.SQLite {
			// "?" takes the number after the largest used so far.
			b.WriteString(strings.Repeat("?,", compactRowN-1) + "?")
		} else {
			b.WriteString(placeholders(next, compactRowN))
		}
		b.WriteByte(')')
		next += compactRowN
	}
	return b.String()
}

// bulkTx runs fn in a write transaction for a bulk import. On SQLite it
// runs on the writer connection, held for the purpose, with the settings
// below; they are put back before the connection returns to the pool (or
// the connection is closed), and the log is copied back into the file in
// the background. On PostgreSQL it is DB.Tx.
func (s *Store) bulkTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.DB.Dialect != db.SQLite {
		return s.DB.Tx(ctx, fn)
	}
	conn, err := s.DB.Raw().Conn(ctx)
	if err != nil {
		return fmt.Errorf("fund: writer connection: %w", err)
	}
	defer conn.Close()
	// The writer's settings for the import, each with how it is put back:
	//   - no foreign-key or CHECK constraints (see the comment at the top);
	//   - a multi-row INSERT into the name index keeps a statement journal:
	//     in memory rather than in a temporary file;
	//   - a large page cache: the import touches index pages all over the
	//     ledger, which the default cache (2 MB) would read again and again;
	//   - no automatic checkpoint: the commit would copy the import's log
	//     back into the file (its size again) before returning; that copy is
	//     left to the background (CheckpointLater).
	var cacheSize, autoCheckpoint int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return fmt.Errorf("fund: writer settings: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&autoCheckpoint); err != nil {
		return fmt.Errorf("fund: writer settings: %w", err)
	}
	settings := []struct{ set, reset string }{
		{"foreign_keys = OFF", "foreign_keys = ON"},
		{"ignore_check_constraints = ON", "ignore_check_constraints = OFF"},
		{"temp_store = MEMORY", "temp_store = DEFAULT"},
		{"cache_size = " + strconv.Itoa(-importCacheKB), "cache_size = " + strconv.Itoa(cacheSize)},
		{"wal_autocheckpoint = 0", "wal_autocheckpoint = " + strconv.Itoa(autoCheckpoint)},
	}
	defer func() {
		ctx := context.WithoutCancel(ctx)
		ok := true
		for _, p := range settings {
			if _, err := conn.ExecContext(ctx, "PRAGMA "+p.reset); err != nil {
				ok = false
			}
		}
		// Inside a transaction left open SQLite ignores the first pragma
		// without an error: read it back.
		var fk int
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 || !ok {
			// Never hand out a connection without its checks: drop it.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	for _, p := range settings {
		if _, err := conn.ExecContext(ctx, "PRAGMA "+p.set); err != nil {
			return fmt.Errorf("fund: writer setting %s: %w", p.set, err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fund: begin: %w", err)
	}
	// Rolled back on every way out but a commit (a panic in fn included),
	// before the checks are put back.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("fund: commit: %w", err)
	}
	s.DB.CheckpointLater()
	return nil
}

// validKindBook is the CHECK constraints of fund_entries.kind and .book.
func validKindBook(kind, book string) bool {
	switch kind {
	case translog.KindReceipt, translog.KindDisbursement, translog.KindReversal, translog.KindTransfer:
	default:
		return false
	}
	switch book {
	case BookIn, BookOut, BookReversal:
		return true
	}
	return false
}

// checkBulkKeys checks once the keys the rows of an import into fund f
// refer to (what the foreign-key checks bulkTx turns off would check on
// every row): the fund is locked, so it exists; its unit and area.
func checkBulkKeys(ctx context.Context, tx *sql.Tx, f *Fund) error {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM units WHERE id = $1) + (SELECT COUNT(*) FROM areas WHERE id = $2)",
		f.UnitID, f.AreaID).Scan(&n)
	if err != nil {
		return fmt.Errorf("fund: check unit and area: %w", err)
	}
	if n != 2 {
		return fmt.Errorf("fund: fund %d refers to unit %d and area %d, which do not both exist", f.ID, f.UnitID, f.AreaID)
	}
	return nil
}

// refFilter is a Bloom filter of bank references: mayHave is false for a
// reference never added, and true for one added (and for a few others:
// about 1 in 100.000 with a million references, 1 in 50 with four
// million). Its size does not depend on the file.
type refFilter struct {
	seed maphash.Seed
	bits []uint64
}

const (
	refFilterBits   = 1 << 25 // 4 MiB
	refFilterHashes = 7
)

func newRefFilter() *refFilter {
	return &refFilter{seed: maphash.MakeSeed(), bits: make([]uint64, refFilterBits/64)}
}

func (f *refFilter) add(ref string) {
	h := maphash.String(f.seed, ref)
	a, b := uint32(h), uint32(h>>32)|1
	for i := uint32(0); i < refFilterHashes; i++ {
		x := (a + i*b) % refFilterBits
		f.bits[x/64] |= 1 << (x % 64)
	}
}

func (f *refFilter) mayHave(ref string) bool {
	h := maphash.String(f.seed, ref)
	a, b := uint32(h), uint32(h>>32)|1
	for i := uint32(0); i < refFilterHashes; i++ {
		x := (a + i*b) % refFilterBits
		if f.bits[x/64]&(1<<(x%64)) == 0 {
			return false
		}
	}
	return true
}

// loadRefs adds to the filter the bank references the import lookups find
// (lookupChunk): the fund's entries but reversals, and its remembered
// matches.
func (f *refFilter) loadRefs(ctx context.Context, q db.Q, fundID int64) error {
	rows, err := q.QueryContext(ctx, `SELECT bank_ref FROM fund_entries WHERE fund_id = $1 AND bank_ref <> '' AND kind <> 'reversal'
		UNION ALL SELECT bank_ref FROM fund_matches WHERE fund_id = $1`, fundID)
	if err != nil {
		return fmt.Errorf("fund: load references: %w", err)
	}
	defer rows.Close()
	var ref string
	for rows.Next() {
		if err := rows.Scan(&ref); err != nil {
			return fmt.Errorf("fund: load references: %w", err)
		}
		f.add(ref)
	}
	return rows.Err()
}

// maxOpenDisbursements bounds the disbursements an import loads to match
// debits in memory; a fund with more is asked line by line.
const maxOpenDisbursements = 200_000

// openDisbursement is a recorded disbursement a debit may match.
type openDisbursement struct {
	seq    int64
	amount int64 // as stored: negative
	date   db.Date
}

// loadOpenDisbursements returns the fund's disbursements that are neither
// reversed nor matched yet, by amount, then date and seq (the order
// classifier.match takes them in); ok is false when there are more than
// maxOpenDisbursements.
func loadOpenDisbursements(ctx context.Context, q db.Q, fundID int64) (map[int64][]openDisbursement, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.seq, e.amount, e.date FROM fund_entries e WHERE e.fund_id = $1 AND e.book = 'chi' AND e.kind = 'disbursement'
		AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.fund_id = e.fund_id AND r.reverses = e.seq AND r.reverses > 0)
		AND NOT EXISTS (SELECT 1 FROM fund_matches m WHERE m.fund_id = e.fund_id AND m.seq = e.seq)
		ORDER BY e.amount, e.date, e.seq LIMIT $2`, fundID, maxOpenDisbursements+1)
	if err != nil {
		return nil, false, fmt.Errorf("fund: open disbursements: %w", err)
	}
	defer rows.Close()
	out := map[int64][]openDisbursement{}
	n := 0
	for rows.Next() {
		var d openDisbursement
		if err := rows.Scan(&d.seq, &d.amount, &d.date); err != nil {
			return nil, false, fmt.Errorf("fund: open disbursements: %w", err)
		}
		out[d.amount] = append(out[d.amount], d)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("fund: open disbursements: %w", err)
	}
	if n > maxOpenDisbursements {
		return nil, false, nil
	}
	return out, true, nil
}

// matchLoaded is classifier.match over loaded disbursements: the first (by
// date, then seq) of the line's amount within MatchDays days and not
// claimed by this import.
func matchLoaded(open map[int64][]openDisbursement, claimed map[int64]bool, l *ImportLine) int64 {
	from := db.NewDate(l.Date.AddDate(0, 0, -MatchDays))
	to := db.NewDate(l.Date.AddDate(0, 0, MatchDays))
	n := 0
	for _, d := range open[l.Amount] {
		if d.date.Before(from.Time) || d.date.After(to.Time) {
			continue
		}
		if n++; n > matchCandidates {
			break
		}
		if !claimed[d.seq] {
			return d.seq
		}
	}
	return 0
}

// privateTexts returns what the donor_name and transfer_note columns store
// for e: a receipt's donor is usually its published party and its
// transfer note its published note; the private columns then stay empty
// (see scanEntry), a third less to write for an imported statement.
func privateTexts(e *Entry) (donor, tnote string) {
	donor, tnote = e.DonorName, e.TransferNote
	if e.Kind == translog.KindReceipt {
		if !e.Anonymous && donor == e.Party {
			donor = ""
		}
		if tnote != "" && tnote == e.Note {
			tnote = sameAsNote
		}
	}
	return donor, tnote
}
