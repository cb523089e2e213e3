package sheet

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
)

// The hidden metadata sheet and the fixed rows of a data sheet.
const (
	metaSheetName = "_giaoban"
	metaKind      = "giaoban.values"
	metaFormat    = "1"

	rowTitle     = 1
	rowUnit      = 2
	rowPeriod    = 3
	rowHowTo     = 4
	rowHeader    = 5
	rowKeys      = 6 // hidden: the role of every column
	firstDataRow = 7

	keyMarker = "#giaoban" // column A of the key row
	roleCode  = "code"
	roleOpt   = "option"
	rolePer   = "period"
	roleCheck = "check"
	roleValue = "value:"   // + unit id
	roleVer   = "version:" // + unit id
)

// meta is the content of the "_giaoban" sheet.
type meta struct {
	layout      Layout
	period      string
	periodLabel string
	nonce       string
	units       []metaUnit
	sheets      []sheetMeta
	rows        map[string]RowSpec // by Key(code, option)
}

type metaUnit struct {
	id   int64
	name string
}

// sheetMeta describes one data sheet.
type sheetMeta struct {
	name   string
	units  []int64 // in the order of the value columns
	first  int     // first data row
	last   int     // last data row
	keyed  int     // rows with an indicator
	keysum string  // checksum of the row keys, in order
}

// lines renders m as the rows of the metadata sheet, the seal last.
func (m *meta) lines(order []string) [][]string {
	ls := [][]string{
		{"kind", metaKind},
		{"format", metaFormat},
		{"layout", string(m.layout)},
		{"period", m.period},
		{"period_label", m.periodLabel},
		{"nonce", m.nonce},
	}
	for _, u := range m.units {
		ls = append(ls, []string{"unit", strconv.FormatInt(u.id, 10), u.name})
	}
	for _, s := range m.sheets {
		ids := make([]string, len(s.units))
		for i, id := range s.units {
			ids[i] = strconv.FormatInt(id, 10)
		}
		ls = append(ls, []string{"sheet", s.name, strings.Join(ids, ","),
			strconv.Itoa(s.first), strconv.Itoa(s.last), strconv.Itoa(s.keyed), s.keysum})
	}
	for _, k := range order {
		r := m.rows[k]
		ls = append(ls, []string{"row", r.IndicatorCode, r.Option, string(r.ValueType),
			strconv.Itoa(r.Scale), optInt(r.Min), optInt(r.Max), choiceField(r, 0), choiceField(r, 1)})
	}
	return append(ls, []string{"seal", seal(ls)})
}

func choiceField(r RowSpec, i int) string {
	if r.ValueType != indicator.YesNo || len(r.Choices) < 2 {
		return ""
	}
	return r.Choices[i]
}

func optInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// seal is the checksum of the metadata lines.
func seal(lines [][]string) string {
	h := sha256.New()
	for _, l := range lines {
		for _, f := range l {
			h.Write([]byte(f))
			h.Write([]byte{0x1f})
		}
		h.Write([]byte{0x1e})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// parseMeta reads the metadata lines back; any inconsistency is an error
// (the caller refuses the file).
func parseMeta(lines [][]string) (*meta, error) {
	// Drop trailing empty fields, which spreadsheets do not keep.
	for i, l := range lines {
		for len(l) > 0 && l[len(l)-1] == "" {
			l = l[:len(l)-1]
		}
		lines[i] = l
	}
	if len(lines) < 7 {
		return nil, fmt.Errorf("too few lines")
	}
	last := lines[len(lines)-1]
	if len(last) != 2 || last[0] != "seal" {
		return nil, fmt.Errorf("no seal")
	}
	body := lines[:len(lines)-1]
	// The seal was computed over the lines with all their fields; empty
	// trailing fields were dropped above, so compute it over padded lines.
	if seal(padLines(body)) != last[1] {
		return nil, fmt.Errorf("seal mismatch")
	}
	m := &meta{rows: map[string]RowSpec{}}
	get := func(i int, key string) (string, error) {
		if len(body[i]) < 1 || body[i][0] != key {
			return "", fmt.Errorf("line %d: want %s", i+1, key)
		}
		if len(body[i]) < 2 {
			return "", nil
		}
		return body[i][1], nil
	}
	var err error
	var kind, format, layout string
	if kind, err = get(0, "kind"); err != nil || kind != metaKind {
		return nil, fmt.Errorf("kind %q", kind)
	}
	if format, err = get(1, "format"); err != nil || format != metaFormat {
		return nil, fmt.Errorf("format %q", format)
	}
	if layout, err = get(2, "layout"); err != nil {
		return nil, err
	}
	m.layout = Layout(layout)
	if m.layout != SheetPerUnit && m.layout != UnitsAsColumns {
		return nil, fmt.Errorf("layout %q", layout)
	}
	if m.period, err = get(3, "period"); err != nil {
		return nil, err
	}
	if m.periodLabel, err = get(4, "period_label"); err != nil {
		return nil, err
	}
	if m.nonce, err = get(5, "nonce"); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for i := 6; i < len(body); i++ {
		l := body[i]
		field := func(j int) string {
			if j < len(l) {
				return l[j]
			}
			return ""
		}
		switch field(0) {
		case "unit":
			id, err := strconv.ParseInt(field(1), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: unit id", i+1)
			}
			m.units = append(m.units, metaUnit{id: id, name: field(2)})
		case "sheet":
			s := sheetMeta{name: field(1), keysum: field(6)}
			for _, f := range strings.Split(field(2), ",") {
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: sheet units", i+1)
				}
				s.units = append(s.units, id)
			}
			var e1, e2, e3 error
			s.first, e1 = strconv.Atoi(field(3))
			s.last, e2 = strconv.Atoi(field(4))
			s.keyed, e3 = strconv.Atoi(field(5))
			if e1 != nil || e2 != nil || e3 != nil || s.first != firstDataRow || s.last < s.first-1 || s.keyed < 0 ||
				s.name == "" || names[strings.ToLower(s.name)] {
				return nil, fmt.Errorf("line %d: sheet", i+1)
			}
			names[strings.ToLower(s.name)] = true
			m.sheets = append(m.sheets, s)
		case "row":
			r := RowSpec{IndicatorCode: field(1), Option: field(2), ValueType: indicator.ValueType(field(3))}
			if r.Scale, err = strconv.Atoi(field(4)); err != nil || r.Scale < 0 || r.Scale > 18 {
				return nil, fmt.Errorf("line %d: scale", i+1)
			}
			if r.Min, err = parseOptInt(field(5)); err != nil {
				return nil, fmt.Errorf("line %d: min", i+1)
			}
			if r.Max, err = parseOptInt(field(6)); err != nil {
				return nil, fmt.Errorf("line %d: max", i+1)
			}
			if field(7) != "" || field(8) != "" {
				r.Choices = []string{field(7), field(8)}
			}
			if !validType(r.ValueType) || r.IndicatorCode == "" {
				return nil, fmt.Errorf("line %d: row", i+1)
			}
			m.rows[Key(r.IndicatorCode, r.Option)] = r
		default:
			return nil, fmt.Errorf("line %d: %q", i+1, field(0))
		}
	}
	if len(m.sheets) == 0 {
		return nil, fmt.Errorf("no sheets")
	}
	known := map[int64]bool{}
	for _, u := range m.units {
		known[u.id] = true
	}
	for _, s := range m.sheets {
		for _, id := range s.units {
			if !known[id] {
				return nil, fmt.Errorf("sheet %q: unit %d not listed", s.name, id)
			}
		}
	}
	return m, nil
}

// padLines pads the lines of each kind to the width WriteTemplate gives
// them, so that the seal of lines read back (trailing empty fields
// dropped) equals the seal written.
func padLines(lines [][]string) [][]string {
	width := map[string]int{"unit": 3, "sheet": 7, "row": 9}
	out := make([][]string, len(lines))
	for i, l := range lines {
		w := 2
		if len(l) > 0 {
			if n, ok := width[l[0]]; ok {
				w = n
			}
		}
		if len(l) < w {
			p := make([]string, w)
			copy(p, l)
			l = p
		}
		out[i] = l
	}
	return out
}

func parseOptInt(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func validType(t indicator.ValueType) bool {
	for _, v := range indicator.ValueTypes {
		if v == t {
			return true
		}
	}
	return false
}

// rowCheck is the number in the hidden "Kiểm tra" column: 48 bits of a
// hash of what identifies the row, so that it is exact in Excel (which
// keeps 15 digits).
func rowCheck(nonce string, sheet, row int, code, option, period string, versions []string) int64 {
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(sheet))
	binary.BigEndian.PutUint64(b[8:], uint64(row))
	h.Write([]byte(nonce))
	h.Write(b[:])
	for _, f := range []string{code, option, period} {
		h.Write([]byte{0x1f})
		h.Write([]byte(f))
	}
	for _, v := range versions {
		h.Write([]byte{0x1e})
		h.Write([]byte(v))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return int64(binary.BigEndian.Uint64(sum[:8]) >> 16)
}

// keysum accumulates the checksum of the keys of a sheet's rows.
type keysum struct{ h [32]byte }

func (k *keysum) add(row int, check int64) {
	var b [48]byte
	copy(b[:32], k.h[:])
	binary.BigEndian.PutUint64(b[32:], uint64(row))
	binary.BigEndian.PutUint64(b[40:], uint64(check))
	k.h = sha256.Sum256(b[:])
}

func (k *keysum) String() string { return hex.EncodeToString(k.h[:8]) }
