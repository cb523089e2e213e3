package fund

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"giaoban/internal/platform/db"
)

// Donor-name search at a million receipts.
//
// The public pages search the in-memory index of searchindex.go first
// (names, amounts, dates, references; well under a millisecond at a
// million receipts); the SQL below answers while a fund's index is being
// read, or when it is off.
//
// Every entry stores its published name folded (vn.Fold: no case, no
// diacritics, NFC = NFD, đ = d), and a typed word matches every word of it
// that it begins ("nguy" → "nguyen"; "an" → "an", "anh"…), the words typed
// in any order. Lists are ordered by date then seq, newest first, and paged
// by keyset on (date, seq), so page 1.000 costs what page 1 does.
//
// On SQLite (the target: p99 ≤ 20 ms at 1.000.000 receipts) the names are
// in an FTS5 index (migrations 0601, 0603): contentless, without positions, with
// prefix indexes for one- and two-letter words, and keyed so that its rowid
// order is the list order (fund, days since 2000, seq in one integer). A
// typed word is expanded to the fund's words it begins (fund_terms, a
// primary-key range), and a query is one MATCH of all of them, rarest
// first ("ksor" AND ("an" OR "anh") AND "nguyen"),
// limited to the fund's (and the date filter's, and the cursor's) rowid
// range, walked newest first by the index itself and joined to the ledger
// by primary key for the page's rows only; FTS5 intersects the words'
// posting lists in its own compact format, so a common name costs no more
// than a rare one and a query stops at its page's last row. A LIKE over a
// folded column instead reads every row for a rare name (hundreds of
// milliseconds at a million rows); a token table in a B-tree, which the
// PostgreSQL path below uses, must sort its candidates.
//
// On PostgreSQL each distinct word of a name is a row of fund_tokens
// (fund, word, seq), and fund_terms counts entries per word:
//
//  1. each typed word is expanded to the stored words it prefixes, with
//     their counts, from fund_terms (one index range read; a word that
//     expands to nothing ends the search with no result at once);
//  2. the word with the fewest entries drives: its entries' seqs come from
//     fund_tokens (index ranges), are joined to the ledger by primary key,
//     and the other words are checked on the folded name with
//     LIKE '% word%' (word-prefix match), together with the other filters;
//     the survivors are sorted by date and seq and the first page kept;
//  3. when every word is common (the driver would bring more than
//     driverMax entries, e.g. "nguyen thi"), matches are dense: the ledger
//     is walked in list order through the (fund, book, date, seq) index
//     with the LIKE checks, and the walk stops as soon as a page is full.
//
// Amount (exact: the (fund, book, amount, date, seq) index gives the page
// in order; range: walked in date order), date range (the date index) and
// bank reference or voucher number (without case, and a fragment of
// MinRefFragment characters or more by prefix or suffix, refConds: on
// PostgreSQL from the expression indexes of migration 0610; on SQLite from
// ranges of the plain indexes, refSeqsLite) need neither.

// driverMax is the most entries a driving word may bring before the
// ordered walk is preferred.
var driverMax int64 = 40000

// maxExpansion bounds how many stored words one typed word may stand for;
// a word that prefixes more (one letter) only filters.
const maxExpansion = 200

const publicCols = `e.fund_id, e.seq, e.kind, e.book, e.class, e.date, e.amount, e.ref, e.bank_ref, e.channel, e.party, e.note, e.reverses,
	CASE WHEN e.kind = 'reversal' THEN 0 ELSE COALESCE((SELECT MIN(r.seq) FROM fund_entries r WHERE r.fund_id = e.fund_id AND r.reverses = e.seq AND r.reverses > 0), 0) END`

func scanPublic(row scanner) (*Entry, error) {
	var e Entry
	err := row.Scan(&e.FundID, &e.Seq, &e.Kind, &e.Book, &e.Class, &e.Date, &e.Amount, &e.Ref, &e.BankRef, &e.Channel, &e.Party,
		&e.Note, &e.Reverses, &e.ReversedBy)
	return &e, err
}

// Result is a page of a public list.
type Result struct {
	Entries []Entry
	Next    *Cursor // the cursor of the next page; nil on the last page
	Plan    string  // how the query was answered (tests, benchmarks)
}

type term struct {
	token string
	n     int64
}

