package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// Service keeps reports, values, narratives, targets and bloc settings.
// Its methods act for the principal of the context (auth.FromContext):
// they check that principal's role and scope, and the audit log names it.
// A context without a principal is refused; tools (the CLI importer, the
// demo) act as an admin principal they build themselves.
type Service struct {
	DB  *db.DB
	Org *org.Store
	Ind *indicator.Store
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
	// Derived computes the indicators another room feeds (the funds); nil:
	// every indicator is typed. See derived.go.
	Derived DerivedSource
}

// New returns a service on d.
func New(d *db.DB) *Service {
	return &Service{DB: d, Org: &org.Store{DB: d}, Ind: &indicator.Store{DB: d}}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// principal returns the principal of ctx, or Unauthorized.
func principal(ctx context.Context) (*auth.Principal, error) {
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.login_required")
	}
	return p, nil
}

// parsePeriod reads a period code; the error names the field.
func parsePeriod(field, code string) (period.Period, error) {
	p, err := period.Parse(code)
	if err != nil {
		return p, apperr.Field(field, "reporting.err.period", code)
	}
	return p, nil
}

// unitFor returns a unit the principal may see, NotFound otherwise (a unit
// out of scope is not revealed).
func (s *Service) unitFor(ctx context.Context, p *auth.Principal, unitID int64) (*org.Unit, error) {
	u, err := s.Org.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if !p.CanSeeUnit(u.ID, u.AreaPath) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return u, nil
}

type formCacheKey struct{}

type formCache struct {
	mu    sync.Mutex
	forms map[string]*indicator.Form
}

// WithFormCache returns a context in which the service looks each form up
// once: for bulk work (the demo, large imports) during which the catalogue
// does not change.
func WithFormCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, formCacheKey{}, &formCache{forms: map[string]*indicator.Form{}})
}

// FormFor returns the form a unit reports on for a period's type.
func (s *Service) FormFor(ctx context.Context, u *org.Unit, p period.Period) (*indicator.Form, error) {
	c, _ := ctx.Value(formCacheKey{}).(*formCache)
	key := fmt.Sprintf("%d/%s", u.OrganisationID, p.Type)
	if c != nil {
		c.mu.Lock()
		f, ok := c.forms[key]
		c.mu.Unlock()
		if ok {
			return f, nil
		}
	}
	f, err := s.Ind.FormFor(ctx, u.OrganisationID, p.Type)
	if err == nil {
		err = s.markDerived(ctx, f)
	}
	if err == nil && c != nil {
		c.mu.Lock()
		c.forms[key] = f
		c.mu.Unlock()
	}
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.NotFound, "reporting.err.no_form", u.Name, p.Type.LabelVI())
		}
		return nil, err
	}
	return f, nil
}

const reportCols = `r.id, r.unit_id, r.period, r.form_id, r.status, r.first_submitted_at, r.submitted_at, r.submitted_by, r.late,
	r.approved_at, r.approved_by, r.return_comment, r.version, r.created_at, r.updated_at, u.name,
	COALESCE(su.full_name, ''), COALESCE(au.full_name, '')`

const reportFrom = ` FROM reports r JOIN units u ON u.id = r.unit_id
	LEFT JOIN users su ON su.id = r.submitted_by LEFT JOIN users au ON au.id = r.approved_by`

type scanner interface{ Scan(...any) error }

func scanReport(row scanner) (*Report, error) {
	var r Report
	var st string
	err := row.Scan(&r.ID, &r.UnitID, &r.Period, &r.FormID, &st, &r.FirstSubmittedAt, &r.SubmittedAt, &r.SubmittedBy, &r.Late,
		&r.ApprovedAt, &r.ApprovedBy, &r.ReturnComment, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.UnitName,
		&r.SubmittedName, &r.ApprovedName)
	r.Status = Status(st)
	return &r, err
}

