package statement

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"giaoban/internal/vn"
)

// DonorFromNote extracts the donor's name from a bank transfer note, when
// the note follows one of the common patterns:
//
//	NGUYEN VAN A chuyen tien ung ho
//	MBVCB.123456.NGUYEN THI B ung ho quy phong chong covid
//	IBFT Ung ho Covid - Tran Van C
//	UNG HO QUY VI NGUOI NGHEO - LE THI D - 0912345678
//	CT DEN:123456 PHAM VAN E chuyen khoan
//
// The note is cut into segments at punctuation (banks join their codes to
// the note with dots and dashes); in each segment, tokens with digits
// (references, accounts, phone numbers), bank codes and the words of
// donation notes ("ung ho", "chuyen tien", "covid", "quy", "mat tran"…)
// break the text; a name is a run of 2–5 remaining words that starts with a
// Vietnamese family name (Nguyễn, Trần, Lê…, and the family names of the
// Central Highlands peoples: Ksor, Siu, Rơ Châm…). The first such run is
// the donor. Segments naming an organisation (công ty, trường, UBND…) are
// skipped: an organisation's name cannot be cased reliably, so it is left
// to the person reviewing the import.
//
// The name is returned in Title Case as typed: diacritics present in the
// note are kept ("Nguyễn Văn An"), and those a bank stripped cannot be
// recovered ("NGUYEN VAN AN" → "Nguyen Van An"). ok is false when no name
// is found; the caller then shows the note for review.
func DonorFromNote(desc string) (name string, ok bool) {
	if len(desc) > 1000 {
		desc = desc[:1000]
	}
	var buf [16]token
	for seg := range strings.FieldsFuncSeq(desc, isSegmentBreak) {
		if n, ok := nameInSegment(seg, buf[:0]); ok {
			return n, true
		}
	}
	return "", false
}

func isSegmentBreak(r rune) bool {
	switch r {
	case '-', '–', '—', '.', ',', ':', ';', '/', '\\', '|', '(', ')', '[', ']', '{', '}', '_', '+', '#', '*', '"', '=', '&', '<', '>', '!', '?', '~':
		return true
	}
	return r == '\n' || r == '\r' || r == '\t'
}

type token struct {
	orig, fold string
	phrase     bool // part of a stop phrase
	stop       bool // a stop word, or not a word
}

// nameInSegment finds a name in one segment; toks is room for its words.
func nameInSegment(seg string, toks []token) (string, bool) {
	for w := range strings.FieldsSeq(seg) {
		toks = append(toks, token{orig: w, fold: vn.Fold(w)})
	}
	// An organisation's segment is skipped whole.
	for i := range toks {
		if startsPhrase(toks, i, orgMarkers) > 0 {
			return "", false
		}
	}
	// Mark stop phrases, then stop words and non-words.
	for i := 0; i < len(toks); {
		if n := startsPhrase(toks, i, stopPhrases); n > 0 {
			for j := i; j < i+n; j++ {
				toks[j].phrase = true
			}
			i += n
			continue
		}
		i++
	}
	for i := range toks {
		f := toks[i].fold
		if stopWords[f] || !isWord(f) {
			toks[i].stop = true
		}
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].phrase || !surnames[toks[i].fold] {
			continue
		}
		j := i + 1
		for j < len(toks) && !toks[j].stop && !toks[j].phrase {
			j++
		}
		if n := j - i; n >= 2 && n <= 5 {
			var b strings.Builder
			size := n - 1
			for _, t := range toks[i:j] {
				size += len(t.orig) + utf8.UTFMax
			}
			b.Grow(size)
			for k, t := range toks[i:j] {
				if k > 0 {
					b.WriteByte(' ')
				}
				writeTitleWord(&b, t.orig)
			}
			return b.String(), true
		}
		i = j
	}
	return "", false
}

// startsPhrase returns the number of tokens of the first phrase of list
// (by first word, longest first) that starts at toks[i], or 0.
func startsPhrase(toks []token, i int, list phraseIndex) int {
next:
	for _, p := range list[toks[i].fold] {
		if i+len(p) > len(toks) {
			continue
		}
		for k := 1; k < len(p); k++ {
			if toks[i+k].fold != p[k] {
				continue next
			}
		}
		return len(p)
	}
	return 0
}

// isWord reports whether f (folded) is one word of letters a–z.
func isWord(f string) bool {
	if f == "" {
		return false
	}
	for i := 0; i < len(f); i++ {
		if f[i] < 'a' || f[i] > 'z' {
			return false
		}
	}
	return true
}

// writeTitleWord writes w to b with its first letter upper-cased and the
// rest lower-cased (an import writes a million names: no string of its own
// for each word).
func writeTitleWord(b *strings.Builder, w string) {
	r, n := utf8.DecodeRuneInString(w)
	b.WriteRune(unicode.ToUpper(r))
	for i := n; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if r == utf8.RuneError && size == 1 {
			// As strings.ToLower: an invalid byte becomes U+FFFD.
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		i += size
	}
}

// phraseIndex holds folded phrases by their first word, the longest first, so
// that "ung ho quy" wins over "ung ho".
type phraseIndex map[string][][]string

