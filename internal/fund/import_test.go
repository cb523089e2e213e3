package fund_test

import (
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

const vcbStatement = `NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM
SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT
Số tài khoản: 0071001234567
Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả
01/07/2021,FT21182001,,500.000,500.000,NGUYEN VAN AN chuyen tien ung ho covid
02/07/2021,FT21183002,,"1.000.000",1.500.000,MBVCB.123456.TRAN THI BINH ung ho quy phong chong covid 0905123456
03/07/2021,FT21184003,,2.000.000,3.500.000,CONG TY TNHH HOA BINH UNG HO COVID19
04/07/2021,FT21185004,300.000,,3.200.000,Chi ho tro chot kiem soat
05/07/2021,FT21186005,,abc,,Loi so tien
31/02/2021,FT21187006,,100.000,,Ngay khong ton tai
06/07/2021,FT21182001,,500.000,3.700.000,NGUYEN VAN AN chuyen tien ung ho covid
Tổng cộng,,300.000,3.500.000,,
`

func count(t *testing.T, d *db.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.QueryRowContext(testCtx(t), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImport(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := testCtx(t)
		f := newFixture(t, d)
		s := f.s
		entries := func() int64 { return count(t, d, "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1", f.fund.ID) }

		t.Run("dry run writes nothing and classifies every line", func(t *testing.T) {
			var lines []fund.ImportLine
			sum := must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(vcbStatement),
				fund.ImportOptions{DryRun: true, OnLine: func(l fund.ImportLine) { lines = append(lines, l) }}))
			if sum.Status != "dry_run" || sum.Count(fund.ActionReceipt) != 3 || sum.Count(fund.ActionReview) != 1 ||
				sum.Count(fund.ActionReject) != 2 || sum.Count(fund.ActionSkip) != 1 || sum.Received != 3_500_000 {
				t.Fatalf("summary %+v", sum)
			}
			if sum.HeaderLine != 4 || sum.Columns["credit"] != "Số tiền ghi có" {
				t.Errorf("mapping %d %v", sum.HeaderLine, sum.Columns)
			}
			if n := entries(); n != 0 {
				t.Errorf("dry run wrote %d entries", n)
			}
			byLine := map[int]fund.ImportLine{}
			for _, l := range lines {
				byLine[l.Line] = l
			}
			if l := byLine[5]; l.Donor != "Nguyen Van An" || !l.DonorFound {
				t.Errorf("line 5 %+v", l)
			}
			if l := byLine[6]; l.Donor != "Tran Thi Binh" {
				t.Errorf("line 6 %+v", l)
			}
			if l := byLine[7]; l.DonorFound || !strings.Contains(l.Donor, "CONG TY TNHH HOA BINH") {
				t.Errorf("line 7 %+v", l)
			}
			if l := byLine[9]; l.Action != fund.ActionReject || !strings.Contains(l.Message, "abc") {
				t.Errorf("line 9 %+v", l)
			}
			if l := byLine[10]; l.Action != fund.ActionReject || !strings.Contains(l.Message, "31/02/2021") {
				t.Errorf("line 10 %+v", l)
			}
			if l := byLine[11]; l.Action != fund.ActionSkip || l.Reason != "fund.import.reason.repeated" {
				t.Errorf("line 11 (same reference twice in the file) %+v", l)
			}
		})

		t.Run("import, then the same file again adds nothing", func(t *testing.T) {
			// A disbursement the debit line matches.
			f.receipt(t, "Quỹ đầu kỳ", 1_000_000, 1, "")
			must[*fund.Entry](t)(s.RecordDisbursement(ctx, f.admin, f.fund.ID, fund.DisbursementInput{Date: db.D(2021, 7, 2),
				Recipient: "Chốt kiểm soát dịch Km 12", Amount: 300_000, Purpose: "Hỗ trợ chốt kiểm soát"}))
			sum := must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(vcbStatement), fund.ImportOptions{FileName: "vcb.csv"}))
			if sum.Count(fund.ActionReceipt) != 3 || sum.Count(fund.ActionMatch) != 1 || sum.Count(fund.ActionReview) != 0 {
				t.Fatalf("summary %+v", sum.Counts)
			}
			if n := entries(); n != 5 {
				t.Fatalf("%d entries, want 5", n)
			}
			var party, note, kind string
			d.QueryRowContext(ctx, "SELECT party, note, party_kind FROM fund_entries WHERE fund_id = $1 AND bank_ref = 'FT21183002'", f.fund.ID).Scan(&party, &note, &kind)
			if party != "Tran Thi Binh" || strings.Contains(note, "0905123456") || kind != fund.DonorIndividual {
				t.Errorf("imported receipt: party %q note %q kind %q", party, note, kind)
			}
			d.QueryRowContext(ctx, "SELECT party_kind FROM fund_entries WHERE fund_id = $1 AND bank_ref = 'FT21184003'", f.fund.ID).Scan(&kind)
			if kind != fund.DonorOrganisation {
				t.Errorf("company receipt kind %q", kind)
			}
			again := must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(vcbStatement), fund.ImportOptions{}))
			if again.Count(fund.ActionReceipt) != 0 || again.Count(fund.ActionMatch) != 0 || again.Count(fund.ActionSkip) != 5 {
				t.Fatalf("second import %+v", again.Counts)
			}
			if n := entries(); n != 5 {
				t.Fatalf("second import: %d entries, want 5", n)
			}
		})

		t.Run("a known reference with another amount is flagged", func(t *testing.T) {
			changed := strings.Replace(vcbStatement, `02/07/2021,FT21183002,,"1.000.000"`, `02/07/2021,FT21183002,,"1.100.000"`, 1)
			var flagged []fund.ImportLine
			sum := must[*fund.ImportSummary](t)(s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(changed), fund.ImportOptions{
				OnLine: func(l fund.ImportLine) {
					if l.Action == fund.ActionReject && l.Reason == "fund.import.reason.ref_conflict" {
						flagged = append(flagged, l)
					}
				}}))
			if len(flagged) != 1 || flagged[0].BankRef != "FT21183002" || !strings.Contains(flagged[0].Message, "1.000.000 đ") {
				t.Fatalf("flagged %+v (summary %+v)", flagged, sum.Counts)
			}
			if n := entries(); n != 5 {
				t.Fatalf("%d entries, want 5", n)
			}
		})

		t.Run("preview then commit is all or nothing", func(t *testing.T) {
			file := `Ngày,Số tham chiếu,Ghi có,Ghi nợ,Nội dung
10/07/2021,REF-A,200.000,,LE VAN CUONG ung ho
10/07/2021,REF-B,300.000,,PHAM THI DUNG ung ho
11/07/2021,REF-C,400.000,,KSOR H BLONG ung ho
`
			sum := must[*fund.ImportSummary](t)(s.PreviewImport(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{FileName: "x.csv"}))
			if sum.Count(fund.ActionReceipt) != 3 || sum.ID == "" {
				t.Fatalf("preview %+v", sum)
			}
			lines := must[[]fund.ImportLine](t)(s.ImportLines(ctx, sum.ID, fund.ActionReceipt, 0, 10))
			if len(lines) != 3 || lines[2].Donor != "Ksor H Blong" {
				t.Errorf("preview lines %+v", lines)
			}
			before := entries()
			// Someone records REF-C by hand before the commit.
			f.receipt(t, "Ksor H'Blông", 400_000, 11, "REF-C")
			_, err := s.CommitImport(ctx, f.admin, f.fund.ID, sum.ID)
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("commit of a stale preview: %v", err)
			}
			if n := entries(); n != before+1 {
				t.Fatalf("a failed commit wrote: %d entries, want %d", n, before+1)
			}
			// A fresh preview skips REF-C and commits the rest.
			sum = must[*fund.ImportSummary](t)(s.PreviewImport(ctx, f.admin, f.fund.ID, strings.NewReader(file), fund.ImportOptions{}))
			if sum.Count(fund.ActionReceipt) != 2 || sum.Count(fund.ActionSkip) != 1 {
				t.Fatalf("second preview %+v", sum.Counts)
			}
			must[*fund.ImportSummary](t)(s.CommitImport(ctx, f.admin, f.fund.ID, sum.ID))
			if n := entries(); n != before+3 {
				t.Fatalf("%d entries after commit, want %d", n, before+3)
			}
			if _, err := s.CommitImport(ctx, f.admin, f.fund.ID, sum.ID); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second commit: %v", err)
			}
			if res, err := s.VerifyLog(ctx, f.fund.ID); err != nil {
				t.Fatalf("verify: %v %v", err, res.Problems)
			}
		})

		t.Run("not a statement", func(t *testing.T) {
			for _, bad := range []string{"", "hello\nworld\n", "\x00\x01\x02", strings.Repeat("a,b,c\n", 100)} {
				_, err := s.ImportStatement(ctx, f.admin, f.fund.ID, strings.NewReader(bad), fund.ImportOptions{})
				if !apperr.Is(err, apperr.Invalid) {
					t.Errorf("%q: %v", bad[:min(len(bad), 20)], err)
				}
			}
		})
	})
}
