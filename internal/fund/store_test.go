package fund_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestFundStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s

		t.Run("fund validation and scope", func(t *testing.T) {
			_, err := s.CreateFund(ctx, f.admin, fund.FundInput{Code: "bad code!", Purpose: "x", UnitID: f.districtUnit.ID, NotePrefix: strings.Repeat("A", 30)})
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid {
				t.Fatalf("err %v", err)
			}
			fields := map[string]bool{}
			for _, fe := range e.Fields {
				fields[fe.Field] = true
			}
			for _, want := range []string{"code", "name", "purpose", "note_prefix"} {
				if !fields[want] {
					t.Errorf("no error for %s in %v", want, e.Fields)
				}
			}
			// A commune secretariat cannot create a district fund, nor see it.
			_, err = s.CreateFund(ctx, f.communeSecretariat, fund.FundInput{Code: "X1", Name: "X", UnitID: f.districtUnit.ID})
			if e, ok := apperr.As(err); !ok || len(e.Fields) == 0 || e.Fields[0].Key != "fund.err.unit_out_of_scope" {
				t.Errorf("out of scope create: %v", err)
			}
			if _, err := s.Managed(ctx, f.communeSecretariat, f.fund.ID); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("commune secretariat manages the district fund: %v", err)
			}
			list := must[[]fund.Fund](t)(s.FundsFor(ctx, f.communeSecretariat, ""))
			if len(list) != 0 {
				t.Errorf("commune secretariat sees %d funds", len(list))
			}
			if _, err := s.CreateFund(ctx, f.communeSecretariat, fund.FundInput{Code: "COVID19-XA", Name: "Quỹ xã", UnitID: f.communeUnit.ID, Campaign: "COVID19"}); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("receipt numbers and balance", func(t *testing.T) {
			r1 := f.receipt(t, "Nguyễn Văn An", 500_000, 1, "FT001")
			r2 := f.receipt(t, "Công ty TNHH Hòa Bình", 10_000_000, 2, "")
			if r1.Ref != "PT-COVID19-2021-000001" || r2.Ref != "PT-COVID19-2021-000002" {
				t.Errorf("receipt numbers %q %q", r1.Ref, r2.Ref)
			}
			if r1.Seq != 1 || r2.Seq != 2 {
				t.Errorf("seqs %d %d", r1.Seq, r2.Seq)
			}
			fd := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID))
			if fd.Balance != 10_500_000 || fd.LogSize != 2 {
				t.Errorf("fund %+v", fd)
			}
			// The same bank reference again is refused.
			_, err := s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, 3), DonorName: "X", Amount: 1, Channel: "transfer", BankRef: "FT001"})
			if e, ok := apperr.As(err); !ok || len(e.Fields) == 0 || e.Fields[0].Key != "fund.err.bank_ref_taken" {
				t.Errorf("duplicate bank ref: %v", err)
			}
		})

		t.Run("a disbursement larger than the balance is refused and writes nothing", func(t *testing.T) {
			before := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID))
			var audits int
			d.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&audits)
			_, err := s.RecordDisbursement(ctx, f.admin, f.fund.ID, fund.DisbursementInput{Date: db.D(2021, 7, 10), Recipient: "Chốt kiểm soát dịch Km 12",
				RecipientKind: "checkpoint", Amount: before.Balance + 1, Purpose: "Thăm hỏi, tặng quà"})
			e, ok := apperr.As(err)
			if !ok || len(e.Fields) == 0 || e.Fields[0].Key != "fund.err.balance" {
				t.Fatalf("err %v", err)
			}
			if !strings.Contains(fmt.Sprint(e.Fields[0].Args...), "10.500.000 đ") {
				t.Errorf("message args %v do not name the balance", e.Fields[0].Args)
			}
			after := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID))
			var n, audits2, cps int
			d.QueryRowContext(ctx, "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1", f.fund.ID).Scan(&n)
			d.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&audits2)
			d.QueryRowContext(ctx, "SELECT COUNT(*) FROM fund_checkpoints WHERE fund_id = $1", f.fund.ID).Scan(&cps)
			if after.Balance != before.Balance || after.LogSize != before.LogSize || n != 2 || audits2 != audits || cps != 2 {
				t.Errorf("something was written: balance %d→%d, size %d→%d, rows %d, audits %d→%d, checkpoints %d",
					before.Balance, after.Balance, before.LogSize, after.LogSize, n, audits, audits2, cps)
			}
			// Exactly the balance is fine.
			out := must[*fund.Entry](t)(s.RecordDisbursement(ctx, f.admin, f.fund.ID, fund.DisbursementInput{Date: db.D(2021, 7, 10),
				Recipient: "Trung tâm Y tế huyện Ia Grai Nam", RecipientKind: "hospital", AreaID: f.commune.ID, Amount: 500_000,
				Purpose: "Hỗ trợ bệnh nhân cách ly", DecisionNo: "12/QĐ-MTTQ"}))
			if out.Amount != -500_000 || out.Ref != "PC-COVID19-2021-000001" || !strings.Contains(out.Note, "12/QĐ-MTTQ") {
				t.Errorf("disbursement %+v", out)
			}
		})

		t.Run("reversal keeps the original and cancels it once", func(t *testing.T) {
			orig := f.receipt(t, "Lê Thị Hoa", 200_000, 5, "")
			bal := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID)).Balance
			rev := must[*fund.Entry](t)(s.Reverse(ctx, f.admin, f.fund.ID, fund.ReversalInput{Seq: orig.Seq, Date: db.D(2021, 7, 6), Reason: "Nhập nhầm số tiền"}))
			if rev.Kind != translog.KindReversal || rev.Amount != -200_000 || rev.Reverses != orig.Seq {
				t.Errorf("reversal %+v", rev)
			}
			again := must[*fund.Entry](t)(s.Entry(ctx, f.fund.ID, orig.Seq))
			if again.Amount != 200_000 || again.ReversedBy != rev.Seq {
				t.Errorf("original after reversal %+v", again)
			}
			if b := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID)).Balance; b != bal-200_000 {
				t.Errorf("balance %d, want %d", b, bal-200_000)
			}
			if _, err := s.Reverse(ctx, f.admin, f.fund.ID, fund.ReversalInput{Seq: orig.Seq, Date: db.D(2021, 7, 6), Reason: "x"}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second reversal: %v", err)
			}
			if _, err := s.Reverse(ctx, f.admin, f.fund.ID, fund.ReversalInput{Seq: rev.Seq, Date: db.D(2021, 7, 6), Reason: "x"}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("reversing a reversal: %v", err)
			}
			// The database refuses edits of the ledger.
			if _, err := d.ExecContext(ctx, "UPDATE fund_entries SET amount = 1 WHERE fund_id = $1 AND seq = $2", f.fund.ID, orig.Seq); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("update of an entry: %v", err)
			}
			if _, err := d.ExecContext(ctx, "DELETE FROM fund_entries WHERE fund_id = $1", f.fund.ID); err == nil {
				t.Error("delete of entries accepted")
			}
			sums := must[*fund.Sums](t)(s.FundSums(ctx, f.fund.ID, 0, db.Date{}, db.Date{}))
			if sums.Received != 10_500_000 || sums.Receipts != 2 || sums.PaidOut != 500_000 {
				t.Errorf("sums %+v", sums)
			}
			// The entry audit trail.
			entries := must[[]audit.Entry](t)(audit.List(ctx, d, audit.Filter{Entity: "fund_entry"}))
			if len(entries) < 5 {
				t.Errorf("%d audit entries for fund entries", len(entries))
			}
		})

		t.Run("transfer recorded on both sides", func(t *testing.T) {
			xa := must[*fund.Fund](t)(s.FundByCode(ctx, "COVID19-XA"))
			must[*fund.Entry](t)(s.RecordReceipt(ctx, f.communeSecretariat, xa.ID, fund.ReceiptInput{Date: db.D(2021, 7, 8), DonorName: "Siu H'Blơi", Amount: 3_000_000}))
			if _, err := s.Transfer(ctx, f.communeSecretariat, xa.ID, fund.TransferInput{ToFundID: f.fund.ID, Date: db.D(2021, 7, 9), Amount: 3_000_001, Purpose: "Nộp quỹ huyện"}); err == nil {
				t.Fatal("transfer over the balance accepted")
			}
			dBefore := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID))
			out := must[*fund.Entry](t)(s.Transfer(ctx, f.communeSecretariat, xa.ID, fund.TransferInput{ToFundID: f.fund.ID, Date: db.D(2021, 7, 9), Amount: 2_000_000, Purpose: "Nộp quỹ huyện", DecisionNo: "05/QĐ-MT"}))
			in := must[*fund.Entry](t)(s.Entry(ctx, f.fund.ID, out.CounterSeq))
			if out.Amount != -2_000_000 || in.Amount != 2_000_000 || *in.Counterpart != xa.ID || in.CounterSeq != out.Seq || in.Party != xa.Name {
				t.Errorf("transfer out %+v in %+v", out, in)
			}
			dAfter := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID))
			xaAfter := must[*fund.Fund](t)(s.Fund(ctx, xa.ID))
			if dAfter.Balance != dBefore.Balance+2_000_000 || xaAfter.Balance != 1_000_000 {
				t.Errorf("balances district %d→%d, commune %d", dBefore.Balance, dAfter.Balance, xaAfter.Balance)
			}
			// Campaign totals do not count the transfer twice.
			rec, paid := must2(t)(s.Totals(ctx, "COVID19", 0, db.D(2021, 7, 1), db.D(2021, 9, 30)))
			if rec != 10_500_000 || paid != 500_000 {
				t.Errorf("campaign totals %d %d", rec, paid)
			}
			// Reversing the transfer reverses both sides.
			must[*fund.Entry](t)(s.Reverse(ctx, f.communeSecretariat, xa.ID, fund.ReversalInput{Seq: out.Seq, Date: db.D(2021, 7, 10), Reason: "Chuyển nhầm"}))
			if b := must[*fund.Fund](t)(s.Fund(ctx, xa.ID)).Balance; b != 3_000_000 {
				t.Errorf("commune balance after reversing the transfer %d", b)
			}
			if b := must[*fund.Fund](t)(s.Fund(ctx, f.fund.ID)).Balance; b != dBefore.Balance {
				t.Errorf("district balance after reversing the transfer %d", b)
			}
		})

		t.Run("the log verifies and the statement names an altered entry", func(t *testing.T) {
			res, err := s.VerifyLog(ctx, f.fund.ID)
			if err != nil {
				t.Fatalf("verify: %v %v", err, res.Problems)
			}
			var buf bytes.Buffer
			size := must[int64](t)(s.WriteStatement(ctx, &buf, f.fund.ID, 0))
			cp := must[*fund.Checkpoint](t)(s.LatestCheckpoint(ctx, f.fund.ID))
			vkey := must[string](t)(s.PublicKey(ctx))
			if size != cp.Size {
				t.Errorf("statement size %d, checkpoint %d", size, cp.Size)
			}
			if _, err := translog.VerifyStatement(bytes.NewReader(buf.Bytes()), cp.Note, vkey); err != nil {
				t.Fatalf("statement does not verify: %v", err)
			}
			// Inclusion proofs of every entry check against the checkpoint.
			tree := must[translog.Tree](t)(translog.VerifyCheckpoint(cp.Note, vkey))
			for seq := int64(1); seq <= cp.Size; seq++ {
				inc := must[*fund.Inclusion](t)(s.ProveInclusion(ctx, f.fund.ID, seq, 0))
				if err := verifyInclusion(inc, tree); err != nil {
					t.Fatalf("entry %d: %v", seq, err)
				}
			}
			if _, err := s.ProveConsistency(ctx, f.fund.ID, 1, 0); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func must2(t testing.TB) func(a, b int64, err error) (int64, int64) {
	return func(a, b int64, err error) (int64, int64) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

// TestGapFreeNumbersUnderConcurrency records receipts from many goroutines
// at once: the numbers are 1..n with no gap and no duplicate, the log's
// sequence likewise, and the log verifies.
func TestGapFreeNumbersUnderConcurrency(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		const workers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					_, err := f.s.RecordReceipt(ctx, f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 8, 1+i), DonorName: fmt.Sprintf("Người %d-%d", w, i), Amount: 100_000})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rows, err := d.QueryContext(ctx, "SELECT voucher_no, seq FROM fund_entries WHERE fund_id = $1 ORDER BY voucher_no", f.fund.ID)
		if err != nil {
			t.Fatal(err)
		}
		var nos, seqs []int64
		for rows.Next() {
			var no, seq int64
			rows.Scan(&no, &seq)
			nos = append(nos, no)
			seqs = append(seqs, seq)
		}
		rows.Close()
		slices.Sort(seqs)
		for i := range nos {
			if nos[i] != int64(i+1) || seqs[i] != int64(i+1) {
				t.Fatalf("numbers %v\nseqs %v", nos, seqs)
			}
		}
		if len(nos) != workers*each {
			t.Fatalf("%d receipts", len(nos))
		}
		if res, err := f.s.VerifyLog(ctx, f.fund.ID); err != nil {
			t.Fatalf("verify: %v %v", err, res.Problems)
		}
	})
}
