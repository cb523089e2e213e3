package sheet

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// ReadTemplate reads a filled template (see the package documentation).
//
// A fatal error (a *FileError with a Vietnamese message) refuses the whole
// file: not an XLSX file, larger than MaxBytes, more than MaxRows rows or
// MaxCells cells, the "_giaoban" sheet missing or altered, a template for
// another period or for a unit that expect does not allow. Otherwise it
// returns the cells read and the problems found, each naming its sheet and
// cell; the caller must not apply anything when there are problems.
func ReadTemplate(r io.ReaderAt, size int64, expect Expect) ([]Cell, []CellError, error) {
	b, err := openBook(r, size)
	if err != nil {
		return nil, nil, err
	}
	m, err := b.readMeta()
	if err != nil {
		return nil, nil, err
	}
	if err := checkTemplate(m, expect); err != nil {
		return nil, nil, err
	}
	rd := &reader{b: b, m: m, expect: expect}
	if expect.Rows != nil {
		rd.rows = make(map[string]RowSpec, len(expect.Rows))
		for _, r := range expect.Rows {
			rd.rows[Key(r.IndicatorCode, r.Option)] = r
		}
	}
	for i, ms := range m.sheets {
		bs := b.sheet(ms.name)
		if bs == nil {
			rd.errs.add(CellError{Sheet: ms.name, Message: "không tìm thấy trang tính này trong tệp (đã bị đổi tên hoặc xóa); hãy tải lại mẫu"})
			continue
		}
		if err := rd.readSheet(i, ms, bs); err != nil {
			return nil, nil, err
		}
	}
	return rd.cells, rd.errs.list(), nil
}

func (b *book) sheet(name string) *bookSheet {
	for i := range b.sheets {
		if b.sheets[i].name == name {
			return &b.sheets[i]
		}
	}
	for i := range b.sheets {
		if strings.EqualFold(b.sheets[i].name, name) {
			return &b.sheets[i]
		}
	}
	return nil
}

func notTemplate() error {
	return fileErr(ErrNotTemplate, "Tệp không phải là mẫu nhập số liệu tải từ giaoban (không có trang thông tin '%s'); hãy tải mẫu từ trang báo cáo rồi điền vào mẫu đó", metaSheetName)
}

// readMeta reads and checks the "_giaoban" sheet.
func (b *book) readMeta() (*meta, error) {
	bs := b.sheet(metaSheetName)
	if bs == nil {
		return nil, notTemplate()
	}
	var lines [][]string
	formula := false
	_, err := b.scanSheet(bs.path, bs.name, func(row int, cells []rawCell) error {
		if row > MaxRows {
			return errors.New("too many lines")
		}
		for len(lines) < row {
			lines = append(lines, nil)
		}
		var l []string
		for _, c := range cells {
			if c.col > 16 {
				continue
			}
			formula = formula || c.formula
			for len(l) < c.col {
				l = append(l, "")
			}
			if !c.empty {
				l[c.col-1] = c.val
			}
		}
		lines[row-1] = l
		return nil
	})
	var fe *FileError
	if errors.As(err, &fe) {
		return nil, err
	}
	if err != nil || formula {
		return nil, altered()
	}
	m, err := parseMeta(lines)
	if err != nil {
		return nil, altered()
	}
	return m, nil
}

func altered() error {
	return fileErr(ErrNotTemplate, "Trang thông tin ẩn '%s' của tệp mẫu đã bị sửa hoặc bị hỏng; hãy tải lại mẫu và điền lại", metaSheetName)
}

func periodLabel(code string) string {
	if p, err := period.Parse(code); err == nil {
		return p.LabelVI()
	}
	return code
}

