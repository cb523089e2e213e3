package fund

import (
	"fmt"
	"strings"
	"testing"

	"giaoban/internal/platform/db"
)

// The Bloom filter of references never says no to a reference it holds,
// and rarely yes to one it does not.
func TestRefFilter(t *testing.T) {
	f := newRefFilter()
	const n = 200_000
	for i := range n {
		f.add(fmt.Sprintf("FT21%07d", i))
	}
	for i := range n {
		if !f.mayHave(fmt.Sprintf("FT21%07d", i)) {
			t.Fatalf("FT21%07d added but not found", i)
		}
	}
	falsePos := 0
	for i := range n {
		if f.mayHave(fmt.Sprintf("FT22%07d", i)) {
			falsePos++
		}
	}
	if falsePos > n/10_000 {
		t.Errorf("%d of %d references never added were found", falsePos, n)
	}
}

// The compact INSERT binds the shared values once and each row's own.
func TestCompactInsert(t *testing.T) {
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		q := compactInsert(d, 2)
		cols := strings.Count(compactShared+", "+compactRow, ",") + 1
		if cols != compactSharedN+compactRowN {
			t.Fatalf("%d columns, want %d", cols, compactSharedN+compactRowN)
		}
		values := q[strings.Index(q, "VALUES ")+len("VALUES "):]
		rows := strings.Split(strings.Trim(values, "()"), "),(")
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", d, len(rows))
		}
		for i, r := range rows {
			ps := strings.Split(r, ",")
			if len(ps) != cols {
				t.Errorf("%s row %d: %d parameters, want %d", d, i, len(ps), cols)
			}
			if d == db.Postgres && (ps[0] != "$1" || ps[compactSharedN] != fmt.Sprintf("$%d", compactSharedN+1+i*compactRowN)) {
				t.Errorf("postgres row %d: %s", i, r)
			}
			if d == db.SQLite && (ps[0] != "?1" || ps[compactSharedN] != "?") {
				t.Errorf("sqlite row %d: %s", i, r)
			}
		}
	}
}