func phraseList(ss ...string) phraseIndex {
	out := phraseIndex{}
	for _, s := range ss {
		p := strings.Fields(s)
		out[p[0]] = append(out[p[0]], p)
	}
	for _, list := range out {
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && len(list[j]) > len(list[j-1]); j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
	}
	return out
}

func set(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// surnames are folded Vietnamese family names, the common ones (which
// cover nearly everyone) and those of the Central Highlands peoples.
var surnames = set(
	"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
	"duong", "ly", "dao", "dinh", "doan", "lam", "luong", "mai", "trinh", "truong", "cao", "ha", "to", "ta",
	"tong", "chu", "chau", "quach", "luu", "lu", "la", "kieu", "khuc", "khong", "nghiem", "nong", "quan",
	"thai", "tieu", "thach", "trieu", "vuong", "vi", "au", "bach", "banh", "cam", "cu", "dam", "diep", "giang",
	"han", "hua", "khuat", "kim", "lac", "lai", "lieu", "lo", "mac", "man", "mau", "ninh", "ong", "phi", "phung",
	"phuong", "thieu", "tiet", "ton", "uong", "vien", "an", "hau", "sam", "tang", "trac", "y",
	// Central Highlands (Jrai, Bahnar, Ê Đê…) and other peoples.
	"ksor", "siu", "rah", "kpa", "nay", "ro", "puih", "kpuih", "nie", "mlo", "ayun", "rcom", "hwing", "kso",
	"rmah", "rchom", "mo", "ya", "hmok", "bya", "alo", "eban", "ktla", "byang", "adrong", "buon", "hdok",
)

// stopWords end a name: bank and payment codes, and words of donation
// notes that are not given names. Words that are also family or given
// names (Trần, Tô, Bảo, Nam, Tiến, Phương…) are not here: the phrases they
// occur in ("mat tran", "to quoc", "bao lu", "mien nam", "chuyen tien")
// are. "do" and "ho" (Đỗ, Hồ) only stop a name that has begun; a family
// name starts one all the same (see nameInSegment).
var stopWords = set(
	"ck", "uh", "ungho", "chuyen", "khoan", "ung", "covid", "covid19", "cov", "sars", "ibft", "mbvcb", "vcb",
	"bidv", "tcb", "mb", "mbbank", "acb", "vpb", "tpb", "agribank", "vietinbank", "vietcombank", "techcombank",
	"sacombank", "vpbank", "tpbank", "hdbank", "shb", "scb", "ocb", "msb", "vib", "seabank", "momo", "zalopay",
	"vnpay", "viettelpay", "napas", "ft", "ct", "den", "toi", "cho", "gui", "cua", "sdt", "dt", "stk",
	"tk", "tkthe", "rem", "tfr", "ac", "ref", "trace", "nd", "gd", "mttq", "uy", "gop", "voi",
	"nguoi", "ngheo", "vung", "cac", "mot", "xin", "on", "kinh", "lut", "dich", "benh", "mien", "tw",
	"xa", "thon", "ap", "va", "qua", "mat", "vn", "vnd", "nghin", "k", "tr", "ok", "test", "so", "hotro",
	"quyen", "ban", "giup", "do", "ho",
)

// stopPhrases are marked before stop words, so that a name in them is not
// taken: "ung ho" (Hồ is a family name), "mat tran" (Trần)…
var stopPhrases = phraseList(
	"ung ho", "chuyen tien", "chuyen khoan", "mat tran", "to quoc", "mat tran to quoc", "phong chong", "vi nguoi ngheo",
	"nguoi ngheo", "dong bao", "mien trung", "mien bac", "mien nam", "lu lut", "bao lu", "thien tai", "ho tro",
	"ho gia dinh", "chu ho", "gia dinh", "tai khoan", "ngan hang", "cuu tro", "nop tien", "gui tien", "nhan tien",
	"so dien thoai", "viet nam", "giao dich", "tu thien", "vac xin", "vaccine", "quy vac xin", "ho ten", "ten",
	"ung ho quy", "ban cuu tro", "dong bao lu", "khac phuc", "hau qua", "tre em", "hoc sinh", "yagi", "bao yagi",
	"ha noi", "tp hcm", "ho chi minh", "da nang", "gia lai", "tay nguyen", "tren", "duoi", "y te", "an sinh",
	"an toan", "thanh toan", "nguoi dan", "ba con", "so tien", "giup do", "chuyen ho", "nop ho", "tinh thuong",
)

// orgMarkers make a segment an organisation's.
var orgMarkers = phraseList(
	"cong ty", "cty", "tnhh", "ctcp", "jsc", "company", "ltd", "group", "thcs", "thpt", "tieu hoc", "mam non",
	"truong thcs", "ubnd", "chi bo", "chi hoi", "cong doan", "doan thanh nien", "hop tac xa", "htx", "tap doan",
	"benh vien", "doanh nghiep", "tap the", "ban lien lac", "cua hang", "hoi nong dan", "hoi phu nu",
	"hoi cuu chien binh", "hoi lhpn", "lien doan", "nha thuoc", "chua", "nha tho", "giao xu",
)
