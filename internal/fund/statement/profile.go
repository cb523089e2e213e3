package statement

import (
	"slices"
	"strings"

	"giaoban/internal/vn"
)

// Profile says how to read one bank's export. The zero Profile reads any
// layout by the meaning of its headers, which is what most imports need;
// a profile with column names is a saved mapping (per bank, or made by a
// user for an unusual file). Column names are header texts as the bank
// writes them; they are compared folded (case, diacritics and punctuation
// ignored), first as whole cells, then, for names of two words or more, as
// whole words inside a longer header. A field whose list is empty is found
// by meaning.
type Profile struct {
	Name         string   `json:"name"`
	DateCol      []string `json:"date_col,omitempty"`
	RefCol       []string `json:"ref_col,omitempty"`
	DebitCol     []string `json:"debit_col,omitempty"`
	CreditCol    []string `json:"credit_col,omitempty"`
	AmountCol    []string `json:"amount_col,omitempty"`    // one signed column, or with DirectionCol
	DirectionCol []string `json:"direction_col,omitempty"` // "C"/"D", "Có"/"Nợ", "+"/"-" beside AmountCol
	BalanceCol   []string `json:"balance_col,omitempty"`
	DescCol      []string `json:"desc_col,omitempty"`
	// DateFormat is a Go time layout ("02/01/2006 15:04"); empty reads
	// dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd with an optional
	// time, and Excel serial dates in XLSX.
	DateFormat string `json:"date_format,omitempty"`
	// Encoding forces the encoding of a CSV file (see EncUTF8…); empty
	// detects it.
	Encoding string `json:"encoding,omitempty"`
	// Comma forces the CSV separator (',', ';' or '\t'); 0 detects it.
	Comma rune `json:"comma,omitempty"`
	// Sheet names the XLSX sheet; empty takes the first sheet with a
	// header row.
	Sheet string `json:"sheet,omitempty"`
}

func (p *Profile) names(f Field) []string {
	switch f {
	case FieldDirection:
		return p.DirectionCol
	case FieldDebit:
		return p.DebitCol
	case FieldCredit:
		return p.CreditCol
	case FieldBalance:
		return p.BalanceCol
	case FieldAmount:
		return p.AmountCol
	case FieldDate:
		return p.DateCol
	case FieldRef:
		return p.RefCol
	case FieldDesc:
		return p.DescCol
	}
	return nil
}

// patterns returns the header patterns of f: the profile's names as exact
// folded cells when it has some, else the built-in meanings.
func (p *Profile) patterns(f Field) []pattern {
	names := p.names(f)
	if len(names) == 0 {
		return meaning[f]
	}
	out := make([]pattern, 0, 2*len(names))
	for _, n := range names {
		out = append(out, pattern{text: vn.Fold(n), exact: true})
	}
	// Then names of two words or more inside longer headers ("Ghi có" in
	// "Số tiền ghi có (VND)"); a one-word name ("Có") only as a whole cell.
	for _, n := range names {
		if f := vn.Fold(n); strings.Contains(f, " ") {
			out = append(out, pattern{text: f})
		}
	}
	return out
}

