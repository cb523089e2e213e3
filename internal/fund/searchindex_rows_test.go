package fund

import (
	"fmt"
	"strings"
	"testing"

	"giaoban/internal/platform/db"
)

func db0() db.Date { return db.D(2021, 7, 1) }

// TestIndexRowsRoundTrip: an entry's published row comes back from its
// record as it went in, however its note holds the party's name.
func TestIndexRowsRoundTrip(t *testing.T) {
	x := &fundIndex{fundID: 7, code: "COVID19", vouchers: map[voucherKey]*vouchers{}, words: map[string]uint32{}, revBy: map[uint32]uint32{}}
	day := dayOf(db0())
	rows := []indexRow{
		{kind: "receipt", class: "money", channel: "transfer", party: "Tran Duc Tien", note: "IBFT Ung ho Covid - TRAN DUC TIEN", bankRef: "FT21000000075050", ref: "PT-COVID19-2021-000001", series: refVoucherT},
		{kind: "receipt", class: "money", channel: "cash", party: "Nguyễn Văn An", note: "Nguyễn Văn An ủng hộ, Nguyễn Văn An", ref: "PT-COVID19-2021-000002", series: refVoucherT},
		{kind: "receipt", class: "in_kind", channel: "in_kind", party: "Lê Thị Ánh", note: "UH LÊ THỊ ÁNH gạo", ref: "PT-X", series: refVoucherT},
		{kind: "disbursement", class: "money", channel: "cash", party: "An", note: "An An", ref: "PC-COVID19-2021-000001", series: refVoucherC},
		{kind: "reversal", book: bookNone, reversal: true, reverses: 2, class: "money", party: "", note: ""},
		{kind: "transfer", class: "money", channel: "transfer", party: "Quỹ tỉnh", note: "Chuyển quỹ tỉnh", bankRef: "mb.1"},
	}
	for i := range rows {
		rows[i].seq, rows[i].day, rows[i].amount = uint32(i+1), day, int64(1000*(i+1))
		if rows[i].book == 0 && !rows[i].reversal {
			rows[i].book = bookIn
		}
	}
	x.add(rows)
	seqs := []uint32{6, 5, 4, 3, 2, 1}
	es := make([]Entry, len(seqs))
	x.rowsOf(seqs, es)
	for i, seq := range seqs {
		r, e := rows[seq-1], es[i]
		if e.Seq != int64(seq) || e.FundID != 7 || e.Kind != r.kind || e.Class != r.class || e.Channel != r.channel || e.Party != r.party ||
			e.Note != r.note || e.BankRef != r.bankRef || e.Ref != r.ref || e.Reverses != r.reverses || e.Amount != r.amount ||
			!e.Date.Equal(db0().Time) {
			t.Errorf("seq %d: got %+v, want %+v", seq, e, r)
		}
	}
	// Enough more to move the records' arena twice (1 MB, then more).
	var more []indexRow
	for i := 0; i < 30_000; i++ {
		seq := uint32(len(rows) + i + 1)
		more = append(more, indexRow{seq: seq, day: day, book: bookIn, amount: int64(seq), kind: "receipt", class: "money", channel: "transfer",
			party: fmt.Sprintf("Người %d", seq), note: strings.Repeat("ủng hộ ", 10) + fmt.Sprint(seq), bankRef: fmt.Sprintf("FT%d", seq)})
	}
	x.add(more)
	for _, seq := range []uint32{7, 8000, 30_006} {
		es := make([]Entry, 1)
		x.rowsOf([]uint32{seq}, es)
		r := more[seq-7]
		if e := es[0]; e.Party != r.party || e.Note != r.note || e.BankRef != r.bankRef || e.Amount != r.amount {
			t.Errorf("seq %d: got %+v, want %+v", seq, e, r)
		}
	}
}
