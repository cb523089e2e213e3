package statement

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"giaoban/internal/vn"
)

// Kind is the file format of a statement.
type Kind int

// Kinds of statement files.
const (
	KindAuto Kind = iota // decided from the first bytes: a ZIP file is XLSX, anything else CSV
	KindCSV
	KindXLSX
)

func (k Kind) String() string {
	switch k {
	case KindCSV:
		return "CSV"
	case KindXLSX:
		return "XLSX"
	}
	return "auto"
}

// HeaderSearchRows is how many rows from the top are searched for the
// header row (banks put a title block above it).
const HeaderSearchRows = 30

// Line is one transaction of a statement.
type Line struct {
	LineNo      int       // line (CSV) or row (XLSX) in the file, 1-based
	Date        time.Time // wall-clock date and time as the bank wrote it, in UTC
	Ref         string    // bank reference, trimmed
	Amount      int64     // đồng: credit (money in) positive, debit negative
	Balance     *int64    // running balance after the line, when the file has one
	Description string    // transfer note / description, white space collapsed
}

// LineError is a line that cannot be read; parsing goes on after it.
type LineError struct {
	Line   int    // line or row, 1-based
	Column string // header of the column, as written in the file; "" for the line as a whole
	Value  string // the cell, as written
	Msg    string // Vietnamese
}

