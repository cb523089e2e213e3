package fund

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"giaoban/internal/platform/db"
)

// The in-memory index's query path against a brute-force filter over the
// entries it was given, on random indexes and queries: the ids of the
// typed words, the merge of many lists, the paging cursor, amounts, books,
// dates and the log size the caller read.

// testEntry is an entry as the brute force sees it: the row given to the
// index and the words its name has.
type testEntry struct {
	r     indexRow
	words []string
}

// testIndex builds an index of n random entries, added in batches like
// catchUp does. vocab is the number of made-up words besides the sample
// names (0: names as the benchmark's statement writes them).
func testIndex(r *rand.Rand, n, vocab int) (*fundIndex, []testEntry) {
	x := &fundIndex{fundID: 1, words: map[string]uint32{}, revBy: map[uint32]uint32{}}
	all := testEntries(r, n, vocab)
	addEntries(r, x, all)
	return x, all
}

// addEntries adds entries to x in random batches.
func addEntries(r *rand.Rand, x *fundIndex, es []testEntry) {
	for len(es) > 0 {
		n := min(len(es), 1+r.IntN(len(es)/3+1))
		rows := make([]indexRow, n)
		for i := range rows {
			rows[i] = es[i].r
		}
		x.add(rows)
		es = es[n:]
	}
}

// testEntries makes n random entries (seqs 1..n).
func testEntries(r *rand.Rand, n, vocab int) []testEntry {
	var extra []string
	for len(extra) < vocab {
		w := make([]byte, 1+r.IntN(7))
		for i := range w {
			w[i] = "abcdeghiklmnopqrstuvxy"[r.IntN(22)]
		}
		extra = append(extra, string(w))
	}
	lower := func(ws []string) string { return strings.ToLower(ws[r.IntN(len(ws))]) }
	var all []testEntry
	start := int32(18800) // 2021-06-22
	for seq := 1; seq <= n; seq++ {
		row := indexRow{seq: uint32(seq), book: bookIn, day: start + int32(seq*40/n)}
		if r.IntN(20) == 0 {
			row.day = start + int32(r.IntN(45)) // entered late, or ahead
		}
		row.amount = sampleAmounts[r.IntN(len(sampleAmounts))]
		var name []string
		switch k := r.IntN(100); {
		case k < 3:
			row.book, row.amount = bookOut, -int64(1+r.IntN(20))*100_000
			name = strings.Fields(lower(sampleCompanies))
		case k < 5:
			row.reversal, row.amount, row.reverses = true, -row.amount, int64(1+r.IntN(seq))
		case k < 6:
			row.book = bookNone
		case k < 8:
			row.anonymous = true
			name = []string{"le", "van", "an"}
		case k < 10:
			name = strings.Fields(lower(sampleFamilies) + " h " + lower(sampleGiven))
			row.joined = true
		default:
			name = strings.Fields(lower(sampleFamilies) + " " + lower(sampleMiddles) + " " + lower(sampleGiven))
			for vocab > 0 && r.IntN(2) == 0 {
				name = append(name, extra[r.IntN(len(extra))])
			}
		}
		if r.IntN(50) == 0 {
			row.amount = int64(1+r.IntN(999)) * 1000 * max(-1, min(1, row.amount))
		}
		row.folded = strings.Join(name, " ")
		e := testEntry{r: row}
		if row.book != bookNone && !row.reversal {
			if row.anonymous {
				e.words = append(e.words, anonWord)
			}
			e.words = append(e.words, name...)
			if row.joined {
				for i := 1; i < len(name); i++ {
					e.words = append(e.words, name[i-1]+name[i])
				}
			}
		}
		all = append(all, e)
	}
	return all
}

