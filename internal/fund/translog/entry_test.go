package translog

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

var sampleEntry = Entry{
	Seq: 1, Kind: KindReceipt, Date: "2021-08-02", Amount: 500000,
	Ref: "PT-COVID19-2021-000001", BankRef: "FT21214123456", Channel: ChannelTransfer,
	Party: "Nguyễn Văn An", Note: "UH COVID19 NGUYEN VAN AN",
}

func TestCanonicalGolden(t *testing.T) {
	want := "giaoban-fund-entry/1\n" +
		"seq=1\n" +
		"kind=receipt\n" +
		"date=2021-08-02\n" +
		"amount=500000\n" +
		"ref=PT-COVID19-2021-000001\n" +
		"bank_ref=FT21214123456\n" +
		"channel=transfer\n" +
		"party=Nguyễn Văn An\n" +
		"note=UH COVID19 NGUYEN VAN AN\n" +
		"reverses=0\n"
	if got := string(sampleEntry.Canonical()); got != want {
		t.Fatalf("Canonical:\n%s\nwant:\n%s", got, want)
	}
	// Computed outside Go, as the package doc tells an outsider to:
	//   (printf '\0'; printf 'giaoban-fund-entry/1\nseq=1\n…') | sha256sum
	const outsider = "72dd3a4619b9859f78647286906274b3282d5a74f7e552f9b67430ebe8866cac"
	h := sampleEntry.Hash()
	if got := hex.EncodeToString(h[:]); got != outsider {
		t.Errorf("record hash %s, want %s", got, outsider)
	}
	// Negative amounts and reversals.
	e := Entry{Seq: 7, Kind: KindReversal, Date: "2021-09-01", Amount: -500000, Reverses: 1}
	if got := string(e.Canonical()); !strings.Contains(got, "\namount=-500000\n") || !strings.HasSuffix(got, "\nreverses=1\n") {
		t.Errorf("reversal canonical form: %q", got)
	}
}

