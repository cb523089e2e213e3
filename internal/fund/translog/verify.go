package translog

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/tlog"
)

// ErrMismatch is wrapped by the error of VerifyStatement when the statement
// is not exactly the log the checkpoint signs.
var ErrMismatch = errors.New("bảng kê không khớp với điểm kiểm tra")

// MaxProblems is the number of problems a Result lists; the rest are only
// counted.
const MaxProblems = 100

// Problem is one thing wrong with a statement. Line is the physical line of
// the file (0 when the problem is not one row's), Seq the row's sequence
// number when it could be read.
type Problem struct {
	Line int
	Seq  int64
	Msg  string // Vietnamese
}

func (p Problem) String() string {
	switch {
	case p.Line > 0 && p.Seq > 0:
		return fmt.Sprintf("Dòng %d (STT %d): %s", p.Line, p.Seq, p.Msg)
	case p.Line > 0:
		return fmt.Sprintf("Dòng %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

// Result is what VerifyStatement found.
type Result struct {
	Tree     Tree      // what the checkpoint signs
	Rows     int64     // data rows read
	Root     tlog.Hash // root recomputed from the rows' fields
	Received int64     // sum of positive amounts
	PaidOut  int64     // sum of negative amounts (≤ 0)
	Problems []Problem // the first MaxProblems problems
	More     int64     // problems beyond those listed
	// Divergence is the 0-based index of the first record where the
	// statement departs from the log, found with consistency proofs
	// (Options.Consistency); -1 when not known or when there is none.
	Divergence int64
}

// OK reports whether the statement is exactly the signed log.
func (r *Result) OK() bool {
	return len(r.Problems) == 0 && r.More == 0 && r.Rows == r.Tree.N && r.Root == r.Tree.Hash
}

func (r *Result) add(p Problem) {
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	} else {
		r.More++
	}
}

// Options tune VerifyStatement.
type Options struct {
	// Consistency, when set, returns the consistency proof between the
	// log's first n records and its first t records, as the fund's public
	// endpoint serves it. It need not be trusted: a proof that does not
	// check against the signed root is a problem reported like any other.
	// With it, a statement whose rows were removed, inserted or reordered
	// (with their listed hashes recomputed to match) is located: Result.
	// Divergence names the first record that differs. It costs 64 bytes of
	// memory per row and about log₂ N proofs.
	Consistency func(n, t int64) (tlog.TreeProof, error)
}

// VerifyStatement checks a published statement (CSV, see StatementHeader)
// against a checkpoint signed by the holder of vkey. See VerifyStatementWith.
func VerifyStatement(csv io.Reader, checkpoint, vkey string) (Result, error) {
	return VerifyStatementWith(csv, checkpoint, vkey, Options{})
}

// VerifyStatementWith checks a published statement against a signed
// checkpoint. It verifies the checkpoint's signature, then for every row:
// that it reads as a valid entry, that its Seq is the next one, and that the
// hash recomputed from its fields equals the listed record hash (if not,
// the row was edited, and is named). It rebuilds the Merkle tree from the
// recomputed hashes and compares its root and size with the checkpoint: a
// difference there with no row named means rows were removed, inserted or
// reordered with hashes recomputed; Options.Consistency then locates it.
//
// The error is nil when the statement is exactly the signed log; it wraps
// ErrCheckpoint when the checkpoint does not verify, ErrFormat when the
// file is not a statement, and ErrMismatch otherwise, with the first problem
// in its message and all of them in the Result.
func VerifyStatementWith(csv io.Reader, checkpoint, vkey string, opt Options) (Result, error) {
	res := Result{Divergence: -1}
	tree, err := VerifyCheckpoint(checkpoint, vkey)
	if err != nil {
		return res, err
	}
	res.Tree = tree
	var acc accumulator
	var mem *MemLog
	var lines []int32
	if opt.Consistency != nil {
		mem = new(MemLog)
	}
	for row, err := range ReadStatement(csv) {
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				return res, err
			}
		}
		res.Rows++
		want := res.Rows
		e := row.Entry
		h := e.Hash()
		p := Problem{Line: row.Line, Seq: e.Seq}
		switch {
		case err != nil:
			p.Seq = 0
			p.Msg = err.(*RowError).Msg
			res.add(p)
		case e.Seq != want:
			p.Msg = fmt.Sprintf("số thứ tự %d đứng ở vị trí %d: có dòng bị bớt, thêm hoặc đổi chỗ", e.Seq, want)
			res.add(p)
		case h != row.Listed:
			p.Msg = "nội dung dòng không cho ra mã băm đã ghi (record_hash): dòng đã bị sửa"
			res.add(p)
		default:
			if verr := e.Validate(); verr != nil {
				p.Msg = verr.Error()
				res.add(p)
			}
		}
		if e.Amount > 0 {
			res.Received += e.Amount
		} else {
			res.PaidOut += e.Amount
		}
		acc.add(h)
		if mem != nil {
			mem.AddHash(h)
			lines = append(lines, int32(row.Line))
		}
	}
	res.Root = acc.root()
	if res.Rows != tree.N {
		res.add(Problem{Msg: fmt.Sprintf("bảng kê có %d dòng, điểm kiểm tra ghi nhật ký có %d bản ghi", res.Rows, tree.N)})
	}
	if res.Root != tree.Hash && res.Rows == tree.N && len(res.Problems) == 0 {
		res.add(Problem{Msg: "mã băm gốc tính từ bảng kê khác mã băm gốc đã ký: có dòng bị bớt, thêm hoặc đổi chỗ"})
	}
	if mem != nil && !res.OK() {
		locate(&res, mem, lines, opt.Consistency)
	}
	if res.OK() {
		return res, nil
	}
	return res, fmt.Errorf("%w: %s", ErrMismatch, res.Problems[0])
}

