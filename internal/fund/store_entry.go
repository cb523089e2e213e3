package fund

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// Columns of an entry for the secretariat (everything).
const entryCols = `e.fund_id, e.seq, e.kind, e.book, e.class, e.date, e.amount, e.ref, e.bank_ref, e.channel, e.party, e.note, e.reverses,
	e.party_folded, e.voucher_year, e.voucher_no, e.donor_name, e.party_kind, e.address, e.phone, e.anonymous, e.in_kind,
	e.transfer_note, e.unit_id, e.area_id, e.decision_no, e.approver, e.counterpart_fund_id, e.counterpart_seq, e.import_id,
	e.created_at, e.created_by,
	COALESCE((SELECT MIN(r.seq) FROM fund_entries r WHERE r.fund_id = e.fund_id AND r.reverses = e.seq AND r.reverses > 0 AND e.kind <> 'reversal'), 0),
	COALESCE((SELECT u.name FROM units u WHERE u.id = e.unit_id), ''), COALESCE((SELECT a.name FROM areas a WHERE a.id = e.area_id), ''),
	COALESCE((SELECT us.full_name FROM users us WHERE us.username = e.created_by), '')`

func scanEntry(row scanner) (*Entry, error) {
	var e Entry
	err := row.Scan(&e.FundID, &e.Seq, &e.Kind, &e.Book, &e.Class, &e.Date, &e.Amount, &e.Ref, &e.BankRef, &e.Channel, &e.Party,
		&e.Note, &e.Reverses, &e.PartyFolded, &e.VoucherYear, &e.VoucherNo, &e.DonorName, &e.PartyKind, &e.Address, &e.Phone,
		&e.Anonymous, &e.InKind, &e.TransferNote, &e.UnitID, &e.AreaID, &e.DecisionNo, &e.Approver, &e.Counterpart,
		&e.CounterSeq, &e.ImportID, &e.CreatedAt, &e.CreatedBy, &e.ReversedBy, &e.UnitName, &e.AreaName, &e.CreatedByName)
	if e.Kind == translog.KindReceipt { // see entryArgs
		if e.DonorName == "" && !e.Anonymous {
			e.DonorName = e.Party
		}
		if e.TransferNote == sameAsNote {
			e.TransferNote = e.Note
		}
	}
	return &e, err
}

func entryBySeq(ctx context.Context, q db.Q, fundID, seq int64) (*Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, "SELECT "+entryCols+" FROM fund_entries e WHERE e.fund_id = $1 AND e.seq = $2", fundID, seq))
	if err != nil {
		return nil, notFound(err, "entry")
	}
	return e, nil
}

// Entry returns one entry of a fund's ledger, private details included.
func (s *Store) Entry(ctx context.Context, fundID, seq int64) (*Entry, error) {
	return entryBySeq(ctx, s.DB, fundID, seq)
}