// Profiles are the built-in profiles: Auto, then one per bank. The banks'
// layouts are written from the column names they publish in their
// statements and help pages (bilingual headers are common); exports change,
// so every bank profile only names columns, and Auto reads them too.
var Profiles = []Profile{
	{Name: "Auto"},
	{
		Name:       "Vietcombank",
		DateCol:    []string{"Ngày giao dịch", "Ngày GD", "Ngày giao dịch/Transaction Date", "Ngày GD/TNX Date"},
		RefCol:     []string{"Số tham chiếu", "Số CT", "Số CT/Doc No", "Số tham chiếu/Reference No"},
		DebitCol:   []string{"Số tiền ghi nợ", "Ghi nợ", "Số tiền ghi nợ/Debit", "Nợ/Debit"},
		CreditCol:  []string{"Số tiền ghi có", "Ghi có", "Số tiền ghi có/Credit", "Có/Credit"},
		BalanceCol: []string{"Số dư", "Số dư/Balance"},
		DescCol:    []string{"Mô tả", "Nội dung chi tiết", "Nội dung chi tiết/Transactions in detail", "Mô tả/Description"},
	},
	{
		Name:       "BIDV",
		DateCol:    []string{"Ngày giao dịch", "Ngày hiệu lực", "Ngày GD"},
		RefCol:     []string{"Số tham chiếu", "Số bút toán", "Mã giao dịch"},
		DebitCol:   []string{"Ghi nợ", "Số tiền ghi nợ", "Phát sinh nợ"},
		CreditCol:  []string{"Ghi có", "Số tiền ghi có", "Phát sinh có"},
		BalanceCol: []string{"Số dư", "Số dư cuối"},
		DescCol:    []string{"Mô tả giao dịch", "Nội dung giao dịch", "Diễn giải"},
	},
	{
		Name:       "VietinBank",
		DateCol:    []string{"Ngày giao dịch", "Ngày GD", "Thời gian giao dịch"},
		RefCol:     []string{"Số giao dịch", "Số tham chiếu", "Số GD"},
		DebitCol:   []string{"Nợ", "Ghi nợ", "Số tiền ghi nợ"},
		CreditCol:  []string{"Có", "Ghi có", "Số tiền ghi có"},
		BalanceCol: []string{"Số dư", "Số dư sau giao dịch"},
		DescCol:    []string{"Mô tả giao dịch", "Chi tiết giao dịch", "Nội dung"},
	},
	{
		Name:       "Agribank",
		DateCol:    []string{"Ngày GD", "Ngày giao dịch", "Ngày hạch toán"},
		RefCol:     []string{"Số CT", "Số chứng từ", "Số tham chiếu"},
		DebitCol:   []string{"Phát sinh nợ", "PS Nợ", "Ghi nợ"},
		CreditCol:  []string{"Phát sinh có", "PS Có", "Ghi có"},
		BalanceCol: []string{"Số dư"},
		DescCol:    []string{"Diễn giải", "Nội dung"},
	},
	{
		Name:       "Techcombank",
		DateCol:    []string{"Ngày giao dịch", "Ngày giao dịch/Transaction Date", "Ngày hiệu lực/Value Date"},
		RefCol:     []string{"Số bút toán", "Số bút toán/Reference No", "Mã giao dịch"},
		DebitCol:   []string{"Nợ/Debit", "Nợ", "Ghi nợ"},
		CreditCol:  []string{"Có/Credit", "Có", "Ghi có"},
		BalanceCol: []string{"Số dư/Balance", "Số dư"},
		DescCol:    []string{"Diễn giải/Description", "Diễn giải", "Nội dung"},
	},
	{
		Name:       "MB",
		DateCol:    []string{"Ngày giao dịch", "Thời gian giao dịch", "Ngày GD"},
		RefCol:     []string{"Số bút toán", "Mã giao dịch", "Số tham chiếu"},
		DebitCol:   []string{"Ghi nợ", "Số tiền ghi nợ", "Nợ"},
		CreditCol:  []string{"Ghi có", "Số tiền ghi có", "Có"},
		BalanceCol: []string{"Số dư", "Số dư cuối"},
		DescCol:    []string{"Nội dung", "Nội dung giao dịch", "Diễn giải"},
	},
}

// ProfileByName returns the built-in profile named name (case and
// diacritics ignored).
func ProfileByName(name string) (Profile, bool) {
	i := slices.IndexFunc(Profiles, func(p Profile) bool { return vn.Fold(p.Name) == vn.Fold(name) })
	if i < 0 {
		return Profile{}, false
	}
	return Profiles[i], true
}

// String names the profile for messages.
func (p Profile) String() string {
	if strings.TrimSpace(p.Name) == "" {
		return "Auto"
	}
	return p.Name
}