// expand returns the stored words that word prefixes (at most
// maxExpansion+1) and their total count.
func (s *Store) expand(ctx context.Context, fundID int64, word string) ([]term, int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT token, n FROM fund_terms WHERE fund_id = $1 AND token >= $2 AND token < $3
		ORDER BY token LIMIT $4`, fundID, word, word+"\U0010FFFF", maxExpansion+1)
	if err != nil {
		return nil, 0, fmt.Errorf("fund: search terms: %w", err)
	}
	defer rows.Close()
	var out []term
	var total int64
	for rows.Next() {
		var t term
		if err := rows.Scan(&t.token, &t.n); err != nil {
			return nil, 0, fmt.Errorf("fund: search terms: %w", err)
		}
		if t.n > 0 {
			out = append(out, t)
			total += t.n
		}
	}
	return out, total, rows.Err()
}

// Numbers, dates and books go into the search SQL as literals, formatted
// here from typed values (never from text a visitor typed): a statement
// whose plan may depend on a bound value is compiled twice by SQLite (again
// at its first step), which is a quarter of a search's time.
func lit(v int64) string { return strconv.FormatInt(v, 10) }

func litDate(d db.Date) string { return "'" + d.ISO() + "'" }

func litBook(b string) string {
	switch b {
	case BookIn, BookOut, BookReversal:
		return "'" + b + "'"
	}
	return "''"
}

// maxExact is how many stored words a typed word may stand for and still be
// matched as a list of exact words.
const maxExact = 24

// ftsWord returns the FTS5 expression of a typed word: the words of the
// fund it begins (from fund_terms), matched exactly ("an" OR "anh"),
// which FTS5 merges as it goes, rarest first; a prefix query ("nguy"*)
// instead reads the whole posting list of every word it covers before the
// first row (unless a prefix index of its length exists: one and two
// letters, which are always queried so).
func (s *Store) ftsWord(ctx context.Context, fundID int64, w string) (expr string, n int64, ok bool, err error) {
	if len(w) <= 2 {
		return `"` + w + `"*`, 1 << 40, true, nil
	}
	terms, total, err := s.expand(ctx, fundID, w)
	if err != nil {
		return "", 0, false, err
	}
	switch {
	case len(terms) == 0:
		// Not among the fund's words (or a database whose word counts
		// predate them): the index itself has the last word.
		return `"` + w + `"*`, 0, true, nil
	case len(terms) > maxExact:
		return `"` + w + `"*`, total, true, nil
	case len(terms) == 1:
		return `"` + terms[0].token + `"`, total, true, nil
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"` + t.token + `"`)
	}
	b.WriteByte(')')
	return b.String(), total, true, nil
}

// joinedAlt is a way of reading a typed word as two adjacent words of a
// name with a joining mark: a, a whole word of the fund (n entries), then
// b, which begins a word of the fund ("hrim": "h" then "rim").
type joinedAlt struct {
	a, b string
	n    int64
}

// joinedAlts returns the ways of reading a typed word as two joined words
// that the fund's words allow (fund_terms: one read for the first words,
// one per first word found for the second).
func (s *Store) joinedAlts(ctx context.Context, fundID int64, word string) ([]joinedAlt, error) {
	var w where
	var firsts []string
	for k := range word {
		if k > 0 {
			firsts = append(firsts, w.arg(word[:k]))
		}
	}
	if len(firsts) == 0 {
		return nil, nil
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT token, n FROM fund_terms WHERE fund_id = "+lit(fundID)+" AND n > 0 AND token IN ("+
		strings.Join(firsts, ", ")+") ORDER BY token", w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: search terms: %w", err)
	}
	var found []term
	for rows.Next() {
		var t term
		if err := rows.Scan(&t.token, &t.n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("fund: search terms: %w", err)
		}
		found = append(found, t)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("fund: search terms: %w", err)
	}
	var out []joinedAlt
	for _, t := range found {
		b := word[len(t.token):]
		var one int
		err := s.DB.QueryRowContext(ctx, `SELECT 1 FROM fund_terms WHERE fund_id = $1 AND token >= $2 AND token < $3 AND n > 0 LIMIT 1`,
			fundID, b, b+"\U0010FFFF").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("fund: search terms: %w", err)
		}
		out = append(out, joinedAlt{t.token, b, t.n})
	}
	return out, nil
}

