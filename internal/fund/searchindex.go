package fund

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"giaoban/internal/platform/db"
)

// The public lists' search index in memory.
//
// The public receipts page of a famous fund is the one page a national
// rush hits, each visitor with a query of their own. The database answers
// a query in about a millisecond at best (a name in 5 to 50 at a million
// receipts); the page must cost a fraction of that. So each process keeps,
// for the funds whose public lists are searched, what the search needs of
// every entry, in compact arrays:
//
//   - per entry (by seq): its date, amount, book, and the ids of the words
//     of its folded published name;
//   - per book: its entries in list order (date, then seq);
//   - per word of the fund: the entries whose name has it, in list order;
//   - all entries by amount, then in list order.
//
// A query walks, newest first, the shortest of these lists that covers it
// (the entries of the typed word with the fewest, merged over the words it
// begins; those of the exact amount; the date range's part of the book),
// checks the other filters on the arrays (a typed word is a set of word
// ids: one bit test per word of the entry), and stops when the page is
// full; the page's rows are then read from the ledger by primary key. About
// 50 bytes an entry: 50 MB for a million receipts.
//
// The index is read from the ledger (fund_entries, whatever the dialect)
// and follows the fund's log: the ledger is append-only and the log size
// (funds.log_size, read with the fund on each request) tells how many
// entries there are, so a search first reads the entries appended since
// (by any process), and a reversal only adds an entry. A fund seen for the
// first time, or far behind, is read in the background while its searches
// go to SQL. Bank and voucher references are answered by SQL (one index
// probe), as is everything when the index is off (SetSearchIndex).

// Limits of the in-memory index.
var (
	// indexBudget bounds the entries indexed in a process, over all
	// funds; least recently searched funds are dropped first.
	indexBudget int64 = 8_000_000
	// indexSyncMax is how many missing entries a search reads itself;
	// beyond, they are read in the background and SQL answers meanwhile.
	indexSyncMax int64 = 20_000
	// indexOn switches the index (tests compare both paths).
	indexOn atomic.Bool
)

func init() { indexOn.Store(true) }

// rangeCollectMax is how many entries of an amount range are sorted into
// list order; a wider range walks the list instead (its matches are dense).
const rangeCollectMax = 50_000

// mergeMax is how many word lists a typed word merges; one that begins
// more words (one or two letters) walks the book's list instead.
const mergeMax = 64

// fundIndex is the search index of one fund.
type fundIndex struct {
	fundID int64

	update sync.Mutex // one reader of new entries at a time
	mu     sync.RWMutex
	size   int64 // entries read: seqs 1..size
	used   atomic.Int64
	failed time.Time

	day    []int32  // by seq-1: days since 1970
	amount []int64  // by seq-1: signed, as stored
	book   []uint8  // by seq-1: bookIn, bookOut, or 0
	tokOff []uint32 // by seq-1: the entry's words are toks[tokOff[i]:tokOff[i+1]]
	toks   []uint32
	books  [3][]uint32 // seqs of bookIn and bookOut entries in list order
	byAmt  []uint32    // seqs by amount, then list order (books in and out)
	words  map[string]uint32
	terms  []string   // the fund's words, sorted
	termID []uint32   // ids of terms
	posts  [][]uint32 // by word id: seqs in list order
	revBy  map[uint32]uint32
}

const (
	bookNone uint8 = iota
	bookIn
	bookOut
)

func bookCode(b string) uint8 {
	switch b {
	case BookIn:
		return bookIn
	case BookOut:
		return bookOut
	}
	return bookNone
}

// less orders seqs in list order (date, then seq), oldest first.
func (x *fundIndex) less(a, b uint32) bool {
	da, db := x.day[a-1], x.day[b-1]
	return da < db || da == db && a < b
}

func (x *fundIndex) cmpSeq(a, b uint32) int {
	if c := cmp.Compare(x.day[a-1], x.day[b-1]); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// dayOf is the day of d since 1 January 1970.
func dayOf(d db.Date) int32 {
	u := d.Unix()
	if u < 0 {
		u -= 86400 - 1
	}
	return int32(u / 86400)
}

// indexSet holds a store's fund indexes.
type indexSet struct {
	mu    sync.Mutex
	funds map[int64]*fundIndex
}

// storeIndexes maps each Store to its indexes, without keeping the store
// alive.
var storeIndexes sync.Map // weak.Pointer[Store] → *indexSet

func (s *Store) indexSet() *indexSet {
	k := weak.Make(s)
	if v, ok := storeIndexes.Load(k); ok {
		return v.(*indexSet)
	}
	v, loaded := storeIndexes.LoadOrStore(k, &indexSet{funds: map[int64]*fundIndex{}})
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Store]) { storeIndexes.Delete(k) }, k)
	}
	return v.(*indexSet)
}