// checkTemplate refuses a template for another period or for units that
// expect does not allow.
func checkTemplate(m *meta, expect Expect) error {
	if expect.Period != "" {
		want := strings.TrimSpace(expect.Period)
		if p, err := period.Parse(want); err == nil {
			want = p.Code()
		}
		if m.period != want {
			return fileErr(ErrWrongPeriod, "Tệp mẫu này dành cho kỳ %s, không phải %s", periodLabel(m.period), periodLabel(want))
		}
	}
	names := map[int64]string{}
	for _, u := range m.units {
		names[u.id] = u.name
	}
	var bad []string
	seen := map[int64]bool{}
	for _, s := range m.sheets {
		for _, id := range s.units {
			if seen[id] || expect.unitAllowed(id) {
				continue
			}
			seen[id] = true
			bad = append(bad, fmt.Sprintf("'%s' (mã %d)", names[id], id))
		}
	}
	switch {
	case len(bad) == 1:
		return fileErr(ErrWrongUnit, "Tệp mẫu này dành cho đơn vị %s, không phải đơn vị bạn được nhập số liệu; hãy tải mẫu của đơn vị mình", bad[0])
	case len(bad) > 3:
		return fileErr(ErrWrongUnit, "Tệp mẫu này có các đơn vị %s và %d đơn vị khác mà bạn không được nhập số liệu; hãy tải mẫu của đơn vị mình",
			strings.Join(bad[:3], ", "), len(bad)-3)
	case len(bad) > 1:
		return fileErr(ErrWrongUnit, "Tệp mẫu này có các đơn vị %s mà bạn không được nhập số liệu; hãy tải mẫu của đơn vị mình", strings.Join(bad, ", "))
	}
	return nil
}

// errList collects CellErrors up to MaxErrors and counts the rest.
type errList struct {
	errs []CellError
	more int
}

func (l *errList) add(e CellError) {
	if len(l.errs) < MaxErrors {
		l.errs = append(l.errs, e)
		return
	}
	l.more++
}

func (l *errList) list() []CellError {
	if l.more == 0 {
		return l.errs
	}
	return append(l.errs, CellError{Message: fmt.Sprintf("… và %s lỗi khác không được liệt kê", vn.FormatInt(int64(l.more)))})
}

type reader struct {
	b      *book
	m      *meta
	expect Expect
	rows   map[string]RowSpec // expect.Rows by key; nil: use the template's
	cells  []Cell
	errs   errList
}

var errSkipSheet = errors.New("skip sheet")

// sheetState is what readSheet knows about the sheet being read.
type sheetState struct {
	idx      int
	ms       sheetMeta
	keysOK   bool
	valueCol []int // by unit index
	verCol   []int
	code     int
	opt      int
	per      int
	check    int
	lastCol  int
	isValue  []bool // by column
	byCol    []int  // per row: index into cells + 1, by column
	versions []string
	rowBad   bool
	keyed    int
	sum      keysum
	keyRows  []int // worksheet rows with an indicator, ascending
	first    int   // index of the sheet's first Cell in reader.cells
	places   []cellPos
}

type cellPos struct{ row, col int }

func (rd *reader) readSheet(idx int, ms sheetMeta, bs *bookSheet) error {
	st := &sheetState{idx: idx, ms: ms, first: len(rd.cells)}
	merges, err := rd.b.scanSheet(bs.path, bs.name, func(row int, cells []rawCell) error {
		return rd.row(st, row, cells)
	})
	if errors.Is(err, errSkipSheet) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.keysOK {
		rd.errs.add(CellError{Sheet: ms.name, Message: "trang tính đã bị sửa cấu trúc (thiếu dòng ẩn chứa mã cột); hãy tải lại mẫu"})
		return nil
	}
	rd.checkMerges(st, merges)
	if !st.rowBad && (st.keyed != ms.keyed || st.sum.String() != ms.keysum) {
		rd.errs.add(CellError{Sheet: ms.name, Message: fmt.Sprintf(
			"có %d dòng chỉ tiêu, mẫu có %d dòng: có dòng đã bị xóa hoặc chèn thêm; hãy tải lại mẫu", st.keyed, ms.keyed)})
	}
	return nil
}

func (rd *reader) sheetErr(st *sheetState, cell, msg string) {
	rd.errs.add(CellError{Sheet: st.ms.name, Cell: cell, Message: msg})
}

