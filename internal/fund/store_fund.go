package fund

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"giaoban/internal/fund/vietqr"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const fundCols = `f.id, f.code, f.name, f.purpose, f.description, f.unit_id, f.campaign, f.note_prefix, f.start_date, f.end_date,
	f.legal_basis, f.target, f.disclose_days, f.is_public, f.log_size, f.balance, f.created_at, f.updated_at,
	u.name, a.id, a.name, a.path`

const fundFrom = ` FROM funds f JOIN units u ON u.id = f.unit_id JOIN areas a ON a.id = u.area_id`

func scanFund(row scanner) (*Fund, error) {
	var f Fund
	err := row.Scan(&f.ID, &f.Code, &f.Name, &f.Purpose, &f.Description, &f.UnitID, &f.Campaign, &f.NotePrefix, &f.StartDate, &f.EndDate,
		&f.LegalBasis, &f.Target, &f.DiscloseDays, &f.Public, &f.LogSize, &f.Balance, &f.CreatedAt, &f.UpdatedAt,
		&f.UnitName, &f.AreaID, &f.AreaName, &f.AreaPath)
	return &f, err
}

func fundByID(ctx context.Context, q db.Q, id int64) (*Fund, error) {
	f, err := scanFund(q.QueryRowContext(ctx, "SELECT "+fundCols+fundFrom+" WHERE f.id = $1", id))
	if err != nil {
		return nil, notFound(err, "fund")
	}
	return f, nil
}

// Fund returns one fund.
func (s *Store) Fund(ctx context.Context, id int64) (*Fund, error) { return fundByID(ctx, s.DB, id) }

// FundByCode returns the fund with a code (case ignored).
func (s *Store) FundByCode(ctx context.Context, code string) (*Fund, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ValidFundCode(code) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	f, err := scanFund(s.DB.QueryRowContext(ctx, "SELECT "+fundCols+fundFrom+" WHERE f.code = $1", code))
	if err != nil {
		return nil, notFound(err, "fund")
	}
	return f, nil
}