// nameCond is the SQL condition that an entry's name has a word that word
// begins, or (when it has a joining mark) two adjacent words that word
// reads as joined: the in-memory index's joined words.
func nameCond(word string, alts []joinedAlt, w *where) string {
	c := `(' ' || e.party_folded) LIKE ` + w.arg(likeWord(word)) + ` ESCAPE '\'`
	if len(alts) == 0 {
		return c
	}
	var ors []string
	for _, a := range alts {
		ors = append(ors, `(' ' || e.party_folded) LIKE `+w.arg(likeWord(a.a+" "+a.b))+` ESCAPE '\'`)
	}
	return "(" + c + " OR (" + joinedSQL("e.party") + " AND (" + strings.Join(ors, " OR ") + ")))"
}

// mergeResults merges two pages of a list (of one query, over entries
// apart) into one of at most limit entries.
func mergeResults(a, b *Result, limit int) *Result {
	all := append(slices.Clone(a.Entries), b.Entries...)
	slices.SortFunc(all, func(x, y Entry) int {
		if c := y.Date.Time.Compare(x.Date.Time); c != 0 {
			return c
		}
		return cmp.Compare(y.Seq, x.Seq)
	})
	all = slices.CompactFunc(all, func(x, y Entry) bool { return x.Seq == y.Seq })
	res := &Result{Entries: all, Plan: a.Plan + "+anonymous"}
	if len(all) > limit || a.Next != nil || b.Next != nil {
		res.Entries = all[:min(limit, len(all))]
		last := res.Entries[len(res.Entries)-1]
		res.Next = &Cursor{Date: last.Date, Seq: last.Seq}
	}
	return res
}

// likeWord is the LIKE pattern matching a word prefix in " "||folded.
func likeWord(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "% " + r.Replace(w) + "%"
}

// Search returns a page of a fund's public list matching q, newest first
// (by date, then seq). Only published columns are read.
func (s *Store) Search(ctx context.Context, fundID int64, q Query) (*Result, error) {
	var size int64
	if err := s.DB.QueryRowContext(ctx, "SELECT log_size FROM funds WHERE id = $1", fundID).Scan(&size); err != nil {
		return nil, notFound(err, "fund")
	}
	return s.search(ctx, fundID, size, q)
}

// SearchFund is Search on fund f as read (its log size tells which entries
// the search sees).
func (s *Store) SearchFund(ctx context.Context, f *Fund, q Query) (*Result, error) {
	return s.search(ctx, f.ID, f.LogSize, q)
}

// PrepareSearch reads fund f into the in-memory search index now, rather
// than in the background at its first search.
func (s *Store) PrepareSearch(ctx context.Context, f *Fund) error {
	if s.searchIndex(ctx, f.ID, f.LogSize, true) == nil && indexOn.Load() && f.LogSize <= indexBudget {
		return fmt.Errorf("fund: the search index of %s could not be read", f.Code)
	}
	return nil
}

// SearchIndexInfo describes the in-memory search index of a fund.
func (s *Store) SearchIndexInfo(fundID int64) string {
	set := s.indexSet()
	set.mu.Lock()
	x := set.funds[fundID]
	set.mu.Unlock()
	if x == nil {
		return "not in memory"
	}
	return x.info()
}

