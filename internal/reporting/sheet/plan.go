package sheet

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// plan is a template laid out, before any XML is written.
type plan struct {
	spec   Spec
	lang   string
	lab    labels
	meta   *meta
	order  []string // row keys in spec order
	sheets []sheetPlan
}

// sheetPlan is one data sheet: its units (one per value column) and rows.
type sheetPlan struct {
	name  string
	units []UnitSpec
	rows  []planRow
}

// planRow is one row below the key row: a section heading (spec nil) or
// an indicator row.
type planRow struct {
	num     int // worksheet row
	stt     string
	section string
	spec    *RowSpec
}

// columns of a data sheet with n value columns (1-based).
type columns struct{ n int }

func (c columns) value(j int) int   { return 4 + j }
func (c columns) lastVisible() int  { return 3 + c.n }
func (c columns) code() int         { return 4 + c.n }
func (c columns) option() int       { return 5 + c.n }
func (c columns) period() int       { return 6 + c.n }
func (c columns) check() int        { return 7 + c.n }
func (c columns) version(j int) int { return 8 + c.n + j }
func (c columns) last() int         { return 7 + 2*c.n }

// maxColumns is Excel's limit.
const maxColumns = 16384

// newPlan checks spec and lays the template out.
func newPlan(spec Spec) (*plan, error) {
	p, err := period.Parse(spec.Period)
	if err != nil {
		return nil, fmt.Errorf("sheet: kỳ báo cáo: %w", err)
	}
	spec.Period = p.Code()
	if spec.PeriodLabel == "" {
		if spec.Lang == "en" {
			spec.PeriodLabel = p.LabelEN()
		} else {
			spec.PeriodLabel = p.LabelVI()
		}
	}
	if spec.Layout == "" {
		spec.Layout = SheetPerUnit
	}
	if spec.Layout != SheetPerUnit && spec.Layout != UnitsAsColumns {
		return nil, fmt.Errorf("sheet: bố cục %q không hợp lệ", spec.Layout)
	}
	if len(spec.Units) == 0 {
		return nil, fmt.Errorf("sheet: mẫu không có đơn vị nào")
	}
	if len(spec.Rows) == 0 {
		return nil, fmt.Errorf("sheet: mẫu không có chỉ tiêu nào")
	}
	pl := &plan{spec: spec, lang: spec.Lang, lab: labelsFor(spec.Lang)}
	nonce := make([]byte, 8)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	m := &meta{layout: spec.Layout, period: spec.Period, periodLabel: spec.PeriodLabel,
		nonce: hex.EncodeToString(nonce), rows: map[string]RowSpec{}}
	pl.meta = m

	seenUnit := map[int64]bool{}
	for _, u := range spec.Units {
		if seenUnit[u.ID] {
			return nil, fmt.Errorf("sheet: đơn vị %d có hai lần", u.ID)
		}
		seenUnit[u.ID] = true
		m.units = append(m.units, metaUnit{id: u.ID, name: vn.NFC(u.Name)})
	}
	for i := range spec.Rows {
		r := &spec.Rows[i]
		if r.IndicatorCode == "" {
			return nil, fmt.Errorf("sheet: dòng %d: thiếu mã chỉ tiêu", i+1)
		}
		if !validType(r.ValueType) {
			return nil, fmt.Errorf("sheet: chỉ tiêu %s: kiểu giá trị %q không hợp lệ", r.IndicatorCode, r.ValueType)
		}
		if r.Scale < 0 || r.Scale > 18 {
			return nil, fmt.Errorf("sheet: chỉ tiêu %s: số chữ số thập phân %d không hợp lệ", r.IndicatorCode, r.Scale)
		}
		if r.ValueType != indicator.Decimal {
			r.Scale = 0
		}
		k := Key(r.IndicatorCode, r.Option)
		if _, dup := m.rows[k]; dup {
			return nil, fmt.Errorf("sheet: chỉ tiêu %s (phân tổ %q) có hai lần", r.IndicatorCode, r.Option)
		}
		m.rows[k] = *r
		pl.order = append(pl.order, k)
	}

	rows := layoutRows(spec.Rows)
	namer := newSheetNamer(metaSheetName)
	if spec.Layout == UnitsAsColumns {
		if (columns{len(spec.Units)}).last() > maxColumns {
			return nil, fmt.Errorf("sheet: quá nhiều đơn vị (%d) để xếp thành cột; hãy dùng một trang tính cho mỗi đơn vị", len(spec.Units))
		}
		pl.sheets = []sheetPlan{{name: namer.name(pl.lab.dataSheet, "Data"), units: spec.Units, rows: rows}}
	} else {
		for i, u := range spec.Units {
			pl.sheets = append(pl.sheets, sheetPlan{
				name:  namer.name(u.Name, "Đơn vị "+strconv.Itoa(i+1)),
				units: []UnitSpec{u},
				rows:  rows,
			})
		}
	}
	if err := pl.checkSize(); err != nil {
		return nil, err
	}
	return pl, nil
}

// layoutRows numbers the rows: a heading whenever the section changes,
// STT 1, 2… per indicator and 1.1, 1.2… for its options.
func layoutRows(specs []RowSpec) []planRow {
	var out []planRow
	num := firstDataRow
	section, sections, ind, sub := "", 0, 0, 0
	lastCode := ""
	for i := range specs {
		r := &specs[i]
		if s := strings.TrimSpace(r.Section); s != "" && s != section {
			section = s
			sections++
			out = append(out, planRow{num: num, stt: roman(sections), section: s})
			num++
		}
		if r.IndicatorCode != lastCode || i == 0 {
			ind++
			sub = 0
			lastCode = r.IndicatorCode
		}
		stt := strconv.Itoa(ind)
		if r.Option != "" {
			sub++
			stt += "." + strconv.Itoa(sub)
		}
		out = append(out, planRow{num: num, stt: stt, spec: r})
		num++
	}
	return out
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// checkSize refuses a template that ReadTemplate could not read back.
func (pl *plan) checkSize() error {
	var rows, cells int
	for _, s := range pl.sheets {
		c := columns{len(s.units)}
		rows += rowKeys + len(s.rows)
		cells += 4 + (c.lastVisible() + 4 + c.n) + (1 + 2*c.n + 4)
		for _, r := range s.rows {
			if r.spec == nil {
				cells += c.lastVisible()
				continue
			}
			cells += 3 + c.n + 4 + c.n
		}
	}
	if rows > MaxRows || cells > MaxCells {
		return fileErr(ErrTooLarge, "Mẫu quá lớn (%s dòng, %s ô; tối đa %s dòng và %s ô): hãy chia các đơn vị thành nhiều tệp",
			vn.FormatInt(int64(rows)), vn.FormatInt(int64(cells)), vn.FormatInt(MaxRows), vn.FormatInt(MaxCells))
	}
	return nil
}
