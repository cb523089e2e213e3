package fund

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/fund/statement"
	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/vn"
)

// Bank-statement import.
//
// Every line of a statement gets an action:
//
//   - receipt: a credit not in the fund yet; it becomes a receipt, the
//     donor's name taken from the transfer note (statement.DonorFromNote)
//     or, when the note follows no known pattern, the note itself;
//   - match: a debit with the amount of a recorded disbursement dated
//     within MatchDays days; the match is remembered (the disbursement is
//     not changed: its entry is signed);
//   - review: a debit that matches nothing: record the disbursement, then
//     import again;
//   - skip: already imported (the fund has an entry or a match with the
//     same bank reference and amount), or repeated in the file;
//   - reject: a line that cannot be read, or whose bank reference is already
//     in the fund with another amount.
//
// Importing is idempotent by bank reference: importing the same file twice
// adds nothing. A line without a reference gets one made from its date,
// amount, note and position among identical lines ("AUTO-…"), so that it
// too is recognised the second time. Everything an import writes is
// written in one transaction: all of it or nothing.
//
// Two ways in. The web page stores a preview (fund_imports and its lines)
// keyed by a random id, shows it, and commits it after review: the file is
// not uploaded twice and nothing needs JavaScript. The CLI and the API
// (ImportStatement) stream the file and commit in one pass, in memory that
// does not grow with the file (lines go through in batches; repeated
// references are found in the database, where earlier batches already
// are, when a Bloom filter of fixed size says they may be there); with
// DryRun the same work is done and rolled back. bulk.go tells how a
// million lines go in within seconds.

// Actions of import lines.
const (
	ActionReceipt = "receipt"
	ActionMatch   = "match"
	ActionReview  = "review"
	ActionSkip    = "skip"
	ActionReject  = "reject"
)

// ImportActions lists the actions in display order.
var ImportActions = []string{ActionReject, ActionReview, ActionReceipt, ActionMatch, ActionSkip}

// MatchDays is how far apart a debit and the disbursement it matches may be.
const MatchDays = 3

// MaxImportBytes bounds a statement uploaded through the web or the API;
// larger files go through `giaoban fund import`, which streams.
const MaxImportBytes = 64 << 20

// ImportLine is one line of a statement and what the import does with it.
type ImportLine struct {
	Line        int     `json:"line"`
	Action      string  `json:"action"`
	Date        db.Date `json:"date"`
	Amount      int64   `json:"amount"`
	BankRef     string  `json:"bank_ref"`
	Description string  `json:"description"`
	Donor       string  `json:"donor,omitempty"`
	DonorFound  bool    `json:"donor_found"`
	Reason      string  `json:"reason_key,omitempty"` // message key
	ReasonArg   string  `json:"reason_arg,omitempty"`
	Message     string  `json:"reason,omitempty"` // the reason in Vietnamese (API, CLI)
	MatchSeq    int64   `json:"match_seq,omitempty"`
}