func (s *Store) search(ctx context.Context, fundID, size int64, q Query) (*Result, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	if x := s.searchIndex(ctx, fundID, size, false); x != nil {
		return s.searchMemory(ctx, x, size, q, limit)
	}
	if q.anon == anonBoth && anonymousQuery(QueryWords(q.Name)) {
		// "Ẩn danh" typed: the names that have its words, and the
		// anonymous donors, merged in list order.
		q.Limit = limit
		named, anon := q, q
		named.anon, anon.anon, anon.Name = anonNone, anonOnly, ""
		a, err := s.search(ctx, fundID, size, named)
		if err != nil {
			return nil, err
		}
		b, err := s.search(ctx, fundID, size, anon)
		if err != nil {
			return nil, err
		}
		return mergeResults(a, b, limit), nil
	}
	var w where
	w.add("e.fund_id = " + lit(fundID))
	if q.anon == anonOnly {
		w.add("e.anonymous")
	}
	if q.Book != "" {
		w.add("e.book = " + litBook(q.Book))
	} else {
		w.add("e.book IN ('thu', 'chi')")
	}
	// Amounts are compared as magnitudes: disbursements are stored negative.
	sign := int64(1)
	if q.Book == BookOut {
		sign = -1
	}
	amount := func(op string, v int64) {
		if q.Book == "" {
			w.add("ABS(e.amount) " + op + " " + lit(v))
			return
		}
		if sign < 0 {
			op = map[string]string{"=": "=", ">=": "<=", "<=": ">="}[op]
		}
		w.add("e.amount " + op + " " + lit(sign*v))
	}
	if q.Amount > 0 {
		amount("=", q.Amount)
	}
	if q.MinAmount > 0 {
		amount(">=", q.MinAmount)
	}
	if q.MaxAmount > 0 {
		amount("<=", q.MaxAmount)
	}
	if q.From.Valid() {
		w.add("e.date >= " + litDate(q.From))
	}
	if q.To.Valid() {
		w.add("e.date <= " + litDate(q.To))
	}
	if q.After != nil {
		w.add("(e.date, e.seq) < (" + litDate(q.After.Date) + ", " + lit(q.After.Seq) + ")")
	}
	plan := "scan"
	from := " FROM fund_entries e"
	order := " ORDER BY e.date DESC, e.seq DESC"
	if q.Ref != "" {
		// The entries of a reference come first (refEntries, one subquery
		// each: an OR on the ledger would walk the whole list), then the
		// other filters, the
		// words matched on the folded name. A short fragment that many
		// references begin ("ft21") is checked on a walk in list order
		// instead, which stops at the page's last row.
		plan = "ref"
		refs, many, err := s.refEntries(ctx, fundID, q.Ref)
		if err != nil {
			return nil, err
		}
		if many {
			plan = "ref-walk"
			var conds []string
			for _, col := range []string{"bank_ref", "ref"} {
				conds = append(conds, refConds(s.DB.Dialect, "e."+col, q.Ref, &w)...)
			}
			w.add("(" + strings.Join(conds, " OR ") + ")")
		} else if len(refs) == 0 {
			return &Result{Plan: plan}, nil
		} else {
			var in strings.Builder
			for i, seq := range refs {
				if i > 0 {
					in.WriteByte(',')
				}
				in.WriteString(lit(seq))
			}
			// Read by primary key, joined in this order (the planner
			// would rather walk the book's whole list for an IN).
			from = " FROM (SELECT seq FROM fund_entries WHERE fund_id = " + lit(fundID) + " AND seq IN (" + in.String() + ")) c CROSS JOIN fund_entries e"
			w.add("e.seq = c.seq")
		}
		for _, word := range QueryWords(q.Name) {
			alts, err := s.joinedAlts(ctx, fundID, word)
			if err != nil {
				return nil, err
			}
			w.add(nameCond(word, alts, &w))
		}
	} else if words := QueryWords(q.Name); len(words) > 0 && s.DB.Dialect == db.SQLite {
		// The FTS5 index answers the words, newest first, and the page
		// stops at its last row; the other filters apply on the join.
		plan = "fts"
		type part struct {
			expr string
			n    int64
		}
		var parts []part
		for _, word := range words {
			m, n, ok, err := s.ftsWord(ctx, fundID, word)
			if err != nil {
				return nil, err
			}
			if !ok {
				return &Result{Plan: "no-term"}, nil
			}
			alts, err := s.joinedAlts(ctx, fundID, word)
			if err != nil {
				return nil, err
			}
			if len(alts) > 0 {
				// Each way of reading the word as two joined words is
				// their AND (FTS5 keeps no positions); the adjacency and
				// the mark are checked on the ledger row.
				ors := []string{m}
				for _, a := range alts {
					ors = append(ors, `("`+a.a+`" AND "`+a.b+`"*)`)
					n += a.n
				}
				m = "(" + strings.Join(ors, " OR ") + ")"
				w.add(nameCond(word, alts, &w))
			}
			parts = append(parts, part{m, n})
		}
		sort.Slice(parts, func(i, j int) bool { return parts[i].n < parts[j].n })
		var match []string
		for _, p := range parts {
			match = append(match, p.expr)
		}
		lo, hi := fundID<<48, fundID<<48|(1<<48-1)
		if q.From.Valid() {
			lo = max(lo, ftsKey(fundID, q.From, 0))
		}
		if q.To.Valid() {
			hi = min(hi, ftsKey(fundID, q.To, maxKeySeq))
		}
		if q.After != nil {
			hi = min(hi, ftsKey(fundID, q.After.Date, q.After.Seq)-1)
		}
		from = " FROM fund_fts f CROSS JOIN fund_entries e"
		w.add("f.fund_fts MATCH ?", strings.Join(match, " AND "))
		w.add("f.rowid BETWEEN " + lit(lo) + " AND " + lit(hi))
		w.add("e.seq = (f.rowid & " + lit(maxKeySeq) + ")")
		order = " ORDER BY f.rowid DESC"
	} else if len(words) > 0 {
		driver, best := -1, int64(-1)
		var driverTerms []term
		altsOf := make([][]joinedAlt, len(words))
		for i, word := range words {
			terms, total, err := s.expand(ctx, fundID, word)
			if err != nil {
				return nil, err
			}
			alts, err := s.joinedAlts(ctx, fundID, word)
			if err != nil {
				return nil, err
			}
			altsOf[i] = alts
			if len(terms) == 0 && len(alts) == 0 {
				return &Result{Plan: "no-term"}, nil
			}
			// A word read as two joined words brings the entries of the
			// first of them too (the name is checked on the row).
			for _, a := range alts {
				terms = append(terms, term{a.a, a.n})
				total += a.n
			}
			if len(terms) <= maxExpansion && (best < 0 || total < best) {
				driver, best, driverTerms = i, total, terms
			}
		}
		if driver >= 0 && best <= driverMax {
			plan = "tokens"
			var in []string
			var tw where
			tw.args = w.args
			for _, t := range driverTerms {
				in = append(in, tw.arg(t.token))
			}
			w.args = tw.args
			from = " FROM (SELECT DISTINCT t.seq FROM fund_tokens t WHERE t.fund_id = " + lit(fundID) +
				" AND t.token IN (" + strings.Join(in, ", ") + ")) c CROSS JOIN fund_entries e"
			w.add("e.seq = c.seq")
		} else {
			plan = "walk"
			driver = -1
		}
		for i, word := range words {
			if i != driver || len(altsOf[i]) > 0 {
				w.add(nameCond(word, altsOf[i], &w))
			}
		}
	} else if q.Amount > 0 {
		plan = "amount"
	} else if q.From.Valid() || q.To.Valid() {
		plan = "date"
	}
	query := "SELECT " + publicCols + from + w.String() + order + " LIMIT " + strconv.Itoa(limit+1)
	rows, err := s.DB.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: search: %w", err)
	}
	defer rows.Close()
	res := &Result{Plan: plan}
	for rows.Next() {
		e, err := scanPublic(rows)
		if err != nil {
			return nil, fmt.Errorf("fund: search: %w", err)
		}
		res.Entries = append(res.Entries, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fund: search: %w", err)
	}
	if len(res.Entries) > limit {
		res.Entries = res.Entries[:limit]
		last := res.Entries[limit-1]
		res.Next = &Cursor{Date: last.Date, Seq: last.Seq}
	}
	return res, nil
}

