package fund

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
)

// How the in-memory index answers a query (see searchindex.go): lookup
// picks the shortest list that covers the query, walk merges and filters.

// memQuery is a query as the index runs it.
type memQuery struct {
	book   uint8 // 0: both books
	amount int64
	minAmt int64
	maxAmt int64
	lo, hi uint64 // keys, inclusive
	maxSeq uint32 // entries beyond the log size the caller read are left out
	limit  int
}

// wordSet is a typed word: the fund's words it begins.
type wordSet struct {
	ids   []uint32
	total int
}

// lookup returns the seqs of the page (at most limit+1: one more tells
// that there is a next page), newest first.
func (x *fundIndex) lookup(q Query, words []string, size int64, limit int) []uint32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	m := memQuery{book: bookCode(q.Book), limit: limit + 1, maxSeq: uint32(min(size, x.size))}
	m.lo, m.hi = keyRange(q)
	if m.hi < m.lo {
		return nil
	}
	// Amounts as magnitudes, as the SQL does.
	m.amount, m.minAmt, m.maxAmt = q.Amount, q.MinAmount, q.MaxAmount
	if m.amount > 0 && (m.minAmt > 0 && m.amount < m.minAmt || m.maxAmt > 0 && m.amount > m.maxAmt) {
		return nil
	}

	// Each typed word: the ids of the fund's words it begins.
	// (The words a typed word begins are a run of the sorted terms: their
	// ids are a part of termID, not a copy.)
	sets := make([]wordSet, 0, len(words))
	for _, w := range words {
		i := sort.SearchStrings(x.terms, w)
		j := i
		ws := wordSet{}
		for ; j < len(x.terms) && strings.HasPrefix(x.terms[j], w); j++ {
			ws.total += len(x.posts[x.termID[j]])
		}
		if j == i {
			return nil
		}
		ws.ids = x.termID[i:j:j]
		sets = append(sets, ws)
	}
	slices.SortFunc(sets, func(a, b wordSet) int { return cmp.Compare(a.total, b.total) })

	// The driving lists, walked newest first: the shortest of those of a
	// typed word (merged over the words it begins), of the exact amount, of
	// the amount range, and of the date range's part of the book.
	var lists [][]uint64
	others := sets
	amountDone := false
	best := x.rangeCount(m)
	if d := slices.IndexFunc(sets, func(ws wordSet) bool { return len(ws.ids) <= mergeMax }); d >= 0 && sets[d].total < best {
		best = sets[d].total
		lists = make([][]uint64, 0, len(sets[d].ids))
		for _, id := range sets[d].ids {
			lists = append(lists, x.posts[id])
		}
		// The driving word first, the others after it, still shortest
		// first.
		dw := sets[d]
		copy(sets[1:d+1], sets[:d])
		sets[0] = dw
		others = sets[1:]
	}
	if m.amount > 0 {
		var runs [][]uint64
		n := 0
		for _, sign := range x.signs(m.book) {
			run := x.amountRun(sign*m.amount, sign*m.amount)
			runs = append(runs, run)
			n += len(run)
		}
		if n < best {
			best, lists, others, amountDone = n, runs, sets, m.minAmt <= 0 && m.maxAmt <= 0
		}
	} else if m.minAmt > 0 || m.maxAmt > 0 {
		var n int
		var runs [][]uint64
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
		// Sorting the range's entries into list order costs n log n; walking
		// the list instead stops after about limit × best / n entries.
		if n < best && (n <= 4096 || n*bits.Len(uint(n)) <= 4*m.limit*best/max(n, 1)) {
			sorted := make([]uint64, 0, n)
			for _, r := range runs {
				sorted = append(sorted, r...)
			}
			slices.Sort(sorted)
			best, lists, others, amountDone = n, [][]uint64{sorted}, sets, true
		}
	}
	if lists == nil {
		lists = x.bookLists(m.book)
	}
	if amountDone {
		m.amount, m.minAmt, m.maxAmt = 0, 0, 0
	}
	return x.walk(lists, others, m)
}

// keyRange returns the keys, inclusive, of the query's dates and of the
// entries strictly before its cursor.
func keyRange(q Query) (lo, hi uint64) {
	hi = 1<<64 - 1
	if q.From.Valid() {
		lo = mkKey(dayOf(q.From), 0, 0)
	}
	if q.To.Valid() {
		hi = mkKey(dayOf(q.To), 1<<32-1, 3)
	}
	if q.After != nil {
		hi = min(hi, mkKey(dayOf(q.After.Date), uint32(min(max(q.After.Seq, 0), maxKeySeq)), 0)-1)
	}
	return lo, hi
}

