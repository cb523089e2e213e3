package translog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/text/unicode/norm"
)

// Kinds of entries.
const (
	KindReceipt      = "receipt"      // tiếp nhận: money or goods into the fund
	KindDisbursement = "disbursement" // chi hỗ trợ: money or goods out of the fund
	KindReversal     = "reversal"     // bút toán đảo: cancels an earlier entry
	KindTransfer     = "transfer"     // chuyển giữa quỹ các cấp: in (+) or out (−)
)

// Channels of an entry; empty when not applicable.
const (
	ChannelCash     = "cash"
	ChannelTransfer = "transfer" // bank transfer
	ChannelInKind   = "inkind"   // hiện vật, at its valued amount
)

// Anonymous is the Party shown for a donor who asked not to be named.
const Anonymous = "Ẩn danh"

// Limits on text fields, in characters.
const (
	MaxRefLen  = 100
	MaxTextLen = 1000
)

// Entry is one record of a fund's log, as published.
type Entry struct {
	Seq      int64  // 1-based position in the fund's log (record index + 1)
	Kind     string // KindReceipt, KindDisbursement, KindReversal, KindTransfer
	Date     string // YYYY-MM-DD, the accounting date
	Amount   int64  // đồng, signed: + into the fund, − out of it
	Ref      string // receipt number, decision number…
	BankRef  string // bank reference of the transfer, if any
	Channel  string // ChannelCash, ChannelTransfer, ChannelInKind or ""
	Party    string // donor or recipient as displayed; Anonymous if so
	Note     string // transfer note or purpose, as displayed
	Reverses int64  // for a reversal, the Seq of the entry it cancels; else 0
}

// Canonical returns the bytes that are hashed into the log: one line per
// field, "name=value" followed by a line feed (U+000A), in this order and
// with these names (the CSV column names):
//
//	giaoban-fund-entry/1
//	seq=<decimal>
//	kind=<kind>
//	date=<YYYY-MM-DD>
//	amount=<signed decimal, no separators>
//	ref=<text>
//	bank_ref=<text>
//	channel=<channel>
//	party=<text>
//	note=<text>
//	reverses=<decimal>
//
// Texts are UTF-8 in NFC without control characters (so they hold no line
// feed) and without surrounding spaces: Validate enforces it, Normalize
// produces it. The record hash is SHA-256 of a zero byte and these bytes:
//
//	(printf '\0'; printf 'giaoban-fund-entry/1\nseq=1\n…reverses=0\n') | sha256sum
func (e Entry) Canonical() []byte {
	b := make([]byte, 0, 160+len(e.Ref)+len(e.BankRef)+len(e.Party)+len(e.Note))
	b = append(b, "giaoban-fund-entry/1\n"...)
	b = append(b, "seq="...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, "\nkind="...)
	b = append(b, e.Kind...)
	b = append(b, "\ndate="...)
	b = append(b, e.Date...)
	b = append(b, "\namount="...)
	b = strconv.AppendInt(b, e.Amount, 10)
	b = append(b, "\nref="...)
	b = append(b, e.Ref...)
	b = append(b, "\nbank_ref="...)
	b = append(b, e.BankRef...)
	b = append(b, "\nchannel="...)
	b = append(b, e.Channel...)
	b = append(b, "\nparty="...)
	b = append(b, e.Party...)
	b = append(b, "\nnote="...)
	b = append(b, e.Note...)
	b = append(b, "\nreverses="...)
	b = strconv.AppendInt(b, e.Reverses, 10)
	b = append(b, '\n')
	return b
}

// Hash returns the record hash of e: tlog.RecordHash(e.Canonical()).
func (e Entry) Hash() tlog.Hash { return tlog.RecordHash(e.Canonical()) }

// Normalize returns e with its texts in canonical form: NFC, every control
// character (and the line and paragraph separators U+2028/U+2029) replaced
// by a space, runs of spaces collapsed, surrounding spaces dropped, and an
// apostrophe put before a text that starts with = + - or @ (which a
// spreadsheet would run as a formula). Invalid UTF-8 becomes U+FFFD.
// Callers normalise before appending.
func (e Entry) Normalize() Entry {
	e.Ref = normText(e.Ref)
	e.BankRef = normText(e.BankRef)
	e.Party = normText(e.Party)
	e.Note = normText(e.Note)
	return e
}

