package fund

import (
	"encoding/binary"
	"runtime"
	"strings"
	"time"

	"giaoban/internal/platform/db"
)

// The public lists' rows in memory.
//
// A page's rows were read from the ledger by primary key (an IN query
// built, compiled and run per page, a quarter of the page's CPU under
// load) or from a cache of the rows shown lately. The index now keeps
// every entry's published row, in its record of refData after the
// references (searchindex_ref.go), without pointers (the collector does
// not scan it):
//
//	uvarint kind, class, channel: ids in the fund's enums
//	uvarint reverses
//	uvarint len(party), party
//	uvarint how the note is stored (noteCode), then the note's bytes
//
// The date, amount and book are the index's own arrays; the voucher
// number is derived (searchindex_ref.go); a note that holds the party's
// name (a transfer note: "IBFT Ung ho Covid - TRAN DUC TIEN") keeps it
// once. About 60 bytes an entry at a million receipts of the bench.

// Note codes: 0 the note as it is; else (position << 2 | how), the
// party's name, as it is (noteParty) or in capitals (noteUpper), left out
// of the note's bytes at that position.
const (
	noteParty = 1
	noteUpper = 2
)

// enum returns the id of a kind, class or channel (x.mu held for writing).
func (x *fundIndex) enum(s string) uint64 {
	id, ok := x.enumID[s]
	if !ok {
		if x.enumID == nil {
			x.enumID = map[string]uint32{}
		}
		id = uint32(len(x.enums))
		x.enums = append(x.enums, s)
		x.enumID[s] = id
	}
	return uint64(id)
}

// addRow appends an entry's published row to its record (x.mu held for
// writing; after addRefs).
func (x *fundIndex) addRow(r *indexRow) {
	b := x.refData
	b = binary.AppendUvarint(b, x.enum(r.kind))
	b = binary.AppendUvarint(b, x.enum(r.class))
	b = binary.AppendUvarint(b, x.enum(r.channel))
	b = binary.AppendUvarint(b, uint64(max(r.reverses, 0)))
	b = binary.AppendUvarint(b, uint64(len(r.party)))
	b = append(b, r.party...)
	code, note := uint64(0), r.note
	if len(r.party) >= 4 {
		if i := strings.Index(note, r.party); i >= 0 {
			code, note = uint64(i)<<2|noteParty, note[:i]+note[i+len(r.party):]
		} else if up := strings.ToUpper(r.party); up != r.party {
			if i := strings.Index(note, up); i >= 0 {
				code, note = uint64(i)<<2|noteUpper, note[:i]+note[i+len(up):]
			}
		}
	}
	b = binary.AppendUvarint(b, code)
	x.refData = append(b, note...)
}

// rowsOf fills es with the published rows of seqs (all indexed).
func (x *fundIndex) rowsOf(seqs []uint32, es []Entry) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var buf []byte
	for i, seq := range seqs {
		form, bank, stored, b := x.refsAt(seq)
		e := &es[i]
		e.FundID, e.Seq, e.BankRef = x.fundID, int64(seq), strings.Clone(bank)
		switch form & refFormMask {
		case refStored:
			e.Ref = strings.Clone(stored)
		case refVoucherT, refVoucherC:
			buf = x.voucherOf(buf, seq, form&refFormMask)
			e.Ref = string(buf)
		}
		next := func() uint64 {
			v, k := binary.Uvarint(b)
			b = b[k:]
			return v
		}
		e.Kind, e.Class, e.Channel = x.enums[next()], x.enums[next()], x.enums[next()]
		e.Reverses = int64(next())
		n := next()
		e.Party, b = string(b[:n]), b[n:]
		code := next()
		switch code & 3 {
		case noteParty:
			p := code >> 2
			e.Note = string(b[:p]) + e.Party + string(b[p:])
		case noteUpper:
			p := code >> 2
			e.Note = string(b[:p]) + strings.ToUpper(e.Party) + string(b[p:])
		default:
			e.Note = string(b)
		}
		switch x.book[seq-1] {
		case bookIn:
			e.Book = BookIn
		case bookOut:
			e.Book = BookOut
		default:
			e.Book = BookReversal
		}
		t := time.Unix(int64(x.day[seq-1])*86400, 0).UTC()
		e.Date = db.D(t.Year(), t.Month(), t.Day())
		e.Amount = x.amount[seq-1]
	}
}

// The records' arena lives outside the Go heap where the system allows
// (searchindex_arena_mmap.go): the collector lets the heap grow to twice
// what is live before it runs, so 70 MB of records on the heap would cost
// 140 MB of peak memory. Its bytes are only read under x.mu, and every
// string a search returns is a copy, so the mapping can be replaced when
// it grows (x.mu held for writing) and released when the index is dropped.
type recordArena struct {
	b []byte
}

// reserve makes room for n more bytes in x.refData (x.mu held for
// writing): appends within the capacity stay in the arena.
func (x *fundIndex) reserve(n int) {
	if cap(x.refData)-len(x.refData) >= n {
		return
	}
	if x.arena == nil {
		x.arena = &recordArena{}
		runtime.AddCleanup(x, func(a *recordArena) { unmapBytes(a.b) }, x.arena)
	}
	size := max(len(x.refData)+n, cap(x.refData)*5/4, 1<<20)
	b := append(mapBytes(size), x.refData...)
	unmapBytes(x.arena.b)
	x.arena.b, x.refData = b, b
}