// anonWord is the index's word for anonymous donors: no folded text is
// ever one (it begins with a control character).
const anonWord = "\x00anonymous"

// mergeSeqs merges two pages of seqs (newest first, of entries apart) into
// one of at most n.
func (x *fundIndex) mergeSeqs(a, b []uint32, n int) []uint32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	key := func(seq uint32) uint64 { return mkKey(x.day[seq-1], seq, 0) }
	out := make([]uint32, 0, min(n, len(a)+len(b)))
	for len(out) < n && (len(a) > 0 || len(b) > 0) {
		switch {
		case len(b) == 0 || len(a) > 0 && key(a[0]) > key(b[0]):
			out, a = append(out, a[0]), a[1:]
		case len(a) > 0 && a[0] == b[0]:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		default:
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// rangeCount is the number of entries of the query's book(s) in its key
// range.
func (x *fundIndex) rangeCount(m memQuery) int {
	n := 0
	for _, l := range x.bookLists(m.book) {
		i, _ := slices.BinarySearch(l, m.lo)
		j, _ := slices.BinarySearch(l, m.hi)
		if j < len(l) && l[j] == m.hi {
			j++
		}
		n += max(0, j-i)
	}
	return n
}

func (x *fundIndex) bookLists(book uint8) [][]uint64 {
	if book == bookNone {
		return [][]uint64{x.books[bookIn], x.books[bookOut]}
	}
	return [][]uint64{x.books[book]}
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

// amountRun returns the keys of the entries with amounts in [lo, hi], by
// amount then in list order.
func (x *fundIndex) amountRun(lo, hi int64) []uint64 {
	i := sort.Search(len(x.byAmt), func(i int) bool { return x.amount[seqOf(x.byAmt[i])-1] >= lo })
	j := sort.Search(len(x.byAmt), func(i int) bool { return x.amount[seqOf(x.byAmt[i])-1] > hi })
	return x.byAmt[i:max(i, j)]
}

// amountOK applies the amount filters to an entry, as magnitudes of its
// book.
func (x *fundIndex) amountOK(seq uint32, m *memQuery) bool {
	a := x.amount[seq-1]
	if a < 0 {
		a = -a
	}
	return (m.amount <= 0 || a == m.amount) && (m.minAmt <= 0 || a >= m.minAmt) && (m.maxAmt <= 0 || a <= m.maxAmt)
}

// startAt is the index of the last key of l at most hi (-1 if none).
func startAt(l []uint64, hi uint64) int {
	if len(l) == 0 || l[len(l)-1] <= hi {
		return len(l) - 1 // the newest entries: no search
	}
	i, found := slices.BinarySearch(l, hi)
	if found {
		return i
	}
	return i - 1
}

// seekDown returns the largest i ≤ p with l[i] ≤ k (-1 if none), galloping
// down from p: a list is searched from where its previous search stopped,
// since keys come newest first.
func seekDown(l []uint64, p int, k uint64) int {
	if p < 0 || l[p] <= k {
		return p
	}
	bad, step := p, 1 // l[bad] > k
	lo := p - step
	for lo >= 0 && l[lo] > k {
		bad = lo
		step *= 2
		lo = p - step
	}
	lo = max(lo, -1) // l[lo] ≤ k, or lo = -1
	for bad-lo > 1 {
		mid := int(uint(lo+bad) >> 1)
		if l[mid] <= k {
			lo = mid
		} else {
			bad = mid
		}
	}
	return lo
}

// cursor walks a list newest first; k is its current key, l[i].
type cursor struct {
	l []uint64
	i int
	k uint64
}

// union merges lists newest first: cursors in a heap with the newest key
// on top, so that a key of k lists costs log k.
type union []cursor

// newUnion starts the lists at their newest key in [lo, hi].
func newUnion(lists [][]uint64, lo, hi uint64) union {
	u := make(union, 0, len(lists))
	for _, l := range lists {
		if i := startAt(l, hi); i >= 0 && l[i] >= lo {
			u = append(u, cursor{l, i, l[i]})
		}
	}
	for i := len(u)/2 - 1; i >= 0; i-- {
		u.down(i)
	}
	return u
}

func (u union) down(i int) {
	n := len(u)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && u[c+1].k > u[c].k {
			c++
		}
		if u[i].k >= u[c].k {
			return
		}
		u[i], u[c] = u[c], u[i]
		i = c
	}
}

// pop returns the newest key and moves its cursor on, dropping it at the
// end of its list or below lo.
func (u *union) pop(lo uint64) uint64 {
	t := &(*u)[0]
	k := t.k
	if t.i--; t.i >= 0 && t.l[t.i] >= lo {
		t.k = t.l[t.i]
	} else {
		n := len(*u) - 1
		(*u)[0] = (*u)[n]
		*u = (*u)[:n]
	}
	u.down(0)
	return k
}

// seek moves the union to its newest key at most k.
func (u *union) seek(k uint64) {
	for len(*u) > 0 && (*u)[0].k > k {
		t := &(*u)[0]
		if t.i = seekDown(t.l, t.i, k); t.i >= 0 {
			t.k = t.l[t.i]
		} else {
			n := len(*u) - 1
			(*u)[0] = (*u)[n]
			*u = (*u)[:n]
		}
		u.down(0)
	}
}

// Bitmaps of the common words.
//
// Testing whether an entry has a word by searching the word's list (from
// where the previous entry left it) costs a gallop over the keys between
// the two: a few for a rare word, tens for one that a tenth of the names
// have. And testing the entry's own word ids costs two cache misses an
// entry (its words are far apart in memory). A bitmap of the entries by
// seq that have the word costs one bit test, on memory read in order
// (seqs follow dates); it is no larger than the word's list when an
// entry in bitsMin has the word, so only such words get one, the first
// time a query tests them. Entries never change: a bitmap holds for the
// seqs it covers, and the entries added since are searched in the list,
// until the index has grown by a sixteenth and the bitmap is made anew.

// bitsMin: a word gets a bitmap when more than one entry in bitsMin has it.
var bitsMin = 64

// wordBits is a word's bitmap: bit seq-1 for seqs 1..n.
type wordBits struct {
	n    uint32
	bits []uint64
}

// fundBits holds a fund index's bitmaps by word id.
type fundBits struct {
	mu  sync.Mutex
	ids map[uint32]*wordBits
}

// bitsSet returns the index's bitmaps.
func (x *fundIndex) bitsSet() *fundBits {
	x.bits.mu.Lock()
	if x.bits.ids == nil {
		x.bits.ids = map[uint32]*wordBits{}
	}
	x.bits.mu.Unlock()
	return &x.bits
}

// addProbes appends to ps the probes of a typed word's ids: one for each
// common enough to have a bitmap (made if missing or out of date), most
// common first, and one for the others' lists together (x.mu held for
// reading).
func (x *fundIndex) addProbes(ps []probe, ids []uint32) []probe {
	size := uint32(x.size)
	start := len(ps)
	var fb *fundBits
	var rare [][]uint64
	for _, id := range ids {
		l := x.posts[id]
		if len(l)*bitsMin <= int(size) {
			rare = append(rare, l)
			continue
		}
		if fb == nil {
			fb = x.bitsSet()
			fb.mu.Lock()
		}
		b := fb.ids[id]
		if b == nil || size > b.n+b.n/16 {
			b = &wordBits{n: size, bits: make([]uint64, (size+63)/64)}
			for _, k := range l {
				if s := seqOf(k) - 1; s < size {
					b.bits[s>>6] |= 1 << (s & 63)
				}
			}
			fb.ids[id] = b
		}
		ps = append(ps, probe{bits: b.bits, n: b.n, lists: x.posts[id : id+1 : id+1], k: ^uint64(0)})
	}
	if fb != nil {
		fb.mu.Unlock()
	}
	// The most common words first: the likeliest to have the entry.
	slices.SortFunc(ps[start:], func(a, b probe) int { return cmp.Compare(len(b.lists[0]), len(a.lists[0])) })
	if rare != nil {
		ps = append(ps, probe{lists: rare, k: ^uint64(0)})
	}
	return ps
}

// probe tells whether an entry has a typed word: by a bitmap (seqs up to
// n), else by searching lists (their union) from where the previous entry
// left them, the keys asked in decreasing order. k is the newest key of
// the lists not after the last one asked (0: none; ^0: not yet searched),
// so that rare words' lists are not read again until a key reaches them.
type probe struct {
	bits  []uint64
	n     uint32
	lists [][]uint64
	u     union
	k     uint64
}

// search finds key in the lists (p.k > key).
func (p *probe) search(key uint64) bool {
	if p.k == ^uint64(0) {
		p.u = newUnion(p.lists, 0, key)
	} else {
		p.u.seek(key)
	}
	p.k = 0
	if len(p.u) > 0 {
		p.k = p.u[0].k
	}
	return p.k == key
}

// wordMasks lend walk tables by word id, for the typed words that begin
// more than mergeMax words (tested on the entry's words): bit i of
// masks[g×words+id] tells that the word begins the i-th such typed word
// of group g (eight a group). A table comes back all zero: walk clears
// the bytes it set, so a query costs the ids of its typed words, not the
// number of words of the fund.
var wordMasks sync.Pool // *[]uint8

// walk merges lists (each in list order) newest first within [m.lo,
// m.hi], keeping the entries of the query's book(s) and amounts that have
// a word of each of others, up to m.limit.
func (x *fundIndex) walk(lists [][]uint64, others []wordSet, m memQuery) []uint32 {
	// The driving keys: one list read in place, several merged.
	var one []uint64
	at := -1
	var u union
	if len(lists) == 1 {
		one, at = lists[0], startAt(lists[0], m.hi)
	} else {
		u = newUnion(lists, m.lo, m.hi)
	}
	// The other typed words: each a few probes (bitmaps or lists), or
	// (when it begins too many words) a set of word ids tested on the
	// entry's words.
	var probes []probe
	var ends []int // probes of the i-th word: probes[ends[i-1]:ends[i]]
	var tested []wordSet
	n := 0
	for _, ws := range others {
		if len(ws.ids) <= mergeMax {
			n += len(ws.ids)
		}
	}
	if n > 0 {
		probes, ends = make([]probe, 0, n), make([]int, 0, len(others))
	}
	for _, ws := range others {
		if len(ws.ids) > mergeMax {
			tested = append(tested, ws)
			continue
		}
		probes = x.addProbes(probes, ws.ids)
		ends = append(ends, len(probes))
	}
	groups := (len(tested) + 7) / 8
	var masks []uint8
	nw := len(x.posts)
	if groups > 0 {
		p, _ := wordMasks.Get().(*[]uint8)
		if p == nil || len(*p) < groups*nw {
			p = new([]uint8)
			*p = make([]uint8, groups*nw+nw/4) // room for words to come
		}
		masks = *p
		for i, ws := range tested {
			tab := masks[i/8*nw : i/8*nw+nw]
			for _, id := range ws.ids {
				tab[id] |= 1 << (i % 8)
			}
		}
		defer func() {
			for i, ws := range tested {
				tab := masks[i/8*nw : i/8*nw+nw]
				for _, id := range ws.ids {
					tab[id] = 0
				}
			}
			wordMasks.Put(p)
		}()
	}
	filterAmount := m.amount > 0 || m.minAmt > 0 || m.maxAmt > 0
	out := make([]uint32, 0, min(m.limit, 64))
	last := uint64(0)
next:
	for len(out) < m.limit {
		var key uint64
		if one != nil {
			if at < 0 || one[at] < m.lo {
				break
			}
			key = one[at]
			at--
		} else {
			if len(u) == 0 {
				break
			}
			if key = u.pop(m.lo); key == last {
				continue // in two lists of one typed word
			}
			last = key
		}
		seq := seqOf(key)
		if b := bookOf(key); seq > m.maxSeq || b == bookNone || m.book != bookNone && b != m.book {
			continue
		}
		if filterAmount && !x.amountOK(seq, &m) {
			continue
		}
		from := 0
		for _, end := range ends {
			found := false
			for j := from; j < end; j++ {
				p := &probes[j]
				if seq <= p.n { // the bitmap
					if p.bits[(seq-1)>>6]&(1<<((seq-1)&63)) != 0 {
						found = true
						break
					}
				} else if p.k == key || p.k > key && p.search(key) {
					found = true
					break
				}
			}
			if !found {
				continue next
			}
			from = end
		}
		if groups > 0 {
			toks := x.toks[x.tokOff[seq-1]:x.tokOff[seq]]
			for g := range groups {
				tab := masks[g*nw : g*nw+nw]
				want := uint8(1)<<min(8, len(tested)-8*g) - 1
				var got uint8
				for _, t := range toks {
					got |= tab[t]
				}
				if got != want {
					continue next
				}
			}
		}
		out = append(out, seq)
	}
	return out
}
