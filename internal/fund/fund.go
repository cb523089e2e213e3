package fund

import (
	"time"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/db"
)

// Purposes of a fund.
const (
	PurposeDisaster = "disaster" // thiên tai
	PurposeEpidemic = "epidemic" // dịch bệnh
	PurposePoor     = "poor"     // Quỹ "Vì người nghèo"
	PurposeWelfare  = "welfare"  // an sinh xã hội
	PurposeOther    = "other"
)

// Purposes lists the purposes, for forms.
var Purposes = []string{PurposeDisaster, PurposeEpidemic, PurposePoor, PurposeWelfare, PurposeOther}

// Fund is a donation fund or campaign of one managing unit. LogSize and
// Balance change only with the entries, in the transaction that appends
// them.
type Fund struct {
	ID          int64   `json:"id"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Purpose     string  `json:"purpose"`
	Description string  `json:"description"`
	UnitID      int64   `json:"unit_id"`
	Campaign    string  `json:"campaign"`
	NotePrefix  string  `json:"note_prefix"`
	StartDate   db.Date `json:"start_date"`
	EndDate     db.Date `json:"end_date"`
	LegalBasis  string  `json:"legal_basis"`
	Target      int64   `json:"target"`
	// DiscloseDays is the number of days after an entry by which it must
	// be public (the fund's Decree 93 disclosure rule; 5 by default).
	DiscloseDays int       `json:"disclose_days"`
	Public       bool      `json:"public"`
	LogSize      int64     `json:"log_size"`
	Balance      int64     `json:"balance"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Read-only context.
	UnitName string `json:"unit_name"`
	AreaID   int64  `json:"area_id"`
	AreaName string `json:"area_name"`
	AreaPath string `json:"-"`
}

// FundInput creates or changes a fund.
type FundInput struct {
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Purpose      string  `json:"purpose"`
	Description  string  `json:"description"`
	UnitID       int64   `json:"unit_id"`
	Campaign     string  `json:"campaign"`
	NotePrefix   string  `json:"note_prefix"`
	StartDate    db.Date `json:"start_date"`
	EndDate      db.Date `json:"end_date"`
	LegalBasis   string  `json:"legal_basis"`
	Target       int64   `json:"target"`
	DiscloseDays int     `json:"disclose_days"`
	Public       *bool   `json:"public"`
}

// Account is a bank account of a fund.
type Account struct {
	ID        int64     `json:"id"`
	FundID    int64     `json:"fund_id"`
	BankName  string    `json:"bank_name"`
	BIN       string    `json:"bin"`
	AccountNo string    `json:"account_no"`
	Holder    string    `json:"holder"`
	Branch    string    `json:"branch"`
	CreatedAt time.Time `json:"created_at"`
}

// AccountInput adds a bank account.
type AccountInput struct {
	BankName  string `json:"bank_name"`
	BIN       string `json:"bin"`
	AccountNo string `json:"account_no"`
	Holder    string `json:"holder"`
	Branch    string `json:"branch"`
}

// Books: which public list an entry belongs to.
const (
	BookIn       = "thu" // receipts and transfers in
	BookOut      = "chi" // disbursements and transfers out
	BookReversal = "dao" // reversing entries
)

// Classes: what an entry counts towards in totals. A reversal has the class
// of the entry it reverses, with the opposite sign.
const (
	ClassMoney       = "money"  // receipts in cash or by transfer
	ClassInKind      = "inkind" // receipts in kind, at their valued amount
	ClassOut         = "out"    // disbursements
	ClassTransferIn  = "tin"    // transfers from another fund
	ClassTransferOut = "tout"   // transfers to another fund
)

// Kinds of donor and recipient.
const (
	DonorOrganisation = "organisation"
	DonorIndividual   = "individual"
)

// RecipientKinds lists the kinds of recipient of a disbursement.
var RecipientKinds = []string{"household", "individual", "organisation", "checkpoint", "hospital", "force", "fund", "other"}

