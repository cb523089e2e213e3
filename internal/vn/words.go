package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberWords reads n in Vietnamese words, in lower case:
// 105 → "một trăm linh năm", -21 → "âm hai mươi mốt". See MoneyWords for the
// rules.
func NumberWords(n int64) string {
	neg, u := magnitude(n)
	if u == 0 {
		return "không"
	}
	w := make([]string, 0, 32)
	if neg {
		w = append(w, "âm")
	}
	w = appendWords(w, u, true)
	return strings.Join(w, " ")
}

// MoneyWords reads an amount of đồng in words for the "Bằng chữ" line of
// receipts and payment vouchers, with a capital first letter:
//
//	348000000 → "Ba trăm bốn mươi tám triệu đồng"
//	1005000   → "Một triệu không trăm linh năm nghìn đồng"
//	0         → "Không đồng"
//
// The rules are those of common accounting practice:
//   - the digits are read in groups of three under the scale words nghìn
//     (10^3), triệu (10^6) and tỷ (10^9); above a tỷ the count of tỷ is read
//     the same way, so 10^12 is "một nghìn tỷ", 1.500 tỷ "một nghìn năm trăm
//     tỷ", 10^15 "một triệu tỷ" and 10^18 "một tỷ tỷ";
//   - a group that is all zeros is skipped ("hai triệu không trăm linh một",
//     not "hai triệu không nghìn không trăm linh một");
//   - every group after the first one spoken reads its hundreds, even zero:
//     "một nghìn không trăm hai mươi", "một triệu không trăm linh năm nghìn";
//   - a zero tens digit before a non-zero unit reads "linh" (not "lẻ"):
//     "một trăm linh năm";
//   - after "mươi" (20–90) a unit 1 reads "mốt", 4 "tư" and 5 "lăm":
//     "hai mươi mốt", "hai mươi tư", "hai mươi lăm"; after "mười" (10–19) a
//     unit 5 reads "lăm" and 4 stays "bốn": "mười lăm", "mười bốn", "mười
//     một"; after "linh" every unit keeps its name: "linh một", "linh bốn",
//     "linh năm";
//   - a negative amount starts with "Âm".
//
// The words are "nghìn" (not "ngàn") and "tỷ" (not "tỉ"), as in official
// documents.
func MoneyWords(d int64) string {
	return capitalise(NumberWords(d)) + " đồng"
}

// MoneyWordsChan is MoneyWords followed by " chẵn" when the amount is a
// non-zero multiple of 1.000 đồng, as receipts write a round amount:
// "Ba trăm bốn mươi tám triệu đồng chẵn". Other amounts read as MoneyWords.
func MoneyWordsChan(d int64) string {
	w := MoneyWords(d)
	if d != 0 && d%1000 == 0 {
		w += " chẵn"
	}
	return w
}

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

const billion = 1_000_000_000

// appendWords appends the words of u > 0. leading reports whether these are
// the first words spoken (then the first group omits zero hundreds).
func appendWords(w []string, u uint64, leading bool) []string {
	if u >= billion {
		w = appendWords(w, u/billion, leading)
		w = append(w, "tỷ")
		if r := u % billion; r != 0 {
			w = appendBelowBillion(w, r, false)
		}
		return w
	}
	return appendBelowBillion(w, u, leading)
}

// appendBelowBillion appends the words of 0 < u < 10^9.
func appendBelowBillion(w []string, u uint64, leading bool) []string {
	groups := [3]struct {
		g     int
		scale string
	}{
		{int(u / 1_000_000), "triệu"},
		{int(u / 1000 % 1000), "nghìn"},
		{int(u % 1000), ""},
	}
	for _, gr := range groups {
		if gr.g == 0 {
			continue
		}
		w = appendGroup(w, gr.g, !leading)
		if gr.scale != "" {
			w = append(w, gr.scale)
		}
		leading = false
	}
	return w
}

// appendGroup appends the words of 0 < g < 1000. full makes it read zero
// hundreds ("không trăm"), for groups after the first one spoken.
func appendGroup(w []string, g int, full bool) []string {
	h, t, u := g/100, g/10%10, g%10
	hundreds := full || h > 0
	if hundreds {
		w = append(w, digitWords[h], "trăm")
	}
	switch t {
	case 0:
		if u != 0 {
			if hundreds {
				w = append(w, "linh")
			}
			w = append(w, digitWords[u])
		}
	case 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	default:
		w = append(w, digitWords[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	}
	return w
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
