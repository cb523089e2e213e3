package fund

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

// Store keeps funds, their ledgers and logs in the database. Every method
// that appends to a fund's log does it in one transaction with the entries,
// the log's hashes, the totals and a new signed checkpoint.
type Store struct {
	DB *db.DB
	// KeyFile, when set, is the file that holds the checkpoint signing key
	// (see EnvKeyFile); otherwise the key lives in the settings table.
	KeyFile string
	// Clock, when set, gives the time recorded with entries and
	// checkpoints (the demo replays 2021); time.Now otherwise.
	Clock func() time.Time

	keyMu  sync.Mutex
	signer note.Signer
	vkey   string
	sums   sumsCache
	hooks  commitHooks // run after each ledger commit (derived.go)
}

// NewStore returns a store on d, with the key file named by
// GIAOBAN_FUND_KEY_FILE if set.
func NewStore(d *db.DB) *Store { return &Store{DB: d, KeyFile: os.Getenv(EnvKeyFile)} }

// Limits of text fields, in characters.
const (
	maxName  = 200
	maxText  = 1000
	maxNote  = 500
	maxShort = 100
)

type scanner interface{ Scan(...any) error }

func now() time.Time { return time.Now().UTC() }

// now is the store's clock.
func (s *Store) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return now()
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "err.not_found")
	}
	return fmt.Errorf("fund: %s: %w", what, err)
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// checkText records what is wrong with a required or optional text.
func checkText(fe *apperr.Fields, field, s string, required bool, max int) {
	if required && s == "" {
		fe.Add(field, "err.required")
	} else if tooLong(s, max) {
		fe.Add(field, "err.too_long", max)
	}
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

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

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

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