// ImportSummary describes an import: the file, how it was read, and the
// number of lines per action.
type ImportSummary struct {
	ID         string            `json:"id,omitempty"`
	FundID     int64             `json:"fund_id"`
	FileName   string            `json:"file_name"`
	Profile    string            `json:"profile"`
	Kind       string            `json:"kind"`
	Encoding   string            `json:"encoding,omitempty"`
	Comma      string            `json:"separator,omitempty"`
	Sheet      string            `json:"sheet,omitempty"`
	HeaderLine int               `json:"header_line"`
	Columns    map[string]string `json:"columns"` // field → header as written
	Lines      int64             `json:"lines"`
	Counts     map[string]int64  `json:"counts"`
	Received   int64             `json:"received"` // total of the receipts
	Status     string            `json:"status"`   // preview, committed, dry_run
	Fatal      string            `json:"fatal,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	// Mapping is the mapping found, to save as a profile.
	Mapping statement.Profile `json:"mapping"`
}

// Count returns the number of lines with an action.
func (s *ImportSummary) Count(action string) int64 { return s.Counts[action] }

// ImportOptions tune ImportStatement.
type ImportOptions struct {
	Profile  statement.Profile
	FileName string
	DryRun   bool
	// Strict refuses the whole file (nothing written) when a line is
	// rejected; otherwise rejected lines are listed and the rest imported.
	Strict bool
	// OnLine, when set, is called for every line in file order.
	OnLine func(ImportLine)
}

// ReasonText renders a reason key and its argument in a language.
func ReasonText(lang, key, arg string) string {
	if key == "" {
		return ""
	}
	msg := i18n.T(lang, key)
	if strings.Contains(msg, "%") {
		msg = i18n.T(lang, key, arg)
	}
	return msg
}

func (l *ImportLine) setReason(key, arg string) {
	l.Reason, l.ReasonArg = key, arg
	l.Message = ReasonText("vi", key, arg)
}

// existing is what the fund already has under a bank reference.
type existing struct {
	amount int64
	seq    int64
	match  bool // a remembered debit match
	line   int  // an earlier line of the same preview
}

// lookupFunc finds what exists under bank references.
type lookupFunc func(refs []string) (map[string]existing, error)

// lookupSize is the number of references one lookup query takes (padded
// with empty ones, which match nothing), so it is prepared once.
const lookupSize = 500

// lookupLedger finds refs among the fund's entries and remembered matches
// (and, for a preview, among the lines of the preview so far).
func lookupLedger(ctx context.Context, q db.Q, d db.Dialect, fundID int64, preview string) lookupFunc {
	var stmt *sql.Stmt
	return func(refs []string) (map[string]existing, error) {
		out := map[string]existing{}
		for start := 0; start < len(refs); start += lookupSize {
			chunk := refs[start:min(start+lookupSize, len(refs))]
			if err := lookupChunk(ctx, q, d, fundID, preview, chunk, &stmt, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
}

func lookupChunk(ctx context.Context, q db.Q, d db.Dialect, fundID int64, preview string, refs []string, stmt **sql.Stmt, out map[string]existing) error {
	padded := make([]any, lookupSize)
	for i := range padded {
		padded[i] = ""
		if i < len(refs) {
			padded[i] = refs[i]
		}
	}
	// One IN list per part of the UNION: positional parameters on SQLite,
	// the same numbered ones on PostgreSQL.
	var args []any
	in := func() string {
		if d == db.SQLite {
			args = append(args, padded...)
			return strings.Repeat("?,", lookupSize-1) + "?"
		}
		return placeholders(2, lookupSize)
	}
	fund := func() string {
		if d == db.SQLite {
			args = append(args, fundID)
			return "?"
		}
		return "$1"
	}
	// Without statistics SQLite would rather scan the fund's rows than
	// probe the reference index 500 times: tell it.
	hint := ""
	if d == db.SQLite {
		hint = " INDEXED BY fund_entries_bank_ref"
	}
	query := `SELECT bank_ref, amount, seq, 0, 0 FROM fund_entries` + hint + ` WHERE fund_id = ` + fund() + ` AND bank_ref IN (` + in() + `) AND bank_ref <> '' AND kind <> 'reversal'
		UNION ALL SELECT bank_ref, amount, seq, 1, 0 FROM fund_matches WHERE fund_id = ` + fund() + ` AND bank_ref IN (` + in() + `)`
	if preview != "" {
		p := "$" + strconv.Itoa(lookupSize+2)
		if d == db.SQLite {
			p = "?"
		}
		query += ` UNION ALL SELECT bank_ref, amount, match_seq, 0, line_no FROM fund_import_lines WHERE import_id = ` + p + ` AND bank_ref IN (` + in() + `) AND action IN ('receipt', 'match')`
		if d == db.SQLite {
			// The import id comes before its IN list.
			args = append(args[:len(args)-lookupSize], append([]any{preview}, padded...)...)
		}
	}
	if d == db.Postgres {
		args = append([]any{fundID}, padded...)
		if preview != "" {
			args = append(args, preview)
		}
	}
	if *stmt == nil {
		tx, ok := q.(*sql.Tx)
		if !ok {
			return errors.New("fund: import lookup outside a transaction")
		}
		s, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("fund: import lookup: %w", err)
		}
		*stmt = s
	}
	rows, err := (*stmt).QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("fund: import lookup: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var e existing
		var m int
		if err := rows.Scan(&ref, &e.amount, &e.seq, &m, &e.line); err != nil {
			return fmt.Errorf("fund: import lookup: %w", err)
		}
		e.match = m == 1
		if _, dup := out[ref]; !dup {
			out[ref] = e
		}
	}
	return rows.Err()
}

// classifier decides each line's action, batch by batch.
type classifier struct {
	ctx       context.Context
	q         db.Q
	fund      *Fund
	lookup    lookupFunc
	previewID string
	claimed   map[int64]bool   // disbursements matched by this import
	autoSeen  map[string]int   // occurrences of identical lines without a reference
	batchRefs map[string]int64 // refs earlier in the batch → amount
	// filter, when set, has every reference lookup would find: only those
	// it may have are looked up (bulk.go).
	filter *refFilter
	// open, when set, holds the disbursements debits may match, by amount.
	open map[int64][]openDisbursement
}

// prepare loads what classifying needs from the fund once: the filter of
// its references and its open disbursements.
func (c *classifier) prepare() error {
	c.filter = newRefFilter()
	if err := c.filter.loadRefs(c.ctx, c.q, c.fund.ID); err != nil {
		return err
	}
	open, ok, err := loadOpenDisbursements(c.ctx, c.q, c.fund.ID)
	if err != nil {
		return err
	}
	if ok {
		c.open = open
	}
	return nil
}

func autoRef(l statement.Line, k int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%s|%d", l.Date.Format("2006-01-02"), l.Amount, l.Description, k))
	return "AUTO-" + strings.ToUpper(hex.EncodeToString(h[:6]))
}

// classify fills the actions of a batch of parsed lines (errors already
// turned into rejections).
func (c *classifier) classify(batch []ImportLine, parsed []statement.Line) error {
	var refs []string
	for i := range batch {
		if batch[i].Action == "" && (c.filter == nil || c.filter.mayHave(batch[i].BankRef)) {
			refs = append(refs, batch[i].BankRef)
		}
	}
	have := map[string]existing{}
	if len(refs) > 0 {
		var err error
		if have, err = c.lookup(refs); err != nil {
			return err
		}
	}
	if c.batchRefs == nil {
		c.batchRefs = map[string]int64{}
	}
	clear(c.batchRefs)
	for i := range batch {
		l := &batch[i]
		if l.Action != "" {
			continue
		}
		if prev, ok := c.batchRefs[l.BankRef]; ok {
			if prev == l.Amount {
				l.Action = ActionSkip
				l.setReason("fund.import.reason.repeated", l.BankRef)
			} else {
				l.Action = ActionReject
				l.setReason("fund.import.reason.ref_conflict", vn.FormatMoney(prev))
			}
			continue
		}
		if ex, ok := have[l.BankRef]; ok {
			switch {
			case ex.amount == l.Amount && ex.line > 0:
				l.Action = ActionSkip
				l.setReason("fund.import.reason.repeated", l.BankRef)
			case ex.amount == l.Amount && ex.match:
				l.Action = ActionSkip
				l.setReason("fund.import.reason.already_matched", strconv.FormatInt(ex.seq, 10))
			case ex.amount == l.Amount:
				l.Action = ActionSkip
				l.setReason("fund.import.reason.imported", strconv.FormatInt(ex.seq, 10))
			default:
				l.Action = ActionReject
				l.setReason("fund.import.reason.ref_conflict", vn.FormatMoney(ex.amount))
			}
			continue
		}
		c.batchRefs[l.BankRef] = l.Amount
		if l.Amount > 0 {
			l.Action = ActionReceipt
			if c.filter != nil {
				c.filter.add(l.BankRef)
			}
			name, ok := statement.DonorFromNote(parsed[i].Description)
			l.DonorFound = ok
			if ok {
				l.Donor = name
			} else {
				l.Donor = fallbackDonor(parsed[i].Description)
				l.setReason("fund.import.reason.no_donor", "")
			}
			continue
		}
		seq, err := c.match(l)
		if err != nil {
			return err
		}
		if seq > 0 {
			l.Action, l.MatchSeq = ActionMatch, seq
			c.claimed[seq] = true
			if c.filter != nil {
				c.filter.add(l.BankRef)
			}
			l.setReason("fund.import.reason.matched", strconv.FormatInt(seq, 10))
		} else {
			l.Action = ActionReview
			l.setReason("fund.import.reason.unmatched", strconv.Itoa(MatchDays))
		}
	}
	return nil
}

// fallbackDonor is the party of a receipt whose note names nobody the
// parser recognises: the note itself, shortened, phone numbers masked.
func fallbackDonor(desc string) string {
	s := MaskPhones(strings.Join(strings.Fields(desc), " "))
	if s == "" {
		return "Không rõ tên"
	}
	return truncate(s, 120)
}

// matchCandidates is how many disbursements of the amount and dates a
// debit is tried against (in date order) before it is left for review.
const matchCandidates = 20

// match finds a recorded disbursement of the line's amount within MatchDays
// days, not reversed and not matched yet.
func (c *classifier) match(l *ImportLine) (int64, error) {
	if c.open != nil {
		return matchLoaded(c.open, c.claimed, l), nil
	}
	from := db.NewDate(l.Date.AddDate(0, 0, -MatchDays))
	to := db.NewDate(l.Date.AddDate(0, 0, MatchDays))
	args := []any{c.fund.ID, l.Amount, from, to}
	extra := ""
	if c.previewID != "" {
		args = append(args, c.previewID)
		extra = " AND NOT EXISTS (SELECT 1 FROM fund_import_lines il WHERE il.import_id = $5 AND il.match_seq = e.seq)"
	}
	rows, err := c.q.QueryContext(c.ctx, `SELECT e.seq FROM fund_entries e WHERE e.fund_id = $1 AND e.book = 'chi' AND e.amount = $2
		AND e.date >= $3 AND e.date <= $4 AND e.kind = 'disbursement'
		AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.fund_id = e.fund_id AND r.reverses = e.seq AND r.reverses > 0)
		AND NOT EXISTS (SELECT 1 FROM fund_matches m WHERE m.fund_id = e.fund_id AND m.seq = e.seq)`+extra+`
		ORDER BY e.date, e.seq LIMIT `+strconv.Itoa(matchCandidates), args...)
	if err != nil {
		return 0, fmt.Errorf("fund: match debit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return 0, err
		}
		if !c.claimed[seq] {
			return seq, nil
		}
	}
	return 0, rows.Err()
}

// readBatches parses the statement and calls fn with batches of lines
// (parse errors already rejected). It returns the reader for the summary.
func readBatches(r io.Reader, p statement.Profile, fn func([]ImportLine, []statement.Line) error) (*statement.Reader, error) {
	rd, err := statement.NewReader(r, statement.KindAuto, p)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	const size = 500
	batch := make([]ImportLine, 0, size)
	parsed := make([]statement.Line, 0, size)
	auto := map[string]int{}
	for line, err := range rd.Lines() {
		il := ImportLine{Line: line.LineNo}
		if err != nil {
			var le *statement.LineError
			if !errors.As(err, &le) {
				return rd, err
			}
			il.Action = ActionReject
			il.setReason("fund.import.reason.parse", le.Error())
		} else {
			il.Date = db.NewDate(line.Date)
			il.Amount = line.Amount
			il.Description = truncate(line.Description, maxText)
			il.BankRef = truncate(strings.TrimSpace(line.Ref), translog.MaxRefLen)
			if il.BankRef == "" {
				key := fmt.Sprintf("%s|%d|%s", line.Date.Format("2006-01-02"), line.Amount, line.Description)
				auto[key]++
				if len(auto) > 100000 {
					clear(auto) // bounded memory; such files should carry references
				}
				il.BankRef = autoRef(line, auto[key])
			}
			if line.Amount == 0 {
				il.Action = ActionReject
				il.setReason("fund.import.reason.zero", "")
			}
		}
		batch = append(batch, il)
		parsed = append(parsed, line)
		if len(batch) == size {
			if err := fn(batch, parsed); err != nil {
				return rd, stageError{err}
			}
			batch, parsed = batch[:0], parsed[:0]
		}
	}
	if len(batch) > 0 {
		if err := fn(batch, parsed); err != nil {
			return rd, stageError{err}
		}
	}
	return rd, nil
}

// stageError is an error of the import itself (not of reading the file).
type stageError struct{ err error }

func (e stageError) Error() string { return e.err.Error() }
func (e stageError) Unwrap() error { return e.err }

// readError turns what readBatches returned into the error to report: the
// import's own errors as they are, the file's as an Invalid error.
func readError(err error) error {
	var se stageError
	if errors.As(err, &se) {
		return se.err
	}
	return formatError(err)
}

func (sum *ImportSummary) fill(rd *statement.Reader) {
	if rd == nil {
		return
	}
	sum.Kind = rd.Kind().String()
	sum.Encoding = rd.Encoding()
	if c := rd.Comma(); c != 0 {
		sum.Comma = string(c)
		if c == '\t' {
			sum.Comma = "TAB"
		}
	}
	sum.Sheet = rd.Sheet()
	m := rd.Mapping()
	sum.HeaderLine = m.HeaderLine
	sum.Columns = map[string]string{}
	pr := statement.Profile{Encoding: rd.Encoding(), Comma: rd.Comma(), Sheet: rd.Sheet()}
	set := func(f statement.Field, key string, dst *[]string) {
		if h := m.Header[f]; m.Col[f] >= 0 && h != "" {
			sum.Columns[key] = h
			*dst = []string{h}
		}
	}
	set(statement.FieldDate, "date", &pr.DateCol)
	set(statement.FieldRef, "ref", &pr.RefCol)
	set(statement.FieldCredit, "credit", &pr.CreditCol)
	set(statement.FieldDebit, "debit", &pr.DebitCol)
	set(statement.FieldAmount, "amount", &pr.AmountCol)
	set(statement.FieldDirection, "direction", &pr.DirectionCol)
	set(statement.FieldBalance, "balance", &pr.BalanceCol)
	set(statement.FieldDesc, "description", &pr.DescCol)
	sum.Mapping = pr
}

func (sum *ImportSummary) count(l *ImportLine) {
	sum.Lines++
	sum.Counts[l.Action]++
	if l.Action == ActionReceipt {
		sum.Received += l.Amount
	}
}

// formatError turns a statement's fatal error into an application error.
func formatError(err error) error {
	var fe *statement.FormatError
	if errors.As(err, &fe) {
		return apperr.Wrap(err, apperr.Invalid, "fund.import.err.format", fe.Msg)
	}
	return apperr.Wrap(err, apperr.Invalid, "fund.import.err.read", err.Error())
}

// importReceipt builds the receipt of a credit line.
func importReceipt(l *ImportLine, f *Fund, importID string) *Entry {
	kind := DonorIndividual
	if !l.DonorFound {
		kind = ""
		if fd := vn.Fold(l.Description); strings.Contains(fd, "cong ty") || strings.Contains(fd, "tnhh") || strings.Contains(fd, "co phan") {
			kind = DonorOrganisation
		}
	}
	in := ReceiptInput{Date: l.Date, DonorName: l.Donor, DonorKind: kind, Amount: l.Amount, Channel: translog.ChannelTransfer,
		BankRef: l.BankRef, TransferNote: l.Description}
	e := receiptEntry(in)
	e.PartyKind = kind
	unit, area := f.UnitID, f.AreaID
	e.UnitID, e.AreaID = &unit, &area
	e.ImportID = importID
	return e
}

var errDryRun = errors.New("dry run")

// ImportStatement reads a bank statement and imports it into a fund in one
// transaction (see the package comment above): the CLI's and the API's
// way. With DryRun nothing is kept. The summary counts every line.
func (s *Store) ImportStatement(ctx context.Context, p *auth.Principal, fundID int64, r io.Reader, opt ImportOptions) (*ImportSummary, error) {
	f, err := s.Managed(ctx, p, fundID)
	if err != nil {
		return nil, err
	}
	sum := &ImportSummary{FundID: fundID, FileName: opt.FileName, Profile: opt.Profile.String(), Counts: map[string]int64{}, CreatedAt: now()}
	id := newImportID()
	err = s.bulkLedger(ctx, []int64{fundID}, func(lt *ledgerTx) error {
		a := lt.funds[fundID]
		if err := checkBulkKeys(ctx, lt.tx, f); err != nil {
			return err
		}
		if err := a.holdMerges(); err != nil {
			return err
		}
		a.startAsync()
		defer a.stopAsync() // before the transaction ends, whatever happens
		ledgerLookup := lookupLedger(ctx, lt.tx, s.DB.Dialect, fundID, "")
		c := &classifier{ctx: ctx, q: lt.tx, fund: f, claimed: map[int64]bool{}, lookup: func(refs []string) (map[string]existing, error) {
			// Earlier batches are in the database or still queued.
			have, err := ledgerLookup(refs)
			if err != nil {
				return nil, err
			}
			for _, r := range refs {
				if e, ok := a.pendingRef(r); ok {
					if _, dup := have[r]; !dup {
						have[r] = e
					}
				}
			}
			return have, nil
		}}
		if err := c.prepare(); err != nil {
			return err
		}
		rd, err := readBatches(r, opt.Profile, func(batch []ImportLine, parsed []statement.Line) error {
			if err := c.classify(batch, parsed); err != nil {
				return err
			}
			for i := range batch {
				l := &batch[i]
				switch l.Action {
				case ActionReceipt:
					if err := a.add(importReceipt(l, f, id)); err != nil {
						return err
					}
				case ActionMatch:
					if _, err := lt.tx.ExecContext(ctx, "INSERT INTO fund_matches (fund_id, bank_ref, seq, amount, created_at) VALUES ($1, $2, $3, $4, $5)",
						fundID, l.BankRef, l.MatchSeq, l.Amount, lt.at); err != nil {
						return fmt.Errorf("fund: remember match: %w", err)
					}
				}
				sum.count(l)
				if opt.OnLine != nil {
					opt.OnLine(*l)
				}
			}
			return nil
		})
		sum.fill(rd)
		if err != nil {
			return readError(err)
		}
		if opt.Strict && sum.Counts[ActionReject] > 0 {
			return apperr.New(apperr.Invalid, "fund.import.err.strict", sum.Counts[ActionReject])
		}
		if opt.DryRun {
			return errDryRun
		}
		sum.ID = id
		sum.Status = "committed"
		return audit.Record(ctx, lt.tx, "import", "fund_import", id, nil, map[string]any{"fund_id": fundID, "file": opt.FileName,
			"lines": sum.Lines, "counts": sum.Counts, "received": sum.Received})
	})
	if errors.Is(err, errDryRun) {
		sum.Status = "dry_run"
		return sum, nil
	}
	if err != nil {
		return nil, err
	}
	s.optimizeSearchLater(sum.Count(ActionReceipt))
	return sum, nil
}

func newImportID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// PreviewImport reads a statement and stores what importing it would do,
// without changing the fund; CommitImport then applies it. Previews older
// than a day are dropped.
func (s *Store) PreviewImport(ctx context.Context, p *auth.Principal, fundID int64, r io.Reader, opt ImportOptions) (*ImportSummary, error) {
	f, err := s.Managed(ctx, p, fundID)
	if err != nil {
		return nil, err
	}
	sum := &ImportSummary{ID: newImportID(), FundID: fundID, FileName: truncate(opt.FileName, 200), Profile: opt.Profile.String(),
		Counts: map[string]int64{}, Status: "preview", CreatedAt: now()}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM fund_imports WHERE status = 'preview' AND created_at < $1", now().Add(-24*time.Hour)); err != nil {
			return fmt.Errorf("fund: drop old previews: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fund_imports (id, fund_id, file_name, profile, status, created_at, created_by)
			VALUES ($1, $2, $3, $4, 'preview', $5, $6)`, sum.ID, fundID, sum.FileName, sum.Profile, sum.CreatedAt, audit.ActorFrom(ctx).Username); err != nil {
			return fmt.Errorf("fund: store preview: %w", err)
		}
		c := &classifier{ctx: ctx, q: tx, fund: f, claimed: map[int64]bool{}, previewID: sum.ID, lookup: lookupLedger(ctx, tx, s.DB.Dialect, fundID, sum.ID)}
		if err := c.prepare(); err != nil {
			return err
		}
		rd, err := readBatches(r, opt.Profile, func(batch []ImportLine, parsed []statement.Line) error {
			if err := c.classify(batch, parsed); err != nil {
				return err
			}
			args := make([]any, 0, len(batch)*12)
			for i := range batch {
				l := &batch[i]
				sum.count(l)
				var date any
				if l.Date.Valid() {
					date = l.Date
				}
				args = append(args, sum.ID, l.Line, l.Action, date, l.Amount, l.BankRef, l.Description, l.Donor, l.DonorFound, l.Reason, truncate(l.ReasonArg, 500), l.MatchSeq)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO fund_import_lines (import_id, line_no, action, date, amount, bank_ref, description, donor,
				donor_found, reason, reason_arg, match_seq) VALUES `+valuesList(s.DB.Dialect, len(batch), 12), args...)
			if err != nil {
				return fmt.Errorf("fund: store preview lines: %w", err)
			}
			return nil
		})
		sum.fill(rd)
		if err != nil {
			return readError(err)
		}
		info, _ := json.Marshal(sum)
		_, err = tx.ExecContext(ctx, "UPDATE fund_imports SET info = $1, lines = $2 WHERE id = $3", string(info), sum.Lines, sum.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// ImportPreview returns a stored import (preview or committed) of a fund.
func (s *Store) ImportPreview(ctx context.Context, fundID int64, id string) (*ImportSummary, error) {
	var info, status string
	err := s.DB.QueryRowContext(ctx, "SELECT info, status FROM fund_imports WHERE id = $1 AND fund_id = $2", id, fundID).Scan(&info, &status)
	if err != nil {
		return nil, notFound(err, "import")
	}
	var sum ImportSummary
	if err := json.Unmarshal([]byte(info), &sum); err != nil {
		return nil, fmt.Errorf("fund: import %s: %w", id, err)
	}
	sum.Status = status
	return &sum, nil
}

// ImportLines lists the lines of a stored import with an action ("" for
// all), in file order, after line after, at most limit.
func (s *Store) ImportLines(ctx context.Context, id, action string, after, limit int) ([]ImportLine, error) {
	var w where
	w.add("import_id = ?", id)
	if action != "" {
		w.add("action = ?", action)
	}
	if after > 0 {
		w.add("line_no > ?", after)
	}
	if limit <= 0 || limit > 5000 {
		limit = 200
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT line_no, action, date, amount, bank_ref, description, donor, donor_found, reason, reason_arg, match_seq
		FROM fund_import_lines`+w.String()+" ORDER BY line_no LIMIT "+strconv.Itoa(limit), w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: import lines: %w", err)
	}
	defer rows.Close()
	var out []ImportLine
	for rows.Next() {
		var l ImportLine
		if err := rows.Scan(&l.Line, &l.Action, &l.Date, &l.Amount, &l.BankRef, &l.Description, &l.Donor, &l.DonorFound, &l.Reason, &l.ReasonArg, &l.MatchSeq); err != nil {
			return nil, fmt.Errorf("fund: import lines: %w", err)
		}
		l.setReason(l.Reason, l.ReasonArg)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CommitImport applies a stored preview: its receipts and matches, in one
// transaction. When the fund changed since the preview so that a line would
// now be a duplicate, nothing is written and the preview must be made again.
func (s *Store) CommitImport(ctx context.Context, p *auth.Principal, fundID int64, id string) (*ImportSummary, error) {
	f, err := s.Managed(ctx, p, fundID)
	if err != nil {
		return nil, err
	}
	sum, err := s.ImportPreview(ctx, fundID, id)
	if err != nil {
		return nil, err
	}
	if sum.Status != "preview" {
		return nil, apperr.New(apperr.Conflict, "fund.import.err.committed")
	}
	err = s.bulkLedger(ctx, []int64{fundID}, func(lt *ledgerTx) error {
		a := lt.funds[fundID]
		if err := checkBulkKeys(ctx, lt.tx, f); err != nil {
			return err
		}
		var status string
		if err := lt.tx.QueryRowContext(ctx, "SELECT status FROM fund_imports WHERE id = $1", id).Scan(&status); err != nil || status != "preview" {
			return apperr.New(apperr.Conflict, "fund.import.err.committed")
		}
		lookup := lookupLedger(ctx, lt.tx, s.DB.Dialect, fundID, "")
		after := 0
		for {
			rows, err := lt.tx.QueryContext(ctx, `SELECT line_no, action, date, amount, bank_ref, description, donor, donor_found, match_seq
				FROM fund_import_lines WHERE import_id = $1 AND action IN ('receipt', 'match') AND line_no > $2 ORDER BY line_no LIMIT 500`, id, after)
			if err != nil {
				return fmt.Errorf("fund: commit import: %w", err)
			}
			var batch []ImportLine
			for rows.Next() {
				var l ImportLine
				if err := rows.Scan(&l.Line, &l.Action, &l.Date, &l.Amount, &l.BankRef, &l.Description, &l.Donor, &l.DonorFound, &l.MatchSeq); err != nil {
					rows.Close()
					return fmt.Errorf("fund: commit import: %w", err)
				}
				batch = append(batch, l)
			}
			rows.Close()
			if len(batch) == 0 {
				break
			}
			after = batch[len(batch)-1].Line
			if err := a.flush(); err != nil {
				return err
			}
			refs := make([]string, len(batch))
			for i, l := range batch {
				refs[i] = l.BankRef
			}
			have, err := lookup(refs)
			if err != nil {
				return err
			}
			for i := range batch {
				l := &batch[i]
				if _, dup := have[l.BankRef]; dup {
					return apperr.New(apperr.Conflict, "fund.import.err.stale", l.Line, l.BankRef)
				}
				if l.Action == ActionReceipt {
					if err := a.add(importReceipt(l, f, id)); err != nil {
						return err
					}
					continue
				}
				if _, err := lt.tx.ExecContext(ctx, "INSERT INTO fund_matches (fund_id, bank_ref, seq, amount, created_at) VALUES ($1, $2, $3, $4, $5)",
					fundID, l.BankRef, l.MatchSeq, l.Amount, lt.at); err != nil {
					return fmt.Errorf("fund: remember match: %w", err)
				}
			}
		}
		if _, err := lt.tx.ExecContext(ctx, "UPDATE fund_imports SET status = 'committed', committed_at = $1 WHERE id = $2", lt.at, id); err != nil {
			return fmt.Errorf("fund: commit import: %w", err)
		}
		return audit.Record(ctx, lt.tx, "import", "fund_import", id, nil, map[string]any{"fund_id": fundID, "file": sum.FileName,
			"lines": sum.Lines, "counts": sum.Counts, "received": sum.Received})
	})
	if err != nil {
		return nil, err
	}
	s.optimizeSearchLater(sum.Count(ActionReceipt))
	sum.Status = "committed"
	return sum, nil
}
