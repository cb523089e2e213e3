package translog

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// genEntries makes n plausible entries: mostly receipts, some
// disbursements, a reversal now and then.
func genEntries(n int) []Entry {
	r := rand.New(rand.NewPCG(2021, 8))
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", Anonymous, "Công ty TNHH Hòa Bình", "Đặng Thị Hoà"}
	out := make([]Entry, 0, n)
	for i := 1; i <= n; i++ {
		e := Entry{Seq: int64(i), Date: fmt.Sprintf("2021-%02d-%02d", 7+i%3, 1+i%28)}
		switch {
		case i > 10 && i%97 == 0:
			e.Kind, e.Reverses = KindReversal, int64(i-5)
			e.Amount = -out[i-6].Amount
			if e.Amount == 0 {
				e.Amount = 1
			}
			e.Note = "Đảo bút toán nhập sai"
		case i%10 == 0:
			e.Kind, e.Amount, e.Channel = KindDisbursement, -int64(100000*(1+r.IntN(50))), ChannelCash
			e.Party = "Chốt kiểm soát dịch số " + fmt.Sprint(i%7)
			e.Ref = fmt.Sprintf("QĐ %d/QĐ-MTTQ", i)
		default:
			e.Kind, e.Amount, e.Channel = KindReceipt, int64(50000*(1+r.IntN(200))), ChannelTransfer
			e.Party = names[r.IntN(len(names))]
			e.Ref = fmt.Sprintf("PT-COVID19-2021-%06d", i)
			e.BankRef = fmt.Sprintf("FT21%09d", r.IntN(1e9))
			e.Note = "UH COVID19, \"quỹ\" phòng chống dịch"
		}
		out = append(out, e.Normalize())
	}
	return out
}

func buildLog(t testing.TB, entries []Entry) *MemLog {
	t.Helper()
	l := new(MemLog)
	for _, e := range entries {
		if _, err := l.Add(e); err != nil {
			t.Fatalf("Add(%+v): %v", e, err)
		}
	}
	return l
}