// bruteLookup is lookup by reading every entry.
func bruteLookup(all []testEntry, q Query, words []string, size int64, limit int) []uint32 {
	var hits []testEntry
	for _, e := range all[:min(int(size), len(all))] {
		r := e.r
		if r.book == bookNone || r.reversal || q.Book != "" && r.book != bookCode(q.Book) {
			continue
		}
		if q.From.Valid() && r.day < dayOf(q.From) || q.To.Valid() && r.day > dayOf(q.To) {
			continue
		}
		if q.After != nil {
			d := dayOf(q.After.Date)
			if r.day > d || r.day == d && int64(r.seq) >= q.After.Seq {
				continue
			}
		}
		a := max(r.amount, -r.amount)
		if q.Amount > 0 && a != q.Amount || q.MinAmount > 0 && a < q.MinAmount || q.MaxAmount > 0 && a > q.MaxAmount {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && slices.ContainsFunc(e.words, func(ew string) bool { return strings.HasPrefix(ew, w) })
		}
		if ok {
			hits = append(hits, e)
		}
	}
	slices.SortFunc(hits, func(a, b testEntry) int { return cmp.Or(cmp.Compare(b.r.day, a.r.day), cmp.Compare(b.r.seq, a.r.seq)) })
	var out []uint32
	for _, e := range hits[:min(len(hits), limit+1)] {
		out = append(out, e.r.seq)
	}
	return out
}

// randomQuery is a query as the public page gets them, over the dates of
// testIndex: typed words (whole, cut short, one or two letters, unknown),
// books, amounts and ranges, dates, a later page.
func randomQuery(r *rand.Rand, all []testEntry) (Query, []string) {
	var q Query
	q.Book = []string{BookIn, BookIn, BookOut, ""}[r.IntN(4)]
	var words []string
	if r.IntN(4) > 0 {
		e := all[r.IntN(len(all))]
		for _, w := range e.words {
			if r.IntN(3) > 0 || len(words) == 0 {
				switch r.IntN(6) {
				case 0:
					w = w[:min(len(w), 1+r.IntN(2))]
				case 1:
					w = w[:max(1, len(w)-1)]
				}
				words = append(words, w)
			}
		}
		if r.IntN(10) == 0 {
			words = append(words, []string{"zz", "a", "n", "th", "ng"}[r.IntN(5)])
		}
		r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		words = slices.Compact(words)
		if len(words) > MaxQueryWords {
			words = words[:MaxQueryWords]
		}
	}
	switch r.IntN(5) {
	case 0:
		q.Amount = sampleAmounts[r.IntN(len(sampleAmounts))]
	case 1:
		q.MinAmount = int64(r.IntN(40)) * 50_000
		if r.IntN(2) == 0 {
			q.MaxAmount = q.MinAmount + int64(r.IntN(40))*50_000
		}
	}
	day := func() db.Date { return db.NewDate(time.Unix(int64(18795+r.IntN(50))*86400, 0).UTC()) }
	if r.IntN(3) == 0 {
		q.From = day()
		if r.IntN(2) == 0 {
			q.To = db.NewDate(q.From.AddDate(0, 0, r.IntN(4)))
		}
	}
	if r.IntN(4) == 0 {
		q.After = &Cursor{Date: day(), Seq: r.Int64N(int64(len(all)) + 2)}
	}
	return q, words
}

func TestSearchIndexLookupMatchesBruteForce(t *testing.T) {
	for _, c := range []struct {
		n, vocab, mergeMax, bitsMin int // bitsMin 0: no bitmaps, 1 << 20: all
	}{{3000, 0, 64, 64}, {3000, 0, 1, 64}, {3000, 0, 64, 1 << 20}, {5000, 400, 64, 0}, {5000, 400, 3, 64}, {20, 0, 64, 64}} {
		t.Run(fmt.Sprintf("%d entries %d more words merge %d bitmaps %d", c.n, c.vocab, c.mergeMax, c.bitsMin), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(c.n), uint64(c.vocab+c.mergeMax+c.bitsMin)))
			defer func(m, b int) { mergeMax, bitsMin = m, b }(mergeMax, bitsMin)
			mergeMax, bitsMin = c.mergeMax, c.bitsMin
			all := testEntries(r, c.n, c.vocab)
			x := &fundIndex{fundID: 1, words: map[string]uint32{}, revBy: map[uint32]uint32{}}
			// Half the entries, a few more (bitmaps made for the first
			// half then answer for the seqs they cover), all of them
			// (bitmaps made anew).
			for _, n := range []int{c.n / 2, c.n/2 + c.n/40, c.n} {
				addEntries(r, x, all[x.size:n])
				for i := 0; i < 1000; i++ {
					q, words := randomQuery(r, all[:n])
					size := int64(n)
					if r.IntN(5) == 0 {
						size = r.Int64N(size + 1) // a caller that read the log earlier
					}
					limit := []int{1, 7, 50, MaxLimit}[r.IntN(4)]
					got := x.lookup(q, words, size, limit)
					want := bruteLookup(all[:n], q, words, size, limit)
					if !slices.Equal(got, want) {
						t.Fatalf("query %+v words %q size %d limit %d:\nindex %v\nbrute %v", q, words, size, limit, got, want)
					}
				}
			}
		})
	}
}

