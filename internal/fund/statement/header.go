package statement

import (
	"strings"

	"giaoban/internal/vn"
)

// Field is a column meaning.
type Field int

// Column meanings, in the order they are looked for in a header row: a
// cell taken by an earlier meaning is not considered for a later one.
const (
	FieldDirection Field = iota // debit/credit indicator beside a single amount
	FieldDebit                  // money out (ghi nợ)
	FieldCredit                 // money in (ghi có)
	FieldBalance                // running balance (số dư)
	FieldAmount                 // single amount column, signed or with FieldDirection
	FieldDate                   // transaction date, maybe with time
	FieldRef                    // bank reference
	FieldDesc                   // description / transfer note
	numFields
)

var fieldNames = [numFields]string{"chiều Nợ/Có", "ghi nợ", "ghi có", "số dư", "số tiền", "ngày", "số tham chiếu", "nội dung"}

func (f Field) String() string { return fieldNames[f] }

// pattern is a folded header text. An exact pattern must be the whole
// folded cell; a phrase pattern may be a run of whole words of it
// ("so tien ghi co vnd credit" holds "ghi co" and "credit").
type pattern struct {
	text  string
	exact bool
}

func phrases(ss ...string) []pattern {
	out := make([]pattern, len(ss))
	for i, s := range ss {
		out[i] = pattern{text: s}
	}
	return out
}

func exacts(ss ...string) []pattern {
	out := make([]pattern, len(ss))
	for i, s := range ss {
		out[i] = pattern{text: s, exact: true}
	}
	return out
}

// meaning lists, for each field, the folded header texts that mean it, the
// most specific first. Short words that also occur inside other headers
// ("có" in "ngày có hiệu lực", "nợ", "thu", "chi") count only as the whole
// cell.
var meaning = [numFields][]pattern{
	FieldDirection: exacts("no co", "co no", "n c", "c n", "d c", "c d", "dr cr", "cr dr", "debit credit", "credit debit",
		"loai giao dich", "loai gd", "chieu giao dich", "chieu", "tinh chat", "tinh chat giao dich", "type", "dc", "d c indicator"),
	FieldDebit: append(phrases("ghi no", "phat sinh no", "so tien no", "tien ra", "debit", "withdrawal", "withdrawals", "rut tien", "so tien chi",
		"rut ra", "tien rut", "so tien rut", "money out", "paid out"),
		exacts("no", "dr", "chi", "rut", "ps no")...),
	FieldCredit: append(phrases("ghi co", "phat sinh co", "so tien co", "tien vao", "credit", "deposit", "deposits", "so tien thu", "so tien nhan",
		"gui vao", "so tien gui", "nop vao", "tien nop", "money in", "paid in"),
		exacts("co", "cr", "thu", "gui", "ps co")...),
	FieldBalance: phrases("so du", "balance", "running balance"),
	FieldAmount: append(phrases("so tien giao dich", "so tien", "transaction amount", "amount", "gia tri giao dich", "phat sinh"),
		exacts("tien", "gia tri", "value")...),
	FieldDate: phrases("ngay giao dich", "ngay gd", "ngay gio giao dich", "thoi gian giao dich", "transaction date", "trans date",
		"txn date", "tnx date", "ngay hach toan", "posting date", "ngay ghi so", "ngay chung tu", "ngay ct", "ngay hieu luc", "value date",
		"effective date", "thoi gian", "ngay", "date", "time"),
	FieldRef: append(phrases("so tham chieu", "ma tham chieu", "so but toan", "ma giao dich", "ma gd", "so giao dich", "so gd",
		"so chung tu", "so ct", "reference", "ref no", "doc no", "transaction id", "trans id", "transaction no", "trace no", "so trace"),
		exacts("ref", "so ref", "ma ref", "ft", "id")...),
	FieldDesc: phrases("noi dung giao dich", "noi dung chi tiet", "noi dung", "dien giai", "mo ta", "chi tiet giao dich", "chi tiet",
		"description", "narrative", "transaction details", "details", "remarks", "remark", "content", "ghi chu"),
}

// matches reports whether folded header cell h holds pattern p.
func (p pattern) matches(h string) bool {
	if p.exact {
		return h == p.text
	}
	i := strings.Index(h, p.text)
	for i >= 0 {
		end := i + len(p.text)
		if (i == 0 || h[i-1] == ' ') && (end == len(h) || h[end] == ' ') {
			return true
		}
		j := strings.Index(h[i+1:], p.text)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// Mapping says which column (0-based) holds each field; -1 when absent.
type Mapping struct {
	HeaderLine int               // line (CSV) or row (XLSX) of the header, 1-based
	Col        [numFields]int    // column of each field, -1 if none
	Header     [numFields]string // the header text of each mapped column, as written
}

// Column returns the column of f, -1 if not mapped.
func (m Mapping) Column(f Field) int { return m.Col[f] }

// usable reports whether m can give a date and an amount for each line.
func (m Mapping) usable() bool {
	return m.Col[FieldDate] >= 0 &&
		(m.Col[FieldCredit] >= 0 || m.Col[FieldDebit] >= 0 || m.Col[FieldAmount] >= 0)
}

// mapped counts the mapped fields.
func (m Mapping) mapped() int {
	n := 0
	for _, c := range m.Col {
		if c >= 0 {
			n++
		}
	}
	return n
}

// maxHeaderCell bounds a header cell: a longer text is a title or a note.
const maxHeaderCell = 80

// mapHeader maps the cells of a candidate header row. A profile's names
// for a field replace the built-in meanings of that field.
func mapHeader(cells []string, p *Profile) Mapping {
	var m Mapping
	folded := make([]string, len(cells))
	for i, c := range cells {
		if len(c) > maxHeaderCell*4 {
			continue
		}
		f := vn.Fold(c)
		if len(f) > maxHeaderCell || strings.ContainsAny(f, "0123456789") {
			continue // titles, dates and figures are not headers
		}
		folded[i] = f
	}
	taken := make([]bool, len(cells))
	for f := Field(0); f < numFields; f++ {
		m.Col[f] = -1
		pats := p.patterns(f)
	search:
		for _, pat := range pats {
			for i, h := range folded {
				if h != "" && !taken[i] && pat.matches(h) {
					m.Col[f], m.Header[f] = i, strings.TrimSpace(cells[i])
					taken[i] = true
					break search
				}
			}
		}
	}
	// A single amount column is not needed beside debit and credit
	// columns, and a direction column means nothing without it.
	if m.Col[FieldDebit] >= 0 || m.Col[FieldCredit] >= 0 {
		m.Col[FieldAmount], m.Header[FieldAmount] = -1, ""
		m.Col[FieldDirection], m.Header[FieldDirection] = -1, ""
	}
	if m.Col[FieldAmount] < 0 {
		m.Col[FieldDirection], m.Header[FieldDirection] = -1, ""
	}
	return m
}
