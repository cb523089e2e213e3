package sheet

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"giaoban/internal/docgen"
	"giaoban/internal/indicator"
	"giaoban/internal/vn"
)

// WriteTemplate writes the XLSX template described by spec to w (see the
// package documentation for its layout). Stored values (UnitSpec.Values)
// are prefilled. It refuses a spec that is inconsistent (an unknown
// period, duplicate units or rows) or too large to be read back.
func WriteTemplate(w io.Writer, spec Spec) error {
	pl, err := newPlan(spec)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDefaultFont("Times New Roman"); err != nil {
		return err
	}
	st, err := newStyles(f, pl)
	if err != nil {
		return err
	}
	// Every sheet exists before any is streamed: SetSheetVisible reads
	// every worksheet, which a flushed stream writer no longer has. The
	// first sheet (the renamed "Sheet1") stays the active one.
	for i, sp := range pl.sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sp.name)
		} else {
			_, err = f.NewSheet(sp.name)
		}
		if err != nil {
			return fmt.Errorf("sheet: trang tính %q: %w", sp.name, err)
		}
	}
	if _, err := f.NewSheet(metaSheetName); err != nil {
		return err
	}
	if err := f.SetSheetVisible(metaSheetName, false, true); err != nil {
		return err
	}
	for i := range pl.sheets {
		if err := pl.writeDataSheet(f, st, i); err != nil {
			return fmt.Errorf("sheet: trang tính %q: %w", pl.sheets[i].name, err)
		}
	}
	if err := pl.writeMeta(f); err != nil {
		return err
	}
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// docgenUnit converts a column width of the template to the units of
// docgen.RowHeight: the template's default font (Times New Roman 11) has
// narrower digits than docgen's (Calibri 11), so a column holds fewer
// letters per unit. Measured in LibreOffice 7: the 55-unit name column
// wraps names past about 60 letters; this gives 55, to err on a taller row.
const docgenUnit = 0.77

// maxPrintTitles is the number of sheets up to which print titles are set.
const maxPrintTitles = 60

// unitsPerPage is how many unit columns a printed page holds.
const unitsPerPage = 8

// styles are the cell styles of a template.
type styles struct {
	title, sub, howTo, header, section, sectionVal int
	stt, name, uom                                 int
	valInt, valText, valYesNo                      int
	valDec                                         map[int]int // by scale
	hiddenNum                                      int
}