func TestCanonicalInjective(t *testing.T) {
	// Moving text between fields changes the bytes: no field can hold a
	// line feed, and every field has its own name.
	a := Entry{Seq: 1, Kind: KindReceipt, Date: "2021-01-01", Amount: 1, Party: "A", Note: "B"}
	b := a
	b.Party, b.Note = "A\nnote=B", ""
	if string(a.Canonical()) == string(b.Canonical()) {
		t.Fatal("collision")
	}
	if b.Validate() == nil {
		t.Fatal("a line feed in a field must be invalid")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Nguyễn  Văn\tAn ", "Nguyễn Văn An"},
		{"Nguye\u0302\u0303n", "Nguyễn"}, // NFD → NFC
		{"a\nb\r\nc", "a b c"},
		{"a\u2028b\x00c", "a b c"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+84 912", "'+84 912"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{" =x", "'=x"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		e := Entry{Party: tt.in}.Normalize()
		if e.Party != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, e.Party, tt.want)
		}
		// Normalising is idempotent.
		if e2 := e.Normalize(); e2 != e {
			t.Errorf("Normalize not idempotent on %q", tt.in)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := sampleEntry.Validate(); err != nil {
		t.Fatalf("sample: %v", err)
	}
	mod := func(f func(*Entry)) Entry { e := sampleEntry; f(&e); return e }
	valid := []Entry{
		mod(func(e *Entry) {
			e.Kind, e.Amount, e.Party = KindDisbursement, -14000000, "Chốt kiểm soát Covid-19 xã Ia Tô"
		}),
		mod(func(e *Entry) { e.Seq, e.Kind, e.Amount, e.Reverses = 5, KindReversal, -500000, 1 }),
		mod(func(e *Entry) { e.Kind, e.Amount = KindTransfer, -1 }),
		mod(func(e *Entry) { e.Kind, e.Amount = KindTransfer, 1 }),
		mod(func(e *Entry) { e.Channel = "" }),
		mod(func(e *Entry) { e.Party = Anonymous }),
		mod(func(e *Entry) { e.Date = "2024-02-29" }),
	}
	for _, e := range valid {
		if err := e.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", e, err)
		}
	}
	invalid := map[string]Entry{
		"seq 0":                   mod(func(e *Entry) { e.Seq = 0 }),
		"unknown kind":            mod(func(e *Entry) { e.Kind = "gift" }),
		"receipt zero":            mod(func(e *Entry) { e.Amount = 0 }),
		"receipt negative":        mod(func(e *Entry) { e.Amount = -1 }),
		"disbursement positive":   mod(func(e *Entry) { e.Kind = KindDisbursement }),
		"reversal no target":      mod(func(e *Entry) { e.Seq, e.Kind = 3, KindReversal }),
		"reversal forward":        mod(func(e *Entry) { e.Seq, e.Kind, e.Reverses = 3, KindReversal, 3 }),
		"reversal zero":           mod(func(e *Entry) { e.Seq, e.Kind, e.Reverses, e.Amount = 3, KindReversal, 1, 0 }),
		"transfer zero":           mod(func(e *Entry) { e.Kind, e.Amount = KindTransfer, 0 }),
		"reverses on receipt":     mod(func(e *Entry) { e.Reverses = 1 }),
		"bad date":                mod(func(e *Entry) { e.Date = "2021-02-29" }),
		"dd/mm/yyyy date":         mod(func(e *Entry) { e.Date = "02/08/2021" }),
		"short date":              mod(func(e *Entry) { e.Date = "2021-8-2" }),
		"bad channel":             mod(func(e *Entry) { e.Channel = "crypto" }),
		"party missing":           mod(func(e *Entry) { e.Party = "" }),
		"party NFD":               mod(func(e *Entry) { e.Party = "Nguye\u0302\u0303n" }),
		"note with line feed":     mod(func(e *Entry) { e.Note = "a\nb" }),
		"note leading space":      mod(func(e *Entry) { e.Note = " a" }),
		"note double space":       mod(func(e *Entry) { e.Note = "a  b" }),
		"ref too long":            mod(func(e *Entry) { e.Ref = strings.Repeat("x", MaxRefLen+1) }),
		"note too long":           mod(func(e *Entry) { e.Note = strings.Repeat("x", MaxTextLen+1) }),
		"invalid UTF-8":           mod(func(e *Entry) { e.Party = "a\xff" }),
		"formula in party":        mod(func(e *Entry) { e.Party = "=1+1" }),
		"control char in bankref": mod(func(e *Entry) { e.BankRef = "FT\x01" }),
	}
	for name, e := range invalid {
		if err := e.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, e)
		}
	}
}

// The fast paths (isNormText, validDate) agree with what they shortcut.
func FuzzNormFastPaths(f *testing.F) {
	for _, s := range []string{"", "a", " a", "a ", "a  b", "a b", "Nguyễn Văn An", "Nguye\u0302\u0303n", "a\tb", "a\u00a0b",
		"a\u2028b", "a\x7fb", "a\u0085b", "bad\xffutf8", "=x", "'=x", "-5", "a=b", "2021-02-29", "2024-02-29", "2021-13-01",
		"2021-04-31", "2021-4-30", "0000-01-01", "9999-12-31", "2021-01-00", "+1 2", "a\u3000b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isNormText(s), normTextSlow(s) == s; got != want {
			t.Errorf("isNormText(%q) = %v, want %v", s, got, want)
		}
		if got := normText(s); got != normTextSlow(s) {
			t.Errorf("normText(%q) = %q, want %q", s, got, normTextSlow(s))
		}
		d, err := time.Parse("2006-01-02", s)
		if got, want := validDate(s), err == nil && d.Format("2006-01-02") == s; got != want {
			t.Errorf("validDate(%q) = %v, want %v", s, got, want)
		}
	})
}
