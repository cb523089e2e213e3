package fund

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// Query selects entries of a fund's public lists; zero fields do not
// filter. Whatever a visitor types ends up here through ParseQuery, which
// bounds it; the store only ever passes it to SQL as parameters.
type Query struct {
	Book      string  // BookIn, BookOut, or "" for both
	Name      string  // donor or recipient: words in any order, each a word prefix
	Amount    int64   // exact amount (magnitude)
	MinAmount int64   // amount range (magnitudes), inclusive
	MaxAmount int64   //
	From, To  db.Date // date range, inclusive
	Ref       string  // bank reference or voucher number: whole, or (MinRefFragment characters or more) its beginning or end; no case
	After     *Cursor // keyset paging: entries after this one in list order
	Limit     int

	anon anonMode // how the SQL path treats anonymous donors (anonymousQuery)
}

// anonMode tells which entries a SQL search covers when the name typed is
// that of anonymous donors ("Ẩn danh").
type anonMode uint8

const (
	anonBoth anonMode = iota // names that match, and anonymous donors if the name is theirs
	anonNone                 // names that match only
	anonOnly                 // anonymous donors only (the name is not matched)
)

// anonWords are the folded words of the name anonymous donors are
// published under (translog.Anonymous: "an danh").
var anonWords = vn.FoldWords(translog.Anonymous)

