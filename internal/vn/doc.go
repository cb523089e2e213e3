// Package vn provides Vietnamese text helpers shared by every room:
// folding text for search, NFC normalisation of user input, formatting and
// parsing numbers, money and dates the Vietnamese way, reading amounts in
// words for receipts ("Bằng chữ"), rounding amounts for report prose, and
// Vietnamese collation.
//
// Conventions (from the domain notes, "Money and numbers, the Vietnamese way"):
//   - money is an int64 number of đồng (the đồng has no subunit);
//   - thousands are separated by dots and decimals by a comma: 1.234.567,5;
//   - dates are dd/mm/yyyy.
//
// Errors returned by the parsers carry Vietnamese messages meant to be shown
// to users as they are; they wrap ErrSyntax or ErrRange for programs.
//
// The package uses only the standard library and golang.org/x/text.
package vn

import "errors"

var (
	// ErrSyntax is wrapped by errors for input that is not in an accepted
	// form ("ba", "1.23.4", "32/13/2021x").
	ErrSyntax = errors.New("sai định dạng")
	// ErrRange is wrapped by errors for input that is well formed but out of
	// range: a number that does not fit in int64, a date that does not exist.
	ErrRange = errors.New("ngoài phạm vi cho phép")
)

// Error is the error type returned by the parsers of this package. Its
// message is Vietnamese and meant for users; Unwrap gives ErrSyntax or
// ErrRange.
type Error struct {
	Input string // the input as given (trimmed)
	Msg   string // Vietnamese message shown to users
	Kind  error  // ErrSyntax or ErrRange
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns ErrSyntax or ErrRange.
func (e *Error) Unwrap() error { return e.Kind }

func syntaxErr(in, msg string) error { return &Error{Input: in, Msg: msg, Kind: ErrSyntax} }
func rangeErr(in, msg string) error  { return &Error{Input: in, Msg: msg, Kind: ErrRange} }
