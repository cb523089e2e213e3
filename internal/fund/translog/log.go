package translog

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// Log is the storage of one fund's log as this package needs it: the
// stored hashes (tlog's layout, see tlog.StoredHashIndex) and the number of
// records. The fund room implements it over its database.
type Log interface {
	tlog.HashReader
	// Size returns the number of records in the log.
	Size() (int64, error)
}

// Append validates e and computes what to store to append it to l: the new
// record's index (e.Seq-1) and the hashes to store at consecutive storage
// indexes starting at tlog.StoredHashIndex(0, index); the first of them is
// e.Hash(). e.Seq must be Size()+1. Append only reads l: the caller stores
// the entry and the hashes in one transaction, so concurrent appends must be
// serialised per fund by the caller.
func Append(l Log, e Entry) (index int64, hashes []tlog.Hash, err error) {
	if err := e.Validate(); err != nil {
		return 0, nil, err
	}
	n, err := l.Size()
	if err != nil {
		return 0, nil, err
	}
	if e.Seq != n+1 {
		return 0, nil, fmt.Errorf("bản ghi mới phải có số thứ tự %d, có %d", n+1, e.Seq)
	}
	hashes, err = tlog.StoredHashes(n, e.Canonical(), l)
	if err != nil {
		return 0, nil, err
	}
	return n, hashes, nil
}

// TreeHash returns the root hash of the first n records of l.
func TreeHash(l Log, n int64) (tlog.Hash, error) {
	if err := checkSize(l, n); err != nil {
		return tlog.Hash{}, err
	}
	return tlog.TreeHash(n, l)
}

// ProveInclusion returns the proof that record index (0-based, Seq-1) is in
// the tree of the first n records of l.
func ProveInclusion(l Log, n, index int64) (tlog.RecordProof, error) {
	if err := checkSize(l, n); err != nil {
		return nil, err
	}
	if index < 0 || index >= n {
		return nil, fmt.Errorf("bản ghi %d không nằm trong cây %d bản ghi", index, n)
	}
	return tlog.ProveRecord(n, index, l)
}

// ProveConsistency returns the proof that the tree of the first n1 records
// of l is a prefix of the tree of its first n2 records (0 < n1 ≤ n2).
func ProveConsistency(l Log, n1, n2 int64) (tlog.TreeProof, error) {
	if err := checkSize(l, n2); err != nil {
		return nil, err
	}
	if n1 < 1 || n1 > n2 {
		return nil, fmt.Errorf("không thể chứng minh cây %d bản ghi là tiền tố của cây %d bản ghi", n1, n2)
	}
	return tlog.ProveTree(n2, n1, l)
}

// VerifyInclusion checks that e, as record e.Seq-1, is in the tree t.
func VerifyInclusion(p tlog.RecordProof, t Tree, e Entry) error {
	return VerifyInclusionHash(p, t, e.Seq-1, e.Hash())
}

// VerifyInclusionHash checks that the record with hash h is record index of
// the tree t.
func VerifyInclusionHash(p tlog.RecordProof, t Tree, index int64, h tlog.Hash) error {
	if index < 0 || index >= t.N {
		return fmt.Errorf("%w: bản ghi %d không nằm trong cây %d bản ghi", ErrProof, index, t.N)
	}
	if err := tlog.CheckRecord(p, t.N, t.Hash, index, h); err != nil {
		return fmt.Errorf("%w: %v", ErrProof, err)
	}
	return nil
}

// VerifyConsistency checks that the older tree is a prefix of the newer one.
func VerifyConsistency(p tlog.TreeProof, older, newer Tree) error {
	if older.N < 1 || older.N > newer.N {
		return fmt.Errorf("%w: cây %d bản ghi không thể là tiền tố của cây %d bản ghi", ErrProof, older.N, newer.N)
	}
	if err := tlog.CheckTree(p, newer.N, newer.Hash, older.N, older.Hash); err != nil {
		return fmt.Errorf("%w: %v", ErrProof, err)
	}
	return nil
}

// ErrProof is wrapped by the errors of VerifyInclusion and VerifyConsistency.
var ErrProof = errors.New("bằng chứng không hợp lệ")

func checkSize(l Log, n int64) error {
	size, err := l.Size()
	if err != nil {
		return err
	}
	if n < 0 || n > size {
		return fmt.Errorf("nhật ký có %d bản ghi, không có cây %d bản ghi", size, n)
	}
	return nil
}

// MemLog is a Log in memory. It is safe for concurrent use.
type MemLog struct {
	mu     sync.RWMutex
	n      int64
	hashes []tlog.Hash
}

// ReadHashes implements tlog.HashReader.
func (m *MemLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.read(indexes)
}

func (m *MemLog) read(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("không có mã băm lưu trữ số %d", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// Size implements Log.
func (m *MemLog) Size() (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.n, nil
}

// Add appends e and returns its index.
func (m *MemLog) Add(e Entry) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	index, hashes, err := Append(lockedLog{m}, e)
	if err != nil {
		return 0, err
	}
	return index, m.store(index, hashes)
}

// AddHash appends a record given its record hash (verifiers rebuild a tree
// from the hashes of a statement this way).
func (m *MemLog) AddHash(h tlog.Hash) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hashes, err := tlog.StoredHashesForRecordHash(m.n, h, tlog.HashReaderFunc(m.read))
	if err != nil {
		return 0, err
	}
	return m.n, m.store(m.n, hashes)
}

func (m *MemLog) store(index int64, hashes []tlog.Hash) error {
	if tlog.StoredHashIndex(0, index) != int64(len(m.hashes)) {
		return fmt.Errorf("nhật ký trong bộ nhớ không liền mạch")
	}
	m.hashes = append(m.hashes, hashes...)
	m.n = index + 1
	return nil
}

// lockedLog reads a MemLog whose lock the caller holds.
type lockedLog struct{ m *MemLog }

func (l lockedLog) ReadHashes(ix []int64) ([]tlog.Hash, error) { return l.m.read(ix) }
func (l lockedLog) Size() (int64, error)                       { return l.m.n, nil }
