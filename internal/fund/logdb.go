package fund

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/platform/db"
)

// dbLog is a fund's transparency log over its ledger: the hashes tlog
// stores when record r is appended (at storage indexes
// tlog.StoredHashIndex(0, r) and the following ones: the record hash, then
// one hash per subtree the record completes) are kept, concatenated, in the
// log_hashes column of the entry with seq r+1. A storage index is mapped
// back to its entry with tlog.SplitStoredHashIndex.
//
// While appending, the hashes of the log's right edge (the roots of its
// complete subtrees, all that tlog reads to append a record or compute the
// tree hash) are cached, so a million appends in one transaction read the
// database only at the start.
type dbLog struct {
	ctx    context.Context
	q      db.Q
	fundID int64
	size   int64
	cache  map[int64]tlog.Hash
}

func newDBLog(ctx context.Context, q db.Q, fundID, size int64) *dbLog {
	return &dbLog{ctx: ctx, q: q, fundID: fundID, size: size, cache: map[int64]tlog.Hash{}}
}

// Size implements translog.Log.
func (l *dbLog) Size() (int64, error) { return l.size, nil }

// hashesPerRecord is how many hashes appending record r stores.
func hashesPerRecord(r int64) int { return 1 + bits.TrailingZeros64(uint64(r+1)) }

// recordOf returns the record whose append stored the hash at a storage
// index, and the hash's position among that record's hashes.
func recordOf(index int64) (record int64, offset int) {
	level, n := tlog.SplitStoredHashIndex(index)
	return (n+1)<<uint(level) - 1, level
}

// ReadHashes implements tlog.HashReader.
func (l *dbLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	type want struct{ pos, offset int }
	need := map[int64][]want{}
	for i, x := range indexes {
		if h, ok := l.cache[x]; ok {
			out[i] = h
			continue
		}
		rec, off := recordOf(x)
		if rec >= l.size {
			return nil, fmt.Errorf("fund: log %d has no stored hash %d (size %d)", l.fundID, x, l.size)
		}
		need[rec] = append(need[rec], want{i, off})
	}
	if len(need) == 0 {
		return out, nil
	}
	recs := make([]int64, 0, len(need))
	for r := range need {
		recs = append(recs, r)
	}
	for start := 0; start < len(recs); start += 500 {
		chunk := recs[start:min(start+500, len(recs))]
		var b strings.Builder
		args := []any{l.fundID}
		for i, r := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			args = append(args, r+1)
			b.WriteString("$" + strconv.Itoa(len(args)))
		}
		rows, err := l.q.QueryContext(l.ctx, "SELECT seq, log_hashes FROM fund_entries WHERE fund_id = $1 AND seq IN ("+b.String()+")", args...)
		if err != nil {
			return nil, fmt.Errorf("fund: read log hashes: %w", err)
		}
		found := 0
		for rows.Next() {
			var seq int64
			var blob []byte
			if err := rows.Scan(&seq, &blob); err != nil {
				rows.Close()
				return nil, fmt.Errorf("fund: read log hashes: %w", err)
			}
			found++
			for _, w := range need[seq-1] {
				if len(blob) < (w.offset+1)*tlog.HashSize {
					rows.Close()
					return nil, fmt.Errorf("fund: log %d entry %d holds %d bytes of hashes, want at least %d", l.fundID, seq, len(blob), (w.offset+1)*tlog.HashSize)
				}
				copy(out[w.pos][:], blob[w.offset*tlog.HashSize:])
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("fund: read log hashes: %w", err)
		}
		if found != len(chunk) {
			return nil, fmt.Errorf("fund: log %d is missing entries (%d of %d found)", l.fundID, found, len(chunk))
		}
	}
	return out, nil
}

// added records the hashes stored for record index, keeping in the cache
// only what later appends need.
func (l *dbLog) added(index int64, hashes []tlog.Hash) {
	base := tlog.StoredHashIndex(0, index)
	for i, h := range hashes {
		l.cache[base+int64(i)] = h
	}
	l.size = index + 1
	if len(l.cache) > 256 {
		keep := map[int64]tlog.Hash{}
		for _, x := range frontier(l.size) {
			if h, ok := l.cache[x]; ok {
				keep[x] = h
			}
		}
		l.cache = keep
	}
}

// frontier returns the storage indexes of the roots of the complete
// subtrees of a tree of n records: the right edge that appending reads.
func frontier(n int64) []int64 {
	var out []int64
	for k := 0; k < 63; k++ {
		if n>>uint(k)&1 == 1 {
			out = append(out, tlog.StoredHashIndex(k, n>>uint(k)-1))
		}
	}
	return out
}

// joinHashes concatenates hashes for the log_hashes column.
func joinHashes(hs []tlog.Hash) []byte {
	b := make([]byte, 0, len(hs)*tlog.HashSize)
	for _, h := range hs {
		b = append(b, h[:]...)
	}
	return b
}