func (e *LineError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("Dòng %d, cột '%s': %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("Dòng %d: %s", e.Line, e.Msg)
}

// FormatError is a file that cannot be read as a statement at all (no
// header row, an unknown encoding, a broken XLSX). Msg is Vietnamese.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

// rowSource yields the rows of a file.
type rowSource interface {
	// next returns the cells of the next row and its line number, or
	// io.EOF. The slice is valid until the following call.
	next() ([]string, int, error)
	close() error
}

// Reader reads the lines of one statement. Create it with NewReader, read
// its lines once with Lines, and Close it.
type Reader struct {
	src      rowSource
	kind     Kind
	profile  Profile
	enc      string
	comma    rune
	sheet    string
	mapping  Mapping
	date1904 bool
}

// NewReader opens a statement: it detects the kind (when KindAuto), the
// encoding and separator of a CSV file, finds the header row within the
// first HeaderSearchRows rows and maps its columns. Errors here are fatal
// and are *FormatError when the file is not a usable statement.
func NewReader(r io.Reader, kind Kind, p Profile) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if kind == KindAuto {
		head, _ := br.Peek(4)
		kind = KindCSV
		if bytes.Equal(head, []byte("PK\x03\x04")) {
			kind = KindXLSX
		}
	}
	rd := &Reader{kind: kind, profile: p}
	var err error
	switch kind {
	case KindCSV:
		err = rd.openCSV(br)
	case KindXLSX:
		err = rd.openXLSX(br)
	default:
		err = fatalf("loại tệp %d không được hỗ trợ", kind)
	}
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// Kind returns the kind of file read.
func (rd *Reader) Kind() Kind { return rd.kind }

// Encoding returns the encoding a CSV file was decoded from (EncUTF8…);
// "" for XLSX.
func (rd *Reader) Encoding() string { return rd.enc }

// Comma returns the separator of a CSV file; 0 for XLSX.
func (rd *Reader) Comma() rune { return rd.comma }

// Sheet returns the XLSX sheet read; "" for CSV.
func (rd *Reader) Sheet() string { return rd.sheet }

// Mapping returns the header row found and the columns mapped, for the
// import preview.
func (rd *Reader) Mapping() Mapping { return rd.mapping }

// Close releases the file (XLSX keeps temporary files for large sheets).
func (rd *Reader) Close() error { return rd.src.close() }

func (rd *Reader) openCSV(r io.Reader) error {
	text, enc, err := openText(r, rd.profile.Encoding)
	if err != nil {
		return err
	}
	rd.enc = enc
	sample, err := readSample(text)
	if err != nil {
		return fatalf("không đọc được tệp: %v", err)
	}
	tb := io.MultiReader(bytes.NewReader(sample), text)
	commas := []byte{',', ';', '\t'}
	if c := rd.profile.Comma; c != 0 {
		if c != ',' && c != ';' && c != '\t' && c != '|' {
			return fatalf("dấu phân cách %q không được hỗ trợ (',', ';', tab hoặc '|')", c)
		}
		commas = []byte{byte(c)}
	}
	best, bestRecord := -1, 0
	var bestMap Mapping
	for _, c := range commas {
		m, rec, ok := findHeader(newCSVReader(bytes.NewReader(sample), c), &rd.profile)
		if ok && (best < 0 || m.mapped() > bestMap.mapped()) {
			best, bestMap, bestRecord = int(c), m, rec
		}
	}
	if best < 0 {
		return rd.noHeader()
	}
	rd.comma = rune(best)
	rd.mapping = bestMap
	src := &csvSource{r: newCSVReader(tb, byte(best))}
	for i := 0; i < bestRecord; i++ { // skip to just after the header
		if _, _, err := src.next(); err != nil {
			return fatalf("không đọc lại được dòng tiêu đề: %v", err)
		}
	}
	rd.src = src
	return nil
}

// findHeader reads up to HeaderSearchRows rows and returns the mapping of
// the first usable header row and how many records were read through it.
func findHeader(r *csvReader, p *Profile) (Mapping, int, bool) {
	for i := 1; i <= HeaderSearchRows; i++ {
		cells, line, err := r.Read()
		if err == errRecordTooLong {
			continue
		}
		if err != nil {
			break
		}
		if m := mapHeader(cells, p); m.usable() {
			m.HeaderLine = line
			return m, i, true
		}
	}
	return Mapping{}, 0, false
}

func (rd *Reader) noHeader() error {
	if len(rd.profile.DateCol) > 0 || len(rd.profile.CreditCol) > 0 || len(rd.profile.DebitCol) > 0 || len(rd.profile.AmountCol) > 0 {
		return fatalf("không tìm thấy dòng tiêu đề theo mẫu '%s' trong %d dòng đầu: cần cột ngày %s và cột số tiền %s",
			rd.profile, HeaderSearchRows, quoteList(rd.profile.DateCol), quoteList(append(append(append([]string{}, rd.profile.CreditCol...), rd.profile.DebitCol...), rd.profile.AmountCol...)))
	}
	return fatalf("không tìm thấy dòng tiêu đề trong %d dòng đầu: cần ít nhất một cột ngày (ví dụ 'Ngày giao dịch') và một cột số tiền ('Ghi có', 'Ghi nợ' hoặc 'Số tiền')", HeaderSearchRows)
}

func quoteList(ss []string) string {
	if len(ss) == 0 {
		return "(tự nhận)"
	}
	return "'" + strings.Join(ss, "' / '") + "'"
}

type csvSource struct{ r *csvReader }

func (s *csvSource) next() ([]string, int, error) {
	rec, line, err := s.r.Read()
	if err == errRecordTooLong {
		return nil, line, &LineError{Line: line, Msg: fmt.Sprintf("dòng dài quá %d byte, bỏ qua", MaxRecord)}
	}
	return rec, line, err
}

func (s *csvSource) close() error { return nil }

// Lines returns the transactions after the header row, in file order. A
// line that cannot be read yields a *LineError and reading goes on; an I/O
// error or a broken file yields that error and ends. Blank lines, summary
// lines ("Tổng cộng", "Số dư cuối kỳ"…), a second header line right after
// the header (bilingual exports) and text lines without any amount (titles,
// signatures) are skipped. Memory use does not depend on the number of
// lines.
func (rd *Reader) Lines() iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		after := 0
		for {
			cells, lineNo, err := rd.src.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var le *LineError
				if errors.As(err, &le) {
					if !yield(Line{LineNo: le.Line}, err) {
						return
					}
					continue
				}
				yield(Line{LineNo: lineNo}, err)
				return
			}
			after++
			l, err, skip := rd.line(cells, lineNo, after)
			if skip {
				continue
			}
			if !yield(l, err) {
				return
			}
		}
	}
}

func (rd *Reader) cell(cells []string, f Field) string {
	if c := rd.mapping.Col[f]; c >= 0 && c < len(cells) {
		return cells[c]
	}
	return ""
}

