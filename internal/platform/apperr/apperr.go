// Package apperr gives errors a code that the web layer maps to an HTTP
// status, and a message key the user's language renders. A user never sees
// an internal error: only what to fix, and where.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for the HTTP layer.
type Code string

const (
	Invalid      Code = "invalid"      // 400 / 422: the input is wrong
	Unauthorized Code = "unauthorized" // 401: log in first
	Forbidden    Code = "forbidden"    // 403: not allowed for this role or scope
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409: someone changed it, or it already exists
	TooLarge     Code = "too_large"    // 413
	TooMany      Code = "too_many"     // 429: rate limited
	Unavailable  Code = "unavailable"  // 503
	Internal     Code = "internal"     // 500
)

// FieldError names one field (or cell, or line) and what is wrong with it.
type FieldError struct {
	Field string `json:"field"` // form field, "D12", "dòng 7", …
	Key   string `json:"-"`     // message key in the catalogue
	Args  []any  `json:"-"`
	// Message is the rendered text, filled by Localize.
	Message string `json:"message"`
}

// Error is an application error.
type Error struct {
	Code   Code
	Key    string // message key; rendered in the user's language
	Args   []any
	Fields []FieldError
	Err    error // the cause, logged, never shown
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s: %s%v", f.Field, f.Key, f.Args)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap makes an error with a code and a message key around a cause.
func Wrap(err error, code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Err: err}
}

// Field is shorthand for a one-field invalid-input error.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Key: "err.invalid_input", Fields: []FieldError{{Field: field, Key: key, Args: args}}}
}

// Fields collects field errors; Err returns nil when there are none.
type Fields []FieldError

// Add records a problem with a field.
func (f *Fields) Add(field, key string, args ...any) {
	*f = append(*f, FieldError{Field: field, Key: key, Args: args})
}

// Has tells whether the field already has an error.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns an Invalid error listing the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "err.invalid_input", Fields: f}
}

// CodeOf returns the code of err, Internal for unknown errors.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as *Error if it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is tells whether err has the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
