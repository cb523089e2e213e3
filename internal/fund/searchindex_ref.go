package fund

import (
	"encoding/binary"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Reference search in memory (see searchindex.go).
//
// A typed reference matches an entry's bank reference or voucher number
// without case: whole, or (from MinRefFragment characters on) by its
// beginning or its end, as the SQL of store_search.go does (refConds).
// The index keeps:
//
//   - per entry, its bank reference and, when it is not the one its
//     series, year and number make (PT-CODE-YYYY-NNNNNN, numbered in seq
//     order without gaps, the ledger's rule), its voucher number, in one
//     arena of bytes (refData, refOff), the start of its published row
//     (searchindex_rows.go): about 17 bytes an entry with a bank reference
//     of 16 characters;
//   - the entries with a bank reference (and those with a stored voucher
//     number) sorted by the reference in lower case, and by the reference
//     in lower case read backwards: a prefix is a range of the first, a
//     suffix a range of the second, found by binary search (4 bytes an
//     entry each);
//   - per voucher series and year, the seqs by number, as runs of
//     consecutive seqs (a statement's receipts are one run): the numbers
//     whose voucher number begins or ends with the typed text are ranges
//     or arithmetic progressions, computed, not searched.
//
// A query gathers the entries those ranges give, unless they are more
// than a quarter of the fund (refGatherMax, refGatherPart), applies the
// other filters and keeps the newest; a fragment that more entries share
// ("ft21", "pt-covid") walks the list (or the rarest typed word's lists)
// newest first instead, testing each entry's references, and stops at the
// page's last row. 20 to 100 µs a search at a million receipts, 4 ms at
// worst.

// Forms of an entry's voucher number in refData, whose record begins
// with a uvarint (the bank reference's length << 3 | reversal << 2 |
// form), the bank reference, then the voucher number's length (uvarint)
// and bytes if stored; the published row follows (searchindex_rows.go).
const (
	refNone     uint8 = iota // no voucher number
	refVoucherT              // PT-CODE-YYYY-NNNNNN: derived, not stored
	refVoucherC              // PC-CODE-YYYY-NNNNNN: derived, not stored
	refStored                // stored after the bank reference
	refFormMask       = 3
	refReversal uint8 = 4 // the entry is a reversal
)

// refGatherMax is how many candidate entries of a typed reference are
// gathered (and the page's picked from them) at least; refGatherPart, at
// most the fund's entries over it. Beyond, the list is walked: a fragment
// of as many entries as that finds its page soon (unless they are all
// old: 30 ms at worst at a million receipts).
var (
	refGatherMax        = 8192
	refGatherPart int64 = 4
)

// voucherKey is a voucher series (refVoucherT, refVoucherC) and year.
type voucherKey struct {
	form uint8
	year int32
}

// vouchers are the seqs of a series' numbers 1..n, as runs of consecutive
// seqs (a statement's receipts are one run): 8 bytes a run.
type vouchers struct {
	n    uint32
	runs []voucherRun
}

// voucherRun: numbers from no on are seqs from seq on, one by one, up to
// the next run.
type voucherRun struct{ no, seq uint32 }

func (v *vouchers) add(seq uint32) {
	v.n++
	if k := len(v.runs); k == 0 || v.runs[k-1].seq+(v.n-v.runs[k-1].no) != seq {
		v.runs = append(v.runs, voucherRun{v.n, seq})
	}
}

// seq is the seq of number no (1..n).
func (v *vouchers) seq(no uint32) uint32 {
	i := sort.Search(len(v.runs), func(i int) bool { return v.runs[i].no > no }) - 1
	return v.runs[i].seq + no - v.runs[i].no
}

// number is the number of seq, one of the series'.
func (v *vouchers) number(seq uint32) uint32 {
	i := sort.Search(len(v.runs), func(i int) bool { return v.runs[i].seq > seq }) - 1
	return v.runs[i].no + seq - v.runs[i].seq
}

// bytesString views b as a string without copying (the arena's bytes are
// never changed once written).
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// refsOf returns an entry's form, bank reference and stored voucher number
// (x.mu held).
func (x *fundIndex) refsOf(seq uint32) (form uint8, bank, stored string) {
	form, bank, stored, _ = x.refsAt(seq)
	return form, bank, stored
}

// refsAt is refsOf, and the rest of the entry's record (searchindex_rows.go).
func (x *fundIndex) refsAt(seq uint32) (form uint8, bank, stored string, rest []byte) {
	b := x.refData[x.refOff[seq-1]:x.refOff[seq]]
	h, k := binary.Uvarint(b)
	b, n := b[k:], h>>3
	bank, b = bytesString(b[:n]), b[n:]
	if h&refFormMask == uint64(refStored) {
		n, k := binary.Uvarint(b)
		stored, b = bytesString(b[k:k+int(n)]), b[k+int(n):]
	}
	return uint8(h & 7), bank, stored, b
}

func (x *fundIndex) bankRef(seq uint32) string {
	_, bank, _ := x.refsOf(seq)
	return bank
}

func (x *fundIndex) storedRef(seq uint32) string {
	_, _, ref := x.refsOf(seq)
	return ref
}

// yearOf is the year of a day since 1970.
func yearOf(day int32) int32 {
	return int32(time.Unix(int64(day)*86400, 0).UTC().Year())
}

// appendVoucher appends the voucher number of a series, year and number.
func (x *fundIndex) appendVoucher(b []byte, form uint8, year int32, n int64) []byte {
	prefix := PrefixDisbursement
	if form == refVoucherT {
		prefix = PrefixReceipt
	}
	return AppendVoucherNumber(b, prefix, x.code, int(year), n)
}

// voucherOf returns an entry's derived voucher number into buf (x.mu held).
func (x *fundIndex) voucherOf(buf []byte, seq uint32, form uint8) []byte {
	year := yearOf(x.day[seq-1])
	return x.appendVoucher(buf[:0], form, year, int64(x.vouchers[voucherKey{form, year}].number(seq)))
}

// addRefs appends an entry's references to its record (x.mu held for
// writing); the sorted permutations are merged by mergeRefs once per batch.
func (x *fundIndex) addRefs(r *indexRow, newBank, newRef *[]uint32) {
	form := refNone
	if r.ref != "" {
		form = refStored
		if f := r.series; f != refNone && x.code != "" {
			k := voucherKey{f, yearOf(r.day)}
			g := x.vouchers[k]
			if g == nil {
				g = &vouchers{}
				x.vouchers[k] = g
			}
			x.scratch = x.appendVoucher(x.scratch[:0], f, k.year, int64(g.n)+1)
			if string(x.scratch) == r.ref {
				form = f
				g.add(r.seq)
			}
		}
	}
	head := form
	if r.reversal {
		head |= refReversal
	}
	x.refData = binary.AppendUvarint(x.refData, uint64(len(r.bankRef))<<3|uint64(head))
	x.refData = append(x.refData, r.bankRef...)
	if form == refStored {
		x.refData = binary.AppendUvarint(x.refData, uint64(len(r.ref)))
		x.refData = append(x.refData, r.ref...)
		*newRef = append(*newRef, r.seq)
	}
	if r.bankRef != "" {
		*newBank = append(*newBank, r.seq)
	}
}

// mergeRefs merges the batch's entries into the sorted permutations.
func (x *fundIndex) mergeRefs(newBank, newRef []uint32) {
	fwd := func(get func(uint32) string) func(a, b uint32) int {
		return func(a, b uint32) int {
			if c := x.cmpFold(get(a), get(b)); c != 0 {
				return c
			}
			return int(a) - int(b)
		}
	}
	rev := func(get func(uint32) string) func(a, b uint32) int {
		return func(a, b uint32) int {
			if c := x.cmpFoldRev(get(a), get(b)); c != 0 {
				return c
			}
			return int(a) - int(b)
		}
	}
	if len(newBank) > 0 {
		x.bankFwd = merge(x.bankFwd, slices.Clone(newBank), fwd(x.bankRef))
		x.bankRev = merge(x.bankRev, newBank, rev(x.bankRef))
	}
	if len(newRef) > 0 {
		x.refFwd = merge(x.refFwd, slices.Clone(newRef), fwd(x.storedRef))
		x.refRev = merge(x.refRev, newRef, rev(x.storedRef))
	}
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// folded is s as compared: ASCII letters are folded on the fly; other
// letters only on PostgreSQL, whose lower() folds them (SQLite's does not).
func (x *fundIndex) folded(s string) string {
	if x.unicode && !isASCII(s) {
		return strings.ToLower(s)
	}
	return s
}

// cmpFoldPrefix compares folded s with f (lower case) over at most len(f)
// bytes: 0 when s begins with f.
func (x *fundIndex) cmpFoldPrefix(s, f string) int {
	s = x.folded(s)
	for i := 0; i < len(f); i++ {
		if i == len(s) {
			return -1
		}
		if c := lowerASCII(s[i]); c != f[i] {
			if c < f[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// cmpFoldSuffix is cmpFoldPrefix on both strings read backwards.
func (x *fundIndex) cmpFoldSuffix(s, f string) int {
	s = x.folded(s)
	for i := 1; i <= len(f); i++ {
		if i > len(s) {
			return -1
		}
		if c := lowerASCII(s[len(s)-i]); c != f[len(f)-i] {
			if c < f[len(f)-i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// cmpFold compares two references without case.
func (x *fundIndex) cmpFold(a, b string) int {
	a, b = x.folded(a), x.folded(b)
	for i := 0; i < len(a) && i < len(b); i++ {
		if ca, cb := lowerASCII(a[i]), lowerASCII(b[i]); ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// cmpFoldRev compares two references without case, read backwards.
func (x *fundIndex) cmpFoldRev(a, b string) int {
	a, b = x.folded(a), x.folded(b)
	for i := 1; i <= len(a) && i <= len(b); i++ {
		if ca, cb := lowerASCII(a[len(a)-i]), lowerASCII(b[len(b)-i]); ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// refMatch is a typed reference, folded (normRef).
type refMatch struct {
	f     string
	whole bool                    // shorter than MinRefFragment: the whole reference only
	runs  map[voucherKey][]numRun // per voucher series: the numbers that may match (voucherRuns)
}

func newRefMatch(f string) refMatch {
	return refMatch{f: f, whole: utf8.RuneCountInString(f) < MinRefFragment}
}

func (x *fundIndex) matches(m *refMatch, s string) bool {
	if s == "" {
		return false
	}
	if m.whole {
		return x.cmpFoldPrefix(s, m.f) == 0 && len(x.folded(s)) == len(m.f)
	}
	return x.cmpFoldPrefix(s, m.f) == 0 || x.cmpFoldSuffix(s, m.f) == 0
}

// refOK tells whether an entry's bank reference or voucher number matches
// (x.mu held).
func (x *fundIndex) refOK(m *refMatch, seq uint32, buf *[]byte) bool {
	form, bank, stored := x.refsOf(seq)
	if x.matches(m, bank) {
		return true
	}
	switch form & refFormMask {
	case refStored:
		return x.matches(m, stored)
	case refVoucherT, refVoucherC:
		if m.whole {
			return false // a voucher number is longer
		}
		// A number outside the series' runs does not match: no need to
		// write it.
		k := voucherKey{form & refFormMask, yearOf(x.day[seq-1])}
		runs := m.runs[k]
		if len(runs) == 0 {
			return false
		}
		no := int64(x.vouchers[k].number(seq))
		i := slices.IndexFunc(runs, func(r numRun) bool { return r.lo <= no && no <= r.hi && (no-r.lo)%r.step == 0 })
		if i < 0 {
			return false
		}
		if runs[i].exact {
			return true
		}
		*buf = x.voucherOf(*buf, seq, form&refFormMask)
		return x.matches(m, bytesString(*buf))
	}
	return false
}

// permRange returns the part of a permutation whose references begin
// (suffix: end) with f, or equal it (whole).
func (x *fundIndex) permRange(p []uint32, get func(uint32) string, m *refMatch, suffix bool) []uint32 {
	c := func(i int) int {
		s := get(p[i])
		switch {
		case suffix:
			return x.cmpFoldSuffix(s, m.f)
		case m.whole:
			return x.cmpFold(s, m.f)
		}
		return x.cmpFoldPrefix(s, m.f)
	}
	i := sort.Search(len(p), func(i int) bool { return c(i) >= 0 })
	j := i + sort.Search(len(p)-i, func(k int) bool { return c(i+k) > 0 })
	return p[i:j]
}

// numRun is the voucher numbers lo, lo+step, … up to hi.
type numRun struct {
	lo, hi, step int64
	exact        bool // every number of the run matches
}

func (r numRun) count() int64 {
	if r.hi < r.lo {
		return 0
	}
	return (r.hi-r.lo)/r.step + 1
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// voucherRuns returns runs of numbers 1..n that include every number
// whose voucher number (head, then the number) begins or ends with f
// (both in lower case); they may include others, checked on the number.
func voucherRuns(f, head string, n int64) []numRun {
	var out []numRun
	add := func(lo, hi, step int64, exact bool) {
		lo, hi = max(lo, 1), min(hi, n)
		if hi >= lo {
			out = append(out, numRun{lo, hi, step, exact})
		}
	}
	// Beginnings.
	if len(f) <= len(head) {
		if strings.HasPrefix(head, f) {
			add(1, n, 1, true)
		}
	} else if r := f[len(head):]; strings.HasPrefix(f, head) && allDigits(r) && len(r) <= 10 {
		v, _ := strconv.ParseInt(r, 10, 64)
		for digits := max(6, len(r)); digits <= 10 && (digits == 6 || r[0] != '0'); digits++ {
			p := pow10[digits-len(r)]
			add(v*p, (v+1)*p-1, 1, true) // the numbers of that many digits that begin with r
		}
	}
	// Ends: the number is the digits f ends with; when f is all digits,
	// any number that ends with them.
	tail := len(f)
	for tail > 0 && f[tail-1] >= '0' && f[tail-1] <= '9' {
		tail--
	}
	if d := f[tail:]; d != "" && len(d) <= 10 {
		v, _ := strconv.ParseInt(d, 10, 64)
		if tail == 0 {
			step := pow10[len(d)]
			if v == 0 {
				v = step
			}
			add(v, n, step, len(d) <= 6) // numbers are written with 6 digits or more
		} else if strings.HasSuffix(head, f[:tail]) {
			add(v, v, 1, false)
		}
	}
	return out
}

// refQuery is a reference query's other filters, as the index applies
// them.
type refQuery struct {
	book           uint8
	amount, mn, mx int64
	lo, hi         uint64
	maxSeq         uint32
	words          [][]uint64 // per typed word: a bit per word id it begins
}

// keyOK applies the filters to an entry; it returns its key.
func (x *fundIndex) keyOK(seq uint32, q *refQuery) (uint64, bool) {
	if seq == 0 || seq > q.maxSeq {
		return 0, false
	}
	b := x.book[seq-1]
	if b == bookNone || q.book != bookNone && b != q.book || x.refData[x.refOff[seq-1]]&refReversal != 0 { // the uvarint's first byte
		return 0, false
	}
	k := mkKey(x.day[seq-1], seq, b)
	if k < q.lo || k > q.hi {
		return 0, false
	}
	a := x.amount[seq-1]
	if a < 0 {
		a = -a
	}
	if q.amount > 0 && a != q.amount || q.mn > 0 && a < q.mn || q.mx > 0 && a > q.mx {
		return 0, false
	}
	for _, bits := range q.words {
		found := false
		for _, t := range x.toks[x.tokOff[seq-1]:x.tokOff[seq]] {
			if bits[t/64]&(1<<(t%64)) != 0 {
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return k, true
}

// lookupRef is lookup for a query with a reference (f: the typed
// reference, normRef): the seqs of the page, at most limit+1, newest
// first.
func (x *fundIndex) lookupRef(q Query, f string, words []string, size int64, limit int) []uint32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	rq := refQuery{book: bookCode(q.Book), maxSeq: uint32(min(size, x.size)), amount: q.Amount, mn: q.MinAmount, mx: q.MaxAmount}
	rq.lo, rq.hi = keyRange(q)
	if rq.hi < rq.lo || f == "" {
		return nil
	}
	// The typed words' ids; the word lists of the rarest, to walk when
	// the reference is common.
	var rare [][]uint64
	rareN := -1
	for _, w := range words {
		bits := make([]uint64, (len(x.posts)+63)/64)
		var lists [][]uint64
		n := 0
		for i := sort.SearchStrings(x.terms, w); i < len(x.terms) && strings.HasPrefix(x.terms[i], w); i++ {
			id := x.termID[i]
			bits[id/64] |= 1 << (id % 64)
			lists = append(lists, x.posts[id])
			n += len(x.posts[id])
		}
		if lists == nil {
			return nil
		}
		if len(lists) <= mergeMax && (rareN < 0 || n < rareN) {
			rare, rareN = lists, n
		}
		rq.words = append(rq.words, bits)
	}
	m := newRefMatch(f)
	n := limit + 1
	buf := make([]byte, 0, 64)

	// The candidates: ranges of the permutations, runs of voucher numbers.
	var perms [][]uint32
	perms = append(perms, x.permRange(x.bankFwd, x.bankRef, &m, false), x.permRange(x.refFwd, x.storedRef, &m, false))
	if !m.whole {
		perms = append(perms, x.permRange(x.bankRev, x.bankRef, &m, true), x.permRange(x.refRev, x.storedRef, &m, true))
	}
	type vrun struct {
		g   *vouchers
		run numRun
	}
	var vruns []vrun
	total := int64(0)
	for _, p := range perms {
		total += int64(len(p))
	}
	if !m.whole {
		for k, g := range x.vouchers {
			buf = x.appendVoucher(buf[:0], k.form, k.year, 0)
			head := strings.ToLower(string(buf[:len(buf)-6]))
			for _, r := range voucherRuns(m.f, head, int64(g.n)) {
				vruns = append(vruns, vrun{g, r})
				if m.runs == nil {
					m.runs = map[voucherKey][]numRun{}
				}
				m.runs[k] = append(m.runs[k], r)
				total += r.count()
			}
		}
	}
	gatherMax := int64(refGatherMax)
	if refGatherPart > 0 {
		gatherMax = max(gatherMax, x.size/refGatherPart)
	}
	if total <= gatherMax {
		// The newest n keys of the candidates that pass: kept sorted,
		// trimmed to n whenever 4n more have come.
		var keys []uint64
		keep := func(k uint64) {
			keys = append(keys, k)
			if len(keys) >= 4*n+1024 {
				slices.Sort(keys)
				keys = slices.Compact(keys)
				keys = keys[max(0, len(keys)-n):]
			}
		}
		for _, p := range perms {
			for _, seq := range p {
				if k, ok := x.keyOK(seq, &rq); ok {
					keep(k)
				}
			}
		}
		for _, v := range vruns {
			for no := v.run.lo; no <= v.run.hi; no += v.run.step {
				seq := v.g.seq(uint32(no))
				if k, ok := x.keyOK(seq, &rq); ok && (v.run.exact || x.refOK(&m, seq, &buf)) {
					keep(k)
				}
			}
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		out := make([]uint32, 0, min(n, len(keys)))
		for i := len(keys) - 1; i >= 0 && len(out) < n; i-- {
			out = append(out, seqOf(keys[i]))
		}
		return out
	}

	// Many: walk the list newest first, or the rarest typed word's lists.
	var lists [][]uint64
	books := [][]uint64{x.books[bookIn], x.books[bookOut]}
	if rq.book != bookNone {
		books = [][]uint64{x.books[rq.book]}
	}
	if rareN >= 0 && rareN < len(x.books[bookIn])+len(x.books[bookOut]) {
		books = rare
	}
	last := uint64(0)
	for _, l := range books {
		i, found := slices.BinarySearch(l, rq.hi)
		if !found {
			i--
		}
		if i >= 0 {
			lists = append(lists, l[:i+1])
		}
	}
	var out []uint32
	for len(out) < n {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[len(l)-1] > lists[best][len(lists[best])-1]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		l := lists[best]
		k := l[len(l)-1]
		lists[best] = l[:len(l)-1]
		if k < rq.lo {
			break
		}
		if k == last {
			continue // in two lists of the typed word
		}
		last = k
		seq := seqOf(k)
		if _, ok := x.keyOK(seq, &rq); ok && x.refOK(&m, seq, &buf) {
			out = append(out, seq)
		}
	}
	return out
}
