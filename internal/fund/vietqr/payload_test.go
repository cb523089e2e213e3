package vietqr

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// crcBitwise is an independent, bit-by-bit CRC-16/CCITT-FALSE: the register
// starts at 0xFFFF; for every message bit, most significant first, shift left
// and xor 0x1021 when the bit shifted out differs from the message bit.
func crcBitwise(data []byte) uint16 {
	reg := uint16(0xFFFF)
	for _, c := range data {
		for i := 7; i >= 0; i-- {
			bit := (c >> uint(i)) & 1
			top := byte(reg>>15) & 1
			reg <<= 1
			if bit^top == 1 {
				reg ^= 0x1021
			}
		}
	}
	return reg
}

func TestCRC16CheckValue(t *testing.T) {
	// The published check value of CRC-16/CCITT-FALSE (a.k.a.
	// CRC-16/IBM-3740) is 0x29B1 for the ASCII digits "123456789".
	if got := CRC16([]byte("123456789")); got != 0x29B1 {
		t.Errorf("CRC16(123456789) = %04X, want 29B1", got)
	}
	if got := crcBitwise([]byte("123456789")); got != 0x29B1 {
		t.Errorf("crcBitwise(123456789) = %04X, want 29B1", got)
	}
	if got := CRC16(nil); got != 0xFFFF {
		t.Errorf("CRC16(empty) = %04X, want FFFF (init, no xorout)", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		b := make([]byte, r.IntN(200))
		for j := range b {
			b[j] = byte(r.UintN(256))
		}
		if CRC16(b) != crcBitwise(b) {
			t.Fatalf("table and bitwise CRC differ on %x", b)
		}
	}
}

// TestCRC16PublishedPayload checks the CRC against an EMVCo payload
// published with its CRC by a card scheme (Mastercard's developer guide,
// "Generate QR Code for Merchants"): a third party's code, not ours.
func TestCRC16PublishedPayload(t *testing.T) {
	const published = "000201010211057704736a2f41a3-c54c-fce8-32d2-0324e1c32e22*3440e5bf-81ca-4c5f-a1b2-cf989f09a039" +
		"52045024530384054031005802US5913Test Merchant6008New York6208030412346304" + "6F6D"
	body := published[:len(published)-4]
	if got := fmt.Sprintf("%04X", CRC16([]byte(body))); got != "6F6D" {
		t.Errorf("CRC of the published payload = %s, want 6F6D", got)
	}
	// Our parser reads its structure (it is not a NAPAS code, so Decode
	// refuses it for its content, not its form).
	fs, err := parseFields(published)
	if err != nil || len(fs) != 11 || fs[len(fs)-1].value != "6F6D" {
		t.Errorf("parseFields: %v %v", fs, err)
	}
	if _, err := Decode(published); err == nil || !strings.Contains(err.Error(), "53") {
		t.Errorf("Decode of a USD code: %v", err)
	}
}

// withCRC appends "6304" and the bitwise CRC: the expected payloads below
// are written out field by field and only the CRC is computed.
func withCRC(s string) string {
	s += "6304"
	return s + fmt.Sprintf("%04X", crcBitwise([]byte(s)))
}

func TestEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		p    Payload
		want string // without field 63
	}{
		{
			name: "Vietcombank, amount and note with diacritics",
			p:    Payload{BIN: "970436", Account: "0011001932418", Amount: 500000, Note: "Ủng hộ Covid-19"},
			want: "00" + "02" + "01" +
				"01" + "02" + "12" +
				"38" + "57" + ("00" + "10" + "A000000727" +
				"01" + "27" + ("00" + "06" + "970436" + "01" + "13" + "0011001932418") +
				"02" + "08" + "QRIBFTTA") +
				"53" + "03" + "704" +
				"54" + "06" + "500000" +
				"58" + "02" + "VN" +
				"62" + "19" + ("08" + "15" + "UNG HO COVID 19"),
		},
		{
			name: "static, no amount, no note",
			p:    Payload{BIN: "970418", Account: "12345"},
			want: "000201" + "010211" +
				"3849" + "0010A000000727" + "0119" + "0006970418" + "010512345" + "0208QRIBFTTA" +
				"5303704" + "5802VN",
		},
		{
			name: "static with note, VietinBank",
			p:    Payload{BIN: "970415", Account: "113366668888", Note: "UH BAO YAGI"},
			want: "000201" + "010211" +
				"3856" + "0010A000000727" + "0126" + "0006970415" + "0112113366668888" + "0208QRIBFTTA" +
				"5303704" + "5802VN" + "6215" + "0811UH BAO YAGI",
		},
		{
			name: "Agribank, 19-character account, max amount, 25-character note",
			p:    Payload{BIN: "970405", Account: "1234567890123456789", Amount: 9999999999999, Note: "đặng thị hoà - 0912345678"},
			want: "000201" + "010212" +
				"3863" + "0010A000000727" + "0133" + "0006970405" + "01191234567890123456789" + "0208QRIBFTTA" +
				"5303704" + "54139999999999999" + "5802VN" + "6227" + "0823DANG THI HOA 0912345678",
		},
		{
			name: "note that normalises to nothing is left out",
			p:    Payload{BIN: "970436", Account: "1", Amount: 1, Note: " -- !! "},
			want: "000201" + "010212" +
				"3845" + "0010A000000727" + "0115" + "0006970436" + "01011" + "0208QRIBFTTA" +
				"5303704" + "54011" + "5802VN",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			want := withCRC(tt.want)
			if got != want {
				t.Fatalf("Encode\n got %s\nwant %s", got, want)
			}
			// Every length prefix is right: walk the fields independently.
			checkTLV(t, got, 0)
			// And it decodes to the normalised payload.
			p, err := Decode(got)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			wantP := tt.p
			wantP.Note = NormalizeNote(tt.p.Note)
			if p != wantP {
				t.Errorf("Decode = %+v, want %+v", p, wantP)
			}
		})
	}
}