// Entries lists a fund's entries for the secretariat, newest first, from
// seq before (0: the newest) on.
func (s *Store) Entries(ctx context.Context, fundID, before int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var w where
	w.add("e.fund_id = ?", fundID)
	if before > 0 {
		w.add("e.seq < ?", before)
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+entryCols+" FROM fund_entries e"+w.String()+fmt.Sprintf(" ORDER BY e.seq DESC LIMIT %d", limit), w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: entries: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("fund: entries: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// Channels of receipts and disbursements (the log's values).
var Channels = []string{translog.ChannelCash, translog.ChannelTransfer, translog.ChannelInKind}

func (a *appender) unitArea(unitID int64) (int64, error) {
	var area int64
	err := a.lt.tx.QueryRowContext(a.lt.ctx, "SELECT area_id FROM units WHERE id = $1", unitID).Scan(&area)
	if err != nil {
		return 0, apperr.Field("unit_id", "err.bad_choice", fmt.Sprint(unitID))
	}
	return area, nil
}

// bankRefInUse returns the seq of a live (not reversed) entry of the fund
// with this bank reference, 0 if none.
func (a *appender) bankRefInUse(ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	if err := a.flush(); err != nil {
		return 0, err
	}
	var seq int64
	err := a.lt.tx.QueryRowContext(a.lt.ctx, `SELECT COALESCE(MIN(e.seq), 0) FROM fund_entries e WHERE e.fund_id = $1 AND e.bank_ref = $2 AND e.bank_ref <> ''
		AND e.kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.fund_id = e.fund_id AND r.reverses = e.seq AND r.reverses > 0)`,
		a.fund.ID, ref).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("fund: bank reference: %w", err)
	}
	return seq, nil
}

func auditEntry(e *Entry) map[string]any {
	return map[string]any{"seq": e.Seq, "kind": e.Kind, "date": e.Date, "amount": e.Amount, "ref": e.Ref, "bank_ref": e.BankRef,
		"channel": e.Channel, "party": e.Party, "note": e.Note, "reverses": e.Reverses}
}

func (lt *ledgerTx) audit(e *Entry) error {
	return audit.Record(lt.ctx, lt.tx, audit.Create, "fund_entry", fmt.Sprintf("%d/%d", e.FundID, e.Seq), nil, auditEntry(e))
}

func validMoney(fe *apperr.Fields, field string, v int64) {
	if v <= 0 {
		fe.Add(field, "fund.err.amount_positive")
	} else if v > 1_000_000_000_000_000 {
		fe.Add(field, "fund.err.amount_too_large")
	}
}

func (in *ReceiptInput) normalize() {
	in.DonorName = vn.NFC(strings.Join(strings.Fields(in.DonorName), " "))
	in.Address = vn.NFC(strings.TrimSpace(in.Address))
	in.Phone = strings.TrimSpace(in.Phone)
	in.InKind = vn.NFC(strings.TrimSpace(in.InKind))
	in.BankRef = strings.TrimSpace(in.BankRef)
	in.TransferNote = vn.NFC(strings.TrimSpace(strings.ReplaceAll(in.TransferNote, sameAsNote, "")))
	if in.DonorKind == "" {
		in.DonorKind = DonorIndividual
	}
	if in.Channel == "" {
		in.Channel = translog.ChannelCash
	}
}

func (in *ReceiptInput) validate() error {
	in.normalize()
	var fe apperr.Fields
	if !in.Date.Valid() {
		fe.Add("date", "err.required")
	}
	checkText(&fe, "donor_name", in.DonorName, !in.Anonymous, maxName)
	if in.DonorKind != DonorIndividual && in.DonorKind != DonorOrganisation {
		fe.Add("donor_kind", "err.bad_choice", in.DonorKind)
	}
	checkText(&fe, "address", in.Address, false, maxName)
	checkText(&fe, "phone", in.Phone, false, 30)
	validMoney(&fe, "amount", in.Amount)
	if !slices.Contains(Channels, in.Channel) {
		fe.Add("channel", "err.bad_choice", in.Channel)
	}
	checkText(&fe, "in_kind", in.InKind, in.Channel == translog.ChannelInKind, maxNote/2)
	checkText(&fe, "bank_ref", in.BankRef, false, translog.MaxRefLen)
	checkText(&fe, "transfer_note", in.TransferNote, false, maxNote)
	return fe.Err()
}

// receiptEntry builds the entry of a receipt (unit and area filled by the
// caller).
func receiptEntry(in ReceiptInput) *Entry {
	class := ClassMoney
	if in.Channel == translog.ChannelInKind {
		class = ClassInKind
	}
	return &Entry{Kind: translog.KindReceipt, Book: BookIn, Class: class, Date: in.Date, Amount: in.Amount, BankRef: in.BankRef,
		Channel: in.Channel, Party: publicParty(in.DonorName, in.Anonymous), Note: publicReceiptNote(in.TransferNote, in.InKind, in.Anonymous),
		DonorName: in.DonorName, PartyKind: in.DonorKind, Address: in.Address, Phone: in.Phone, Anonymous: in.Anonymous,
		InKind: in.InKind, TransferNote: in.TransferNote}
}

// RecordReceipt records a receipt on behalf of p and gives it the next
// receipt number of the fund and year.
func (s *Store) RecordReceipt(ctx context.Context, p *auth.Principal, fundID int64, in ReceiptInput) (*Entry, error) {
	if _, err := s.Managed(ctx, p, fundID); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var e *Entry
	err := s.ledger(ctx, []int64{fundID}, func(lt *ledgerTx) error {
		a := lt.funds[fundID]
		if in.UnitID == 0 {
			in.UnitID = a.fund.UnitID
		}
		area, err := a.unitArea(in.UnitID)
		if err != nil {
			return err
		}
		if seq, err := a.bankRefInUse(in.BankRef); err != nil {
			return err
		} else if seq > 0 {
			return apperr.Field("bank_ref", "fund.err.bank_ref_taken", in.BankRef, seq)
		}
		e = receiptEntry(in)
		e.UnitID, e.AreaID = &in.UnitID, &area
		if err := a.add(e); err != nil {
			return err
		}
		return lt.audit(e)
	})
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, fundID, e.Seq)
}

func (in *DisbursementInput) validate() error {
	in.Recipient = vn.NFC(strings.Join(strings.Fields(in.Recipient), " "))
	in.Purpose = vn.NFC(strings.TrimSpace(in.Purpose))
	in.InKind = vn.NFC(strings.TrimSpace(in.InKind))
	in.DecisionNo = vn.NFC(strings.TrimSpace(in.DecisionNo))
	in.Approver = vn.NFC(strings.TrimSpace(in.Approver))
	in.BankRef = strings.TrimSpace(in.BankRef)
	if in.RecipientKind == "" {
		in.RecipientKind = "other"
	}
	if in.Channel == "" {
		in.Channel = translog.ChannelCash
	}
	var fe apperr.Fields
	if !in.Date.Valid() {
		fe.Add("date", "err.required")
	}
	checkText(&fe, "recipient", in.Recipient, true, maxName)
	if !slices.Contains(RecipientKinds, in.RecipientKind) {
		fe.Add("recipient_kind", "err.bad_choice", in.RecipientKind)
	}
	validMoney(&fe, "amount", in.Amount)
	if !slices.Contains(Channels, in.Channel) {
		fe.Add("channel", "err.bad_choice", in.Channel)
	}
	checkText(&fe, "in_kind", in.InKind, in.Channel == translog.ChannelInKind, maxNote/2)
	checkText(&fe, "purpose", in.Purpose, true, maxNote/2)
	checkText(&fe, "decision_no", in.DecisionNo, false, translog.MaxRefLen)
	checkText(&fe, "approver", in.Approver, false, maxName)
	checkText(&fe, "bank_ref", in.BankRef, false, translog.MaxRefLen)
	return fe.Err()
}

// RecordDisbursement records a disbursement on behalf of p. It is refused
// when it is larger than the fund's balance.
func (s *Store) RecordDisbursement(ctx context.Context, p *auth.Principal, fundID int64, in DisbursementInput) (*Entry, error) {
	f, err := s.Managed(ctx, p, fundID)
	if err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if in.AreaID == 0 {
		in.AreaID = f.AreaID
	}
	var e *Entry
	err = s.ledger(ctx, []int64{fundID}, func(lt *ledgerTx) error {
		a := lt.funds[fundID]
		var one int
		if err := lt.tx.QueryRowContext(ctx, "SELECT 1 FROM areas WHERE id = $1", in.AreaID).Scan(&one); err != nil {
			return apperr.Field("area_id", "err.bad_choice", fmt.Sprint(in.AreaID))
		}
		if seq, err := a.bankRefInUse(in.BankRef); err != nil {
			return err
		} else if seq > 0 {
			return apperr.Field("bank_ref", "fund.err.bank_ref_taken", in.BankRef, seq)
		}
		unit := a.fund.UnitID
		if in.UnitID != 0 {
			if _, err := a.unitArea(in.UnitID); err != nil {
				return err
			}
			unit = in.UnitID
		}
		e = &Entry{Kind: translog.KindDisbursement, Book: BookOut, Class: ClassOut, Date: in.Date, Amount: -in.Amount,
			BankRef: in.BankRef, Channel: in.Channel, Party: in.Recipient, Note: publicDisbursementNote(in.Purpose, in.InKind, in.DecisionNo),
			PartyKind: in.RecipientKind, InKind: in.InKind, TransferNote: in.Purpose, UnitID: &unit, AreaID: &in.AreaID,
			DecisionNo: in.DecisionNo, Approver: in.Approver}
		if err := a.add(e); err != nil {
			return err
		}
		return lt.audit(e)
	})
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, fundID, e.Seq)
}

