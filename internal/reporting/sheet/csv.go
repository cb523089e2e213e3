package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// CSVHeader is the header line of WriteCSV and the columns ReadCSV knows.
var CSVHeader = []string{"unit_id", "period", "indicator", "option", "value", "version"}

// WriteCSV writes cells as CSV for machines: UTF-8 without BOM, comma
// separated, the header line CSVHeader, one cell per line with Raw as the
// value and an empty version when Version is nil. Values are written as
// they are (no protection against spreadsheet formulas: this file is for
// programs, not for Excel).
func WriteCSV(w io.Writer, cells []Cell) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	rec := make([]string, len(CSVHeader))
	for _, c := range cells {
		rec[0] = strconv.FormatInt(c.UnitID, 10)
		rec[1], rec[2], rec[3], rec[4] = c.Period, c.IndicatorCode, c.Option, c.Raw
		rec[5] = ""
		if c.Version != nil {
			rec[5] = strconv.FormatInt(*c.Version, 10)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCSV reads values from CSV: UTF-8 with or without BOM, separated by
// commas (or semicolons, as Excel writes CSV in Vietnamese locales), the
// header naming the columns of CSVHeader in any order (unit_id, period,
// indicator and value are required; option and version may be left out).
//
// Every line yields a Cell; an empty value means "clear the stored value".
// Problems name their line ("Dòng 7: …"): a bad unit id, period or version,
// a unit expect does not allow, another period than expect.Period, the
// same value twice, and — when expect.Rows is set — an indicator the form
// does not have or a value that does not fit its type (values are then
// returned in canonical form; without expect.Rows they are returned as
// they are, NFC and trimmed). A fatal error refuses the whole file: not
// UTF-8, larger than MaxBytes, more than MaxRows lines, a bad header or
// broken quoting.
func ReadCSV(r io.Reader, expect Expect) ([]Cell, []CellError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxBytes {
		return nil, nil, fileErr(ErrTooLarge, "Tệp CSV quá lớn; chỉ nhận tệp đến %s", formatMB(MaxBytes))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, fileErr(ErrBadCSV, "Tệp CSV không phải là văn bản UTF-8; hãy lưu lại với bảng mã UTF-8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, fileErr(ErrBadCSV, "Tệp CSV trống")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, csvFatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[name]; dup {
			return nil, nil, fileErr(ErrBadCSV, "Dòng 1: cột '%s' có hai lần", name)
		}
		known := false
		for _, k := range CSVHeader {
			known = known || k == name
		}
		if !known {
			return nil, nil, fileErr(ErrBadCSV, "Dòng 1: cột '%s' không có trong định dạng (%s)", h, strings.Join(CSVHeader, ","))
		}
		col[name] = i
	}
	for _, req := range []string{"unit_id", "period", "indicator", "value"} {
		if _, ok := col[req]; !ok {
			return nil, nil, fileErr(ErrBadCSV, "Dòng 1: thiếu cột '%s' (cần: %s)", req, strings.Join(CSVHeader, ","))
		}
	}
	var rows map[string]RowSpec
	if expect.Rows != nil {
		rows = make(map[string]RowSpec, len(expect.Rows))
		for _, r := range expect.Rows {
			rows[Key(r.IndicatorCode, r.Option)] = r
		}
	}
	wantPeriod := ""
	if expect.Period != "" {
		wantPeriod = strings.TrimSpace(expect.Period)
		if p, err := period.Parse(wantPeriod); err == nil {
			wantPeriod = p.Code()
		}
	}
	var (
		cells []Cell
		errs  errList
		seen  = map[string]int{}
		lines int
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvFatal(err)
		}
		line, _ := cr.FieldPos(0)
		if lines++; lines > MaxRows {
			return nil, nil, fileErr(ErrTooManyRows, "Tệp CSV có quá nhiều dòng (hơn %s)", vn.FormatInt(MaxRows))
		}
		lineErr := func(format string, args ...any) {
			errs.add(CellError{Line: line, Message: fmt.Sprintf(format, args...)})
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			lineErr("có %d cột, dòng tiêu đề có %d cột", len(rec), len(header))
			continue
		}
		field := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := Cell{Place: fmt.Sprintf("dòng %d", line)}
		unit := field("unit_id")
		id, err := strconv.ParseInt(unit, 10, 64)
		if err != nil {
			lineErr("mã đơn vị '%s' không hợp lệ", unit)
			continue
		}
		c.UnitID = id
		if !expect.unitAllowed(id) {
			lineErr("đơn vị mã %d không thuộc các đơn vị bạn được nhập số liệu", id)
			continue
		}
		p, err := period.Parse(field("period"))
		if err != nil {
			lineErr("kỳ báo cáo '%s' không hợp lệ", field("period"))
			continue
		}
		c.Period = p.Code()
		if wantPeriod != "" && c.Period != wantPeriod {
			lineErr("số liệu của kỳ %s, không phải kỳ đang nhập %s", periodLabel(c.Period), periodLabel(wantPeriod))
			continue
		}
		c.IndicatorCode, c.Option = field("indicator"), field("option")
		if c.IndicatorCode == "" {
			lineErr("thiếu mã chỉ tiêu")
			continue
		}
		if v := field("version"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				lineErr("phiên bản '%s' không hợp lệ", v)
				continue
			}
			c.Version = &n
		}
		value := ""
		if i, ok := col["value"]; ok {
			value = rec[i]
		}
		if rows != nil {
			spec, ok := rows[Key(c.IndicatorCode, c.Option)]
			if !ok {
				lineErr("%s", notInForm(c.IndicatorCode, c.Option))
				continue
			}
			raw, err := Normalize(spec, value)
			if err != nil {
				lineErr("%s", err.Error())
				continue
			}
			c.Raw = raw
		} else {
			c.Raw = vn.NFC(value)
		}
		k := strconv.FormatInt(c.UnitID, 10) + "|" + c.Period + "|" + Key(c.IndicatorCode, c.Option)
		if prev, dup := seen[k]; dup {
			lineErr("trùng với dòng %d (cùng đơn vị, kỳ, chỉ tiêu và phân tổ)", prev)
			continue
		}
		seen[k] = line
		cells = append(cells, c)
	}
	return cells, errs.list(), nil
}

func csvFatal(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := "dòng không đúng định dạng CSV"
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = "dấu ngoặc kép (\") không đúng chỗ"
		}
		return fileErr(ErrBadCSV, "Dòng %d: %s", pe.Line, msg)
	}
	return fileErr(ErrBadCSV, "Tệp CSV không đọc được: %v", err)
}
