package fund

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
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
	m := memQuery{book: bookCode(q.Book), limit: limit + 1, maxSeq: uint32(min(size, x.size)), hi: 1<<64 - 1}
	if q.From.Valid() {
		m.lo = mkKey(dayOf(q.From), 0, 0)
	}
	if q.To.Valid() {
		m.hi = mkKey(dayOf(q.To), 1<<32-1, 3)
	}
	if q.After != nil {
		// Entries strictly before the cursor.
		m.hi = min(m.hi, mkKey(dayOf(q.After.Date), uint32(min(max(q.After.Seq, 0), maxKeySeq)), 0)-1)
	}
	if m.hi < m.lo {
		return nil
	}
	// Amounts as magnitudes, as the SQL does.
	m.amount, m.minAmt, m.maxAmt = q.Amount, q.MinAmount, q.MaxAmount
	if m.amount > 0 && (m.minAmt > 0 && m.amount < m.minAmt || m.maxAmt > 0 && m.amount > m.maxAmt) {
		return nil
	}

	// Each typed word: the ids of the fund's words it begins.
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
		for _, id := range sets[d].ids {
			lists = append(lists, x.posts[id])
		}
		others = slices.Delete(slices.Clone(sets), d, d+1)
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

// seekDown returns the largest i ≤ p with l[i] ≤ k (-1 if none), galloping
// down from p: a word's list is searched from where its previous search
// stopped, since keys come newest first.
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

// walk merges lists (each in list order) newest first within [m.lo,
// m.hi], keeping the entries of the query's book(s) and amounts that have
// a word of each of others, up to m.limit.
func (x *fundIndex) walk(lists [][]uint64, others []wordSet, m memQuery) []uint32 {
	type cursor struct {
		l []uint64
		i int
	}
	start := func(l []uint64) int {
		i, found := slices.BinarySearch(l, m.hi)
		if found {
			return i
		}
		return i - 1
	}
	var cs []cursor
	for _, l := range lists {
		if i := start(l); i >= 0 && l[i] >= m.lo {
			cs = append(cs, cursor{l, i})
		}
	}
	// The other typed words: each a few lists searched with cursors, or
	// (when it begins too many words) a set of word ids tested on the
	// entry's words.
	type wordCheck struct {
		cs   []cursor
		bits []uint64
	}
	checks := make([]wordCheck, len(others))
	for i, ws := range others {
		if len(ws.ids) <= mergeMax {
			for _, id := range ws.ids {
				l := x.posts[id]
				checks[i].cs = append(checks[i].cs, cursor{l, start(l)})
			}
			continue
		}
		checks[i].bits = make([]uint64, (len(x.posts)+63)/64)
		for _, id := range ws.ids {
			checks[i].bits[id/64] |= 1 << (id % 64)
		}
	}
	filterAmount := m.amount > 0 || m.minAmt > 0 || m.maxAmt > 0
	var out []uint32
	last := uint64(0)
	for len(cs) > 0 && len(out) < m.limit {
		// The newest head (few lists: a linear pick beats a heap).
		best := 0
		for k := 1; k < len(cs); k++ {
			if cs[k].l[cs[k].i] > cs[best].l[cs[best].i] {
				best = k
			}
		}
		c := &cs[best]
		key := c.l[c.i]
		c.i--
		if c.i < 0 || c.l[c.i] < m.lo {
			cs = slices.Delete(cs, best, best+1)
		}
		if key == last {
			continue // in two lists of one typed word
		}
		last = key
		seq := seqOf(key)
		if b := bookOf(key); seq > m.maxSeq || b == bookNone || m.book != bookNone && b != m.book {
			continue
		}
		if filterAmount && !x.amountOK(seq, &m) {
			continue
		}
		ok := true
		for i := range checks {
			w := &checks[i]
			found := false
			if w.bits != nil {
				for _, t := range x.toks[x.tokOff[seq-1]:x.tokOff[seq]] {
					if w.bits[t/64]&(1<<(t%64)) != 0 {
						found = true
						break
					}
				}
			} else {
				for j := range w.cs {
					wc := &w.cs[j]
					wc.i = seekDown(wc.l, wc.i, key)
					if wc.i >= 0 && wc.l[wc.i] == key {
						found = true
						break
					}
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, seq)
		}
	}
	return out
}