// searchIndex returns the fund's index holding at least size entries, or
// nil when SQL must answer (index off, fund too large, being read).
func (s *Store) searchIndex(ctx context.Context, fundID, size int64, wait bool) *fundIndex {
	if !indexOn.Load() || size > indexBudget || fundID <= 0 {
		return nil
	}
	set := s.indexSet()
	set.mu.Lock()
	x := set.funds[fundID]
	if x == nil {
		x = &fundIndex{fundID: fundID, words: map[string]uint32{}, revBy: map[uint32]uint32{}}
		set.funds[fundID] = x
	}
	set.mu.Unlock()
	x.used.Store(time.Now().UnixNano())
	x.mu.RLock()
	have, failed := x.size, x.failed
	x.mu.RUnlock()
	if have >= size {
		return x
	}
	if !wait && (size-have > indexSyncMax || time.Since(failed) < time.Minute) {
		// Read in the background; SQL answers until then.
		if x.update.TryLock() {
			go func() {
				defer x.update.Unlock()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				defer cancel()
				if err := s.catchUp(ctx, x, set); err != nil {
					slog.Error("fund: search index", "fund", fundID, "err", err)
				}
			}()
		}
		return nil
	}
	x.update.Lock()
	defer x.update.Unlock()
	if err := s.catchUp(ctx, x, set); err != nil {
		if ctx.Err() == nil {
			slog.Error("fund: search index", "fund", fundID, "err", err)
		}
		return nil
	}
	x.mu.RLock()
	have = x.size
	x.mu.RUnlock()
	if have < size {
		return nil
	}
	return x
}

// indexRow is what the index reads of an entry.
type indexRow struct {
	seq      uint32
	book     uint8
	reversal bool
	day      int32
	amount   int64
	folded   string
	reverses int64
}

