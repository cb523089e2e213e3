package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"giaoban/internal/vn"
)

// This file is a small streaming reader of the parts of an XLSX package
// that ReadTemplate needs: the workbook's sheet list, the shared strings
// and the cells and merged ranges of a worksheet. Worksheets are decoded
// straight from the zip entry, never held whole in memory, and keep what
// excelize's row iterator loses: the type of each cell and whether it has
// a formula.

// xmlBudget is MaxXMLBytes; tests lower it.
var xmlBudget int64 = MaxXMLBytes

const (
	maxZipEntries = 50_000
	maxSmallPart  = 16 << 20 // workbook.xml, relationships
	maxMerges     = 100_000
)

type book struct {
	files   map[string]*zip.File // by lower-cased path
	sheets  []bookSheet
	sstPath string
	sst     []string
	sstDone bool
	budget  int64 // uncompressed bytes left to read
	rows    int   // rows read so far (all sheets)
	cells   int   // cells read so far
}

type bookSheet struct {
	name, path, state string
}

var (
	sigZip = []byte("PK\x03\x04")
	sigOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

func notXLSX(format string, args ...any) error { return fileErr(ErrNotXLSX, format, args...) }

func damaged(detail string) error {
	return notXLSX("Tệp Excel bị hỏng, không đọc được (%s); hãy mở bằng Excel và lưu lại dưới dạng .xlsx", detail)
}

// formatMB writes a size in megabytes with one decimal: "52,4 MB".
func formatMB(n int64) string {
	return vn.FormatDecimal((n*10+(1<<19))>>20, 1) + " MB"
}

// openBook checks the signature and size of an XLSX file and reads its
// sheet list.
func openBook(r io.ReaderAt, size int64) (*book, error) {
	if size > MaxBytes {
		return nil, fileErr(ErrTooLarge, "Tệp quá lớn (%s); chỉ nhận tệp đến %s", formatMB(size), formatMB(MaxBytes))
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, sigZip):
	case bytes.HasPrefix(head, sigOLE):
		return nil, notXLSX("Tệp là tệp Excel cũ (.xls) hoặc tệp Excel có đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu dưới dạng Sổ làm việc Excel (.xlsx)")
	default:
		return nil, notXLSX("Tệp không phải là tệp Excel (.xlsx); hãy tải lên tệp mẫu đã điền")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, damaged("không giải nén được")
	}
	if len(zr.File) > maxZipEntries {
		return nil, damaged("quá nhiều thành phần")
	}
	b := &book{files: make(map[string]*zip.File, len(zr.File)), budget: xmlBudget}
	for _, f := range zr.File {
		b.files[partKey(f.Name)] = f
	}
	wbPath := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels"); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = resolvePart("", r.Target)
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			ID    string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := b.decodeSmall(wbPath, &wb); err != nil {
		return nil, err
	}
	rels, err := b.rels(path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels"))
	if err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels {
		t := resolvePart(path.Dir(wbPath), r.Target)
		targets[r.ID] = t
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			b.sstPath = t
		}
	}
	if b.sstPath == "" {
		if p := path.Join(path.Dir(wbPath), "sharedStrings.xml"); b.files[partKey(p)] != nil {
			b.sstPath = p
		}
	}
	for _, s := range wb.Sheets {
		if t, ok := targets[s.ID]; ok {
			b.sheets = append(b.sheets, bookSheet{name: s.Name, path: t, state: s.State})
		}
	}
	return b, nil
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// resolvePart resolves a relationship target against the folder of its
// source part.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(strings.TrimPrefix(target, "/"))
	}
	return path.Clean(path.Join(dir, target))
}

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func (b *book) rels(p string) ([]rel, error) {
	var rs struct {
		Rels []rel `xml:"Relationship"`
	}
	if err := b.decodeSmall(p, &rs); err != nil {
		return nil, err
	}
	return rs.Rels, nil
}

// open opens a part for reading, counting what is read against the
// budget of uncompressed bytes.
func (b *book) open(p string) (io.ReadCloser, error) {
	f := b.files[partKey(p)]
	if f == nil {
		return nil, damaged("thiếu " + p)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damaged("không mở được " + p)
	}
	return &budgetReader{rc: rc, b: b}, nil
}

