package translog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// StatementHeader is the header row of a published statement: the fields of
// Entry.Canonical in order, then the stored record hash in lower-case hex.
var StatementHeader = []string{"seq", "kind", "date", "amount", "ref", "bank_ref", "channel", "party", "note", "reverses", "record_hash"}

const bom = "\ufeff"

// MaxStatementLine bounds one physical line of a statement; an entry's
// fields are far shorter, so a longer line is not a statement.
const MaxStatementLine = 64 << 10

// StatementWriter writes a statement CSV row by row.
type StatementWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

// NewStatementWriter returns a writer that starts w with a UTF-8 byte-order
// mark and the header.
func NewStatementWriter(w io.Writer) *StatementWriter {
	return &StatementWriter{w: csv.NewWriter(w), rec: make([]string, len(StatementHeader))}
}

// Write writes one row: e and the record hash the log stored for it.
func (s *StatementWriter) Write(e Entry, stored tlog.Hash) error {
	if !s.header {
		s.header = true
		h := append([]string(nil), StatementHeader...)
		h[0] = bom + h[0]
		if err := s.w.Write(h); err != nil {
			return err
		}
	}
	r := s.rec
	r[0] = strconv.FormatInt(e.Seq, 10)
	r[1], r[2] = e.Kind, e.Date
	r[3] = strconv.FormatInt(e.Amount, 10)
	r[4], r[5], r[6], r[7], r[8] = e.Ref, e.BankRef, e.Channel, e.Party, e.Note
	r[9] = strconv.FormatInt(e.Reverses, 10)
	r[10] = hex.EncodeToString(stored[:])
	return s.w.Write(r)
}

// Flush writes buffered rows (and the header of an empty statement).
func (s *StatementWriter) Flush() error {
	if !s.header {
		s.header = true
		h := append([]string(nil), StatementHeader...)
		h[0] = bom + h[0]
		if err := s.w.Write(h); err != nil {
			return err
		}
	}
	s.w.Flush()
	return s.w.Error()
}

// WriteStatement writes the statement of entries, which must be the
// records of l from Seq 1 on, listing for each the record hash l stored
// (not one recomputed now: a row whose entry was changed after it was
// logged then shows a hash that its fields no longer give).
func WriteStatement(w io.Writer, l Log, entries iter.Seq2[Entry, error]) error {
	sw := NewStatementWriter(w)
	const batch = 1024
	var pending []Entry
	flush := func() error {
		ix := make([]int64, len(pending))
		for i, e := range pending {
			ix[i] = tlog.StoredHashIndex(0, e.Seq-1)
		}
		hs, err := l.ReadHashes(ix)
		if err != nil {
			return err
		}
		for i, e := range pending {
			if err := sw.Write(e, hs[i]); err != nil {
				return err
			}
		}
		pending = pending[:0]
		return nil
	}
	var want int64 = 1
	for e, err := range entries {
		if err != nil {
			return err
		}
		if e.Seq != want {
			return fmt.Errorf("bản ghi số %d đứng ở vị trí %d của bảng kê", e.Seq, want)
		}
		want++
		pending = append(pending, e)
		if len(pending) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(pending) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Row is one row of a statement read back.
type Row struct {
	Line   int       // physical line number in the file, 1-based
	Entry  Entry     // the fields as listed
	Listed tlog.Hash // the record hash as listed
}

// RowError is a row that cannot be read as an entry.
type RowError struct {
	Line int
	Msg  string
}

func (e *RowError) Error() string { return fmt.Sprintf("Dòng %d: %s", e.Line, e.Msg) }

// ErrFormat is wrapped by the fatal errors of ReadStatement: not a
// statement at all (wrong header, broken CSV, a line too long).
var ErrFormat = errors.New("không phải bảng kê hợp lệ")

// ReadStatement reads a statement CSV as a stream of rows. A row that
// cannot be read yields a *RowError and reading goes on; a broken file
// yields an error wrapping ErrFormat and stops. Memory does not grow with
// the file.
func ReadStatement(r io.Reader) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		if b, err := br.Peek(3); err == nil && string(b) == bom {
			br.Discard(3)
		}
		cr := csv.NewReader(&lineLimiter{r: br})
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		head, err := cr.Read()
		if err != nil {
			yield(Row{}, fmt.Errorf("%w: không đọc được dòng tiêu đề: %v", ErrFormat, err))
			return
		}
		if strings.Join(head, ",") != strings.Join(StatementHeader, ",") {
			yield(Row{}, fmt.Errorf("%w: dòng tiêu đề phải là %s", ErrFormat, strings.Join(StatementHeader, ",")))
			return
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Row{}, fmt.Errorf("%w: %v", ErrFormat, err))
				return
			}
			line, _ := cr.FieldPos(0)
			row, rerr := parseRow(line, rec)
			if !yield(row, rerr) {
				return
			}
		}
	}
}

func parseRow(line int, rec []string) (Row, error) {
	row := Row{Line: line}
	bad := func(format string, args ...any) (Row, error) {
		return row, &RowError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if len(rec) != len(StatementHeader) {
		return bad("có %d cột, cần %d", len(rec), len(StatementHeader))
	}
	num := func(i int) (int64, bool) {
		v, err := strconv.ParseInt(rec[i], 10, 64)
		return v, err == nil && strconv.FormatInt(v, 10) == rec[i]
	}
	var ok bool
	e := &row.Entry
	if e.Seq, ok = num(0); !ok {
		return bad("cột seq '%s' không phải số nguyên", rec[0])
	}
	e.Kind, e.Date = rec[1], rec[2]
	if e.Amount, ok = num(3); !ok {
		return bad("cột amount '%s' không phải số nguyên (không có dấu phân cách)", rec[3])
	}
	e.Ref, e.BankRef, e.Channel, e.Party, e.Note = rec[4], rec[5], rec[6], rec[7], rec[8]
	if e.Reverses, ok = num(9); !ok {
		return bad("cột reverses '%s' không phải số nguyên", rec[9])
	}
	h, err := hex.DecodeString(rec[10])
	if err != nil || len(h) != tlog.HashSize || hex.EncodeToString(h) != rec[10] {
		return bad("cột record_hash '%s' không phải 64 chữ số hệ 16 viết thường", rec[10])
	}
	copy(row.Listed[:], h)
	return row, nil
}

// lineLimiter fails a read once a physical line exceeds MaxStatementLine.
type lineLimiter struct {
	r   io.Reader
	run int
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		l.run += i
		if l.run > MaxStatementLine {
			break
		}
		l.run = 0
		b = b[i+1:]
	}
	if l.run > MaxStatementLine {
		return 0, fmt.Errorf("một dòng dài hơn %d byte", MaxStatementLine)
	}
	return n, err
}