// catchUp reads the entries appended since the index was last read
// (x.update held).
func (s *Store) catchUp(ctx context.Context, x *fundIndex, set *indexSet) error {
	x.mu.RLock()
	from := x.size
	x.mu.RUnlock()
	const batch = 100_000
	for {
		rows, err := s.DB.QueryContext(ctx, `SELECT seq, book, kind, date, amount, party_folded, reverses FROM fund_entries
			WHERE fund_id = $1 AND seq > $2 ORDER BY seq LIMIT `+lit(batch), x.fundID, from)
		if err != nil {
			return s.indexFailed(x, err)
		}
		var got []indexRow
		for rows.Next() {
			var (
				r          indexRow
				seq        int64
				book, kind string
				date       db.Date
			)
			if err := rows.Scan(&seq, &book, &kind, &date, &r.amount, &r.folded, &r.reverses); err != nil {
				rows.Close()
				return s.indexFailed(x, err)
			}
			if seq != from+int64(len(got))+1 || seq > maxKeySeq {
				rows.Close()
				return s.indexFailed(x, fmt.Errorf("entry %d after %d: the ledger has a gap", seq, from+int64(len(got))))
			}
			r.seq, r.book, r.reversal = uint32(seq), bookCode(book), kind == "reversal"
			r.day = dayOf(date)
			got = append(got, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return s.indexFailed(x, err)
		}
		if len(got) == 0 {
			return nil
		}
		x.mu.Lock()
		x.add(got)
		x.mu.Unlock()
		from += int64(len(got))
		set.trim(x)
		if len(got) < batch {
			return nil
		}
	}
}

func (s *Store) indexFailed(x *fundIndex, err error) error {
	x.mu.Lock()
	x.failed = time.Now()
	x.mu.Unlock()
	return fmt.Errorf("fund: search index: %w", err)
}

// trim drops the least recently searched indexes (but keep) while the
// set holds more than the budget.
func (set *indexSet) trim(keep *fundIndex) {
	set.mu.Lock()
	defer set.mu.Unlock()
	for {
		var total int64
		var oldest *fundIndex
		for _, x := range set.funds {
			x.mu.RLock()
			total += x.size
			x.mu.RUnlock()
			if x != keep && (oldest == nil || x.used.Load() < oldest.used.Load()) {
				oldest = x
			}
		}
		if total <= indexBudget || oldest == nil {
			return
		}
		delete(set.funds, oldest.fundID)
	}
}

// add appends entries (x.mu held for writing).
func (x *fundIndex) add(rows []indexRow) {
	if len(x.tokOff) == 0 {
		x.tokOff = []uint32{0}
	}
	newPosts := map[uint32][]uint32{}
	var newBooks [3][]uint32
	newAmt := make([]uint32, 0, len(rows))
	for _, r := range rows {
		x.day = append(x.day, r.day)
		x.amount = append(x.amount, r.amount)
		x.book = append(x.book, r.book)
		if r.reverses > 0 && r.reverses <= maxKeySeq {
			if old, ok := x.revBy[uint32(r.reverses)]; !ok || r.seq < old {
				x.revBy[uint32(r.reverses)] = r.seq
			}
		}
		if r.book != bookNone && !r.reversal {
			newBooks[r.book] = append(newBooks[r.book], r.seq)
			newAmt = append(newAmt, r.seq)
			x.addWords(r, newPosts)
		}
		x.tokOff = append(x.tokOff, uint32(len(x.toks)))
	}
	x.size += int64(len(rows))
	for b := range newBooks {
		x.books[b] = x.merge(x.books[b], newBooks[b], x.cmpSeq)
	}
	for id, seqs := range newPosts {
		x.posts[id] = x.merge(x.posts[id], seqs, x.cmpSeq)
	}
	byAmount := func(a, b uint32) int {
		if c := cmp.Compare(x.amount[a-1], x.amount[b-1]); c != 0 {
			return c
		}
		return x.cmpSeq(a, b)
	}
	x.byAmt = x.merge(x.byAmt, newAmt, byAmount)
}

// addWords adds the words of an entry's name (x.mu held for writing).
func (x *fundIndex) addWords(r indexRow, newPosts map[uint32][]uint32) {
	if r.folded == "" {
		return
	}
	start := len(x.toks)
words:
	for _, w := range strings.Split(r.folded, " ") {
		if len(w) > MaxWordBytes {
			w = w[:MaxWordBytes]
		}
		if w == "" {
			continue
		}
		id, ok := x.words[w]
		if !ok {
			id = uint32(len(x.posts))
			x.words[w] = id
			x.posts = append(x.posts, nil)
			i := sort.SearchStrings(x.terms, w)
			x.terms = slices.Insert(x.terms, i, w)
			x.termID = slices.Insert(x.termID, i, id)
		}
		for _, t := range x.toks[start:] {
			if t == id {
				continue words
			}
		}
		x.toks = append(x.toks, id)
		newPosts[id] = append(newPosts[id], r.seq)
	}
}

// merge returns old with add merged in (both sorted by c once add is
// sorted).
func (x *fundIndex) merge(old, add []uint32, c func(a, b uint32) int) []uint32 {
	if len(add) == 0 {
		return old
	}
	if !slices.IsSortedFunc(add, c) {
		slices.SortFunc(add, c)
	}
	if len(old) == 0 || c(old[len(old)-1], add[0]) < 0 {
		return append(old, add...)
	}
	out := make([]uint32, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) && j < len(add) {
		if c(old[i], add[j]) <= 0 {
			out = append(out, old[i])
			i++
		} else {
			out = append(out, add[j])
			j++
		}
	}
	out = append(out, old[i:]...)
	return append(out, add[j:]...)
}

// reversals fills ReversedBy: the first reversal of each entry.
func (x *fundIndex) reversals(es []Entry) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for i := range es {
		if es[i].Kind != "reversal" && es[i].Seq <= maxKeySeq {
			es[i].ReversedBy = int64(x.revBy[uint32(es[i].Seq)])
		}
	}
}

// info describes the index.
func (x *fundIndex) info() string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.day)*(4+8+1+4) + 4*len(x.toks) + 4*len(x.byAmt) + 4*(len(x.books[1])+len(x.books[2]))
	for _, p := range x.posts {
		n += 4 * len(p)
	}
	return fmt.Sprintf("%d entries, %d words, about %d MB in memory", x.size, len(x.terms), n>>20)
}

// memQuery is a query as the index runs it.
type memQuery struct {
	book          uint8 // 0: both books
	words         [][]uint32
	amount        int64
	minAmt        int64
	maxAmt        int64
	lo, hi        listKey // list range, inclusive
	maxSeq        uint32  // entries beyond the log size the caller read are left out
	limit         int
	anyWordsEmpty bool
}