// Reverse records a reversing entry for an entry on behalf of p: the
// original stays as it is, and the reversal (the same amount with the
// opposite sign, pointing at it) cancels it in the totals and the balance.
// Reversing a transfer reverses both sides. An entry is reversed once; a
// reversal cannot be reversed (record the entry again instead).
func (s *Store) Reverse(ctx context.Context, p *auth.Principal, fundID int64, in ReversalInput) (*Entry, error) {
	if _, err := s.Managed(ctx, p, fundID); err != nil {
		return nil, err
	}
	in.Reason = vn.NFC(strings.TrimSpace(in.Reason))
	var fe apperr.Fields
	if !in.Date.Valid() {
		fe.Add("date", "err.required")
	}
	checkText(&fe, "reason", in.Reason, true, maxNote/2)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	orig, err := s.Entry(ctx, fundID, in.Seq)
	if err != nil {
		return nil, err
	}
	ids := []int64{fundID}
	if orig.Kind == translog.KindTransfer && orig.Counterpart != nil {
		ids = append(ids, *orig.Counterpart)
	}
	var out *Entry
	err = s.ledger(ctx, ids, func(lt *ledgerTx) error {
		e, err := lt.reverse(fundID, in)
		if err != nil {
			return err
		}
		out = e
		if orig.Kind == translog.KindTransfer && orig.Counterpart != nil {
			other := in
			other.Seq = orig.CounterSeq
			if _, err := lt.reverse(*orig.Counterpart, other); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, fundID, out.Seq)
}

func (lt *ledgerTx) reverse(fundID int64, in ReversalInput) (*Entry, error) {
	a := lt.funds[fundID]
	if err := a.flush(); err != nil {
		return nil, err
	}
	orig, err := entryBySeq(lt.ctx, lt.tx, fundID, in.Seq)
	if err != nil {
		return nil, err
	}
	if orig.Kind == translog.KindReversal {
		return nil, apperr.New(apperr.Conflict, "fund.err.reverse_reversal")
	}
	if orig.ReversedBy > 0 {
		return nil, apperr.New(apperr.Conflict, "fund.err.already_reversed", orig.Seq, orig.ReversedBy)
	}
	e := &Entry{Kind: translog.KindReversal, Book: BookReversal, Class: orig.Class, Date: in.Date, Amount: -orig.Amount,
		Ref: orig.Ref, Channel: orig.Channel, Party: orig.Party, Note: fmt.Sprintf("Đảo bút toán số %d: %s", orig.Seq, in.Reason),
		Reverses: orig.Seq, Anonymous: orig.Anonymous, UnitID: orig.UnitID, AreaID: orig.AreaID, TransferNote: in.Reason,
		Counterpart: orig.Counterpart}
	if err := a.add(e); err != nil {
		return nil, err
	}
	return e, lt.audit(e)
}

// Transfer moves money from fund fromID to another fund (between the funds
// of different levels), recorded in both logs in one transaction: an
// outgoing transfer in the first, an incoming one in the second, each
// pointing at the other. p must manage the sending fund.
func (s *Store) Transfer(ctx context.Context, p *auth.Principal, fromID int64, in TransferInput) (*Entry, error) {
	from, err := s.Managed(ctx, p, fromID)
	if err != nil {
		return nil, err
	}
	in.Purpose = vn.NFC(strings.TrimSpace(in.Purpose))
	in.DecisionNo = vn.NFC(strings.TrimSpace(in.DecisionNo))
	in.BankRef = strings.TrimSpace(in.BankRef)
	var fe apperr.Fields
	if !in.Date.Valid() {
		fe.Add("date", "err.required")
	}
	validMoney(&fe, "amount", in.Amount)
	checkText(&fe, "purpose", in.Purpose, true, maxNote/2)
	checkText(&fe, "decision_no", in.DecisionNo, false, translog.MaxRefLen)
	checkText(&fe, "bank_ref", in.BankRef, false, translog.MaxRefLen)
	var to *Fund
	if in.ToFundID == fromID {
		fe.Add("to_fund_id", "fund.err.same_fund")
	} else if to, err = s.Fund(ctx, in.ToFundID); err != nil {
		fe.Add("to_fund_id", "err.bad_choice", fmt.Sprint(in.ToFundID))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out *Entry
	err = s.ledger(ctx, []int64{fromID, to.ID}, func(lt *ledgerTx) error {
		af, at := lt.funds[fromID], lt.funds[to.ID]
		outSeq, inSeq := af.size+1, at.size+1
		note := publicDisbursementNote(in.Purpose, "", in.DecisionNo)
		fu, tu := af.fund.UnitID, at.fund.UnitID
		fa, ta := af.fund.AreaID, at.fund.AreaID
		out = &Entry{Kind: translog.KindTransfer, Book: BookOut, Class: ClassTransferOut, Date: in.Date, Amount: -in.Amount,
			BankRef: in.BankRef, Channel: translog.ChannelTransfer, Party: to.Name, Note: note, PartyKind: "fund",
			TransferNote: in.Purpose, DecisionNo: in.DecisionNo, UnitID: &fu, AreaID: &fa, Counterpart: &to.ID, CounterSeq: inSeq}
		back := &Entry{Kind: translog.KindTransfer, Book: BookIn, Class: ClassTransferIn, Date: in.Date, Amount: in.Amount,
			BankRef: in.BankRef, Channel: translog.ChannelTransfer, Party: from.Name, Note: note, PartyKind: "fund",
			TransferNote: in.Purpose, DecisionNo: in.DecisionNo, UnitID: &tu, AreaID: &ta, Counterpart: &from.ID, CounterSeq: outSeq}
		if err := af.add(out); err != nil {
			return err
		}
		if err := at.add(back); err != nil {
			return err
		}
		if err := lt.audit(out); err != nil {
			return err
		}
		return lt.audit(back)
	})
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, fromID, out.Seq)
}

// RecordReceipts records several receipts in one transaction (all or
// none), in order, with one checkpoint at the end: for batch entry and the
// demo. Each gets its receipt number as RecordReceipt gives it.
func (s *Store) RecordReceipts(ctx context.Context, p *auth.Principal, fundID int64, ins []ReceiptInput) ([]int64, error) {
	if _, err := s.Managed(ctx, p, fundID); err != nil {
		return nil, err
	}
	for i := range ins {
		if err := ins[i].validate(); err != nil {
			if e, ok := apperr.As(err); ok {
				for j := range e.Fields {
					e.Fields[j].Field = fmt.Sprintf("%d.%s", i, e.Fields[j].Field)
				}
			}
			return nil, err
		}
	}
	seqs := make([]int64, 0, len(ins))
	err := s.ledger(ctx, []int64{fundID}, func(lt *ledgerTx) error {
		a := lt.funds[fundID]
		areas := map[int64]int64{}
		refs := map[string]bool{}
		for _, in := range ins {
			if in.UnitID == 0 {
				in.UnitID = a.fund.UnitID
			}
			area, ok := areas[in.UnitID]
			if !ok {
				var err error
				if area, err = a.unitArea(in.UnitID); err != nil {
					return err
				}
				areas[in.UnitID] = area
			}
			if in.BankRef != "" {
				if seq, err := a.bankRefInUse(in.BankRef); err != nil {
					return err
				} else if seq > 0 || refs[in.BankRef] {
					return apperr.Field("bank_ref", "fund.err.bank_ref_taken", in.BankRef, seq)
				}
				refs[in.BankRef] = true
			}
			e := receiptEntry(in)
			unit := in.UnitID
			e.UnitID, e.AreaID = &unit, &area
			if err := a.add(e); err != nil {
				return err
			}
			if err := lt.audit(e); err != nil {
				return err
			}
			seqs = append(seqs, e.Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return seqs, nil
}