// checkTLV walks s as ID-length-value fields and recurses into the templates
// 38, 38/01 and 62.
func checkTLV(t *testing.T, s string, depth int) {
	t.Helper()
	for s != "" {
		if len(s) < 4 {
			t.Fatalf("trailing %q", s)
		}
		id := s[:2]
		n, err := strconv.Atoi(s[2:4])
		if err != nil || 4+n > len(s) {
			t.Fatalf("bad length in %q", s)
		}
		v := s[4 : 4+n]
		if depth == 0 && (id == "38" || id == "62") || depth == 1 && id == "01" && strings.HasPrefix(v, "00") && len(v) > 10 {
			checkTLV(t, v, depth+1)
		}
		s = s[4+n:]
	}
}

func TestEncodeFieldOrder(t *testing.T) {
	s, err := Encode(Payload{BIN: "970436", Account: "0011001932418", Amount: 100000, Note: "x"})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := parseFields(s)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.id)
	}
	if got := strings.Join(ids, " "); got != "00 01 38 53 54 58 62 63" {
		t.Errorf("field order %s", got)
	}
	if !strings.HasSuffix(s[:len(s)-4], "6304") {
		t.Errorf("CRC field head missing: %s", s)
	}
	if crc := s[len(s)-4:]; crc != strings.ToUpper(crc) {
		t.Errorf("CRC %s not upper case", crc)
	}
}

