package db

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date without time of day, stored as 'YYYY-MM-DD' in
// SQLite and as DATE in PostgreSQL. The zero Date is NULL.
type Date struct{ time.Time }

// NewDate returns the date of t (its year, month and day as written).
func NewDate(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// D builds a Date from year, month and day.
func D(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Valid tells whether the date is set.
func (d Date) Valid() bool { return !d.Time.IsZero() }

// ISO is "2021-08-26", or "" when unset.
func (d Date) ISO() string {
	if !d.Valid() {
		return ""
	}
	return d.Time.Format("2006-01-02")
}

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) {
	if !d.Valid() {
		return nil, nil
	}
	return d.ISO(), nil
}

// Scan implements sql.Scanner.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v)
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("db: cannot scan %T into Date", src)
	}
	return nil
}

func (d *Date) parse(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return fmt.Errorf("db: bad date %q", s)
	}
	*d = Date{t}
	return nil
}

// MarshalJSON writes "2021-08-26" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.Valid() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.ISO() + `"`), nil
}

// UnmarshalJSON reads "2021-08-26" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' {
		return fmt.Errorf("ngày phải có dạng \"YYYY-MM-DD\"")
	}
	t, err := time.Parse("2006-01-02", s[1:len(s)-1])
	if err != nil {
		return fmt.Errorf("ngày phải có dạng \"YYYY-MM-DD\"")
	}
	*d = Date{t}
	return nil
}
