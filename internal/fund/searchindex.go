package fund

import (
	"cmp"
	"context"
	"encoding/binary"
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
//   - per book: its entries' keys in list order, a key being the entry's
//     date, seq and book in one integer whose order is the list's;
//   - per word of the fund: the keys of the entries whose name has it;
//   - all keys by amount, then in list order.
//
// A query walks, newest first, the shortest of these lists that covers it
// (the keys of the typed word with the fewest entries, merged over the
// words it begins; those of the exact amount; those of the date range),
// checks the other typed words (a bitmap by seq for a common word, one
// merged list searched from the previous key for the rare ones: see
// searchindex_query.go), the book from the key and the amounts from the
// arrays, and stops when the page is full; the page's rows come from the
// entries' records (searchindex_rows.go, kept outside the Go heap where
// the system allows). About 75 bytes an entry for the search, 80 for the
// references and rows: 155 MB for a million receipts.
//
// The index is read from the ledger (fund_entries, whatever the dialect)
// and follows the fund's log: the ledger is append-only and the log size
// (funds.log_size, read with the fund on each request) tells how many
// entries there are, so a search first reads the entries appended since
// (by any process), and a reversal only adds an entry. A fund seen for the
// first time, or far behind, is read in the background while its searches
// go to SQL. Bank references and voucher numbers are answered too
// (searchindex_ref.go: about 30 bytes an entry more). SQL answers
// everything when the index is off (SetSearchIndex) or a fund is larger
// than the budget.

// Limits of the in-memory index.
var (
	// indexBudget bounds the entries indexed in a process, over all
	// funds (about 155 bytes each: 620 MB at most); least recently
	// searched funds are dropped first.
	indexBudget int64 = 4_000_000
	// indexSyncMax is how many missing entries a search reads itself;
	// beyond, they are read in the background and SQL answers meanwhile.
	indexSyncMax int64 = 20_000
	// indexOn switches the index (tests compare both paths).
	indexOn atomic.Bool
)

func init() { indexOn.Store(true) }

// mergeMax is how many word lists a typed word merges; one that begins
// more words (one or two letters) walks the book's list instead.
var mergeMax = 64

// fundIndex is the search index of one fund.
type fundIndex struct {
	fundID int64
	bits   fundBits // bitmaps of common words (searchindex_query.go)

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
	books  [3][]uint64 // keys of bookIn and bookOut entries, in list order
	byAmt  []uint64    // keys by amount, then list order (books in and out)
	words  map[string]uint32
	terms  []string   // the fund's words, sorted
	termID []uint32   // ids of terms
	posts  [][]uint64 // by word id: keys in list order

	// References (searchindex_ref.go).
	code     string // the fund's code, in its voucher numbers
	unicode  bool   // references compared in Unicode lower case (PostgreSQL's lower()), not ASCII
	refData  []byte // entries' records: references (searchindex_ref.go), published rows (searchindex_rows.go); in arena
	arena    *recordArena
	refOff   []uint32 // by seq-1: the entry's record is refData[refOff[i]:refOff[i+1]]
	enums    []string // kinds, classes and channels, by id
	enumID   map[string]uint32
	bankFwd  []uint32 // seqs with a bank reference, by it in lower case
	bankRev  []uint32 // the same, by it in lower case read backwards
	refFwd   []uint32 // seqs with a stored voucher number, by it in lower case
	refRev   []uint32
	vouchers map[voucherKey]*vouchers // derived voucher numbers: their seqs
	scratch  []byte                   // x.mu held for writing

	revBy map[uint32]uint32
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

// An entry's key is its position in list order (date, then seq) with its
// book: the day (offset to be positive) in bits 34–63, the seq in bits
// 2–33, the book in bits 0–1. Lists of keys are walked and intersected
// without looking anything up.
func mkKey(day int32, seq uint32, book uint8) uint64 {
	return uint64(int64(day)+1<<29)<<34 | uint64(seq)<<2 | uint64(book)
}

func seqOf(k uint64) uint32 { return uint32(k >> 2) }

func bookOf(k uint64) uint8 { return uint8(k & 3) }

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
		x = &fundIndex{fundID: fundID, words: map[string]uint32{}, revBy: map[uint32]uint32{}, vouchers: map[voucherKey]*vouchers{},
			unicode: s.DB.Dialect == db.Postgres}
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
	if !wait && time.Since(failed) < time.Minute {
		return nil // reading it failed a moment ago: SQL answers
	}
	if !wait && size-have > indexSyncMax {
		// Read in the background; SQL answers until then.
		if x.update.TryLock() {
			go func() {
				defer x.update.Unlock()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				defer cancel()
				if err := s.catchUp(ctx, x, set, size); err != nil {
					slog.Error("fund: search index", "fund", fundID, "err", err)
				}
			}()
		}
		return nil
	}
	x.update.Lock()
	defer x.update.Unlock()
	if err := s.catchUp(ctx, x, set, size); err != nil {
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
	seq       uint32
	book      uint8
	reversal  bool
	day       int32
	amount    int64
	folded    string
	reverses  int64
	joined    bool // the published name has a joining mark (H'Rim, Nguyễn-Văn): see joinedMarks
	anonymous bool // published as Ẩn danh: indexed as anonWord alone
	bankRef   string
	ref       string
	kind      string
	class     string
	channel   string
	party     string
	note      string
	series    uint8 // refVoucherT, refVoucherC: the voucher series of its kind; refNone
}

// catchUp reads the entries appended since the index was last read
// (x.update held).
func (s *Store) catchUp(ctx context.Context, x *fundIndex, set *indexSet, size int64) error {
	x.mu.RLock()
	from := x.size
	x.mu.RUnlock()
	if from == 0 && size > 0 {
		var code string
		if err := s.DB.QueryRowContext(ctx, "SELECT code FROM funds WHERE id = $1", x.fundID).Scan(&code); err != nil {
			return s.indexFailed(x, err)
		}
		// The arrays at their size at once (no doubling on the way).
		x.mu.Lock()
		x.code = strings.ToUpper(code)
		x.refOff = make([]uint32, 1, size+1)
		x.day = make([]int32, 0, size)
		x.amount = make([]int64, 0, size)
		x.book = make([]uint8, 0, size)
		x.tokOff = make([]uint32, 1, size+1)
		x.toks = make([]uint32, 0, 4*size)
		x.mu.Unlock()
	}
	const batch = 100_000
	for {
		rows, err := s.DB.QueryContext(ctx, `SELECT seq, book, kind, date, amount, party_folded, reverses, `+joinedSQL("party")+`, anonymous, bank_ref, ref,
				class, channel, party, note
			FROM fund_entries WHERE fund_id = $1 AND seq > $2 ORDER BY seq LIMIT `+lit(batch), x.fundID, from)
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
			if err := rows.Scan(&seq, &book, &kind, &date, &r.amount, &r.folded, &r.reverses, &r.joined, &r.anonymous, &r.bankRef, &r.ref,
				&r.class, &r.channel, &r.party, &r.note); err != nil {
				rows.Close()
				return s.indexFailed(x, err)
			}
			if seq != from+int64(len(got))+1 || seq > maxKeySeq {
				rows.Close()
				return s.indexFailed(x, fmt.Errorf("entry %d after %d: the ledger has a gap", seq, from+int64(len(got))))
			}
			r.seq, r.book, r.reversal = uint32(seq), bookCode(book), kind == "reversal"
			r.day = dayOf(date)
			r.kind = kind
			switch kind {
			case "receipt":
				r.series = refVoucherT
			case "disbursement":
				r.series = refVoucherC
			}
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
		if from == 0 && size > int64(len(got)) {
			// The references' arena at its likely size at once.
			x.reserve(int(int64(len(x.refData))*size/int64(len(got))*21/20) - len(x.refData))
		}
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
	if len(x.refOff) == 0 {
		x.refOff = []uint32{0}
	}
	newPosts := map[uint32][]uint64{}
	var newBooks [3][]uint64
	newAmt := make([]uint64, 0, len(rows))
	var newBank, newRef []uint32
	for i := range rows {
		r := rows[i]
		x.reserve(8*binary.MaxVarintLen64 + len(r.bankRef) + len(r.ref) + len(r.party) + len(r.note) + 32)
		x.addRefs(&r, &newBank, &newRef)
		x.addRow(&r)
		x.refOff = append(x.refOff, uint32(len(x.refData)))
		x.day = append(x.day, r.day)
		x.amount = append(x.amount, r.amount)
		x.book = append(x.book, r.book)
		if r.reverses > 0 && r.reverses <= maxKeySeq {
			if old, ok := x.revBy[uint32(r.reverses)]; !ok || r.seq < old {
				x.revBy[uint32(r.reverses)] = r.seq
			}
		}
		if r.book != bookNone && !r.reversal {
			k := mkKey(r.day, r.seq, r.book)
			newBooks[r.book] = append(newBooks[r.book], k)
			newAmt = append(newAmt, k)
			x.addWords(r, k, newPosts)
		}
		x.tokOff = append(x.tokOff, uint32(len(x.toks)))
	}
	x.size += int64(len(rows))
	for b := range newBooks {
		x.books[b] = merge(x.books[b], newBooks[b], cmp.Compare[uint64])
	}
	for id, keys := range newPosts {
		x.posts[id] = merge(x.posts[id], keys, cmp.Compare[uint64])
	}
	x.byAmt = merge(x.byAmt, newAmt, x.cmpAmount)
	x.mergeRefs(newBank, newRef)
}

// cmpAmount orders keys by their entries' amounts, then in list order.
func (x *fundIndex) cmpAmount(a, b uint64) int {
	if c := cmp.Compare(x.amount[seqOf(a)-1], x.amount[seqOf(b)-1]); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// addWords adds the words of an entry's name (x.mu held for writing):
// those of its folded name; for a name with a joining mark, also each two
// adjacent words joined ("h rim" → "hrim", "nguyen van" → "nguyenvan");
// for an anonymous donor, anonWord alone (the real name is never read).
func (x *fundIndex) addWords(r indexRow, k uint64, newPosts map[uint32][]uint64) {
	start := len(x.toks)
	add := func(w string) {
		if len(w) > MaxWordBytes {
			w = w[:MaxWordBytes]
		}
		if w == "" {
			return
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
		if slices.Contains(x.toks[start:], id) {
			return
		}
		x.toks = append(x.toks, id)
		newPosts[id] = append(newPosts[id], k)
	}
	if r.anonymous {
		add(anonWord)
	}
	if r.folded == "" {
		return
	}
	words := strings.Split(r.folded, " ")
	for _, w := range words {
		add(w)
	}
	if r.joined {
		for i := 1; i < len(words); i++ {
			if words[i-1] != "" && words[i] != "" {
				add(words[i-1] + words[i])
			}
		}
	}
}

// merge returns old with add merged in (both sorted by c once add is
// sorted).
func merge[T any](old, add []T, c func(a, b T) int) []T {
	if len(add) == 0 {
		return old
	}
	if !slices.IsSortedFunc(add, c) {
		slices.SortFunc(add, c)
	}
	if len(old) == 0 || c(old[len(old)-1], add[0]) < 0 {
		return append(old, add...)
	}
	out := make([]T, 0, len(old)+len(add))
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
	n := len(x.day)*(4+8+1+4) + 4*len(x.toks) + 8*len(x.byAmt) + 8*(len(x.books[1])+len(x.books[2]))
	for _, p := range x.posts {
		n += 8 * len(p)
	}
	refs := cap(x.refData) + 4*(cap(x.refOff)+len(x.bankFwd)+len(x.bankRev)+len(x.refFwd)+len(x.refRev))
	for _, g := range x.vouchers {
		refs += 8 * cap(g.runs)
	}
	n += refs
	return fmt.Sprintf("%d entries, %d words, about %d MB in memory (of which references and published rows %d MB)",
		x.size, len(x.terms), n>>20, refs>>20)
}

// SetSearchIndex switches the in-memory search index on or off (SQL
// answers every query when off) and returns the previous setting.
func SetSearchIndex(on bool) bool { return indexOn.Swap(on) }