// MinRefFragment is the shortest reference fragment matched by prefix or
// suffix; a shorter one must be the whole reference.
const MinRefFragment = 4

// refProbe is how many entries of a reference fragment are gathered and
// sorted at most; a fragment with more walks the list instead.
var refProbe = 2000

// normRef is a typed reference as compared: trimmed, in lower case.
func normRef(d db.Dialect, ref string) string {
	ref = strings.TrimSpace(ref)
	if d == db.SQLite {
		// SQLite's lower() folds ASCII letters only.
		return strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, ref)
	}
	return strings.ToLower(ref)
}

// refConds returns the conditions under which column col (bank_ref or ref,
// with its table's prefix) matches a typed reference: the whole reference
// without case; from MinRefFragment characters on, also a reference it
// begins or ends. On PostgreSQL each condition is one the indexes of
// migration 0610 answer; on SQLite they are checked on rows or on the
// plain indexes' entries (refSeqsLite).
func refConds(d db.Dialect, col, ref string, w *where) []string {
	f := normRef(d, ref)
	lower := "lower(" + col + ")"
	nonEmpty := " AND " + col + " <> ''"
	if d == db.Postgres {
		lower = "(lower(" + col + `) COLLATE "C")`
	}
	n := utf8.RuneCountInString(f)
	if d == db.SQLite {
		// SQLite's LIKE ignores the case of ASCII letters, as its lower()
		// does, and costs a third of lower() and substr() on a scan.
		r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
		like := func(pattern string) string {
			return "(" + col + " LIKE " + w.arg(pattern) + ` ESCAPE '\'` + nonEmpty + ")"
		}
		if n < MinRefFragment {
			return []string{like(r.Replace(f))}
		}
		return []string{like(r.Replace(f) + "%"), like("%" + r.Replace(f))}
	}
	if n < MinRefFragment {
		return []string{"(" + lower + " = " + w.arg(f) + nonEmpty + ")"}
	}
	prefix := "(" + lower + " >= " + w.arg(f) + " AND " + lower + " < " + w.arg(f+"\U0010FFFF") + nonEmpty + ")"
	runes := []rune(f)
	last4 := string(runes[n-MinRefFragment:])
	var suffix string
	if d == db.Postgres {
		suffix = "(right(lower(" + col + "), " + lit(MinRefFragment) + ") = " + w.arg(last4) +
			" AND right(lower(" + col + "), " + lit(int64(n)) + ") = " + w.arg(f) + nonEmpty + ")"
	} else {
		suffix = "(substr(lower(" + col + "), -" + lit(MinRefFragment) + ") = " + w.arg(last4) +
			" AND substr(lower(" + col + "), -" + lit(int64(n)) + ") = " + w.arg(f) + nonEmpty + ")"
	}
	return []string{prefix, suffix}
}