// budgetReader counts uncompressed bytes against the book's budget and
// refuses runs of more than maxRun bytes without markup: encoding/xml
// buffers a whole text node or tag, so one huge node (a zip bomb of
// spaces) would otherwise be held in memory. Excel's longest text is
// 32,767 characters.
type budgetReader struct {
	rc  io.ReadCloser
	b   *book
	run int // bytes since the last '<' or '>'
}

const maxRun = 1 << 20

var (
	errBudget = errors.New("budget")
	errRun    = errors.New("run")
)

func (r *budgetReader) Read(p []byte) (int, error) {
	if r.b.budget <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > r.b.budget {
		p = p[:r.b.budget]
	}
	n, err := r.rc.Read(p)
	r.b.budget -= int64(n)
	if i := bytes.LastIndexAny(p[:n], "<>"); i >= 0 {
		r.run = n - i - 1
	} else if r.run += n; r.run > maxRun {
		return n, errRun
	}
	return n, err
}

func (r *budgetReader) Close() error { return r.rc.Close() }

// readErr turns an error met while reading a part into a FileError.
func readErr(err error, part string) error {
	var fe *FileError
	switch {
	case errors.As(err, &fe):
		return err
	case errors.Is(err, errBudget):
		return fileErr(ErrTooLarge, "Tệp Excel quá lớn khi giải nén (hơn %s); hãy chia thành nhiều tệp", formatMB(xmlBudget))
	case errors.Is(err, errRun):
		return damaged(part + ": văn bản quá dài")
	}
	return damaged(part)
}

// decodeSmall unmarshals a small part (at most maxSmallPart bytes).
func (b *book) decodeSmall(p string, v any) error {
	rc, err := b.open(p)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxSmallPart+1))
	if err != nil {
		return readErr(err, p)
	}
	if len(data) > maxSmallPart {
		return damaged(p + " quá lớn")
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return damaged(p)
	}
	return nil
}

// sharedString returns the shared string i, reading the table on first use.
func (b *book) sharedString(i int) (string, error) {
	if !b.sstDone {
		b.sstDone = true
		if err := b.loadSST(); err != nil {
			return "", err
		}
	}
	if i < 0 || i >= len(b.sst) {
		return "", damaged("tham chiếu chuỗi không tồn tại")
	}
	return b.sst[i], nil
}