// PublicFund returns a public fund by code; a fund that is not public is
// not found.
func (s *Store) PublicFund(ctx context.Context, code string) (*Fund, error) {
	f, err := s.FundByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !f.Public {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return f, nil
}

// FundFilter selects funds; zero fields do not filter.
type FundFilter struct {
	PublicOnly bool
	// ScopePath keeps the funds whose managing unit's area lies under it.
	ScopePath string
	Q         string
}

// Funds lists funds, newest first.
func (s *Store) Funds(ctx context.Context, f FundFilter) ([]Fund, error) {
	var w where
	if f.PublicOnly {
		w.add("f.is_public = ?", true)
	}
	if f.ScopePath != "" {
		w.add("a.path LIKE ?", f.ScopePath+"%")
	}
	for _, word := range vn.FoldWords(f.Q) {
		w.add("(' ' || f.name_folded) LIKE ?", "% "+word+"%")
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+fundCols+fundFrom+w.String()+" ORDER BY f.start_date DESC, f.id DESC", w.args...)
	if err != nil {
		return nil, fmt.Errorf("fund: funds: %w", err)
	}
	defer rows.Close()
	var out []Fund
	for rows.Next() {
		x, err := scanFund(rows)
		if err != nil {
			return nil, fmt.Errorf("fund: funds: %w", err)
		}
		out = append(out, *x)
	}
	return out, rows.Err()
}

// FundsFor lists the funds a principal manages: all for admins, those of
// units in the secretariat's area subtree otherwise.
func (s *Store) FundsFor(ctx context.Context, p *auth.Principal, q string) ([]Fund, error) {
	f := FundFilter{Q: q}
	if p == nil || !p.Has(auth.PermFundManage) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if p.Role != auth.Admin {
		if p.ScopePath == "" {
			return nil, nil
		}
		f.ScopePath = p.ScopePath
	}
	return s.Funds(ctx, f)
}

// CanManage tells whether p may change the fund: its managing unit's area
// must be in p's scope.
func CanManage(p *auth.Principal, f *Fund) bool {
	return p != nil && p.Has(auth.PermFundManage) && p.CanManageArea(f.AreaPath)
}

// Managed returns a fund the principal may manage; Forbidden otherwise.
func (s *Store) Managed(ctx context.Context, p *auth.Principal, id int64) (*Fund, error) {
	f, err := s.Fund(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanManage(p, f) {
		return nil, apperr.New(apperr.Forbidden, "fund.err.out_of_scope")
	}
	return f, nil
}

func (s *Store) validateFund(ctx context.Context, q db.Q, in *FundInput, exceptID int64) error {
	var fe apperr.Fields
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = vn.NFC(strings.TrimSpace(in.Name))
	in.Description = vn.NFC(strings.TrimSpace(in.Description))
	in.Campaign = strings.ToUpper(strings.TrimSpace(in.Campaign))
	in.NotePrefix = vietqr.NormalizeNote(in.NotePrefix)
	in.LegalBasis = vn.NFC(strings.TrimSpace(in.LegalBasis))
	if in.Purpose == "" {
		in.Purpose = PurposeOther
	}
	if in.DiscloseDays == 0 {
		in.DiscloseDays = 5
	}
	if !ValidFundCode(in.Code) {
		fe.Add("code", "fund.err.code")
	} else {
		var id int64
		err := q.QueryRowContext(ctx, "SELECT id FROM funds WHERE code = $1", in.Code).Scan(&id)
		if err == nil && id != exceptID {
			fe.Add("code", "fund.err.code_taken", in.Code)
		}
	}
	checkText(&fe, "name", in.Name, true, maxName)
	checkText(&fe, "description", in.Description, false, maxText)
	checkText(&fe, "legal_basis", in.LegalBasis, false, maxText)
	if in.Campaign != "" && !ValidFundCode(in.Campaign) {
		fe.Add("campaign", "fund.err.code")
	}
	if len(in.NotePrefix) > vietqr.MaxNote-5 {
		fe.Add("note_prefix", "fund.err.note_prefix", vietqr.MaxNote-5)
	}
	if !slices.Contains(Purposes, in.Purpose) {
		fe.Add("purpose", "err.bad_choice", in.Purpose)
	}
	if in.Target < 0 {
		fe.Add("target", "fund.err.negative")
	}
	if in.DiscloseDays < 1 || in.DiscloseDays > 366 {
		fe.Add("disclose_days", "fund.err.disclose_days")
	}
	if in.StartDate.Valid() && in.EndDate.Valid() && in.EndDate.Before(in.StartDate.Time) {
		fe.Add("end_date", "fund.err.end_before_start")
	}
	if in.UnitID == 0 {
		fe.Add("unit_id", "err.required")
	} else {
		var one int
		if err := q.QueryRowContext(ctx, "SELECT 1 FROM units WHERE id = $1", in.UnitID).Scan(&one); err != nil {
			fe.Add("unit_id", "err.bad_choice", fmt.Sprint(in.UnitID))
		}
	}
	return fe.Err()
}

// checkUnitScope refuses a managing unit outside the principal's scope.
func (s *Store) checkUnitScope(ctx context.Context, p *auth.Principal, unitID int64) error {
	if p == nil || !p.Has(auth.PermFundManage) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	var path string
	err := s.DB.QueryRowContext(ctx, "SELECT a.path FROM units u JOIN areas a ON a.id = u.area_id WHERE u.id = $1", unitID).Scan(&path)
	if err == sql.ErrNoRows {
		return nil // validation reports the unknown unit
	}
	if err != nil {
		return fmt.Errorf("fund: unit scope: %w", err)
	}
	if !p.CanManageArea(path) {
		return apperr.Field("unit_id", "fund.err.unit_out_of_scope")
	}
	return nil
}

func (f *Fund) auditView() map[string]any {
	return map[string]any{"code": f.Code, "name": f.Name, "purpose": f.Purpose, "unit_id": f.UnitID, "campaign": f.Campaign,
		"note_prefix": f.NotePrefix, "start_date": f.StartDate, "end_date": f.EndDate, "legal_basis": f.LegalBasis,
		"target": f.Target, "disclose_days": f.DiscloseDays, "public": f.Public}
}

func inputView(in FundInput, public bool) map[string]any {
	f := Fund{Code: in.Code, Name: in.Name, Purpose: in.Purpose, UnitID: in.UnitID, Campaign: in.Campaign, NotePrefix: in.NotePrefix,
		StartDate: in.StartDate, EndDate: in.EndDate, LegalBasis: in.LegalBasis, Target: in.Target, DiscloseDays: in.DiscloseDays, Public: public}
	return f.auditView()
}

// CreateFund creates a fund on behalf of p.
func (s *Store) CreateFund(ctx context.Context, p *auth.Principal, in FundInput) (*Fund, error) {
	if err := s.checkUnitScope(ctx, p, in.UnitID); err != nil {
		return nil, err
	}
	if err := s.validateFund(ctx, s.DB, &in, 0); err != nil {
		return nil, err
	}
	public := in.Public == nil || *in.Public
	t := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO funds (code, name, name_folded, purpose, description, unit_id, campaign, note_prefix,
			start_date, end_date, legal_basis, target, disclose_days, is_public, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			in.Code, in.Name, vn.Fold(in.Name), in.Purpose, in.Description, in.UnitID, in.Campaign, in.NotePrefix,
			in.StartDate, in.EndDate, in.LegalBasis, in.Target, in.DiscloseDays, public, t).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "fund.err.code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("fund: create: %w", err)
		}
		if s.DB.Dialect == db.SQLite && id > MaxSearchFunds {
			return apperr.New(apperr.Invalid, "fund.err.too_many_funds", MaxSearchFunds)
		}
		return audit.Record(ctx, tx, audit.Create, "fund", id, nil, inputView(in, public))
	})
	if err != nil {
		return nil, err
	}
	return s.Fund(ctx, id)
}

