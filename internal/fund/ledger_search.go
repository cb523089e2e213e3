package fund

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/platform/db"
)

// The public search index, as the ledger writes it.
//
// indexForSearch is the one place an appended entry goes into the search
// index (every append calls it, the statement import's included); the
// rows it queues are written with the entries, by the same INSERT batches
// (searchJobs, on the import's writer goroutine), the word counts at the
// end of the transaction (finishSearch), and after a large import the
// SQLite name index is merged (optimizeSearchLater). Whoever changes how search
// stores its index changes these four.
//
// On SQLite the folded names go into the FTS5 index fund_fts (keyed by
// ftsKey); on PostgreSQL their words go into fund_tokens. Both count the
// entries per word in fund_terms.

// indexForSearch queues the search-index rows of e, just appended.
func (a *appender) indexForSearch(e *Entry) {
	if e.PartyFolded == "" || e.Book == BookReversal {
		return
	}
	sqlite := a.lt.s.DB.Dialect == db.SQLite
	if sqlite {
		a.fts = append(a.fts, ftsRow{ftsKey(e.FundID, e.Date, e.Seq), e.PartyFolded})
	}
	for _, w := range entryTokens(e.PartyFolded) {
		if !sqlite {
			a.tokens = append(a.tokens, token{w, e.Seq})
		}
		a.terms[w]++
	}
}

// searchJobs turns queued search-index rows into INSERTs: whole batches,
// and with all the rest too.
func (a *appender) searchJobs(all bool) error {
	for len(a.tokens) >= tokenBatch || all && len(a.tokens) > 0 {
		n := min(len(a.tokens), tokenBatch)
		j := writeJob{table: "tokens", rows: n, args: make([]any, 0, n*3)}
		for _, t := range a.tokens[:n] {
			j.args = append(j.args, a.fund.ID, t.word, t.seq)
		}
		if err := a.submit(j); err != nil {
			return err
		}
		a.tokens = a.tokens[n:]
	}
	if len(a.tokens) == 0 {
		a.tokens = nil
	}
	for len(a.fts) >= ftsBatch || all && len(a.fts) > 0 {
		n := min(len(a.fts), ftsBatch)
		j := writeJob{table: "fts", rows: n, args: make([]any, 0, n*2)}
		for _, r := range a.fts[:n] {
			j.args = append(j.args, r.key, r.name)
		}
		if err := a.submit(j); err != nil {
			return err
		}
		a.fts = a.fts[n:]
	}
	if len(a.fts) == 0 {
		a.fts = nil
	}
	return nil
}

