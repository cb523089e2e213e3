package statement

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// MaxXLSXSize bounds an XLSX file: excelize reads the (compressed) file
// into memory, and unzips large sheets to temporary files.
const MaxXLSXSize = 512 << 20

// MaxUnzipped bounds what an XLSX file may unzip to, against zip bombs.
const MaxUnzipped = 4 << 30

var errTooBig = errors.New("too big")

// limited fails reading past n bytes.
type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooBig
	}
	return n, err
}

func (rd *Reader) openXLSX(r io.Reader) error {
	f, err := excelize.OpenReader(&limited{r: r, n: MaxXLSXSize}, excelize.Options{UnzipSizeLimit: MaxUnzipped})
	if errors.Is(err, errTooBig) {
		return fatalf("tệp XLSX lớn hơn %d MB", MaxXLSXSize>>20)
	}
	if err != nil {
		return fatalf("không đọc được tệp XLSX: %v", err)
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		rd.date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if rd.profile.Sheet != "" {
		sheets = []string{rd.profile.Sheet}
	}
	for _, sheet := range sheets {
		rows, err := f.Rows(sheet)
		if err != nil {
			f.Close()
			return fatalf("không đọc được trang tính '%s': %v", sheet, err)
		}
		src := &xlsxSource{f: f, rows: rows}
		for i := 0; i < HeaderSearchRows; i++ {
			cells, rowNo, err := src.next()
			if err != nil {
				break
			}
			if m := mapHeader(cells, &rd.profile); m.usable() {
				m.HeaderLine = rowNo
				rd.mapping, rd.sheet, rd.src = m, sheet, src
				return nil
			}
		}
		rows.Close()
	}
	f.Close()
	return rd.noHeader()
}

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.row + 1, fmt.Errorf("đọc tệp XLSX: %w", err)
		}
		return nil, s.row + 1, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, s.row, &LineError{Line: s.row, Msg: fmt.Sprintf("không đọc được dòng: %v", err)}
	}
	return cells, s.row, nil
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
