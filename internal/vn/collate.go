package vn

import (
	"bytes"
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A collate.Collator is not safe for concurrent use; keep a pool of them.
var collators = sync.Pool{New: func() any { return collate.New(language.Vietnamese) }}

// Collate compares a and b in Vietnamese alphabetical order (CLDR's "vi"
// tailoring): a < ă < â < b < c < d < đ < e < ê < … < o < ô < ơ < … < u < ư;
// tone marks only break ties. It returns -1, 0 or +1.
func Collate(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(a, b)
}

// SortStrings sorts ss in Vietnamese alphabetical order (see Collate).
func SortStrings(ss []string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	c.SortStrings(ss)
}

// SortFunc sorts xs stably in Vietnamese alphabetical order of key(x),
// computing each collation key once: vn.SortFunc(people, func(p Person)
// string { return p.Name }).
func SortFunc[T any](xs []T, key func(T) string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	type keyed struct {
		k []byte
		x T
	}
	var buf collate.Buffer
	ks := make([]keyed, len(xs))
	for i, x := range xs {
		k := c.KeyFromString(&buf, key(x))
		ks[i] = keyed{bytes.Clone(k), x}
		buf.Reset()
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.k, b.k) })
	for i := range ks {
		xs[i] = ks[i].x
	}
}