// line reads one row; skip reports rows that are not transactions.
func (rd *Reader) line(cells []string, lineNo, after int) (Line, error, bool) {
	m := &rd.mapping
	l := Line{LineNo: lineNo}
	bad := func(f Field, value, msg string) (Line, error, bool) {
		return l, &LineError{Line: lineNo, Column: m.Header[f], Value: value, Msg: msg}, false
	}
	dateCell := rd.cell(cells, FieldDate)
	amountFields := []Field{FieldCredit, FieldDebit, FieldAmount}
	anyAmount, digits := false, hasDigit(dateCell)
	for _, f := range amountFields {
		if c := strings.TrimSpace(rd.cell(cells, f)); c != "" {
			anyAmount = true
			digits = digits || hasDigit(c)
		}
	}
	if blank(cells) {
		return l, nil, true
	}
	xlsx := rd.kind == KindXLSX
	date, msg := parseDate(dateCell, rd.profile.DateFormat, xlsx, rd.date1904)
	if msg != "" {
		// Not a dated line: a total, a second header, a text line
		// (title, note, signature), or a transaction with a bad date.
		switch {
		case isSummary(cells):
			return l, nil, true
		case !digits && after <= 2:
			return l, nil, true // a second header row
		case !anyAmount:
			return l, nil, true // a text line
		}
		return bad(FieldDate, dateCell, msg)
	}
	l.Date = date
	// Amount.
	if m.Col[FieldCredit] >= 0 || m.Col[FieldDebit] >= 0 {
		cr, _, msg := parseAmount(rd.cell(cells, FieldCredit), xlsx)
		if msg != "" {
			return bad(FieldCredit, rd.cell(cells, FieldCredit), msg)
		}
		dr, _, msg := parseAmount(rd.cell(cells, FieldDebit), xlsx)
		if msg != "" {
			return bad(FieldDebit, rd.cell(cells, FieldDebit), msg)
		}
		cr, dr = abs(cr), abs(dr)
		switch {
		case cr != 0 && dr != 0:
			return l, &LineError{Line: lineNo, Msg: fmt.Sprintf("vừa ghi nợ %s vừa ghi có %s", vn.FormatMoney(dr), vn.FormatMoney(cr))}, false
		case cr != 0:
			l.Amount = cr
		case dr != 0:
			l.Amount = -dr
		default:
			return l, &LineError{Line: lineNo, Msg: "không có số tiền ghi nợ hay ghi có"}, false
		}
	} else {
		v, ok, msg := parseAmount(rd.cell(cells, FieldAmount), xlsx)
		if msg != "" {
			return bad(FieldAmount, rd.cell(cells, FieldAmount), msg)
		}
		if !ok || v == 0 {
			return bad(FieldAmount, rd.cell(cells, FieldAmount), "không có số tiền")
		}
		if m.Col[FieldDirection] >= 0 {
			d, ok := direction(rd.cell(cells, FieldDirection))
			if !ok {
				return bad(FieldDirection, rd.cell(cells, FieldDirection), fmt.Sprintf("'%s' không cho biết ghi nợ hay ghi có (cần C/D, Có/Nợ, +/-)", strings.TrimSpace(rd.cell(cells, FieldDirection))))
			}
			v = d * abs(v)
		}
		l.Amount = v
	}
	if m.Col[FieldBalance] >= 0 {
		b, ok, msg := parseAmount(rd.cell(cells, FieldBalance), xlsx)
		if msg != "" {
			return bad(FieldBalance, rd.cell(cells, FieldBalance), msg)
		}
		if ok {
			l.Balance = &b
		}
	}
	l.Ref = cleanText(rd.cell(cells, FieldRef))
	l.Description = cleanText(rd.cell(cells, FieldDesc))
	return l, nil, false
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// summaryStarts are folded beginnings of the total and balance lines banks
// put among or after the transactions.
var summaryStarts = []string{"tong cong", "tong so", "tong phat sinh", "cong phat sinh", "cong", "tong", "so du dau ky", "so du cuoi ky",
	"so du dau", "so du cuoi", "luy ke", "total", "opening balance", "closing balance", "beginning balance", "ending balance", "balance brought forward"}

// isSummary reports whether the first non-empty cell of a row starts a
// summary line.
func isSummary(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if hasDigit(c) && len(c) < 40 {
			// "1", a number of order (STT): look at the next cell.
			if _, err := vn.ParseInt(c); err == nil {
				continue
			}
		}
		f := vn.Fold(c) + " "
		for _, s := range summaryStarts {
			if strings.HasPrefix(f, s) && f[len(s)] == ' ' {
				return true
			}
		}
		return false
	}
	return false
}

// cleanText returns s in NFC with runs of white space (line breaks
// included) collapsed into one space; invalid UTF-8 becomes U+FFFD.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if isPlainASCII(s) {
		return s
	}
	return strings.Join(strings.Fields(vn.NFC(s)), " ")
}

// isPlainASCII reports whether s is printable ASCII with single inner
// spaces and no surrounding ones: the common case, returned as is.
func isPlainASCII(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// Parse reads a statement: the lines of NewReader(r, kind, p).Lines(), or
// the *FormatError that NewReader returned, as the first and only value.
func Parse(r io.Reader, kind Kind, p Profile) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		rd, err := NewReader(r, kind, p)
		if err != nil {
			yield(Line{}, err)
			return
		}
		defer rd.Close()
		for l, err := range rd.Lines() {
			if !yield(l, err) {
				return
			}
		}
	}
}