// keys reads the hidden key row: the role of every column.
func (rd *reader) keys(st *sheetState, cells []rawCell) bool {
	n := len(st.ms.units)
	unitIdx := make(map[int64]int, n)
	for i, id := range st.ms.units {
		unitIdx[id] = i
	}
	st.valueCol, st.verCol = make([]int, n), make([]int, n)
	marker := false
	for _, c := range cells {
		if c.formula || c.empty || c.kind != kindString {
			continue
		}
		v := c.val
		switch {
		case c.col == 1:
			marker = v == keyMarker
		case v == roleCode:
			st.code = c.col
		case v == roleOpt:
			st.opt = c.col
		case v == rolePer:
			st.per = c.col
		case v == roleCheck:
			st.check = c.col
		case strings.HasPrefix(v, roleValue), strings.HasPrefix(v, roleVer):
			isVal := strings.HasPrefix(v, roleValue)
			idStr := strings.TrimPrefix(strings.TrimPrefix(v, roleValue), roleVer)
			id, err := strconv.ParseInt(idStr, 10, 64)
			i, ok := unitIdx[id]
			if err != nil || !ok {
				return false
			}
			dst := st.verCol
			if isVal {
				dst = st.valueCol
			}
			if dst[i] != 0 {
				return false
			}
			dst[i] = c.col
		}
	}
	if !marker || st.code == 0 || st.opt == 0 || st.per == 0 || st.check == 0 {
		return false
	}
	st.lastCol = max(st.code, st.opt, st.per, st.check)
	for i := range n {
		if st.valueCol[i] == 0 || st.verCol[i] == 0 || (i > 0 && st.valueCol[i] <= st.valueCol[i-1]) {
			return false
		}
		st.lastCol = max(st.lastCol, st.valueCol[i], st.verCol[i])
	}
	st.isValue = make([]bool, st.lastCol+1)
	for _, c := range st.valueCol {
		st.isValue[c] = true
	}
	st.byCol = make([]int, st.lastCol+1)
	st.versions = make([]string, n)
	return true
}

// text is the trimmed text of a hidden key cell ("" when empty).
func keyText(c *rawCell) string {
	if c == nil || c.empty {
		return ""
	}
	return strings.TrimSpace(c.val)
}

// versionText is the version in a hidden cell as WriteTemplate wrote it
// (a spreadsheet program may write 9 as "9.0" or "9E+0").
func versionText(c *rawCell) string {
	s := keyText(c)
	if c == nil || c.kind != kindNumber || s == "" {
		return s
	}
	if n, ok := parseNumber(s); ok {
		if v, err := n.fixed(0, ""); err == nil {
			return strconv.FormatInt(v, 10)
		}
	}
	return s
}