func seq(entries []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func TestAccumulatorMatchesTreeHash(t *testing.T) {
	l := new(MemLog)
	var acc accumulator
	for n := int64(0); n <= 300; n++ {
		want, err := tlog.TreeHash(n, l)
		if err != nil {
			t.Fatal(err)
		}
		if got := acc.root(); got != want {
			t.Fatalf("n=%d: accumulator %v, tlog %v", n, got, want)
		}
		h := tlog.RecordHash([]byte(fmt.Sprint(n)))
		l.AddHash(h)
		acc.add(h)
	}
}

func TestAppend(t *testing.T) {
	l := new(MemLog)
	e := sampleEntry
	index, hashes, err := Append(l, e)
	if err != nil || index != 0 || len(hashes) != 1 || hashes[0] != e.Hash() {
		t.Fatalf("Append = %d, %v, %v", index, hashes, err)
	}
	if _, err := l.Add(e); err != nil {
		t.Fatal(err)
	}
	// Wrong sequence numbers are refused.
	for _, s := range []int64{1, 3} {
		e2 := e
		e2.Seq = s
		if _, _, err := Append(l, e2); err == nil {
			t.Errorf("Append with Seq %d accepted after 1 record", s)
		}
	}
	// Invalid entries are refused.
	bad := e
	bad.Seq, bad.Amount = 2, 0
	if _, _, err := Append(l, bad); err == nil {
		t.Error("invalid entry accepted")
	}
	// Record 2 completes a subtree: two hashes to store.
	e.Seq = 2
	_, hashes, err = Append(l, e)
	if err != nil || len(hashes) != 2 || hashes[1] != tlog.NodeHash(sampleEntry.Hash(), e.Hash()) {
		t.Fatalf("second Append = %v, %v", hashes, err)
	}
}

type fixture struct {
	entries    []Entry
	log        *MemLog
	skey, vkey string
	signer     note.Signer
	tree       Tree
	checkpoint string
	csv        []byte
}

func newFixture(t testing.TB, n int) *fixture {
	t.Helper()
	f := &fixture{entries: genEntries(n)}
	f.log = buildLog(t, f.entries)
	var err error
	if f.skey, f.vkey, err = NewSigner("giaoban-fund-COVID19-IAGRAI"); err != nil {
		t.Fatal(err)
	}
	if f.signer, err = note.NewSigner(f.skey); err != nil {
		t.Fatal(err)
	}
	h, err := TreeHash(f.log, int64(n))
	if err != nil {
		t.Fatal(err)
	}
	f.tree = Tree{FundID: "COVID19-IAGRAI", N: int64(n), Hash: h}
	if f.checkpoint, err = Checkpoint(f.tree.FundID, f.tree.N, h, f.signer); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteStatement(&buf, f.log, seq(f.entries)); err != nil {
		t.Fatal(err)
	}
	f.csv = buf.Bytes()
	return f
}

func (f *fixture) consistency(n, t int64) (tlog.TreeProof, error) {
	return ProveConsistency(f.log, n, t)
}

func TestLogOf1000(t *testing.T) {
	f := newFixture(t, 1000)
	// The checkpoint verifies and states the tree.
	tree, err := VerifyCheckpoint(f.checkpoint, f.vkey)
	if err != nil || tree != f.tree {
		t.Fatalf("VerifyCheckpoint = %+v, %v; want %+v", tree, err, f.tree)
	}
	if !strings.HasPrefix(f.checkpoint, "giaoban fund COVID19-IAGRAI\n1000\n") {
		t.Errorf("checkpoint text:\n%s", f.checkpoint)
	}
	// The statement verifies, with its totals.
	res, err := VerifyStatement(bytes.NewReader(f.csv), f.checkpoint, f.vkey)
	if err != nil || !res.OK() {
		t.Fatalf("VerifyStatement: %v %+v", err, res.Problems)
	}
	var in, out int64
	for _, e := range f.entries {
		if e.Amount > 0 {
			in += e.Amount
		} else {
			out += e.Amount
		}
	}
	if res.Rows != 1000 || res.Received != in || res.PaidOut != out || res.Root != f.tree.Hash {
		t.Errorf("result %+v, want 1000 rows, %d in, %d out", res, in, out)
	}
	// Inclusion proofs for every record, against the signed tree.
	for i, e := range f.entries {
		p, err := ProveInclusion(f.log, 1000, int64(i))
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyInclusion(p, tree, e); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		// The proof does not fit another entry or another position.
		other := e
		other.Amount++
		if VerifyInclusion(p, tree, other) == nil {
			t.Fatalf("record %d: proof accepted a changed amount", i)
		}
		if i > 0 && VerifyInclusionHash(p, tree, int64(i-1), e.Hash()) == nil {
			t.Fatalf("record %d: proof accepted at another index", i)
		}
	}
	// Consistency proofs between earlier checkpoints and this one.
	for _, n := range []int64{1, 2, 3, 7, 8, 500, 511, 512, 513, 999, 1000} {
		h, err := TreeHash(f.log, n)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ProveConsistency(f.log, n, 1000)
		if err != nil {
			t.Fatal(err)
		}
		older := Tree{FundID: tree.FundID, N: n, Hash: h}
		if err := VerifyConsistency(p, older, tree); err != nil {
			t.Errorf("consistency %d→1000: %v", n, err)
		}
		forged := older
		forged.Hash[0] ^= 1
		if err := VerifyConsistency(p, forged, tree); !errors.Is(err, ErrProof) {
			t.Errorf("consistency %d→1000 accepted a forged older root: %v", n, err)
		}
	}
	// Bad arguments.
	if _, err := ProveInclusion(f.log, 1001, 0); err == nil {
		t.Error("proof in a tree larger than the log")
	}
	if _, err := ProveInclusion(f.log, 10, 10); err == nil {
		t.Error("proof of a record outside the tree")
	}
	if _, err := ProveConsistency(f.log, 0, 10); err == nil {
		t.Error("consistency from 0")
	}
	if _, err := TreeHash(f.log, 1001); err == nil {
		t.Error("tree hash beyond the log")
	}
}

// csvLines splits the statement into lines (line 1 is the header).
func csvLines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }

