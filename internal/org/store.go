package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

// Store keeps the organisation model in the database. Public methods open
// their own transaction; the lower-case helpers take a db.Q so that the
// importer can run many of them in one transaction.
type Store struct{ DB *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{DB: d} }

// Limits of text fields.
const (
	maxName  = 200
	maxShort = 100
	maxCode  = 32
	maxNote  = 1000
)

type scanner interface{ Scan(...any) error }

func now() time.Time { return time.Now().UTC() }

// notFound maps sql.ErrNoRows to a NotFound error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "err.not_found")
	}
	return fmt.Errorf("org: %s: %w", what, err)
}

// inUse maps a foreign-key violation on delete to a Conflict naming the
// thing that cannot be deleted.
func inUse(err error, name string) error {
	if db.IsForeignKeyViolation(err) {
		return apperr.Wrap(err, apperr.Conflict, "org.err.in_use", name)
	}
	return err
}

func exists(ctx context.Context, q db.Q, table string, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("org: exists %s: %w", table, err)
	}
	return true, nil
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// checkText normalises a required or optional text field and records what
// is wrong with it.
func checkText(fe *apperr.Fields, field string, s *string, required bool, max int) {
	if required && *s == "" {
		fe.Add(field, "err.required")
	} else if tooLong(*s, max) {
		fe.Add(field, "err.too_long", max)
	}
}

// pathIDs returns the ids of a materialised path, root first.
func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// pathDepth is the number of areas on a path: 1 for a root.
func pathDepth(path string) int { return strings.Count(path, "/") - 1 }

// placeholders returns "$n, $n+1, …" for k parameters starting at n.
func placeholders(n, k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(n+i))
	}
	return b.String()
}

// where builds a WHERE clause with numbered parameters.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each "?" becomes the next parameter.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// next returns the placeholder of the next parameter to add by hand.
func (w *where) next(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}