func newStyles(f *excelize.File, pl *plan) (*styles, error) {
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold, Italic: italic}
	}
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	unlocked := &excelize.Protection{Locked: false}
	var st styles
	var err error
	mk := func(dst *int, s *excelize.Style) {
		if err != nil {
			return
		}
		*dst, err = f.NewStyle(s)
	}
	mk(&st.title, &excelize.Style{Font: font(true, false, 14), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	mk(&st.sub, &excelize.Style{Font: font(true, false, 12), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	mk(&st.howTo, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 11, Italic: true, Color: "595959"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	mk(&st.header, &excelize.Style{Font: font(true, false, 12), Border: border, Fill: fill("D9D9D9"),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	mk(&st.section, &excelize.Style{Font: font(true, false, 12), Border: border, Fill: fill("F2F2F2"),
		Alignment: &excelize.Alignment{Vertical: "center"}})
	mk(&st.sectionVal, &excelize.Style{Border: border, Fill: fill("F2F2F2")})
	mk(&st.stt, &excelize.Style{Font: font(false, false, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	mk(&st.name, &excelize.Style{Font: font(false, false, 12), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	mk(&st.uom, &excelize.Style{Font: font(false, false, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	value := func(numFmt int, custom string, horiz string) *excelize.Style {
		s := &excelize.Style{Font: font(false, false, 12), Border: border, Fill: fill("FFF2CC"), Protection: unlocked,
			NumFmt: numFmt, Alignment: &excelize.Alignment{Horizontal: horiz, Vertical: "center"}}
		if custom != "" {
			s.CustomNumFmt = &custom
		}
		return s
	}
	mk(&st.valInt, value(3, "", "right"))  // #,##0
	mk(&st.valText, value(49, "", "left")) // @
	mk(&st.valYesNo, value(0, "", "center"))
	mk(&st.hiddenNum, &excelize.Style{NumFmt: 1}) // 0
	st.valDec = map[int]int{}
	for _, r := range pl.spec.Rows {
		if r.ValueType != indicator.Decimal || r.Scale == 0 {
			continue
		}
		if _, ok := st.valDec[r.Scale]; ok {
			continue
		}
		var id int
		mk(&id, value(0, "#,##0."+strings.Repeat("0", r.Scale), "right"))
		st.valDec[r.Scale] = id
	}
	return &st, err
}

func (st *styles) valueStyle(r *RowSpec) int {
	switch r.ValueType {
	case indicator.Decimal:
		if id, ok := st.valDec[r.Scale]; ok {
			return id
		}
		return st.valInt
	case indicator.Text:
		return st.valText
	case indicator.YesNo:
		return st.valYesNo
	}
	return st.valInt
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

func colName(col int) string {
	n, _ := excelize.ColumnNumberToName(col)
	return n
}

// writeDataSheet writes data sheet i: settings first (the stream writer
// writes them around its rows), then the rows.
func (pl *plan) writeDataSheet(f *excelize.File, st *styles, i int) error {
	sp := &pl.sheets[i]
	lab := pl.lab
	c := columns{len(sp.units)}
	name := sp.name
	fit, yes := true, true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// A4, fitted to the width: one page wide, or one page per
	// unitsPerPage units when units are columns (A–C repeat on each).
	a4, zero := 9, 0
	pagesWide := (c.n + unitsPerPage - 1) / unitsPerPage
	orient := "portrait"
	if c.n > 3 {
		orient = "landscape"
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &pagesWide, FitToHeight: &zero}); err != nil {
		return err
	}
	top, bottom, left, right := 0.8, 0.8, 1.0, 0.6
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Top: &top, Bottom: &bottom, Left: &left, Right: &right, Horizontally: &yes}); err != nil {
		return err
	}
	if err := f.ProtectSheet(name, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
	}); err != nil {
		return err
	}
	if err := pl.addValidations(f, name, sp, c); err != nil {
		return err
	}
	// Print titles (the header row on every page). excelize's
	// SetDefinedName costs O(sheets²) per call, so very many sheets go
	// without: each unit's sheet is a page or two anyway.
	if len(pl.sheets) <= maxPrintTitles {
		quoted := "'" + strings.ReplaceAll(name, "'", "''") + "'"
		titles := fmt.Sprintf("%s!$%d:$%d", quoted, rowHeader, rowHeader)
		if pagesWide > 1 {
			titles = fmt.Sprintf("%s!$A:$C,%s", quoted, titles)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name, RefersTo: titles}); err != nil {
			return err
		}
	}

	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// excelize puts the columns of each call before the earlier ones:
	// hidden columns first, then the widths from right to left, so that
	// the <col> elements come out in ascending order as Excel wants.
	if err := sw.SetColVisible(c.code(), c.last(), false); err != nil {
		return err
	}
	valueWidth := 16.0
	if c.n > 1 {
		valueWidth = 14
	}
	widths := []struct {
		from, to int
		w        float64
	}{{c.code(), c.last(), 14}, {c.value(0), c.lastVisible(), valueWidth}, {3, 3, 13}, {2, 2, 55}, {1, 1, 6}}
	for _, wd := range widths {
		if err := sw.SetColWidth(wd.from, wd.to, wd.w); err != nil {
			return err
		}
	}
	// Rows whose text wraps get the height it needs: LibreOffice keeps
	// the default height on opening and long names ran over the rows below.
	visibleWidths := []float64{6 * docgenUnit, 55 * docgenUnit, 13 * docgenUnit}
	for range c.n {
		visibleWidths = append(visibleWidths, valueWidth*docgenUnit)
	}
	topLeft := cellName(c.value(0), firstDataRow)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 3, YSplit: rowKeys, TopLeftCell: topLeft, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}}); err != nil {
		return err
	}

	cell := func(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }
	// Title rows span the columns always on screen (A–C, and the value
	// column of a single unit).
	last := colName(min(c.lastVisible(), 4))
	if c.n > 1 {
		last = "C"
	}
	title := pl.spec.Title
	if title == "" {
		title = lab.title
	}
	second := lab.unit + vn.NFC(sp.units[0].Name)
	if pl.spec.Layout == UnitsAsColumns {
		second = lab.units + strconv.Itoa(c.n)
	}
	heads := []struct {
		row    int
		text   string
		style  int
		height float64
	}{
		{rowTitle, title, st.title, 22},
		{rowUnit, second, st.sub, 18},
		{rowPeriod, lab.period + pl.spec.PeriodLabel + " (" + pl.spec.Period + ")", st.sub, 18},
		{rowHowTo, lab.howTo, st.howTo, 45},
	}
	for _, h := range heads {
		if err := sw.SetRow(cellName(1, h.row), []any{cell(h.style, h.text)}, excelize.RowOpts{Height: h.height}); err != nil {
			return err
		}
		if err := sw.MergeCell("A"+strconv.Itoa(h.row), last+strconv.Itoa(h.row)); err != nil {
			return err
		}
	}

	// Header and key rows.
	header := make([]any, c.last())
	keys := make([]any, c.last())
	header[0], header[1], header[2] = cell(st.header, lab.stt), cell(st.header, lab.name), cell(st.header, lab.uom)
	keys[0] = keyMarker
	for j, u := range sp.units {
		label := lab.value
		if pl.spec.Layout == UnitsAsColumns {
			label = vn.NFC(u.Name)
		}
		header[c.value(j)-1] = cell(st.header, label)
		header[c.version(j)-1] = lab.version
		id := strconv.FormatInt(u.ID, 10)
		keys[c.value(j)-1] = roleValue + id
		keys[c.version(j)-1] = roleVer + id
	}
	header[c.code()-1], header[c.option()-1], header[c.period()-1], header[c.check()-1] = lab.code, lab.option, lab.periodCol, lab.check
	keys[c.code()-1], keys[c.option()-1], keys[c.period()-1], keys[c.check()-1] = roleCode, roleOpt, rolePer, roleCheck
	headerHeight := 30.0
	if c.n > 1 {
		headerHeight = 45
	}
	headerTexts := []string{lab.stt, lab.name, lab.uom}
	for j := range sp.units {
		if h, ok := header[c.value(j)-1].(excelize.Cell); ok {
			headerTexts = append(headerTexts, fmt.Sprint(h.Value))
		}
	}
	headerHeight = max(headerHeight, docgen.RowHeight(headerTexts, visibleWidths, true))
	if err := sw.SetRow(cellName(1, rowHeader), header, excelize.RowOpts{Height: headerHeight}); err != nil {
		return err
	}
	if err := sw.SetRow(cellName(1, rowKeys), keys, excelize.RowOpts{Hidden: true}); err != nil {
		return err
	}

	// Data rows.
	ms := sheetMeta{name: name, first: firstDataRow, last: firstDataRow - 1}
	for _, u := range sp.units {
		ms.units = append(ms.units, u.ID)
	}
	var sum keysum
	vals := make([]any, c.last())
	versions := make([]string, c.n)
	for _, r := range sp.rows {
		clear(vals)
		ms.last = r.num
		if r.spec == nil {
			vals[0], vals[1], vals[2] = cell(st.section, r.stt), cell(st.section, r.section), cell(st.sectionVal, nil)
			for j := range c.n {
				vals[c.value(j)-1] = cell(st.sectionVal, nil)
			}
			if err := sw.SetRow(cellName(1, r.num), vals[:c.lastVisible()]); err != nil {
				return err
			}
			continue
		}
		rs := r.spec
		label := vn.NFC(rs.Name)
		if rs.OptionName != "" {
			label += " – " + vn.NFC(rs.OptionName)
		}
		var uom any
		if u := vn.NFC(rs.UnitOfMeasure); u != "" {
			uom = u
		}
		vals[0], vals[1], vals[2] = cell(st.stt, r.stt), cell(st.name, label), cell(st.uom, uom)
		vs := st.valueStyle(rs)
		key := Key(rs.IndicatorCode, rs.Option)
		for j, u := range sp.units {
			versions[j] = ""
			var v any
			if p, ok := u.Values[key]; ok {
				v = excelValue(*rs, p.Raw, pl.lang)
				versions[j] = strconv.FormatInt(p.Version, 10)
				vals[c.version(j)-1] = p.Version
			}
			vals[c.value(j)-1] = cell(vs, v)
		}
		vals[c.code()-1] = rs.IndicatorCode
		if rs.Option != "" {
			vals[c.option()-1] = rs.Option
		}
		vals[c.period()-1] = pl.spec.Period
		check := rowCheck(pl.meta.nonce, i, r.num, rs.IndicatorCode, rs.Option, pl.spec.Period, versions)
		vals[c.check()-1] = check
		sum.add(r.num, check)
		ms.keyed++
		uomText, _ := uom.(string)
		opts := excelize.RowOpts{Height: docgen.RowHeight([]string{"", label, uomText}, visibleWidths, false)}
		if err := sw.SetRow(cellName(1, r.num), vals, opts); err != nil {
			return err
		}
	}
	ms.keysum = sum.String()
	pl.meta.sheets = append(pl.meta.sheets, ms)
	return sw.Flush()
}

// addValidations adds data validation to the value cells, one rule per
// distinct kind of row, over rectangles of consecutive rows.
func (pl *plan) addValidations(f *excelize.File, name string, sp *sheetPlan, c columns) error {
	type rule struct {
		dv    *excelize.DataValidation
		sqref []string
	}
	rules := map[string]*rule{}
	var order []string
	first, last := colName(c.value(0)), colName(c.lastVisible())
	runKey, runFrom, runTo := "", 0, 0
	flush := func() {
		if runKey == "" {
			return
		}
		ref := fmt.Sprintf("%s%d:%s%d", first, runFrom, last, runTo)
		if runFrom == runTo && first == last {
			ref = fmt.Sprintf("%s%d", first, runFrom)
		}
		rules[runKey].sqref = append(rules[runKey].sqref, ref)
		runKey = ""
	}
	for _, r := range sp.rows {
		if r.spec == nil {
			flush()
			continue
		}
		k := ruleKey(r.spec)
		if _, ok := rules[k]; !ok {
			dv, err := pl.validation(r.spec)
			if err != nil {
				return err
			}
			rules[k] = &rule{dv: dv}
			order = append(order, k)
		}
		if k == runKey && r.num == runTo+1 {
			runTo = r.num
			continue
		}
		flush()
		runKey, runFrom, runTo = k, r.num, r.num
	}
	flush()
	for _, k := range order {
		rl := rules[k]
		rl.dv.Sqref = strings.Join(rl.sqref, " ")
		if err := f.AddDataValidation(name, rl.dv); err != nil {
			return err
		}
	}
	return nil
}

// minOf is the lower bound of a numeric row: Min, and never below 0 for
// counts and money (indicator.CheckRange refuses negative ones).
func minOf(row RowSpec) *int64 {
	if row.ValueType != indicator.Integer && row.ValueType != indicator.Money {
		return row.Min
	}
	zero := int64(0)
	if row.Min == nil || *row.Min < 0 {
		return &zero
	}
	return row.Min
}

// displayNum formats a number of row the Vietnamese way, for messages.
func displayNum(row RowSpec, v int64) string {
	switch row.ValueType {
	case indicator.Decimal:
		return vn.FormatDecimal(v, row.Scale)
	case indicator.Money:
		return vn.FormatMoney(v)
	}
	return vn.FormatInt(v)
}

func ruleKey(r *RowSpec) string {
	y, n := choices(*r, "")
	return fmt.Sprintf("%s|%d|%s|%s|%s|%s", r.ValueType, r.Scale, optInt(minOf(*r)), optInt(r.Max), y, n)
}

// validation is the data validation of the value cells of a row.
func (pl *plan) validation(r *RowSpec) (*excelize.DataValidation, error) {
	lab := pl.lab
	dv := excelize.NewDataValidation(true)
	bounds := func(dvType excelize.DataValidationType, msg string) error {
		lo, hi := minOf(*r), r.Max
		num := func(v int64) string { return fixedString(v, r.Scale, '.') }
		shown := func(v int64) string { return displayNum(*r, v) }
		var err error
		switch {
		case lo != nil && hi != nil:
			err = dv.SetRange(num(*lo), num(*hi), dvType, excelize.DataValidationOperatorBetween)
			msg += fmt.Sprintf(" (%s – %s)", shown(*lo), shown(*hi))
		case lo != nil:
			err = dv.SetRange(num(*lo), "", dvType, excelize.DataValidationOperatorGreaterThanOrEqual)
			if *lo != 0 {
				msg += fmt.Sprintf(" (≥ %s)", shown(*lo))
			}
		case hi != nil:
			err = dv.SetRange(num(*hi), "", dvType, excelize.DataValidationOperatorLessThanOrEqual)
			msg += fmt.Sprintf(" (≤ %s)", shown(*hi))
		default:
			err = dv.SetRange("-999999999999999", "999999999999999", dvType, excelize.DataValidationOperatorBetween)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, lab.dvTitle, msg)
		return err
	}
	switch r.ValueType {
	case indicator.Integer, indicator.Money:
		msg := lab.dvWhole
		if lo := minOf(*r); lo != nil && *lo == 0 {
			msg = lab.dvWholeMin
		}
		return dv, bounds(excelize.DataValidationTypeWhole, msg)
	case indicator.Decimal:
		return dv, bounds(excelize.DataValidationTypeDecimal, lab.dvDecimal)
	case indicator.YesNo:
		y, n := choices(*r, pl.lang)
		if err := dv.SetDropList([]string{y, n}); err != nil {
			return nil, err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, lab.dvTitle, lab.dvList)
		return dv, nil
	default:
		if err := dv.SetRange(0, MaxTextLen, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween); err != nil {
			return nil, err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, lab.dvTitle, lab.dvText)
		return dv, nil
	}
}

// writeMeta writes the very hidden, protected "_giaoban" sheet.
func (pl *plan) writeMeta(f *excelize.File) error {
	sw, err := f.NewStreamWriter(metaSheetName)
	if err != nil {
		return err
	}
	for i, l := range pl.meta.lines(pl.order) {
		row := make([]any, len(l))
		for j, v := range l {
			if v != "" {
				row[j] = v
			}
		}
		if err := sw.SetRow(cellName(1, i+1), row); err != nil {
			return err
		}
	}
	if err := f.ProtectSheet(metaSheetName, &excelize.SheetProtectionOptions{}); err != nil {
		return err
	}
	return sw.Flush()
}
