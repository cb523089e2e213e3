package vietqr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"giaoban/internal/vn"
)

// Payload is what a VietQR code says: transfer to Account at the bank with
// BIN, optionally Amount đồng, with the transfer note Note.
type Payload struct {
	BIN     string // 6 digits, e.g. "970436" (Vietcombank)
	Account string // 1–19 ASCII letters or digits
	Amount  int64  // whole đồng; 0 = none (the payer types it)
	Note    string // transfer note; normalised by Encode, see NormalizeNote
}

// Fixed values of the NAPAS profile of EMVCo.
const (
	napasGUID    = "A000000727"
	serviceCode  = "QRIBFTTA" // transfer to an account (QRIBFTTC: to a card)
	currencyVND  = "704"
	countryVN    = "VN"
	MaxNote      = 25            // EMVCo 62/08 "purpose of transaction"
	MaxAccount   = 19            // NAPAS beneficiary account number
	MaxAmount    = 9999999999999 // 13 digits, EMVCo field 54
	maxFieldLen  = 99
	crcFieldHead = "6304"
)

// ErrInvalid is wrapped by every error of Encode and Decode.
var ErrInvalid = errors.New("mã VietQR không hợp lệ")

// Error is returned by Encode and Decode; Msg is Vietnamese and can be shown
// to users as it is.
type Error struct {
	Field string // "BIN", "Account", "Amount", "Note", or an EMVCo ID such as "63"
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Validate reports whether p can be encoded (after the note is normalised).
func (p Payload) Validate() error {
	if len(p.BIN) != 6 || !allDigits(p.BIN) {
		return invalid("BIN", "mã BIN ngân hàng '%s' phải gồm đúng 6 chữ số", p.BIN)
	}
	if p.Account == "" || len(p.Account) > MaxAccount || !allAlnum(p.Account) {
		return invalid("Account", "số tài khoản '%s' phải gồm 1 đến %d chữ số hoặc chữ cái không dấu", p.Account, MaxAccount)
	}
	if p.Amount < 0 || p.Amount > MaxAmount {
		return invalid("Amount", "số tiền %d nằm ngoài phạm vi cho phép (0 đến %d đồng)", p.Amount, int64(MaxAmount))
	}
	if n := utf8.RuneCountInString(NormalizeNote(p.Note)); n > MaxNote {
		return invalid("Note", "nội dung chuyển khoản dài %d ký tự sau khi bỏ dấu, tối đa %d ký tự", n, MaxNote)
	}
	return nil
}

// Encode returns the VietQR payload string for p. The note is normalised
// with NormalizeNote; field 54 is written only when p.Amount > 0 and field
// 62 only when the normalised note is not empty.
func Encode(p Payload) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	note := NormalizeNote(p.Note)
	var b strings.Builder
	b.Grow(128)
	tlv(&b, "00", "01")
	if p.Amount > 0 {
		tlv(&b, "01", "12")
	} else {
		tlv(&b, "01", "11")
	}
	var ben, mai strings.Builder
	tlv(&ben, "00", p.BIN)
	tlv(&ben, "01", p.Account)
	tlv(&mai, "00", napasGUID)
	tlv(&mai, "01", ben.String())
	tlv(&mai, "02", serviceCode)
	tlv(&b, "38", mai.String())
	tlv(&b, "53", currencyVND)
	if p.Amount > 0 {
		tlv(&b, "54", strconv.FormatInt(p.Amount, 10))
	}
	tlv(&b, "58", countryVN)
	if note != "" {
		var add strings.Builder
		tlv(&add, "08", note)
		tlv(&b, "62", add.String())
	}
	b.WriteString(crcFieldHead)
	fmt.Fprintf(&b, "%04X", CRC16([]byte(b.String())))
	return b.String(), nil
}

// tlv writes one field; values are ASCII and at most 99 long by construction
// (Validate bounds every variable part).
func tlv(b *strings.Builder, id, value string) {
	b.WriteString(id)
	b.WriteByte(byte('0' + len(value)/10))
	b.WriteByte(byte('0' + len(value)%10))
	b.WriteString(value)
}

// NormalizeNote returns the transfer note as banks carry it: diacritics
// dropped (đ/Đ → D), letters upper-cased, every run of characters other than
// A–Z and 0–9 turned into one space, and leading and trailing spaces
// dropped. "Ủng hộ quỹ Covid-19" → "UNG HO QUY COVID 19". Diacritics are
// dropped by vn.Fold, the rule used for search everywhere in giaoban.
func NormalizeNote(s string) string {
	var b strings.Builder
	space := false
	for _, r := range vn.Fold(s) {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
			fallthrough
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// CRC16 returns the CRC-16/CCITT-FALSE of data: polynomial 0x1021, initial
// value 0xFFFF, no reflection, no final xor.
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range data {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^c]
	}
	return crc
}

var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return s != ""
}
