package vn

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only separators", " \t-–. ", ""},
		{"already folded", "nguyen van a", "nguyen van a"},
		{"diacritics and đ", "Đặng Thị Hoà", "dang thi hoa"},
		{"plain query", "dang thi hoa", "dang thi hoa"},
		{"old tone placement", "hoà", "hoa"},
		{"new tone placement", "hòa", "hoa"},
		{"old tone placement, uy", "thuỷ", "thuy"},
		{"new tone placement, uy", "thủy", "thuy"},
		{"NFD input", norm.NFD.String("Nguyễn Thị Ánh Tuyết"), "nguyen thi anh tuyet"},
		{"capitals", "NGUYỄN VĂN A", "nguyen van a"},
		{"capitals without diacritics", "NGUYEN VAN A CHUYEN KHOAN", "nguyen van a chuyen khoan"},
		{"capital Đ", "ĐOÀN THANH NIÊN", "doan thanh nien"},
		{"tabs and multiple spaces", "  Hội\t\tNông   dân \n", "hoi nong dan"},
		{"NBSP and thin space", "Ia\u00a0Grai\u2009Gia\u202fLai", "ia grai gia lai"},
		{"hyphen separates", "Hội Liên hiệp Phụ nữ - Chi hội 3", "hoi lien hiep phu nu chi hoi 3"},
		{"en dash and quotes", "Quỹ “Vì người nghèo” – 2021", "quy vi nguoi ngheo 2021"},
		{"punctuation", "MTTQ/BC-MTTQ, số 12.", "mttq bc mttq so 12"},
		{"digits kept", "Quý III/2021", "quy iii 2021"},
		{"all Vietnamese vowels", "àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ",
			"aaaaa aaaaaa aaaaaa eeeee eeeeee iiiii ooooo oooooo oooooo uuuuu uuuuuu yyyyy"},
		{"all Vietnamese capitals", "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
			"aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"},
		{"eth typed for Đ", "\u00d0ặng", "dang"},
		{"stray combining mark", "a\u0301\u0323b", "ab"},
		{"leading combining mark", "\u0301abc", "abc"},
		{"other scripts keep letters", "Ελλάδα", "ελλαδα"},
		{"emoji separates", "Hoa🌸Sen", "hoa sen"},
		{"invalid UTF-8 separates", "ab\xffcd", "ab cd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldNFDEqualsNFC(t *testing.T) {
	for _, s := range []string{"Đặng Thị Hoà", "Hội Cựu chiến binh", "Liên đoàn Lao động huyện", "Ủy ban MTTQ xã Ia Băng", "Ngô Thị Thủy Tiên"} {
		nfc, nfd := norm.NFC.String(s), norm.NFD.String(s)
		if nfc == nfd {
			t.Fatalf("test input %q has no decomposable letters", s)
		}
		if Fold(nfc) != Fold(nfd) {
			t.Errorf("Fold(NFC) = %q, Fold(NFD) = %q", Fold(nfc), Fold(nfd))
		}
	}
}

// TestFoldFastMatchesSlow checks that the table-driven path gives exactly
// what the general path gives, for every rune the tables cover and for
// strings mixing them with combining marks in any order.
func TestFoldFastMatchesSlow(t *testing.T) {
	var covered []rune
	for r := rune(0); r < 0x370; r++ {
		covered = append(covered, r)
	}
	for r := rune(0x1E00); r < 0x1F00; r++ {
		covered = append(covered, r)
	}
	for r := rune(0x2000); r < 0x2070; r++ {
		covered = append(covered, r)
	}
	for _, r := range covered {
		for _, s := range []string{string(r), "a" + string(r) + "b", string(r) + "\u0323\u0301", "\u0301" + string(r) + " x"} {
			fast, ok := foldFast(s)
			if !ok {
				continue
			}
			if slow := foldSlow(s); fast != slow {
				t.Errorf("U+%04X: foldFast(%q) = %q, foldSlow = %q", r, s, fast, slow)
			}
		}
	}
	// Every combining diacritical mark is Mn: dropping them wholesale in the
	// fast path is right.
	for r := rune(0x300); r < 0x370; r++ {
		if !unicode.Is(unicode.Mn, r) {
			t.Errorf("U+%04X is not Mn", r)
		}
	}
	// The fast path must take Vietnamese text.
	if _, ok := foldFast("Đặng Thị Hoà – “Vì người nghèo”" + norm.NFD.String("Nguyễn")); !ok {
		t.Error("foldFast refused Vietnamese text")
	}
}