// anonymousQuery tells whether the words typed are those of the name
// anonymous donors are published under ("ẩn danh", "an danh", "danh an",
// or joined: "andanh"): such a search lists them too. Their real names are
// never indexed.
func anonymousQuery(words []string) bool {
	if len(words) == 1 {
		return words[0] == strings.Join(anonWords, "")
	}
	if len(words) != len(anonWords) {
		return false
	}
	for _, w := range anonWords {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return true
}

// joinedMarks are the characters that join the parts of a name (H'Rim,
// Ksor H’Blông, Nguyễn-Văn); folding makes them spaces, and a name that
// has one is also found by two adjacent words typed as one ("hrim",
// "nguyenvan").
const joinedMarks = "'’‘‛`-‐‑‒–"

// joinedSQL is the SQL condition that text column col has a joining mark.
func joinedSQL(col string) string {
	var ors []string
	for _, r := range joinedMarks {
		ors = append(ors, col+" LIKE '%"+strings.ReplaceAll(string(r), "'", "''")+"%'")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// Limits on what a query may carry.
const (
	MaxQueryChars = 200 // characters of the name typed
	MaxQueryWords = 8   // words of the name used
	MaxWordBytes  = 40  // bytes of one folded word used
	DefaultLimit  = 50
	MaxLimit      = 200
)

// Cursor is the position of an entry in a list ordered by date then seq,
// newest first.
type Cursor struct {
	Date db.Date
	Seq  int64
}

// String encodes the cursor for a URL: "2021-08-15.123".
func (c Cursor) String() string { return c.Date.ISO() + "." + strconv.FormatInt(c.Seq, 10) }

// ParseCursor decodes Cursor.String; ok is false for anything else.
func ParseCursor(s string) (*Cursor, bool) {
	d, seq, ok := strings.Cut(s, ".")
	if !ok || len(d) != 10 || len(seq) > 19 {
		return nil, false
	}
	var c Cursor
	if err := c.Date.Scan(d); err != nil {
		return nil, false
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil || n < 1 {
		return nil, false
	}
	c.Seq = n
	return &c, true
}

// QueryWords returns the words of a typed name as search uses them: folded
// (no case, no diacritics, NFC and NFD alike, đ = d), at most MaxQueryWords
// distinct words of at most MaxWordBytes bytes, from at most MaxQueryChars
// characters.
func QueryWords(name string) []string {
	if utf8.RuneCountInString(name) > MaxQueryChars {
		name = truncate(name, MaxQueryChars)
	}
	var out []string
	for _, w := range vn.FoldWords(name) {
		if len(w) > MaxWordBytes {
			w = w[:MaxWordBytes]
			for !utf8.ValidString(w) {
				w = w[:len(w)-1]
			}
		}
		dup := false
		for _, o := range out {
			if o == w {
				dup = true
			}
		}
		if !dup {
			out = append(out, w)
		}
		if len(out) == MaxQueryWords {
			break
		}
	}
	return out
}

// ParseQuery reads a query from a public URL: q (name), amount, min, max
// (amounts as people write them: see ParseAmount), from, to
// (dd/mm/yyyy or yyyy-mm-dd), ref, after (cursor). A value that cannot be
// read is left out of the query and its parameter name returned in bad, so
// the page can say so; nothing a visitor types is an error.
func ParseQuery(v url.Values) (q Query, bad []string) {
	get := func(k string) string {
		s := v.Get(k)
		if len(s) > 4*MaxQueryChars {
			s = s[:4*MaxQueryChars]
		}
		// Only text: invalid UTF-8 and control characters (NUL…) dropped.
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == utf8.RuneError {
				return -1
			}
			return r
		}, strings.ToValidUTF8(s, ""))
		return strings.TrimSpace(s)
	}
	q.Name = truncate(strings.ToValidUTF8(get("q"), ""), MaxQueryChars)
	money := func(k string) int64 {
		s := get(k)
		if s == "" {
			return 0
		}
		n, err := ParseAmount(s)
		if err != nil || n < 0 {
			bad = append(bad, k)
			return 0
		}
		return n
	}
	q.Amount, q.MinAmount, q.MaxAmount = money("amount"), money("min"), money("max")
	date := func(k string) db.Date {
		s := get(k)
		if s == "" {
			return db.Date{}
		}
		t, err := vn.ParseDate(s)
		if err != nil {
			bad = append(bad, k)
			return db.Date{}
		}
		return db.NewDate(t)
	}
	q.From, q.To = date("from"), date("to")
	if ref := get("ref"); ref != "" {
		q.Ref = truncate(strings.ToValidUTF8(ref, ""), 100)
	}
	if s := get("after"); s != "" {
		if c, ok := ParseCursor(s); ok {
			q.After = c
		} else {
			bad = append(bad, "after")
		}
	}
	return q, bad
}

// amountUnits are the words people put after a number of thousands,
// millions or billions of đồng, folded.
var amountUnits = map[string]int64{
	"k": 1_000, "nghin": 1_000, "ngan": 1_000, "ng": 1_000,
	"tr": 1_000_000, "trieu": 1_000_000, "m": 1_000_000,
	"ty": 1_000_000_000, "ti": 1_000_000_000,
}

// ParseAmount reads an amount of đồng as people type it in a search box:
// what vn.ParseMoney reads ("348.000.000", "348000000đ", "348.000.000
// đồng"), or a number followed by a unit, with a decimal fraction if any:
// "348tr", "348 triệu", "1,5tr", "1.5 triệu đồng", "500k", "500 nghìn",
// "2 tỷ", "2,35 tỉ".
func ParseAmount(s string) (int64, error) {
	n, err := vn.ParseMoney(s)
	if err == nil {
		return n, nil
	}
	if strings.HasPrefix(strings.TrimSpace(s), "-") {
		return 0, err
	}
	f := vn.Fold(s) // "1,5 triệu đồng" → "1 5 trieu dong"; "348tr" → "348tr"
	f = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(f, " dong"), " vnd"), " d")
	// The number: digits, with a fraction after "," or "." (folded to a
	// space).
	i := 0
	for i < len(f) && f[i] >= '0' && f[i] <= '9' {
		i++
	}
	whole, rest := f[:i], f[i:]
	frac := ""
	if strings.HasPrefix(rest, " ") && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9' {
		// A fraction only where the text had a decimal mark.
		if t := strings.TrimSpace(s); strings.ContainsAny(t, ".,") {
			j := 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			frac, rest = rest[1:j], rest[j:]
		}
	}
	unit, ok := amountUnits[strings.TrimSpace(rest)]
	if whole == "" || len(whole) > 12 || len(frac) > 3 || !ok {
		return 0, err
	}
	w, perr := strconv.ParseInt(whole, 10, 64)
	if perr != nil || w > (1<<62)/unit {
		return 0, err
	}
	v := w * unit
	if frac != "" {
		fv, _ := strconv.ParseInt(frac, 10, 64)
		for k := len(frac); k > 0; k-- {
			unit /= 10
		}
		v += fv * unit
	}
	return v, nil
}

// Values encodes the query's filters for links (paging, downloads).
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Name != "" {
		v.Set("q", q.Name)
	}
	if q.Amount > 0 {
		v.Set("amount", strconv.FormatInt(q.Amount, 10))
	}
	if q.MinAmount > 0 {
		v.Set("min", strconv.FormatInt(q.MinAmount, 10))
	}
	if q.MaxAmount > 0 {
		v.Set("max", strconv.FormatInt(q.MaxAmount, 10))
	}
	if q.From.Valid() {
		v.Set("from", q.From.ISO())
	}
	if q.To.Valid() {
		v.Set("to", q.To.ISO())
	}
	if q.Ref != "" {
		v.Set("ref", q.Ref)
	}
	return v
}

// Filtered tells whether the query filters anything.
func (q Query) Filtered() bool {
	return q.Name != "" || q.Amount > 0 || q.MinAmount > 0 || q.MaxAmount > 0 || q.From.Valid() || q.To.Valid() || q.Ref != ""
}