// holdMerges keeps the SQLite name index from merging its segments while
// a bulk import writes them (FTS5's automerge: a tenth of the writer's work
// at a million rows); releaseMerges puts the setting back in the same
// transaction, and optimizeSearchLater merges everything once, after the
// commit. It must run before the writer goroutine starts.
func (a *appender) holdMerges() error {
	if a.lt.s.DB.Dialect != db.SQLite || a.automerge != "" {
		return nil
	}
	ctx, tx := a.lt.ctx, a.lt.tx
	a.automerge = "4" // FTS5's default
	var v string
	err := tx.QueryRowContext(ctx, "SELECT CAST(v AS TEXT) FROM fund_fts_config WHERE k = 'automerge'").Scan(&v)
	switch {
	case err == nil:
		a.automerge = v
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("fund: search index setting: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO fund_fts(fund_fts, rank) VALUES ('automerge', 0)"); err != nil {
		return fmt.Errorf("fund: search index setting: %w", err)
	}
	return nil
}

// releaseMerges puts back what holdMerges changed, once the name index's
// rows are written (appender.finish), whether or not the import added any.
func (a *appender) releaseMerges() error {
	if a.automerge == "" {
		return nil
	}
	n, err := strconv.Atoi(a.automerge)
	if err != nil {
		return fmt.Errorf("fund: search index setting %q: %w", a.automerge, err)
	}
	if _, err := a.lt.tx.ExecContext(a.lt.ctx, "INSERT INTO fund_fts(fund_fts, rank) VALUES ('automerge', $1)", n); err != nil {
		return fmt.Errorf("fund: search index setting: %w", err)
	}
	a.automerge = ""
	return nil
}

// finishSearch adds the words of the entries appended to the fund's word
// counts, a few hundred words per statement (a statement of real names
// brings tens of thousands of words).
func (a *appender) finishSearch() error {
	ctx, tx, id, d := a.lt.ctx, a.lt.tx, a.fund.ID, a.lt.s.DB.Dialect
	words := make([]string, 0, len(a.terms))
	for w := range a.terms {
		words = append(words, w)
	}
	slices.Sort(words) // the same order every time: fewer page splits, reproducible
	for len(words) > 0 {
		n := min(len(words), termBatch)
		args := make([]any, 0, 3*n)
		for _, w := range words[:n] {
			args = append(args, id, w, a.terms[w])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fund_terms (fund_id, token, n) VALUES `+valuesList(d, n, 3)+`
			ON CONFLICT (fund_id, token) DO UPDATE SET n = fund_terms.n + excluded.n`, args...); err != nil {
			return fmt.Errorf("fund: search terms: %w", err)
		}
		words = words[n:]
	}
	return nil
}

// termBatch is how many word counts one statement adds.
var termBatch = 300

type token struct {
	word string
	seq  int64
}

// maxTokens bounds the search words kept per entry.
const maxTokens = 12

// entryTokens returns the distinct words of a folded name that search
// indexes (at most maxTokens, each at most 40 bytes).
func entryTokens(folded string) []string {
	if folded == "" {
		return nil
	}
	words := strings.Split(folded, " ")
	out := words[:0]
	for _, w := range words {
		if len(w) > 40 {
			w = w[:40]
		}
		if w == "" || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
		if len(out) == maxTokens {
			break
		}
	}
	return out
}

// tokenBatch is how many token rows one INSERT writes.
const tokenBatch = 400

// ftsBatch is how many rows one INSERT adds to the SQLite name index: FTS5
// writes what it buffered as a new segment at the end of every statement
// (its savepoint), so fewer, larger statements make fewer segments to merge.
const ftsBatch = 10000

// optimizeAfter is the number of new entries from which an import merges
// the SQLite name index into one segment: a million rows imported leave
// about ten, and searching one is about twice as fast.
const optimizeAfter = 50_000

// optimizeSearchLater merges the name index after a large import (SQLite),
// in the background once the import is committed: the merge rewrites the
// whole index (a second at a million entries), which the importer need not
// wait for; the index answers the same meanwhile.
func (s *Store) optimizeSearchLater(added int64) {
	if s.DB.Dialect != db.SQLite || added < optimizeAfter {
		return
	}
	s.DB.Later("fund-fts-optimize", func(ctx context.Context) error {
		if _, err := s.DB.ExecContext(ctx, "INSERT INTO fund_fts(fund_fts) VALUES ('optimize')"); err != nil {
			return fmt.Errorf("fund: optimise the search index: %w", err)
		}
		return nil
	})
}

// ftsRow is a row of the SQLite name index (fund_fts).
type ftsRow struct {
	key  int64
	name string
}

// epoch is day 0 of the search index's keys.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxSearchFunds bounds the fund ids the SQLite name index keys (15 bits).
const MaxSearchFunds = 1<<15 - 1

const (
	maxKeyDays = 1<<16 - 1
	maxKeySeq  = 1<<32 - 1
)

// ftsKey is the rowid of an entry in fund_fts: the fund in bits 48–62, the
// date in days since 2000 in bits 32–47, the seq in bits 0–31, so that
// rowid order within a fund is the public lists' order (date, then seq),
// read newest first (migration 0603: an import appends growing rowids,
// which FTS5 buffers in memory; shrinking ones would flush every row).
func ftsKey(fundID int64, date db.Date, seq int64) int64 {
	days := int64(date.Sub(epoch).Hours() / 24)
	days = min(max(days, 0), maxKeyDays)
	seq = min(max(seq, 0), maxKeySeq)
	return fundID<<48 | days<<32 | seq
}