func TestFoldIsIdempotentOnTables(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		s := "x" + string(r) + "y"
		if f := Fold(s); Fold(f) != f {
			t.Errorf("U+%04X: Fold(%q) = %q, Fold again = %q", r, s, f, Fold(f))
		}
	}
}

func TestFoldDoesNotAllocateWhenFolded(t *testing.T) {
	s := "nguyen van a chuyen khoan ung ho 500000"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s) }); n != 0 {
		t.Errorf("Fold of folded text: %v allocations, want 0", n)
	}
	v := "Nguyễn Văn A chuyển khoản ủng hộ"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(v) }); n > 1 {
		t.Errorf("Fold of Vietnamese text: %v allocations, want 1", n)
	}
}

func TestFoldWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" - ", nil},
		{"Đặng Thị Hoà", []string{"dang", "thi", "hoa"}},
		{"  NGUYỄN\tVăn  A ", []string{"nguyen", "van", "a"}},
	}
	for _, tt := range tests {
		if got := FoldWords(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("FoldWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchAllWords(t *testing.T) {
	hay := Fold("Nguyễn Văn An - chuyển khoản ủng hộ Quỹ Vì người nghèo")
	tests := []struct {
		name  string
		query string
		want  bool
	}{
		{"empty query matches", "", true},
		{"whole word", "nguyen", true},
		{"word prefix", "nguy", true},
		{"typed with diacritics", "Nguyễn", true},
		{"any order", "an nguyen", true},
		{"all words needed", "nguyen binh", false},
		{"not inside a word", "yen", false},
		{"not a suffix", "guyen", false},
		{"prefix of a later word", "ngh", true},
		{"capitals", "QUY VI NGUOI NGHEO", true},
		{"longer than any word", "nguyenvan", false},
		{"digit", "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchAllWords(hay, FoldWords(tt.query)); got != tt.want {
				t.Errorf("MatchAllWords(%q, %q) = %v, want %v", hay, FoldWords(tt.query), got, tt.want)
			}
		})
	}
	// A word that appears first inside another word and later as a word start.
	if !MatchAllWords("dang an", []string{"an"}) {
		t.Error(`"an" must match the second word of "dang an"`)
	}
	if !MatchAllWords("x", []string{"", "x"}) {
		t.Error("empty query words are ignored")
	}
}

func TestNFC(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Hoà \t", "Hoà"},
		{norm.NFD.String("Nguyễn Văn A"), "Nguyễn Văn A"},
		{"\u00a0\ufeffĐặng\u200b\n", "Đặng"},
		{"hoà", "hoà"}, // tone placement is kept
		{"a  b", "a  b"},
	}
	for _, tt := range tests {
		got := NFC(tt.in)
		if got != tt.want {
			t.Errorf("NFC(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("NFC(%q) = %q is not NFC", tt.in, got)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Đặng Thị Hoà", "NGUYỄN  VĂN\tA", "hoà hòa", "Ｆｕｌｌ", "한국어", "\u0301a", "ab\xffcd", "Ελλάδα", "İstanbul", "ǅ ǈ", "ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("not idempotent: Fold(%q) = %q, Fold again = %q", s, got, again)
		}
		if a, b := Fold(norm.NFD.String(s)), Fold(norm.NFC.String(s)); a != b {
			t.Fatalf("Fold(NFD(%q)) = %q, Fold(NFC) = %q", s, a, b)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, got)
		}
		if fast, ok := foldFast(s); ok && fast != foldSlow(s) {
			t.Fatalf("foldFast(%q) = %q, foldSlow = %q", s, fast, foldSlow(s))
		}
	})
}

var benchNames = []string{
	"Nguyễn Văn An", "ĐẶNG THỊ HOÀ", "Trần Thị Thủy Tiên", "nguyen van a chuyen khoan",
	"Hội Liên hiệp Phụ nữ xã Ia Băng", "Ủng hộ Quỹ “Vì người nghèo” – đợt 2",
}

func BenchmarkFold(b *testing.B) {
	nfd := norm.NFD.String("Nguyễn Thị Ánh Tuyết chuyển khoản")
	b.Run("Vietnamese", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = Fold(benchNames[i%len(benchNames)])
		}
	})
	b.Run("NFD", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Fold(nfd)
		}
	})
	b.Run("folded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Fold("nguyen van a chuyen khoan")
		}
	})
	b.Run("general path", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Fold("Nguyễn Văn An 한국어 Ｆｕｌｌ")
		}
	})
}