func normText(s string) string {
	if isNormText(s) {
		return s
	}
	return normTextSlow(s)
}

func normTextSlow(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if badRune(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	s = norm.NFC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	if formulaStart(s) {
		s = "'" + s
	}
	return s
}

// isNormText reports whether normText(s) == s, without building anything:
// the common case of a bulk import, whose texts are normalised once and
// then validated (Normalize, then Validate).
func isNormText(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || formulaStart(s) {
		return false
	}
	ascii := true
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == ' ' && prevSpace {
				return false
			}
			prevSpace = c == ' '
			i++
			continue
		}
		ascii = false
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || badRune(r) || unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return ascii || norm.NFC.IsNormalString(s)
}

// formulaStart reports whether a spreadsheet would take s for a formula
// ("=HYPERLINK(…)", "+1", "-1", "@SUM"): published statements are opened
// in spreadsheets, and a transfer note is written by anyone, so such texts
// get a leading apostrophe, as OWASP recommends against CSV injection.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@", s[0]) >= 0
}

func badRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// Validate reports whether e is a well-formed entry. Messages are
// Vietnamese.
func (e Entry) Validate() error {
	if e.Seq < 1 {
		return fmt.Errorf("số thứ tự %d không hợp lệ (phải từ 1)", e.Seq)
	}
	if !validDate(e.Date) {
		return fmt.Errorf("ngày '%s' không hợp lệ (cần dạng YYYY-MM-DD)", e.Date)
	}
	switch e.Kind {
	case KindReceipt:
		if e.Amount <= 0 {
			return fmt.Errorf("khoản tiếp nhận phải có số tiền dương, có %d", e.Amount)
		}
	case KindDisbursement:
		if e.Amount >= 0 {
			return fmt.Errorf("khoản chi phải có số tiền âm (tiền ra khỏi quỹ), có %d", e.Amount)
		}
	case KindReversal:
		if e.Amount == 0 {
			return fmt.Errorf("bút toán đảo phải có số tiền khác 0")
		}
		if e.Reverses < 1 || e.Reverses >= e.Seq {
			return fmt.Errorf("bút toán đảo phải chỉ tới một bản ghi trước nó, có %d", e.Reverses)
		}
	case KindTransfer:
		if e.Amount == 0 {
			return fmt.Errorf("khoản chuyển quỹ phải có số tiền khác 0")
		}
	default:
		return fmt.Errorf("loại bản ghi '%s' không hợp lệ", e.Kind)
	}
	if e.Kind != KindReversal && e.Reverses != 0 {
		return fmt.Errorf("chỉ bút toán đảo mới có trường reverses")
	}
	switch e.Channel {
	case "", ChannelCash, ChannelTransfer, ChannelInKind:
	default:
		return fmt.Errorf("hình thức '%s' không hợp lệ", e.Channel)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"ref", e.Ref, MaxRefLen}, {"bank_ref", e.BankRef, MaxRefLen}, {"party", e.Party, MaxTextLen}, {"note", e.Note, MaxTextLen}} {
		if !utf8.ValidString(f.v) {
			return fmt.Errorf("trường %s không phải UTF-8 hợp lệ", f.name)
		}
		if n := utf8.RuneCountInString(f.v); n > f.max {
			return fmt.Errorf("trường %s dài %d ký tự, tối đa %d", f.name, n, f.max)
		}
		if normText(f.v) != f.v {
			return fmt.Errorf("trường %s chưa ở dạng chuẩn (NFC, không ký tự điều khiển, không khoảng trắng thừa)", f.name)
		}
	}
	if e.Party == "" && (e.Kind == KindReceipt || e.Kind == KindDisbursement) {
		return fmt.Errorf("thiếu tên người/đơn vị (ghi '%s' nếu ẩn danh)", Anonymous)
	}
	return nil
}

// validDate reports whether s is a date written YYYY-MM-DD (a day that
// exists), as time.Parse and Format would accept and give back.
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
			n = n*10 + int(t[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