func (rd *reader) row(st *sheetState, row int, cells []rawCell) error {
	switch {
	case row < rowKeys:
		return nil
	case row == rowKeys:
		if !rd.keys(st, cells) {
			rd.sheetErr(st, strconv.Itoa(rowKeys), "dòng ẩn chứa mã cột đã bị sửa (có cột bị chèn, xóa hoặc di chuyển); hãy tải lại mẫu")
			return errSkipSheet
		}
		st.keysOK = true
		return nil
	case !st.keysOK:
		rd.sheetErr(st, "", "trang tính đã bị sửa cấu trúc (thiếu dòng ẩn chứa mã cột); hãy tải lại mẫu")
		return errSkipSheet
	}
	clear(st.byCol)
	for i := range cells {
		if c := cells[i].col; c <= st.lastCol {
			st.byCol[c] = i + 1
		}
	}
	get := func(col int) *rawCell {
		if i := st.byCol[col]; i > 0 {
			return &cells[i-1]
		}
		return nil
	}
	code, opt, per := keyText(get(st.code)), keyText(get(st.opt)), keyText(get(st.per))
	checkCell := get(st.check)
	if code == "" && opt == "" && per == "" && (checkCell == nil || checkCell.empty) {
		return nil // a section heading, or a row that is not part of the template
	}
	for j, col := range st.verCol {
		st.versions[j] = versionText(get(col))
	}
	want := rowCheck(rd.m.nonce, st.idx, row, code, opt, per, st.versions)
	got, ok := int64(-1), false
	if checkCell != nil && !checkCell.empty && checkCell.kind == kindNumber && !checkCell.formula {
		if n, isNum := parseNumber(checkCell.val); isNum {
			v, err := n.fixed(0, "")
			got, ok = v, err == nil
		}
	}
	if !ok || got != want || row < st.ms.first || row > st.ms.last {
		st.rowBad = true
		rd.sheetErr(st, strconv.Itoa(row), "các cột ẩn của dòng (mã chỉ tiêu, phân tổ, kỳ, phiên bản) không khớp với mẫu: dòng đã bị sửa, chèn thêm hoặc di chuyển; hãy tải lại mẫu")
		return nil
	}
	st.sum.add(row, got)
	st.keyed++
	st.keyRows = append(st.keyRows, row)
	key := Key(code, opt)
	spec, ok := rd.m.rows[key]
	if !ok {
		st.rowBad = true
		rd.sheetErr(st, strconv.Itoa(row), fmt.Sprintf("chỉ tiêu '%s' không có trong trang thông tin của mẫu; hãy tải lại mẫu", code))
		return nil
	}
	if rd.rows != nil {
		cur, ok := rd.rows[key]
		if !ok {
			for j, col := range st.valueCol {
				if c := get(col); (c != nil && !c.empty) || st.versions[j] != "" {
					rd.sheetErr(st, strconv.Itoa(row), notInForm(code, opt))
					break
				}
			}
			return nil
		}
		spec = cur
	}
	for j, col := range st.valueCol {
		var version int64
		if s := st.versions[j]; s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				st.rowBad = true
				rd.sheetErr(st, strconv.Itoa(row), "phiên bản ẩn của dòng không hợp lệ; hãy tải lại mẫu")
				return nil
			}
			version = v
		}
		ref := refName(col, row)
		c := get(col)
		var raw string
		switch {
		case c != nil && c.formula:
			rd.sheetErr(st, ref, "chứa công thức; hãy sao chép rồi dán giá trị (Paste Values) thay cho công thức")
			continue
		case c == nil || c.empty:
			if st.versions[j] == "" {
				continue // no stored value, nothing typed: no change
			}
			// The stored value was cleared: raw stays "".
		default:
			v, err := fromCell(spec, c.kind, c.val)
			if err != nil {
				rd.sheetErr(st, ref, err.Error())
				continue
			}
			raw = v
		}
		ver := version
		rd.cells = append(rd.cells, Cell{
			UnitID: st.ms.units[j], Period: rd.m.period, IndicatorCode: code, Option: opt,
			Raw: raw, Version: &ver, Place: st.ms.name + "!" + ref,
		})
		st.places = append(st.places, cellPos{row, col})
	}
	return nil
}

func notInForm(code, opt string) string {
	if opt != "" {
		return fmt.Sprintf("chỉ tiêu '%s' (phân tổ '%s') không có trong biểu mẫu hiện hành; hãy tải lại mẫu", code, opt)
	}
	return fmt.Sprintf("chỉ tiêu '%s' không có trong biểu mẫu hiện hành; hãy tải lại mẫu", code)
}

// checkMerges names merged ranges that touch value cells of indicator rows
// and drops the cells they cover.
func (rd *reader) checkMerges(st *sheetState, merges []string) {
	type rect struct{ c1, r1, c2, r2 int }
	var bad []rect
	for _, ref := range merges {
		c1, r1, c2, r2, ok := parseRange(ref)
		if !ok {
			continue
		}
		touches := false
		for c := c1; c <= c2 && c <= st.lastCol && !touches; c++ {
			touches = st.isValue[c]
		}
		if !touches {
			continue
		}
		i := sort.SearchInts(st.keyRows, r1)
		if i == len(st.keyRows) || st.keyRows[i] > r2 {
			continue
		}
		bad = append(bad, rect{c1, r1, c2, r2})
		rd.sheetErr(st, refName(c1, r1)+":"+refName(c2, r2), "các ô bị gộp; hãy bỏ gộp ô (Unmerge) và nhập số vào từng ô")
	}
	if len(bad) == 0 {
		return
	}
	keep := rd.cells[:st.first]
	for i, c := range rd.cells[st.first:] {
		p := st.places[i]
		covered := false
		for _, b := range bad {
			if p.row >= b.r1 && p.row <= b.r2 && p.col >= b.c1 && p.col <= b.c2 {
				covered = true
				break
			}
		}
		if !covered {
			keep = append(keep, c)
		}
	}
	rd.cells = keep
}