func TestNormalizeNote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Ủng hộ quỹ Covid-19", "UNG HO QUY COVID 19"},
		{"Đặng Thị Hoà", "DANG THI HOA"},
		{"Đặng Thị Hoà", "DANG THI HOA"}, // NFD input
		{"  nguyen   van\ta  ", "NGUYEN VAN A"},
		{"UH.BAO_YAGI/2024", "UH BAO YAGI 2024"},
		{"ủng hộ: đồng bào miền Trung!!!", "UNG HO DONG BAO MIEN TRUNG"},
		{"Straße 北京 ok", "STRA E OK"},
		{"🙂", ""},
		{"ĐĐ đđ", "DD DD"},
	}
	for _, tt := range tests {
		if got := NormalizeNote(tt.in); got != tt.want {
			t.Errorf("NormalizeNote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	ok := Payload{BIN: "970436", Account: "0011001932418"}
	tests := []struct {
		name  string
		p     Payload
		field string
	}{
		{"empty BIN", Payload{Account: "1"}, "BIN"},
		{"short BIN", Payload{BIN: "97043", Account: "1"}, "BIN"},
		{"long BIN", Payload{BIN: "9704360", Account: "1"}, "BIN"},
		{"letter in BIN", Payload{BIN: "97043a", Account: "1"}, "BIN"},
		{"empty account", Payload{BIN: "970436"}, "Account"},
		{"account 20 long", Payload{BIN: "970436", Account: strings.Repeat("1", 20)}, "Account"},
		{"account with space", Payload{BIN: "970436", Account: "0011 001"}, "Account"},
		{"account with dash", Payload{BIN: "970436", Account: "0011-001"}, "Account"},
		{"account non-ASCII", Payload{BIN: "970436", Account: "00١"}, "Account"},
		{"negative amount", Payload{BIN: ok.BIN, Account: ok.Account, Amount: -1}, "Amount"},
		{"amount 14 digits", Payload{BIN: ok.BIN, Account: ok.Account, Amount: 10000000000000}, "Amount"},
		{"note 26 long", Payload{BIN: ok.BIN, Account: ok.Account, Note: strings.Repeat("a", 26)}, "Note"},
		{"note 26 after folding", Payload{BIN: ok.BIN, Account: ok.Account, Note: "ủng hộ đồng bào miền trung x"}, "Note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Encode(tt.p)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Encode(%+v) error = %v, want *Error", tt.p, err)
			}
			if e.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", e.Field, tt.field, e.Msg)
			}
		})
	}
	// The limits themselves are accepted.
	if _, err := Encode(Payload{BIN: "970436", Account: strings.Repeat("9", 19), Amount: MaxAmount, Note: strings.Repeat("Z", 25)}); err != nil {
		t.Errorf("limits rejected: %v", err)
	}
}

// build makes a payload with a correct CRC from raw fields.
func build(fields ...string) string { return withCRC(strings.Join(fields, "")) }

const (
	f00  = "000201"
	f01  = "010211"
	f38  = "3849" + "0010A000000727" + "0119" + "0006970418" + "010512345" + "0208QRIBFTTA"
	f53  = "5303704"
	f58  = "5802VN"
	good = f00 + f01 + f38 + f53 + f58
)

func TestDecodeForeignFields(t *testing.T) {
	// Issuers add a merchant name (59), a city (60) and a bill number
	// (62/01); lengths count characters, so UTF-8 names work.
	s := build(f00, "010212", f38, f53, "5406180000", f58, "5908NGUYỄN A", "6006HA NOI",
		"6234"+"0107NPS6869"+"0819thanh toan don hang")
	p, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	want := Payload{BIN: "970418", Account: "12345", Amount: 180000, Note: "thanh toan don hang"}
	if p != want {
		t.Errorf("Decode = %+v, want %+v", p, want)
	}
	// Fields in another order are accepted too.
	s = build(f00, f38, f01, f58, f53)
	if _, err := Decode(s); err != nil {
		t.Errorf("reordered: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := build(good)
	flip := []byte(valid)
	flip[20] ^= 1 // change the account region: CRC no longer matches
	tests := []struct {
		name, s, field string
	}{
		{"empty", "", "00"},
		{"garbage", "hello world", ""},
		{"truncated", valid[:len(valid)-6], ""},
		{"one byte changed", string(flip), "63"},
		{"lower-case CRC", valid[:len(valid)-4] + strings.ToLower(valid[len(valid)-4:]) + "", "63"},
		{"no CRC", good, "63"},
		{"CRC not hex", good + "6304ZZZZ", "63"},
		{"does not start with 00", build(f01, f00, f38, f53, f58), "00"},
		{"version 02", build("000202", f01, f38, f53, f58), "00"},
		{"initiation 13", build(f00, "010213", f38, f53, f58), "01"},
		{"no 01", build(f00, f38, f53, f58), "01"},
		{"currency USD", build(f00, f01, f38, "5303840", f58), "53"},
		{"country TH", build(f00, f01, f38, f53, "5802TH"), "58"},
		{"no 38", build(f00, f01, f53, f58), "38"},
		{"wrong GUID", build(f00, f01, "3849"+"0010A000000728"+"0119"+"0006970418"+"010512345"+"0208QRIBFTTA", f53, f58), "00"},
		{"card service", build(f00, f01, "3849"+"0010A000000727"+"0119"+"0006970418"+"010512345"+"0208QRIBFTTC", f53, f58), "02"},
		{"no account", build(f00, f01, "3840"+"0010A000000727"+"0110"+"0006970418"+"0208QRIBFTTA", f53, f58), "01"},
		{"bad BIN", build(f00, f01, "3849"+"0010A000000727"+"0119"+"0006ABCDEF"+"010512345"+"0208QRIBFTTA", f53, f58), "BIN"},
		{"amount with decimals", build(f00, f01, f38, f53, "540410.5", f58), "54"},
		{"amount zero", build(f00, f01, f38, f53, "54010", f58), "54"},
		{"amount 14 digits", build(f00, f01, f38, f53, "541412345678901234", f58), "54"},
		{"two 58", build(f00, f01, f38, f53, f58, f58), "58"},
		{"length past end", build(f00, f01, f38, f53, "5899VN"), "58"},
		{"note too long", build(good, "6230"+"0826"+strings.Repeat("A", 26)), "Note"},
		{"invalid UTF-8", build(good, "6205"+"0801\xff"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.s)
			if err == nil {
				t.Fatalf("Decode(%q) succeeded", tt.s)
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not *Error", err)
			}
			if tt.field != "" && e.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", e.Field, tt.field, e.Msg)
			}
		})
	}
}

