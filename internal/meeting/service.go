package meeting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
)

// SnapshotSource builds the consolidated report of a bloc for a period as
// it stands now: a title, its HTML (safe: built by the application's own
// templates) and its data as JSON. The roll-up room provides it; the
// application sets Service.Snapshot.
type SnapshotSource func(ctx context.Context, blocID int64, period string) (title string, html string, data []byte, err error)

// ResultsSource drafts the results paragraph of a bloc's period in
// Vietnamese sentences (the roll-up room's narrative). The application sets
// Service.Results.
type ResultsSource func(ctx context.Context, blocID int64, period string) (string, error)

// Service keeps meetings, snapshots, photos, news drafts and tasks. Its
// methods act for the principal of the context (auth.FromContext): they
// check that principal's permission and scope, and the audit log names it.
type Service struct {
	DB  *db.DB
	Org *org.Store
	// Snapshot freezes the consolidated report; nil hides the snapshot
	// button.
	Snapshot SnapshotSource
	// Results drafts the news article's results paragraph; nil uses the
	// meeting's conclusions.
	Results ResultsSource
	// Now is the clock (tests and the demo set it); nil means time.Now.
	Now func() time.Time
}

// New returns a service on d.
func New(d *db.DB) *Service { return &Service{DB: d, Org: org.NewStore(d)} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Today is the current date in Vietnam.
func (s *Service) Today() db.Date { return db.NewDate(s.now().In(Vietnam)) }

// Limits of inputs.
const (
	maxName      = 200
	maxTitle     = 500
	maxText      = 5000
	maxRich      = 200_000
	maxAgenda    = 50
	maxAttendees = 200
	maxOwners    = 100
	// MaxPhotoBytes bounds one photo.
	MaxPhotoBytes = 5 << 20
	// MaxEvidenceBytes bounds one evidence file.
	MaxEvidenceBytes = 10 << 20
)

// principal returns the principal of ctx, or Unauthorized.
func principal(ctx context.Context) (*auth.Principal, error) {
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.login_required")
	}
	return p, nil
}

// canSee tells whether p may read the meetings and tasks of a bloc whose
// area has path blocPath: anyone whose scope holds the bloc's area, and
// anyone under it (a commune's officer follows the district bloc's
// directives).
func canSee(p *auth.Principal, blocPath string) bool {
	if p == nil {
		return false
	}
	if p.Role == auth.Admin || p.ScopePath == "" && p.Role == auth.Viewer {
		return true
	}
	return p.InScope(blocPath) || p.ScopePath != "" && strings.HasPrefix(p.ScopePath, blocPath)
}

// canManage tells whether p may run the bloc's meetings and tasks.
func canManage(p *auth.Principal, blocPath string) bool {
	return p.Has(auth.PermMeetingManage) && p.CanManageArea(blocPath)
}

// CanManage tells whether the principal of ctx manages the meeting's bloc.
func CanManage(ctx context.Context, m *Meeting) bool {
	return canManage(auth.FromContext(ctx), m.blocPath)
}

// CanManageTask tells whether the principal of ctx manages the task's bloc.
func CanManageTask(ctx context.Context, t *Task) bool {
	return canManage(auth.FromContext(ctx), t.blocPath)
}

// CanUpdate tells whether the principal of ctx may post progress on the
// task: the bloc's secretariat, and the officers and leaders of its owner
// units.
func CanUpdate(ctx context.Context, t *Task) bool {
	p := auth.FromContext(ctx)
	if p == nil || !p.Has(auth.PermTaskUpdate) {
		return false
	}
	if canManage(p, t.blocPath) {
		return true
	}
	return (p.Role == auth.Officer || p.Role == auth.Leader) && p.UnitID != 0 && t.HasOwner(p.UnitID)
}

// bloc returns a bloc, NotFound when it does not exist.
func (s *Service) bloc(ctx context.Context, id int64) (*org.Bloc, error) {
	return s.Org.Bloc(ctx, id)
}

// VisibleBlocs lists the blocs the principal of ctx may read.
func (s *Service) VisibleBlocs(ctx context.Context) ([]org.Bloc, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.Org.Blocs(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Bloc
	for _, b := range all {
		if canSee(p, b.AreaPath) {
			out = append(out, b)
		}
	}
	return out, nil
}

// ManagedBlocs lists the blocs whose meetings the principal of ctx runs.
func (s *Service) ManagedBlocs(ctx context.Context) ([]org.Bloc, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.Org.Blocs(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Bloc
	for _, b := range all {
		if canManage(p, b.AreaPath) {
			out = append(out, b)
		}
	}
	return out, nil
}

// checkText records what is wrong with a text field.
func checkText(fe *apperr.Fields, field, s string, required bool, max int) {
	if required && strings.TrimSpace(s) == "" {
		fe.Add(field, "err.required")
	} else if utf8.RuneCountInString(s) > max {
		fe.Add(field, "err.too_long", max)
	}
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "err.not_found")
	}
	return fmt.Errorf("meeting: %s: %w", what, err)
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

// in adds "col IN (…)" for ids (no ids: nothing matches).
func (w *where) in(col string, ids []int64) {
	if len(ids) == 0 {
		w.conds = append(w.conds, "1 = 0")
		return
	}
	start := len(w.args) + 1
	for _, id := range ids {
		w.args = append(w.args, id)
	}
	w.conds = append(w.conds, col+" IN ("+placeholders(start, len(ids))+")")
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// ReportPath is the page of a unit's report for a period.
func ReportPath(unitID int64, period string) string {
	return "/reports/" + strconv.FormatInt(unitID, 10) + "/" + period
}

func meetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

func photoURL(meetingID, id int64) string {
	return meetingURL(meetingID) + "/photos/" + strconv.FormatInt(id, 10)
}

func taskURL(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }

func evidenceURL(taskID, id int64) string {
	return taskURL(taskID) + "/evidence/" + strconv.FormatInt(id, 10)
}

// nullID is nil for a missing or zero id.
func nullID(p *int64) any {
	if p == nil || *p == 0 {
		return nil
	}
	return *p
}

// idsOf turns an id list into query arguments.
func idsOf(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n\s*`)

// richText sanitises rich text (reporting.Sanitize). Text typed with a few
// inline tags but no paragraphs keeps its paragraphs: a blank line starts
// a new one, a line break stays one.
func richText(s string) string {
	out := reporting.Sanitize(s)
	if out == "" || strings.Contains(out, "<p>") || strings.Contains(out, "<ul>") || strings.Contains(out, "<ol>") {
		return out
	}
	var b strings.Builder
	for _, para := range blankLines.Split(strings.TrimSpace(out), -1) {
		b.WriteString("<p>" + strings.ReplaceAll(strings.TrimSpace(para), "\n", "<br>") + "</p>")
	}
	return reporting.Sanitize(b.String())
}