// UpdateFund changes a fund's description on behalf of p. The code cannot
// change once the fund has entries (it is in every voucher number and
// checkpoint).
func (s *Store) UpdateFund(ctx context.Context, p *auth.Principal, id int64, in FundInput) (*Fund, error) {
	old, err := s.Managed(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if in.UnitID != old.UnitID {
		if err := s.checkUnitScope(ctx, p, in.UnitID); err != nil {
			return nil, err
		}
	}
	if err := s.validateFund(ctx, s.DB, &in, id); err != nil {
		return nil, err
	}
	if in.Code != old.Code && old.LogSize > 0 {
		return nil, apperr.Field("code", "fund.err.code_fixed")
	}
	public := old.Public
	if in.Public != nil {
		public = *in.Public
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE funds SET code=$1, name=$2, name_folded=$3, purpose=$4, description=$5, unit_id=$6,
			campaign=$7, note_prefix=$8, start_date=$9, end_date=$10, legal_basis=$11, target=$12, disclose_days=$13, is_public=$14,
			updated_at=$15 WHERE id=$16`,
			in.Code, in.Name, vn.Fold(in.Name), in.Purpose, in.Description, in.UnitID, in.Campaign, in.NotePrefix,
			in.StartDate, in.EndDate, in.LegalBasis, in.Target, in.DiscloseDays, public, s.now(), id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "fund.err.code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("fund: update: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "fund", id, old.auditView(), inputView(in, public))
	})
	if err != nil {
		return nil, err
	}
	return s.Fund(ctx, id)
}

// InputOf returns the input that describes f as it is (for PATCH).
func InputOf(f *Fund) FundInput {
	pub := f.Public
	return FundInput{Code: f.Code, Name: f.Name, Purpose: f.Purpose, Description: f.Description, UnitID: f.UnitID, Campaign: f.Campaign,
		NotePrefix: f.NotePrefix, StartDate: f.StartDate, EndDate: f.EndDate, LegalBasis: f.LegalBasis, Target: f.Target,
		DiscloseDays: f.DiscloseDays, Public: &pub}
}

// Accounts lists a fund's bank accounts.
func (s *Store) Accounts(ctx context.Context, fundID int64) ([]Account, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, fund_id, bank_name, bin, account_no, holder, branch, created_at
		FROM fund_accounts WHERE fund_id = $1 ORDER BY id`, fundID)
	if err != nil {
		return nil, fmt.Errorf("fund: accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.FundID, &a.BankName, &a.BIN, &a.AccountNo, &a.Holder, &a.Branch, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("fund: accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one account of a fund.
func (s *Store) Account(ctx context.Context, fundID, id int64) (*Account, error) {
	var a Account
	err := s.DB.QueryRowContext(ctx, `SELECT id, fund_id, bank_name, bin, account_no, holder, branch, created_at
		FROM fund_accounts WHERE fund_id = $1 AND id = $2`, fundID, id).
		Scan(&a.ID, &a.FundID, &a.BankName, &a.BIN, &a.AccountNo, &a.Holder, &a.Branch, &a.CreatedAt)
	if err != nil {
		return nil, notFound(err, "account")
	}
	return &a, nil
}

// Banks are the BINs of common banks, to fill the bank name.
var Banks = []struct{ BIN, Name string }{
	{"970436", "Vietcombank"}, {"970418", "BIDV"}, {"970415", "VietinBank"}, {"970405", "Agribank"},
	{"970407", "Techcombank"}, {"970422", "MB"}, {"970432", "VPBank"}, {"970423", "TPBank"}, {"970403", "Sacombank"},
	{"970416", "ACB"}, {"970441", "VIB"}, {"970443", "SHB"}, {"970431", "Eximbank"}, {"970448", "OCB"},
}

// BankName returns the name of a bank by its BIN, "" if unknown.
func BankName(bin string) string {
	for _, b := range Banks {
		if b.BIN == bin {
			return b.Name
		}
	}
	return ""
}

// AddAccount adds a bank account to a fund on behalf of p.
func (s *Store) AddAccount(ctx context.Context, p *auth.Principal, fundID int64, in AccountInput) (*Account, error) {
	if _, err := s.Managed(ctx, p, fundID); err != nil {
		return nil, err
	}
	var fe apperr.Fields
	in.BankName = vn.NFC(strings.TrimSpace(in.BankName))
	in.BIN = strings.TrimSpace(in.BIN)
	in.AccountNo = strings.ReplaceAll(strings.TrimSpace(in.AccountNo), " ", "")
	in.Holder = vn.NFC(strings.TrimSpace(in.Holder))
	in.Branch = vn.NFC(strings.TrimSpace(in.Branch))
	if in.BankName == "" {
		in.BankName = BankName(in.BIN)
	}
	if err := (vietqr.Payload{BIN: in.BIN, Account: "0"}).Validate(); err != nil || len(in.BIN) != 6 {
		fe.Add("bin", "fund.err.bin")
	}
	if err := (vietqr.Payload{BIN: "970436", Account: in.AccountNo}).Validate(); err != nil {
		fe.Add("account_no", "fund.err.account_no")
	}
	checkText(&fe, "bank_name", in.BankName, true, maxShort)
	checkText(&fe, "holder", in.Holder, true, maxName)
	checkText(&fe, "branch", in.Branch, false, maxShort)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO fund_accounts (fund_id, bank_name, bin, account_no, holder, branch, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, fundID, in.BankName, in.BIN, in.AccountNo, in.Holder, in.Branch, s.now()).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("account_no", "fund.err.account_taken")
		}
		if err != nil {
			return fmt.Errorf("fund: add account: %w", err)
		}
		return audit.Record(ctx, tx, audit.Create, "fund_account", id, nil, in)
	})
	if err != nil {
		return nil, err
	}
	return s.Account(ctx, fundID, id)
}

// DeleteAccount removes a bank account from a fund on behalf of p (the
// entries keep their bank references).
func (s *Store) DeleteAccount(ctx context.Context, p *auth.Principal, fundID, id int64) error {
	if _, err := s.Managed(ctx, p, fundID); err != nil {
		return err
	}
	old, err := s.Account(ctx, fundID, id)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM fund_accounts WHERE id = $1", id); err != nil {
			return fmt.Errorf("fund: delete account: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, "fund_account", id, old, nil)
	})
}