// Entry is one entry of a fund's ledger and log: the published fields (what
// the record hash covers) and, for the secretariat, the private details.
type Entry struct {
	FundID   int64   `json:"fund_id"`
	Seq      int64   `json:"seq"`
	Kind     string  `json:"kind"`
	Book     string  `json:"book"`
	Class    string  `json:"class"`
	Date     db.Date `json:"date"`
	Amount   int64   `json:"amount"`
	Ref      string  `json:"ref"`
	BankRef  string  `json:"bank_ref"`
	Channel  string  `json:"channel"`
	Party    string  `json:"party"`
	Note     string  `json:"note"`
	Reverses int64   `json:"reverses"`

	// Private details (never on public pages).
	PartyFolded  string    `json:"-"`
	VoucherYear  int       `json:"-"`
	VoucherNo    int64     `json:"-"`
	DonorName    string    `json:"donor_name,omitempty"`
	PartyKind    string    `json:"party_kind,omitempty"`
	Address      string    `json:"address,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	Anonymous    bool      `json:"anonymous"`
	InKind       string    `json:"in_kind,omitempty"`
	TransferNote string    `json:"transfer_note,omitempty"`
	UnitID       *int64    `json:"unit_id,omitempty"`
	AreaID       *int64    `json:"area_id,omitempty"`
	DecisionNo   string    `json:"decision_no,omitempty"`
	Approver     string    `json:"approver,omitempty"`
	Counterpart  *int64    `json:"counterpart_fund_id,omitempty"`
	CounterSeq   int64     `json:"counterpart_seq,omitempty"`
	ImportID     string    `json:"import_id,omitempty"`
	RecordHash   []byte    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by,omitempty"`
	// CreatedByName is the full name of the user who recorded the entry
	// (printed on the receipt); "" when the user is unknown.
	CreatedByName string `json:"-"`

	// Read-only context.
	ReversedBy int64  `json:"reversed_by,omitempty"` // seq of the reversal, 0 if none
	UnitName   string `json:"unit_name,omitempty"`
	AreaName   string `json:"area_name,omitempty"`
}

// Published returns the entry as the log holds it.
func (e *Entry) Published() translog.Entry {
	return translog.Entry{Seq: e.Seq, Kind: e.Kind, Date: e.Date.ISO(), Amount: e.Amount, Ref: e.Ref, BankRef: e.BankRef,
		Channel: e.Channel, Party: e.Party, Note: e.Note, Reverses: e.Reverses}
}

// Number is the voucher number of a receipt or disbursement ("" for
// reversals and transfers).
func (e *Entry) Number() string { return e.Ref }

// Magnitude is the entry's amount without its sign.
func (e *Entry) Magnitude() int64 {
	if e.Amount < 0 {
		return -e.Amount
	}
	return e.Amount
}

// ReceiptInput records a receipt (tiếp nhận).
type ReceiptInput struct {
	Date         db.Date `json:"date"`
	DonorName    string  `json:"donor_name"`
	DonorKind    string  `json:"donor_kind"` // organisation, individual
	Address      string  `json:"address"`    // private
	Phone        string  `json:"phone"`      // private
	Anonymous    bool    `json:"anonymous"`
	Amount       int64   `json:"amount"`
	Channel      string  `json:"channel"` // cash, transfer, inkind
	InKind       string  `json:"in_kind"` // description of goods, for inkind
	BankRef      string  `json:"bank_ref"`
	TransferNote string  `json:"transfer_note"`
	UnitID       int64   `json:"unit_id"` // receiving unit; the fund's unit when 0
}

// DisbursementInput records a disbursement (chi hỗ trợ).
type DisbursementInput struct {
	Date          db.Date `json:"date"`
	Recipient     string  `json:"recipient"`
	RecipientKind string  `json:"recipient_kind"`
	AreaID        int64   `json:"area_id"`
	Amount        int64   `json:"amount"`
	Channel       string  `json:"channel"` // cash, transfer, inkind
	InKind        string  `json:"in_kind"`
	Purpose       string  `json:"purpose"`
	DecisionNo    string  `json:"decision_no"`
	Approver      string  `json:"approver"`
	BankRef       string  `json:"bank_ref"`
	// UnitID is the unit that paid it out (a member organisation visiting
	// a checkpoint on the fund's behalf); the fund's unit when 0.
	UnitID int64 `json:"unit_id"`
}

// ReversalInput reverses an entry.
type ReversalInput struct {
	Seq    int64   `json:"seq"`
	Date   db.Date `json:"date"`
	Reason string  `json:"reason"`
}

// TransferInput moves money from one fund to another (commune → district
// → province), recorded on both sides.
type TransferInput struct {
	ToFundID   int64   `json:"to_fund_id"`
	Date       db.Date `json:"date"`
	Amount     int64   `json:"amount"`
	Purpose    string  `json:"purpose"`
	DecisionNo string  `json:"decision_no"`
	BankRef    string  `json:"bank_ref"`
}

// Checkpoint is a signed checkpoint of a fund's log.
type Checkpoint struct {
	FundID    int64     `json:"-"`
	Size      int64     `json:"size"`
	Root      string    `json:"root"`
	Note      string    `json:"checkpoint"`
	CreatedAt time.Time `json:"created_at"`
}