// listKey is a position in list order.
type listKey struct {
	day int32
	seq uint32
}

func (x *fundIndex) key(seq uint32) listKey { return listKey{x.day[seq-1], seq} }

func (k listKey) less(o listKey) bool { return k.day < o.day || k.day == o.day && k.seq < o.seq }

// lookup returns the seqs of the page (at most limit+1: one more tells
// that there is a next page), newest first.
func (x *fundIndex) lookup(q Query, words []string, size int64, limit int) []uint32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	m := memQuery{book: bookCode(q.Book), limit: limit + 1, maxSeq: uint32(min(size, x.size))}
	m.lo = listKey{-1 << 31, 0}
	m.hi = listKey{1<<31 - 1, 1<<32 - 1}
	if q.From.Valid() {
		m.lo = listKey{dayOf(q.From), 0}
	}
	if q.To.Valid() {
		m.hi = listKey{dayOf(q.To), 1<<32 - 1}
	}
	if q.After != nil {
		// Entries strictly before the cursor.
		c := listKey{dayOf(q.After.Date), uint32(min(max(q.After.Seq, 0), maxKeySeq))}
		if c.seq == 0 {
			c = listKey{c.day - 1, 1<<32 - 1}
		} else {
			c.seq--
		}
		if c.less(m.hi) {
			m.hi = c
		}
	}
	if m.hi.less(m.lo) {
		return nil
	}
	// Amounts as magnitudes, as the SQL does.
	m.amount, m.minAmt, m.maxAmt = q.Amount, q.MinAmount, q.MaxAmount
	if m.amount > 0 && (m.minAmt > 0 && m.amount < m.minAmt || m.maxAmt > 0 && m.amount > m.maxAmt) {
		return nil
	}

	// Each typed word: the ids of the fund's words it begins.
	type wordSet struct {
		ids   []uint32
		total int
		bits  []uint64
	}
	var sets []wordSet
	for _, w := range words {
		i := sort.SearchStrings(x.terms, w)
		var ws wordSet
		for ; i < len(x.terms) && strings.HasPrefix(x.terms[i], w); i++ {
			id := x.termID[i]
			ws.ids = append(ws.ids, id)
			ws.total += len(x.posts[id])
		}
		if len(ws.ids) == 0 {
			return nil
		}
		ws.bits = make([]uint64, (len(x.posts)+63)/64)
		for _, id := range ws.ids {
			ws.bits[id/64] |= 1 << (id % 64)
		}
		sets = append(sets, ws)
	}
	slices.SortFunc(sets, func(a, b wordSet) int { return cmp.Compare(a.total, b.total) })

	// The driving lists, walked newest first: the shortest of those of a
	// typed word (merged over the words it begins), of the exact amount, of
	// the amount range, and of the date range's part of the book.
	var lists [][]uint32
	check := sets
	best := x.rangeCount(m)
	if d := slices.IndexFunc(sets, func(ws wordSet) bool { return len(ws.ids) <= mergeMax }); d >= 0 && sets[d].total < best {
		best = sets[d].total
		lists = nil
		for _, id := range sets[d].ids {
			lists = append(lists, x.posts[id])
		}
		check = slices.Delete(slices.Clone(sets), d, d+1)
	}
	if m.amount > 0 {
		var runs [][]uint32
		n := 0
		for _, sign := range x.signs(m.book) {
			run := x.amountRun(sign*m.amount, sign*m.amount)
			runs = append(runs, run)
			n += len(run)
		}
		if n < best {
			best, lists, check = n, runs, sets
		}
	} else if m.minAmt > 0 || m.maxAmt > 0 {
		var n int
		var runs [][]uint32
		for _, sign := range x.signs(m.book) {
			lo, hi := m.minAmt, m.maxAmt
			if hi <= 0 {
				hi = 1<<63 - 1
			}
			if sign < 0 {
				lo, hi = -hi, -lo
			}
			run := x.amountRun(lo, hi)
			runs = append(runs, run)
			n += len(run)
		}
		if n <= rangeCollectMax && n < best {
			sorted := make([]uint32, 0, n)
			for _, r := range runs {
				sorted = append(sorted, r...)
			}
			slices.SortFunc(sorted, x.cmpSeq)
			best, lists, check = n, [][]uint32{sorted}, sets
		}
	}
	if lists == nil {
		lists = x.bookLists(m.book)
	}
	return x.walk(lists, func(seq uint32) bool {
		if seq > m.maxSeq {
			return false
		}
		if b := x.book[seq-1]; b == bookNone || m.book != bookNone && b != m.book {
			return false
		}
		if !x.amountOK(seq, m) {
			return false
		}
		toks := x.toks[x.tokOff[seq-1]:x.tokOff[seq]]
	sets:
		for _, ws := range check {
			for _, t := range toks {
				if ws.bits[t/64]&(1<<(t%64)) != 0 {
					continue sets
				}
			}
			return false
		}
		return true
	}, m)
}

