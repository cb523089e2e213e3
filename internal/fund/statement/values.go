package statement

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/vn"
)

// parseAmount reads a money cell. Empty cells, and the dashes some banks
// put in an empty column, are absent (ok=false). Accepted: what vn.ParseMoney
// accepts ("1.000.000", "1,000,000", "1 000 000", "1.000.000,00",
// "1,000,000.00", "500000 VND"), accounting negatives "(1.000)", and in
// XLSX the raw numbers of numeric cells ("1000000", "1E+7").
func parseAmount(cell string, xlsx bool) (v int64, ok bool, msg string) {
	s := strings.TrimSpace(cell)
	switch s {
	case "", "-", "–", "—", "--":
		return 0, false, ""
	}
	neg := false
	if len(s) > 2 && s[0] == '(' && s[len(s)-1] == ')' {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	v, err := vn.ParseMoney(s)
	if err != nil && xlsx {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e17 {
			v, err = int64(f), nil
		}
	}
	if err != nil {
		m := err.Error()
		if strings.HasSuffix(m, "không phải là số") {
			m = fmt.Sprintf("'%s' không phải là số tiền", strings.TrimSpace(cell))
		}
		return 0, false, m
	}
	if neg {
		v = -v
	}
	return v, true, ""
}

// Excel's day 0 in the 1900 date system is 30/12/1899 (day 60 is the
// 29/02/1900 that never was, which this epoch absorbs for every date from
// 01/03/1900 on); in the 1904 system it is 01/01/1904.
var (
	excelEpoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	excelEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// parseDate reads a date cell: the profile's layout when it has one;
// otherwise a date as vn.ParseDate reads it (dd/mm/yyyy, d/m/yyyy,
// dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd) optionally followed, after spaces or
// a 'T', by a time hh:mm or hh:mm:ss; and in XLSX an Excel serial date. The
// result carries the wall-clock time in UTC (bank statements are in
// Vietnam's time; no zone conversion is done). Years outside 1900–2999 are
// errors.
func parseDate(cell, layout string, xlsx, date1904 bool) (time.Time, string) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return time.Time{}, "thiếu ngày giao dịch"
	}
	t, msg := parseDateAny(s, layout, xlsx, date1904)
	if msg == "" && (t.Year() < minYear || t.Year() > maxYear) {
		return time.Time{}, fmt.Sprintf("ngày '%s' ngoài khoảng năm %d–%d", s, minYear, maxYear)
	}
	return t, msg
}

// Years a bank statement can be about.
const minYear, maxYear = 1900, 2999

func parseDateAny(s, layout string, xlsx, date1904 bool) (time.Time, string) {
	if layout != "" {
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, fmt.Sprintf("'%s' không đúng dạng ngày '%s'", s, layout)
		}
		return t, ""
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if f < 1 || f > 2958465 { // 31/12/9999
				return time.Time{}, fmt.Sprintf("'%s' không phải là ngày", s)
			}
			epoch := excelEpoch1900
			if date1904 {
				epoch = excelEpoch1904
			}
			day := math.Floor(f)
			secs := math.Round((f - day) * 86400)
			return epoch.AddDate(0, 0, int(day)).Add(time.Duration(secs) * time.Second), ""
		}
	}
	datePart, timePart := s, ""
	if i := strings.IndexAny(s, " \t\n\r\u00a0T"); i >= 0 {
		datePart, timePart = s[:i], strings.TrimSpace(strings.TrimLeft(s[i:], "T"))
	}
	d, err := vn.ParseDate(datePart)
	if err != nil {
		return time.Time{}, err.Error()
	}
	if timePart == "" {
		return d, ""
	}
	hh, mm, ss, ok := parseClock(timePart)
	if !ok {
		return time.Time{}, fmt.Sprintf("giờ '%s' không hợp lệ (cần hh:mm hoặc hh:mm:ss)", timePart)
	}
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second), ""
}

// parseClock reads hh:mm or hh:mm:ss (fractions of a second are ignored,
// as is a trailing "Z").
func parseClock(s string) (h, m, sec int, ok bool) {
	s = strings.TrimSuffix(s, "Z")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return 0, 0, 0, false
	}
	return v[0], v[1], v[2], true
}

// direction reads a debit/credit indicator: +1 for money in, -1 for out.
func direction(cell string) (int64, bool) {
	switch vn.Fold(cell) {
	case "c", "co", "cr", "credit", "ghi co", "thu", "vao", "in":
		return 1, true
	case "d", "n", "no", "dr", "debit", "ghi no", "chi", "ra", "out":
		return -1, true
	}
	switch strings.TrimSpace(cell) {
	case "+":
		return 1, true
	case "-", "−":
		return -1, true
	}
	return 0, false
}