func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	notes := []string{"", "Ủng hộ", "UH COVID19 NGUYEN VAN A", "đ", "a-b-c", "Quỹ Vì người nghèo"}
	for i := 0; i < 2000; i++ {
		acc := make([]byte, 1+r.IntN(19))
		for j := range acc {
			acc[j] = alnum[r.IntN(len(alnum))]
		}
		p := Payload{
			BIN:     fmt.Sprintf("%06d", r.IntN(1000000)),
			Account: string(acc),
			Note:    notes[r.IntN(len(notes))],
		}
		if r.IntN(2) == 0 {
			p.Amount = r.Int64N(MaxAmount) + 1
		}
		s, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode(%+v): %v", p, err)
		}
		got, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode(%q): %v", s, err)
		}
		p.Note = NormalizeNote(p.Note)
		if got != p {
			t.Fatalf("round trip %+v → %+v", p, got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(build(good))
	f.Add(build(f00, "010212", f38, f53, "5406180000", f58, "5908NGUYỄN A", "6234"+"0107NPS6869"+"0819thanh toan don hang"))
	s, _ := Encode(Payload{BIN: "970436", Account: "0011001932418", Amount: 500000, Note: "Ủng hộ Covid-19"})
	f.Add(s)
	f.Add("")
	f.Add("00020163")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Decode(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *Error", err)
			}
			return
		}
		// Whatever decodes re-encodes, and decodes again to the
		// normalised payload, which is a fixed point.
		enc, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)) = %v", s, err)
		}
		p2, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)) = %v", p, err)
		}
		want := p
		want.Note = NormalizeNote(p.Note)
		if p2 != want {
			t.Fatalf("round trip %+v → %+v", want, p2)
		}
		if enc2, _ := Encode(p2); enc2 != enc {
			t.Fatalf("not a fixed point: %q vs %q", enc, enc2)
		}
	})
}

func FuzzEncode(f *testing.F) {
	f.Add("970436", "0011001932418", int64(500000), "Ủng hộ Covid-19")
	f.Add("970418", "1", int64(0), "")
	f.Fuzz(func(t *testing.T, bin, acc string, amt int64, note string) {
		p := Payload{BIN: bin, Account: acc, Amount: amt, Note: note}
		s, err := Encode(p)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		got, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)) = %v", p, err)
		}
		p.Note = NormalizeNote(note)
		if got != p {
			t.Fatalf("round trip %+v → %+v", p, got)
		}
	})
}