func (b *book) loadSST() error {
	if b.sstPath == "" {
		return nil
	}
	rc, err := b.open(b.sstPath)
	if err != nil {
		return err
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	var (
		sb         strings.Builder
		inSI, inT  bool
		rph        int
		maxStrings = 2 * MaxCells
	)
	for x.next() {
		switch x.kind {
		case tokStart:
			switch string(x.name) {
			case "si":
				inSI = true
				sb.Reset()
			case "rPh":
				rph++
			case "t":
				inT = inSI && rph == 0
			}
		case tokEnd:
			switch string(x.name) {
			case "si":
				if len(b.sst) >= maxStrings {
					return fileErr(ErrTooManyCells, "Tệp có quá nhiều chuỗi văn bản (hơn %s)", vn.FormatInt(int64(maxStrings)))
				}
				b.sst = append(b.sst, sb.String())
				inSI = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case tokText:
			if inT {
				sb.Write(x.text)
			}
		}
	}
	if x.err != nil {
		return readErr(x.err, b.sstPath)
	}
	return nil
}

// rawCell is a worksheet cell as the XML says it.
type rawCell struct {
	col     int
	kind    cellKind
	val     string // shared string resolved; the literal of <v> otherwise
	empty   bool   // no value
	formula bool
}

// scanSheet streams the worksheet at p: onRow gets each row's cells (the
// slice is reused: copy what you keep); it returns the merged ranges.
// Rows and cells count against the book's limits.
func (b *book) scanSheet(p, name string, onRow func(row int, cells []rawCell) error) ([]string, error) {
	rc, err := b.open(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	var (
		merges             []string
		cells              []rawCell
		inData, inRow, inC bool
		inV, inIS, inT     bool
		rph                int
		row, prevRow, col  int
		cur                rawCell
		ctype              string
		hasV               bool
		text               []byte
	)
	for x.next() {
		switch x.kind {
		case tokStart:
			switch string(x.name) {
			case "sheetData":
				inData = true
			case "row":
				if !inData {
					continue
				}
				if b.rows++; b.rows > MaxRows {
					return nil, fileErr(ErrTooManyRows, "Tệp có quá nhiều dòng (hơn %s dòng, đến trang tính '%s'); hãy chia thành nhiều tệp",
						vn.FormatInt(MaxRows), name)
				}
				inRow, cells, col = true, cells[:0], 0
				row = prevRow + 1
				if v := x.attr("r"); v != nil {
					n, ok := atoi(v)
					if !ok || n < 1 || n > 1048576 {
						return nil, damaged("số dòng " + string(v))
					}
					row = n
				}
				prevRow = row
			case "c":
				if !inRow {
					continue
				}
				if b.cells++; b.cells > MaxCells {
					return nil, fileErr(ErrTooManyCells, "Tệp có quá nhiều ô (hơn %s ô, đến trang tính '%s'); hãy chia thành nhiều tệp",
						vn.FormatInt(MaxCells), name)
				}
				inC, hasV, text = true, false, text[:0]
				col++
				if ref := x.attr("r"); ref != nil {
					c, _, ok := parseRef(ref)
					if !ok {
						return nil, damaged("địa chỉ ô " + string(ref))
					}
					col = c
				}
				cur = rawCell{col: col}
				ctype = cellType(x.attr("t"))
			case "v":
				inV = inC
			case "f":
				if inC {
					cur.formula = true
				}
			case "is":
				inIS = inC
			case "rPh":
				rph++
			case "t":
				inT = inIS && rph == 0
			case "mergeCell":
				if ref := x.attr("ref"); ref != nil {
					if len(merges) >= maxMerges {
						return nil, damaged("quá nhiều ô gộp")
					}
					merges = append(merges, string(ref))
				}
			}
		case tokEnd:
			switch string(x.name) {
			case "sheetData":
				inData = false
			case "row":
				if inRow {
					if err := onRow(row, cells); err != nil {
						return nil, err
					}
				}
				inRow = false
			case "c":
				if !inC {
					continue
				}
				inC = false
				if err := b.finishCell(&cur, ctype, hasV, text); err != nil {
					return nil, err
				}
				cells = append(cells, cur)
			case "v":
				inV = false
			case "is":
				inIS = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case tokText:
			if inV || inT {
				hasV = true
				text = append(text, x.text...)
			}
		}
	}
	if x.err != nil {
		return nil, readErr(x.err, p)
	}
	return merges, nil
}

// cellType interns the t attribute of a cell.
func cellType(t []byte) string {
	switch string(t) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return "?"
}

func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// finishCell resolves the type and value of a cell.
func (b *book) finishCell(c *rawCell, ctype string, hasV bool, text []byte) error {
	switch ctype {
	case "s":
		if !hasV {
			c.empty = true
			return nil
		}
		i, ok := atoi(bytes.TrimSpace(text))
		if !ok {
			return damaged("tham chiếu chuỗi")
		}
		s, err := b.sharedString(i)
		if err != nil {
			return err
		}
		c.kind, c.val = kindString, s
	case "str", "inlineStr":
		c.kind, c.val = kindString, string(text)
	case "b":
		c.kind, c.val = kindBool, strings.TrimSpace(string(text))
	case "e":
		c.kind, c.val = kindError, strings.TrimSpace(string(text))
	case "d":
		c.kind, c.val = kindDate, strings.TrimSpace(string(text))
	default:
		c.kind, c.val = kindNumber, strings.TrimSpace(string(text))
	}
	c.empty = !hasV || (c.kind == kindString && strings.TrimSpace(c.val) == "") || (c.kind != kindString && c.val == "")
	return nil
}

// parseRef parses "D12" (also "$D$12") into column and row.
func parseRef[S string | []byte](ref S) (col, row int, ok bool) {
	i := 0
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	start := i
	for i < len(ref) {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
		if col > 16384 {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	if i == len(ref) || len(ref)-i > 7 {
		return 0, 0, false
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, 0, false
		}
		row = row*10 + int(ref[i]-'0')
	}
	if row < 1 || row > 1048576 {
		return 0, 0, false
	}
	return col, row, true
}

// parseRange parses "D12:E13" (or a single cell) into its corners.
func parseRange(ref string) (c1, r1, c2, r2 int, ok bool) {
	a, bRef, found := strings.Cut(ref, ":")
	if c1, r1, ok = parseRef(a); !ok {
		return
	}
	if !found {
		return c1, r1, c1, r1, true
	}
	if c2, r2, ok = parseRef(bRef); !ok {
		return
	}
	if c2 < c1 {
		c1, c2 = c2, c1
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	return c1, r1, c2, r2, true
}

func refName(col, row int) string {
	return colName(col) + strconv.Itoa(row)
}