// reportOf returns the report of a unit for a period, nil when the unit has
// not started it.
func reportOf(ctx context.Context, q db.Q, unitID int64, code string) (*Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, "SELECT "+reportCols+reportFrom+" WHERE r.unit_id = $1 AND r.period = $2", unitID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reporting: report: %w", err)
	}
	return r, nil
}

// lockReport makes sure the report exists and holds it until the end of
// the transaction, so that two saves of one report queue (SQLite
// transactions on the writer are already serial). created tells whether it
// was made now.
func (s *Service) lockReport(ctx context.Context, tx *sql.Tx, unitID int64, code string, formID *int64) (r *Report, created bool, err error) {
	now := s.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO reports(unit_id, period, form_id, status, version, created_at, updated_at)
		VALUES ($1, $2, $3, 'draft', 1, $4, $4) ON CONFLICT (unit_id, period) DO NOTHING`, unitID, code, formID, now)
	if err != nil {
		return nil, false, fmt.Errorf("reporting: create report: %w", err)
	}
	n, _ := res.RowsAffected()
	query := "SELECT " + reportCols + reportFrom + " WHERE r.unit_id = $1 AND r.period = $2"
	if s.DB.Dialect == db.Postgres {
		query += " FOR UPDATE OF r"
	}
	r, err = scanReport(tx.QueryRowContext(ctx, query, unitID, code))
	if err != nil {
		return nil, false, fmt.Errorf("reporting: lock report: %w", err)
	}
	return r, n == 1, nil
}

// Report returns a unit's report for a period (nil when not started), for
// a principal who may see the unit.
func (s *Service) Report(ctx context.Context, unitID int64, code string) (*Report, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.unitFor(ctx, p, unitID); err != nil {
		return nil, err
	}
	per, err := parsePeriod("period", code)
	if err != nil {
		return nil, err
	}
	return reportOf(ctx, s.DB, unitID, per.Code())
}

// ReportFilter selects reports.
type ReportFilter struct {
	UnitID int64
	Period string
	Status Status
	Limit  int
}

// Reports lists the reports the principal may see, newest period first.
func (s *Service) Reports(ctx context.Context, f ReportFilter) ([]Report, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.UnitID != 0 {
		add("r.unit_id = ?", f.UnitID)
	}
	if f.Period != "" {
		per, err := parsePeriod("period", f.Period)
		if err != nil {
			return nil, err
		}
		add("r.period = ?", per.Code())
	}
	if f.Status != "" {
		add("r.status = ?", string(f.Status))
	}
	query := "SELECT " + reportCols + ", a.path" + reportFrom + " JOIN areas a ON a.id = u.area_id"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY r.period DESC, a.path, u.id"
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reporting: reports: %w", err)
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		var r Report
		var st, path string
		if err := rows.Scan(&r.ID, &r.UnitID, &r.Period, &r.FormID, &st, &r.FirstSubmittedAt, &r.SubmittedAt, &r.SubmittedBy, &r.Late,
			&r.ApprovedAt, &r.ApprovedBy, &r.ReturnComment, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.UnitName,
			&r.SubmittedName, &r.ApprovedName, &path); err != nil {
			return nil, fmt.Errorf("reporting: reports: %w", err)
		}
		r.Status = Status(st)
		if !p.CanSeeUnit(r.UnitID, path) {
			continue
		}
		out = append(out, r)
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out, rows.Err()
}

// Events lists a report's transitions, oldest first.
func (s *Service) Events(ctx context.Context, reportID int64) ([]Event, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT e.id, e.report_id, e.action, e.from_status, e.to_status, e.user_id, e.username,
		COALESCE(u.full_name, e.username), e.at, e.comment FROM report_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.report_id = $1 ORDER BY e.at, e.id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("reporting: events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var a, from, to string
		if err := rows.Scan(&e.ID, &e.ReportID, &a, &from, &to, &e.UserID, &e.Username, &e.FullName, &e.At, &e.Comment); err != nil {
			return nil, fmt.Errorf("reporting: events: %w", err)
		}
		e.Action, e.From, e.To = Action(a), Status(from), Status(to)
		out = append(out, e)
	}
	return out, rows.Err()
}