func TestVerifyNamesAlteredAmount(t *testing.T) {
	f := newFixture(t, 1000)
	lines := csvLines(f.csv)
	// Line 424 holds Seq 423; change its amount.
	target := 424
	fields := strings.SplitN(lines[target-1], ",", 5)
	if fields[0] != "423" {
		t.Fatalf("line %d is %q", target, lines[target-1])
	}
	fields[3] = fields[3] + "0"
	lines[target-1] = strings.Join(fields, ",")
	res, err := VerifyStatement(strings.NewReader(strings.Join(lines, "")), f.checkpoint, f.vkey)
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("altered amount not detected: %v", err)
	}
	if len(res.Problems) < 1 || res.Problems[0].Line != target || res.Problems[0].Seq != 423 {
		t.Fatalf("problems %+v, want line %d seq 423 first", res.Problems, target)
	}
	if !strings.Contains(err.Error(), "Dòng 424 (STT 423)") {
		t.Errorf("error does not name the row: %v", err)
	}
	if res.Root == f.tree.Hash {
		t.Error("root unchanged")
	}
}

func TestVerifyDetectsDeletedRow(t *testing.T) {
	f := newFixture(t, 1000)
	lines := csvLines(f.csv)
	deleted := append(append([]string{}, lines[:301]...), lines[302:]...) // drop Seq 301
	res, err := VerifyStatement(strings.NewReader(strings.Join(deleted, "")), f.checkpoint, f.vkey)
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("deleted row not detected: %v", err)
	}
	if p := res.Problems[0]; p.Seq != 302 || p.Line != 302 {
		t.Errorf("first problem %+v, want the row after the gap (line 302, seq 302)", p)
	}
	if res.Rows != 999 {
		t.Errorf("rows %d", res.Rows)
	}
}

// rewrite renumbers and rehashes entries as a forger would, so that every
// row agrees with its listed hash.
func rewrite(t *testing.T, entries []Entry) []byte {
	var buf bytes.Buffer
	w := NewStatementWriter(&buf)
	for i, e := range entries {
		e.Seq = int64(i + 1)
		if e.Kind == KindReversal && e.Reverses >= e.Seq {
			e.Reverses = e.Seq - 1
		}
		if err := w.Write(e, e.Hash()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerifyLocatesForgedListing(t *testing.T) {
	f := newFixture(t, 1000)
	drop := func(i int) []Entry {
		return append(append([]Entry{}, f.entries[:i]...), f.entries[i+1:]...)
	}
	swap := func(i, j int) []Entry {
		es := append([]Entry{}, f.entries...)
		es[i], es[j] = es[j], es[i]
		return es
	}
	insert := func(i int) []Entry {
		es := append([]Entry{}, f.entries[:i]...)
		extra := f.entries[i]
		extra.Amount = 12345
		return append(append(es, extra), f.entries[i:]...)
	}
	tests := []struct {
		name    string
		entries []Entry
		want    int64 // first differing index
	}{
		{"removed record 300", drop(300), 300},
		{"removed first", drop(0), 0},
		{"removed last", drop(999), 999},
		{"swapped 700 and 701", swap(700, 701), 700},
		{"inserted before 42", insert(42), 42},
		{"appended", append(append([]Entry{}, f.entries...), f.entries[0]), 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := rewrite(t, tt.entries)
			// Without proofs: detected, not located.
			res, err := VerifyStatement(bytes.NewReader(data), f.checkpoint, f.vkey)
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("not detected: %v", err)
			}
			if res.Divergence != -1 {
				t.Errorf("divergence %d without proofs", res.Divergence)
			}
			// With consistency proofs: located.
			res, err = VerifyStatementWith(bytes.NewReader(data), f.checkpoint, f.vkey, Options{Consistency: f.consistency})
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("not detected: %v", err)
			}
			if res.Divergence != tt.want {
				t.Errorf("divergence %d, want %d; problems %+v", res.Divergence, tt.want, res.Problems)
			}
		})
	}
	// Lying proofs do not make a forged listing pass.
	liar := func(n, t int64) (tlog.TreeProof, error) { return tlog.TreeProof{{1}, {2}}, nil }
	res, err := VerifyStatementWith(bytes.NewReader(rewrite(t, drop(5))), f.checkpoint, f.vkey, Options{Consistency: liar})
	if !errors.Is(err, ErrMismatch) || res.OK() {
		t.Fatalf("forged listing passed with lying proofs: %v", err)
	}
	// An honest statement with proofs available is still OK.
	if _, err := VerifyStatementWith(bytes.NewReader(f.csv), f.checkpoint, f.vkey, Options{Consistency: f.consistency}); err != nil {
		t.Fatal(err)
	}
}