// refSeqs returns the SELECTs of the seqs of a fund's entries matching a
// typed reference, joined by op (" UNION ", " UNION ALL ").
func refSeqs(d db.Dialect, fundID int64, ref string, w *where, op string) string {
	var parts []string
	for _, col := range []string{"bank_ref", "ref"} {
		for i, c := range refConds(d, col, ref, w) {
			from := "fund_entries"
			if d == db.SQLite {
				// SQLite would rather scan the fund's part of the plain
				// index on the column (it covers the expression's input).
				from += " INDEXED BY fund_entries_" + col + []string{"_lower", "_tail"}[i]
			}
			parts = append(parts, "SELECT seq FROM "+from+" WHERE fund_id = "+lit(fundID)+" AND "+c)
		}
	}
	return strings.Join(parts, op)
}

// refSeqsLite is refSeqs for SQLite, which has no index on the references
// in lower case (migration 0612 dropped them: they cost 40% of a large
// statement's import, and the in-memory index answers references): the
// whole reference and its beginning are read from the plain indexes on
// (fund_id, bank_ref) and (fund_id, ref), one range per way of casing the
// typed text's first letters (caseRanges), the rest checked on the
// index; an end is looked for in the fund's whole part of those indexes
// (about 0.2 to 0.3 s each at a million receipts), and stops at refProbe
// entries.
func refSeqsLite(fundID int64, ref string, w *where) string {
	f := normRef(db.SQLite, ref)
	whole := utf8.RuneCountInString(f) < MinRefFragment
	var parts []string
	for _, col := range []string{"bank_ref", "ref"} {
		conds := refConds(db.SQLite, col, ref, w)
		from := "SELECT seq FROM fund_entries INDEXED BY fund_entries_" + col + " WHERE fund_id = " + lit(fundID) + " AND " + col + " <> ''"
		for _, r := range caseRanges(f, whole) {
			bound := " AND " + col + " < " + w.arg(r[1]+"\U0010FFFF")
			if whole {
				bound = " AND " + col + " <= " + w.arg(r[1])
			}
			parts = append(parts, from+" AND "+col+" >= "+w.arg(r[0])+bound+" AND "+conds[0])
		}
		if !whole {
			parts = append(parts, from+" AND "+conds[1])
		}
	}
	return strings.Join(parts, " UNION ALL ")
}

// caseLetters is how many of a typed reference's first letters are cased
// every way (2^caseLetters ranges at most).
const caseLetters = 6

