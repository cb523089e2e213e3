package vn

import (
	"fmt"
	"strconv"
	"time"
)

// FormatDate formats the calendar date of t as dd/mm/yyyy: "26/08/2021".
// t is formatted in its own location; convert it first (t.In(loc)) when it
// is an instant rather than a date.
func FormatDate(t time.Time) string {
	return t.Format("02/01/2006")
}

// FormatDateTime formats t as "26/08/2021 14:05" (24-hour clock), in t's
// own location.
func FormatDateTime(t time.Time) string {
	return t.Format("02/01/2006 15:04")
}

// FormatDateLong formats the date line of an administrative document:
// "ngày 26 tháng 8 năm 2021", "ngày 05 tháng 02 năm 2021".
//
// Nghị định 30/2020/NĐ-CP on administrative documents (Phụ lục I, on the
// place and date of issue, "Địa danh và thời gian ban hành văn bản") says the
// date is written in full in Arabic numerals and that days below 10 and the
// months 1 and 2 take a leading zero ("đối với những số thể hiện ngày nhỏ
// hơn 10 và tháng 1, 2 phải ghi thêm số 0 phía trước"), so that "tháng 1"
// cannot be turned into "tháng 11" or "tháng 12" by hand. Months 3 to 12
// take no leading zero; the year is written in full.
func FormatDateLong(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	m := int(t.Month())
	month := strconv.Itoa(m)
	if m <= 2 {
		month = "0" + month
	}
	return "ngày " + day + " tháng " + month + " năm " + strconv.Itoa(t.Year())
}

// ParseDate parses a calendar date typed by a user or read from a bank
// export: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (one kind of
// separator throughout) or ISO yyyy-mm-dd, with surrounding white space.
// The year must have four digits. Dates that do not exist (31/02/2021) are
// rejected. The result is midnight UTC of that date. Errors read
// "ngày không hợp lệ: …" and can be shown as they are.
func ParseDate(s string) (time.Time, error) {
	in := NFC(s)
	bad := func(why string) error {
		if in == "" {
			return syntaxErr(in, "ngày không hợp lệ: chưa nhập ngày (ví dụ 26/08/2021)")
		}
		return syntaxErr(in, fmt.Sprintf("ngày không hợp lệ: '%s' (%s)", in, why))
	}
	const want = "cần ghi theo dạng ngày/tháng/năm, ví dụ 26/08/2021"

	// Split into three runs of ASCII digits separated by one separator.
	var fields [3]string
	var sep byte
	n, start := 0, 0
	for i := 0; i <= len(in); i++ {
		if i < len(in) && in[i] >= '0' && in[i] <= '9' {
			continue
		}
		if i == start || n == 3 {
			return time.Time{}, bad(want)
		}
		fields[n] = in[start:i]
		n++
		start = i + 1
		if i == len(in) {
			break
		}
		c := in[i]
		if c != '/' && c != '-' && c != '.' {
			return time.Time{}, bad(want)
		}
		if sep != 0 && c != sep {
			return time.Time{}, bad("dùng lẫn nhiều loại dấu phân cách")
		}
		sep = c
	}
	if n != 3 {
		return time.Time{}, bad(want)
	}
	var ds, ms, ys string
	switch {
	case len(fields[0]) == 4 && sep == '-':
		ys, ms, ds = fields[0], fields[1], fields[2]
	default:
		ds, ms, ys = fields[0], fields[1], fields[2]
	}
	if len(ds) > 2 || len(ms) > 2 {
		return time.Time{}, bad(want)
	}
	if len(ys) != 4 {
		return time.Time{}, bad("năm phải có 4 chữ số")
	}
	d, _ := strconv.Atoi(ds)
	m, _ := strconv.Atoi(ms)
	y, _ := strconv.Atoi(ys)
	rng := func(why string) error {
		return rangeErr(in, fmt.Sprintf("ngày không hợp lệ: '%s' (%s)", in, why))
	}
	switch {
	case y < 1:
		return time.Time{}, rng("năm phải từ 0001 trở đi")
	case m < 1 || m > 12:
		return time.Time{}, rng("tháng phải từ 1 đến 12")
	case d < 1:
		return time.Time{}, rng("ngày phải từ 1 trở đi")
	}
	if last := daysIn(time.Month(m), y); d > last {
		return time.Time{}, rng(fmt.Sprintf("tháng %d năm %d chỉ có %d ngày", m, y, last))
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