func TestTamperedStorage(t *testing.T) {
	f := newFixture(t, 1000)
	// Alter a stored interior hash behind the log's back: the root of
	// records 0–511, which TreeHash reads; the tree the storage gives no
	// longer matches the signed checkpoint.
	f.log.hashes[tlog.StoredHashIndex(9, 0)][5] ^= 0x40
	h, err := TreeHash(f.log, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if h == f.tree.Hash {
		t.Fatal("tree hash unchanged after tampering")
	}
	// Alter the node of records 0–1: the inclusion proof of record 2,
	// which uses it, fails against the signed checkpoint.
	f = newFixture(t, 1000)
	f.log.hashes[tlog.StoredHashIndex(1, 0)][5] ^= 0x40
	p, err := ProveInclusion(f.log, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyInclusion(p, f.tree, f.entries[2]); !errors.Is(err, ErrProof) {
		t.Errorf("inclusion proof from tampered storage verified: %v", err)
	}

	// Alter a stored record hash: the exported statement lists it, and the
	// verifier names the row.
	f = newFixture(t, 1000)
	f.log.hashes[tlog.StoredHashIndex(0, 499)][0] ^= 1
	var buf bytes.Buffer
	if err := WriteStatement(&buf, f.log, seq(f.entries)); err != nil {
		t.Fatal(err)
	}
	res, err := VerifyStatement(&buf, f.checkpoint, f.vkey)
	if !errors.Is(err, ErrMismatch) || res.Problems[0].Seq != 500 || res.Problems[0].Line != 501 {
		t.Errorf("tampered record hash: %v %+v", err, res.Problems)
	}

	// Alter a stored entry (the database row) but not its hash: the export
	// shows the stored hash, the row no longer gives it, the verifier names
	// the row; and the entry's inclusion proof fails.
	f = newFixture(t, 1000)
	f.entries[776].Party = "Người khác"
	buf.Reset()
	if err := WriteStatement(&buf, f.log, seq(f.entries)); err != nil {
		t.Fatal(err)
	}
	res, err = VerifyStatement(&buf, f.checkpoint, f.vkey)
	if !errors.Is(err, ErrMismatch) || res.Problems[0].Seq != 777 {
		t.Errorf("tampered entry: %v %+v", err, res.Problems)
	}
	p, _ = ProveInclusion(f.log, 1000, 776)
	if err := VerifyInclusion(p, f.tree, f.entries[776]); !errors.Is(err, ErrProof) {
		t.Errorf("tampered entry still proves inclusion: %v", err)
	}
}

func TestWriteStatementOrder(t *testing.T) {
	f := newFixture(t, 3)
	es := []Entry{f.entries[1], f.entries[0]}
	if err := WriteStatement(new(bytes.Buffer), f.log, seq(es)); err == nil {
		t.Error("out-of-order entries written")
	}
	// An empty log has an empty statement that verifies.
	empty := new(MemLog)
	h, _ := TreeHash(empty, 0)
	cp, err := Checkpoint("EMPTY", 0, h, f.signer)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteStatement(&buf, empty, seq(nil)); err != nil {
		t.Fatal(err)
	}
	if res, err := VerifyStatement(&buf, cp, f.vkey); err != nil || !res.OK() {
		t.Errorf("empty statement: %v %+v", err, res)
	}
}

func BenchmarkVerifyStatement(b *testing.B) {
	f := newFixture(b, 10000)
	b.SetBytes(int64(len(f.csv)))
	for b.Loop() {
		if _, err := VerifyStatement(bytes.NewReader(f.csv), f.checkpoint, f.vkey); err != nil {
			b.Fatal(err)
		}
	}
}