// Searches while entries are added (the caller read the log before them):
// the same pages, bitmaps made and made anew meanwhile.
func TestSearchIndexLookupWhileAdding(t *testing.T) {
	defer func(b int) { bitsMin = b }(bitsMin)
	bitsMin = 64
	r := rand.New(rand.NewPCG(3, 4))
	all := testEntries(r, 6000, 100)
	x := &fundIndex{fundID: 1, words: map[string]uint32{}, revBy: map[uint32]uint32{}}
	addEntries(r, x, all[:1000])
	type query struct {
		q     Query
		words []string
		want  []uint32
	}
	var qs []query
	for len(qs) < 500 {
		q, words := randomQuery(r, all[:1000])
		qs = append(qs, query{q, words, bruteLookup(all, q, words, 1000, 20)})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 3)
	for g := range 2 {
		wg.Go(func() {
			for rep := range 4 {
				for i := g; i < len(qs); i += 2 {
					q := qs[i]
					if got := x.lookup(q.q, q.words, 1000, 20); !slices.Equal(got, q.want) {
						errs <- fmt.Sprintf("pass %d, query %+v words %q: index %v, brute %v", rep, q.q, q.words, got, q.want)
						return
					}
				}
			}
		})
	}
	r2 := rand.New(rand.NewPCG(5, 6))
	for n := 1000; n < len(all); n += 250 {
		x.mu.Lock()
		addEntries(r2, x, all[n:n+250])
		x.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// More typed words than a byte of marks holds (callers pass at most
// MaxQueryWords, lookup takes any number).
func TestSearchIndexManyWords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x, all := testIndex(r, 2000, 50)
	x.add([]indexRow{{seq: 2001, book: bookIn, day: 18900, amount: 1000, folded: "a b c d e f g h i k l m"}})
	all = append(all, testEntry{r: indexRow{seq: 2001, book: bookIn, day: 18900, amount: 1000}, words: strings.Fields("a b c d e f g h i k l m")})
	for n := 1; n <= 11; n++ {
		words := strings.Fields("m l k i h g f e d c b a")[:n]
		got := x.lookup(Query{}, words, 2001, 50)
		if want := bruteLookup(all, Query{}, words, 2001, 50); !slices.Equal(got, want) || len(got) == 0 {
			t.Fatalf("%q: index %v, brute %v", words, got, want)
		}
	}
}

var benchIndex = sync.OnceValues(func() (*fundIndex, []testEntry) {
	return testIndex(rand.New(rand.NewPCG(1, 1)), 1_000_000, 0)
})

// BenchmarkSearchIndexLookup: the index's part of a public page, on a
// million entries named as the benchmark's statement names them, by kind
// of query.
func BenchmarkSearchIndexLookup(b *testing.B) {
	x, all := benchIndex()
	r := rand.New(rand.NewPCG(2, 2))
	type bq struct {
		q     Query
		words []string
	}
	kinds := map[string][]bq{}
	for len(kinds["name"]) < 1000 || len(kinds["page"]) < 1000 {
		q, words := randomQuery(r, all)
		if len(words) == 0 {
			continue
		}
		q.Book, q.Amount, q.MinAmount, q.MaxAmount, q.From, q.To = BookIn, 0, 0, 0, db.Date{}, db.Date{}
		if q.After != nil {
			kinds["page"] = append(kinds["page"], bq{q, words})
		} else {
			kinds["name"] = append(kinds["name"], bq{q, words})
		}
	}
	for _, k := range []string{"name", "page"} {
		qs := kinds[k]
		b.Run(k, func(b *testing.B) {
			n := 0
			for i := 0; b.Loop(); i++ {
				n += len(x.lookup(qs[i%len(qs)].q, qs[i%len(qs)].words, int64(len(all)), 50))
			}
			b.ReportMetric(float64(n)/float64(b.N), "results/op")
		})
	}
}