// locate finds the longest prefix of the statement that the log's signed
// tree extends, with consistency proofs, by binary search.
func locate(res *Result, mem *MemLog, lines []int32, prove func(n, t int64) (tlog.TreeProof, error)) {
	t := res.Tree
	agrees := func(m int64) (bool, error) {
		if m == 0 {
			return true, nil
		}
		h, err := tlog.TreeHash(m, mem)
		if err != nil {
			return false, err
		}
		if m == t.N {
			return h == t.Hash, nil
		}
		p, err := prove(m, t.N)
		if err != nil {
			return false, err
		}
		return tlog.CheckTree(p, t.N, t.Hash, m, h) == nil, nil
	}
	lo, hi := int64(0), min(res.Rows, t.N) // agrees(lo); find the largest such
	if ok, err := agrees(hi); err != nil {
		res.add(Problem{Msg: "không lấy được bằng chứng nhất quán: " + err.Error()})
		return
	} else if ok {
		lo = hi
	} else {
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			ok, err := agrees(mid)
			if err != nil {
				res.add(Problem{Msg: "không lấy được bằng chứng nhất quán: " + err.Error()})
				return
			}
			if ok {
				lo = mid
			} else {
				hi = mid
			}
		}
	}
	res.Divergence = lo
	p := Problem{Seq: lo + 1}
	switch {
	case lo < res.Rows && lo < t.N:
		p.Line = int(lines[lo])
		p.Msg = fmt.Sprintf("bảng kê khác nhật ký từ bản ghi thứ %d: %d bản ghi đầu khớp", lo+1, lo)
	case lo == res.Rows:
		p.Msg = fmt.Sprintf("bảng kê thiếu các bản ghi từ thứ %d đến %d", lo+1, t.N)
	default:
		p.Line = int(lines[lo])
		p.Msg = fmt.Sprintf("bảng kê thừa các dòng từ bản ghi thứ %d", lo+1)
	}
	res.add(p)
}

// accumulator computes the root hash of a tree from its record hashes in
// order, in O(log n) memory: stack holds the roots of the complete subtrees
// of the records so far, largest (leftmost) first.
type accumulator struct {
	n     int64
	stack []tlog.Hash
}

func (a *accumulator) add(h tlog.Hash) {
	a.stack = append(a.stack, h)
	// Each trailing 1 bit of n completes a subtree with its left neighbour.
	for k := a.n; k&1 == 1; k >>= 1 {
		l := len(a.stack)
		a.stack[l-2] = tlog.NodeHash(a.stack[l-2], a.stack[l-1])
		a.stack = a.stack[:l-1]
	}
	a.n++
}

// root is RFC 6962's tree hash: the complete subtrees joined right to left.
func (a *accumulator) root() tlog.Hash {
	if len(a.stack) == 0 {
		h, _ := tlog.TreeHash(0, nil) // SHA-256 of the empty string
		return h
	}
	h := a.stack[len(a.stack)-1]
	for i := len(a.stack) - 2; i >= 0; i-- {
		h = tlog.NodeHash(a.stack[i], h)
	}
	return h
}
