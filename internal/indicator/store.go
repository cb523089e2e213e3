package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

// Store keeps the catalogue in the database. Public methods open their own
// transaction; the lower-case helpers take a db.Q so that InstallDefault
// runs many of them in one transaction.
//
// Reporting organisations of an indicator are stored by organisation id
// (indicator_organisations, with foreign keys, so renaming an
// organisation's code changes nothing here) and given and returned by
// organisation code (Indicator.Organisations, IndicatorInput.Organisations),
// matched without regard to case.
type Store struct{ DB *db.DB }

// Limits of text fields.
const (
	maxName    = 300
	maxUnit    = 50
	maxCode    = 64
	maxMessage = 500
	maxDerived = 100
)

// Audit entity names.
const (
	entityIndicator      = "indicator"
	entitySection        = "indicator_section"
	entityDisaggregation = "disaggregation"
	entityForm           = "form"
	entityRule           = "indicator_rule"
)

// ValuesTable is the reporting room's table of values; an indicator with a
// row there is in use.
const ValuesTable = "data_values"

type scanner interface{ Scan(...any) error }

func now() time.Time { return time.Now().UTC() }

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "err.not_found")
	}
	return fmt.Errorf("indicator: %s: %w", what, err)
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

var codeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// NormalizeCode is how indicator, form and rule codes are stored: trimmed,
// upper case, spaces and hyphens as underscores ("hien mau-luot" →
// "HIEN_MAU_LUOT").
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// validCode tells whether a normalised code is acceptable.
func validCode(c string) bool { return len(c) <= maxCode && codeRE.MatchString(c) }

var lowerCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// normLowerCode is how section, disaggregation and option codes are
// stored: trimmed, lower case.
func normLowerCode(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validLowerCode(c string) bool { return len(c) <= maxCode && lowerCodeRE.MatchString(c) }

// tableExists tells whether a table exists (the values table belongs to
// another room and may not be migrated yet).
func tableExists(ctx context.Context, q db.Q, d db.Dialect, table string) (bool, error) {
	var query string
	if d == db.Postgres {
		query = "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	} else {
		query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1"
	}
	var one int
	err := q.QueryRowContext(ctx, query, table).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("indicator: table %s: %w", table, err)
	}
	return true, nil
}

// hasValues tells whether values were reported for the indicator.
func (s *Store) hasValues(ctx context.Context, q db.Q, id int64) (bool, error) {
	ok, err := tableExists(ctx, q, s.DB.Dialect, ValuesTable)
	if err != nil || !ok {
		return false, err
	}
	var one int
	err = q.QueryRowContext(ctx, "SELECT 1 FROM "+ValuesTable+" WHERE indicator_id = $1 LIMIT 1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("indicator: values of %d: %w", id, err)
	}
	return true, nil
}

// InUse tells whether values were reported for the indicator: then it can
// only be retired, not deleted, and its code and type cannot change.
func (s *Store) InUse(ctx context.Context, id int64) (bool, error) {
	return s.hasValues(ctx, s.DB, id)
}

// OrgRef is an organisation as the catalogue sees it.
type OrgRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// Organisations lists the organisations (for choosing who reports an
// indicator or uses a form), in their sort order.
func (s *Store) Organisations(ctx context.Context) ([]OrgRef, error) {
	return organisations(ctx, s.DB)
}

func organisations(ctx context.Context, q db.Q) ([]OrgRef, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, code, name_vi, name_en FROM organisations ORDER BY sort_order, id")
	if err != nil {
		return nil, fmt.Errorf("indicator: organisations: %w", err)
	}
	defer rows.Close()
	var out []OrgRef
	for rows.Next() {
		var o OrgRef
		if err := rows.Scan(&o.ID, &o.Code, &o.NameVI, &o.NameEN); err != nil {
			return nil, fmt.Errorf("indicator: organisations: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// orgByCode finds an organisation by code, without regard to case.
func orgByCode(ctx context.Context, q db.Q, code string) (*OrgRef, error) {
	var o OrgRef
	err := q.QueryRowContext(ctx, "SELECT id, code, name_vi, name_en FROM organisations WHERE UPPER(code) = $1",
		strings.ToUpper(strings.TrimSpace(code))).Scan(&o.ID, &o.Code, &o.NameVI, &o.NameEN)
	if err != nil {
		return nil, notFound(err, "organisation "+code)
	}
	return &o, nil
}

func orgByID(ctx context.Context, q db.Q, id int64) (*OrgRef, error) {
	var o OrgRef
	err := q.QueryRowContext(ctx, "SELECT id, code, name_vi, name_en FROM organisations WHERE id = $1", id).
		Scan(&o.ID, &o.Code, &o.NameVI, &o.NameEN)
	if err != nil {
		return nil, notFound(err, "organisation")
	}
	return &o, nil
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