// rangeCount is the number of entries of the query's book(s) in its list
// range.
func (x *fundIndex) rangeCount(m memQuery) int {
	n := 0
	for _, l := range x.bookLists(m.book) {
		i := sort.Search(len(l), func(i int) bool { return !x.key(l[i]).less(m.lo) })
		j := sort.Search(len(l), func(i int) bool { return m.hi.less(x.key(l[i])) })
		n += max(0, j-i)
	}
	return n
}

func (x *fundIndex) bookLists(book uint8) [][]uint32 {
	if book == bookNone {
		return [][]uint32{x.books[bookIn], x.books[bookOut]}
	}
	return [][]uint32{x.books[book]}
}

// signs are the signs of the amounts stored in a book: receipts positive,
// disbursements negative.
func (x *fundIndex) signs(book uint8) []int64 {
	switch book {
	case bookIn:
		return []int64{1}
	case bookOut:
		return []int64{-1}
	}
	return []int64{1, -1}
}

// amountRun returns the entries with amounts in [lo, hi], by amount then
// in list order.
func (x *fundIndex) amountRun(lo, hi int64) []uint32 {
	i := sort.Search(len(x.byAmt), func(i int) bool { return x.amount[x.byAmt[i]-1] >= lo })
	j := sort.Search(len(x.byAmt), func(i int) bool { return x.amount[x.byAmt[i]-1] > hi })
	return x.byAmt[i:max(i, j)]
}

// amountOK applies the amount filters to an entry, as magnitudes of its
// book (both signs when the query has no book, as the SQL does).
func (x *fundIndex) amountOK(seq uint32, m memQuery) bool {
	if m.amount <= 0 && m.minAmt <= 0 && m.maxAmt <= 0 {
		return true
	}
	a := x.amount[seq-1]
	ok := func(v int64) bool {
		return (m.amount <= 0 || v == m.amount) && (m.minAmt <= 0 || v >= m.minAmt) && (m.maxAmt <= 0 || v <= m.maxAmt)
	}
	switch m.book {
	case bookIn:
		return ok(a)
	case bookOut:
		return ok(-a)
	}
	// No book: the magnitude, whichever the book.
	if a < 0 {
		a = -a
	}
	return ok(a)
}

// walk merges lists (each in list order) newest first within [m.lo,
// m.hi], keeping the entries that pass keep, up to m.limit.
func (x *fundIndex) walk(lists [][]uint32, keep func(seq uint32) bool, m memQuery) []uint32 {
	// Each list's cursor starts at its last entry at or before m.hi.
	type cursor struct {
		l []uint32
		i int
	}
	var cs []cursor
	for _, l := range lists {
		i := sort.Search(len(l), func(i int) bool { return m.hi.less(x.key(l[i])) }) - 1
		if i >= 0 && !x.key(l[i]).less(m.lo) {
			cs = append(cs, cursor{l, i})
		}
	}
	var out []uint32
	last := uint32(0)
	for len(cs) > 0 && len(out) < m.limit {
		// The newest head (few lists: a linear pick beats a heap).
		best := 0
		for k := 1; k < len(cs); k++ {
			if x.less(cs[best].l[cs[best].i], cs[k].l[cs[k].i]) {
				best = k
			}
		}
		c := &cs[best]
		seq := c.l[c.i]
		c.i--
		if c.i < 0 || x.key(c.l[c.i]).less(m.lo) {
			cs = slices.Delete(cs, best, best+1)
		}
		if seq == last {
			continue // in two lists of one typed word
		}
		last = seq
		if keep(seq) {
			out = append(out, seq)
		}
	}
	return out
}

// SetSearchIndex switches the in-memory search index on or off (SQL
// answers every query when off) and returns the previous setting.
func SetSearchIndex(on bool) bool { return indexOn.Swap(on) }
