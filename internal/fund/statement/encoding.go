package statement

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a CSV statement may come in (the names Reader.Encoding reports
// and Profile.Encoding accepts).
const (
	EncUTF8        = "utf-8"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncWindows1258 = "windows-1258" // Vietnamese code page of legacy Windows software
	EncWindows1252 = "windows-1252" // Western code page
)

// sniffSize is how much of a CSV file the encoding is guessed from.
const sniffSize = 1 << 20

// openText wraps r so that it yields UTF-8 text without a byte-order mark,
// and reports the encoding it decoded. forced, when not empty, names the
// encoding instead of guessing it.
func openText(r io.Reader, forced string) (io.Reader, string, error) {
	head, err := readSample(r)
	if err != nil {
		return nil, "", err
	}
	name := forced
	if name == "" {
		name = detectEncoding(head)
	}
	var dec *encoding.Decoder
	skip := 0
	switch name {
	case EncUTF8:
		if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
			skip = 3
		}
	case EncUTF16LE:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		if bytes.HasPrefix(head, []byte{0xff, 0xfe}) {
			skip = 2
		}
	case EncUTF16BE:
		dec = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
		if bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
			skip = 2
		}
	case EncWindows1258:
		dec = charmap.Windows1258.NewDecoder()
	case EncWindows1252:
		dec = charmap.Windows1252.NewDecoder()
	default:
		return nil, "", fatalf("bảng mã '%s' không được hỗ trợ (utf-8, utf-16le, utf-16be, windows-1258, windows-1252)", name)
	}
	var text io.Reader = io.MultiReader(bytes.NewReader(head[skip:]), r)
	if dec != nil {
		text = transform.NewReader(text, dec)
	}
	return text, name, nil
}

// readSample reads the first sniffSize bytes of r (fewer at the end of
// the file), allocating only what the file holds.
func readSample(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, sniffSize))
}

// detectEncoding guesses the encoding of a file from its first bytes:
//   - a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE);
//   - UTF-16 without a mark shows as a zero byte in every other position
//     of ASCII text;
//   - text that is valid UTF-8 is UTF-8 (ASCII included);
//   - otherwise it is a legacy 8-bit code page: Windows-1258 when the bytes
//     look Vietnamese (a tone mark, which that code page writes as a
//     separate combining byte, right after a letter; or đ/Đ), else
//     Windows-1252.
func detectEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return EncUTF8
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return EncUTF16BE
	}
	if enc := sniffUTF16(head); enc != "" {
		return enc
	}
	// A multi-byte character may be cut at the end of the sample.
	trimmed := head
	for i := 0; i < utf8.UTFMax && len(trimmed) > 0; i++ {
		if utf8.Valid(trimmed) {
			return EncUTF8
		}
		trimmed = trimmed[:len(trimmed)-1]
	}
	if len(head) == 0 || utf8.Valid(trimmed) {
		return EncUTF8
	}
	if looksVietnamese1258(head) {
		return EncWindows1258
	}
	return EncWindows1252
}

// sniffUTF16 recognises UTF-16 without a byte-order mark by its zero bytes.
func sniffUTF16(b []byte) string {
	n := min(len(b), 4096) &^ 1
	if n < 8 {
		return ""
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 && b[i+1] != 0 {
			evenZero++
		}
		if b[i+1] == 0 && b[i] != 0 {
			oddZero++
		}
	}
	pairs := n / 2
	switch {
	case oddZero*10 >= pairs*6:
		return EncUTF16LE
	case evenZero*10 >= pairs*6:
		return EncUTF16BE
	}
	return ""
}

// Windows-1258 writes the five tone marks as combining bytes after the
// vowel: grave 0xCC, hook above 0xD2, tilde 0xDE, acute 0xEC, dot below 0xF2.
// In Windows-1252 these bytes are the letters Ì Ò Þ ì ò.
func looksVietnamese1258(b []byte) bool {
	tones, other := 0, 0
	for i, c := range b {
		switch c {
		case 0xCC, 0xD2, 0xDE, 0xEC, 0xF2:
			if i > 0 && isVowel1258(b[i-1]) {
				tones++
			} else {
				other++
			}
		case 0xD0, 0xF0: // Đ đ (Ð ð in 1252, rare in Western text)
			tones++
		}
	}
	return tones > 0 && tones >= other
}

// isVowel1258 reports whether c is a vowel in Windows-1258 (ASCII vowels
// and y, and â ê ô ă ơ ư in both cases).
func isVowel1258(c byte) bool {
	switch c | 0x20 {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	switch c {
	case 0xC2, 0xE2, 0xCA, 0xEA, 0xD4, 0xF4, 0xC3, 0xE3, 0xD5, 0xF5, 0xDD, 0xFD:
		return true
	}
	return false
}

func fatalf(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}