// caseRanges returns ranges [lo, hi] of text (in byte order) that hold
// every way of casing f (in lower case) with ASCII letters: each way of
// casing its first caseLetters letters, then the rest between all upper
// case (lo) and all lower case (hi), since 'A'–'Z' sort before 'a'–'z'.
func caseRanges(f string, whole bool) [][2]string {
	var letters []int
	for i := 0; i < len(f); i++ {
		if f[i] >= 'a' && f[i] <= 'z' {
			letters = append(letters, i)
		}
	}
	fixed := letters[:min(len(letters), caseLetters)]
	out := make([][2]string, 0, 1<<len(fixed))
	for v := 0; v < 1<<len(fixed); v++ {
		lo, hi := []byte(f), []byte(f)
		for k, i := range letters {
			switch {
			case k >= len(fixed):
				lo[i] -= 'a' - 'A'
			case v&(1<<k) != 0:
				lo[i] -= 'a' - 'A'
				hi[i] -= 'a' - 'A'
			}
		}
		out = append(out, [2]string{string(lo), string(hi)})
	}
	return out
}

// refEntries returns the seqs of the entries matching a typed reference,
// at most refProbe of them; many tells that the probe stopped there (a
// fragment with more is walked instead).
func (s *Store) refEntries(ctx context.Context, fundID int64, ref string) (seqs []int64, many bool, err error) {
	var w where
	query := refSeqs(s.DB.Dialect, fundID, ref, &w, " UNION ")
	if s.DB.Dialect == db.SQLite {
		query = refSeqsLite(fundID, ref, &w)
	}
	rows, err := s.DB.QueryContext(ctx, query+" LIMIT "+lit(int64(refProbe)), w.args...)
	if err != nil {
		return nil, false, fmt.Errorf("fund: search by reference: %w", err)
	}
	defer rows.Close()
	var out []int64
	n := 0
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, false, fmt.Errorf("fund: search by reference: %w", err)
		}
		out = append(out, seq)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("fund: search by reference: %w", err)
	}
	slices.Sort(out)
	return slices.Compact(out), n >= refProbe, nil
}

// fundVersionRow is what tells whether a fund read earlier is still current.
type fundVersionRow struct {
	id, size int64
	updated  time.Time
	public   bool
}

// fundVersion reads the version of the fund with this code (cheaper than
// the fund with its unit and area).
func (s *Store) fundVersion(ctx context.Context, code string) (fundVersionRow, error) {
	var v fundVersionRow
	err := s.DB.QueryRowContext(ctx, "SELECT id, log_size, updated_at, is_public FROM funds WHERE code = $1", code).Scan(&v.id, &v.size, &v.updated, &v.public)
	if err != nil {
		return v, notFound(err, "fund")
	}
	return v, nil
}

// searchMemory answers q from the in-memory index: the page's seqs, and
// their rows.
func (s *Store) searchMemory(ctx context.Context, x *fundIndex, size int64, q Query, limit int) (*Result, error) {
	words := QueryWords(q.Name)
	lookup := x.lookup
	if q.Ref != "" {
		f := normRef(s.DB.Dialect, q.Ref)
		lookup = func(q Query, words []string, size int64, limit int) []uint32 {
			return x.lookupRef(q, f, words, size, limit)
		}
	}
	seqs := lookup(q, words, size, limit)
	if anonymousQuery(words) {
		seqs = x.mergeSeqs(seqs, lookup(q, []string{anonWord}, size, limit), limit+1)
	}
	res := &Result{Plan: "memory"}
	if len(seqs) == 0 {
		return res, nil
	}
	more := len(seqs) > limit
	if more {
		seqs = seqs[:limit]
	}
	// The rows from the index's records (searchindex_rows.go).
	res.Entries = make([]Entry, len(seqs))
	x.rowsOf(seqs, res.Entries)
	x.reversals(res.Entries)
	if more {
		last := res.Entries[limit-1]
		res.Next = &Cursor{Date: last.Date, Seq: last.Seq}
	}
	return res, nil
}

// EachPublic calls fn for every entry of a public list matching q, in list
// order, page by page (downloads); max bounds the number (0: no bound).
func (s *Store) EachPublic(ctx context.Context, fundID int64, q Query, max int, fn func(*Entry) error) error {
	q.Limit = MaxLimit
	n := 0
	for {
		res, err := s.Search(ctx, fundID, q)
		if err != nil {
			return err
		}
		for i := range res.Entries {
			if max > 0 && n >= max {
				return nil
			}
			if err := fn(&res.Entries[i]); err != nil {
				return err
			}
			n++
		}
		if res.Next == nil {
			return nil
		}
		q.After = res.Next
	}
}
