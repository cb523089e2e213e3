package reporting

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
)

// MaxComment bounds return comments and reopening reasons.
const MaxComment = 2000

// Submit sends a unit's report for approval (the unit's officer, or the
// secretariat on its behalf). Blocking rule violations refuse it. The first
// submission decides timeliness against the bloc's deadline.
func (s *Service) Submit(ctx context.Context, unitID int64, periodCode string) (*Report, error) {
	return s.Transition(ctx, unitID, periodCode, Submit, "")
}

// Approve approves a submitted report (the unit's leader or the
// secretariat); its values are then locked.
func (s *Service) Approve(ctx context.Context, unitID int64, periodCode string) (*Report, error) {
	return s.Transition(ctx, unitID, periodCode, Approve, "")
}

// ReturnReport sends a submitted report back to the unit with a comment
// saying what to fix.
func (s *Service) ReturnReport(ctx context.Context, unitID int64, periodCode, comment string) (*Report, error) {
	return s.Transition(ctx, unitID, periodCode, Return, comment)
}

// Reopen unlocks an approved report for correction, with a reason; the
// report goes back to the unit as returned.
func (s *Service) Reopen(ctx context.Context, unitID int64, periodCode, reason string) (*Report, error) {
	return s.Transition(ctx, unitID, periodCode, Reopen, reason)
}

// Transition takes a workflow action on a report: it checks the role and
// scope, the status (Next), the comment and, for a submission, the blocking
// rules; then records the event and the audit entry in one transaction.
func (s *Service) Transition(ctx context.Context, unitID int64, periodCode string, a Action, comment string) (*Report, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if a == Save {
		return nil, apperr.New(apperr.Invalid, "reporting.err.bad_action", string(a))
	}
	if !CanTake(p.Role, a) {
		return nil, apperr.New(apperr.Forbidden, "reporting.err.role."+string(a))
	}
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	u, err := s.unitFor(ctx, p, unitID)
	if err != nil {
		return nil, err
	}
	if !p.CanActForUnit(u.ID, u.AreaPath) {
		return nil, apperr.New(apperr.Forbidden, "reporting.err.unit_scope", u.Name)
	}
	comment = strings.TrimSpace(comment)
	if a.NeedsComment() && comment == "" {
		return nil, apperr.Field("comment", "reporting.err.comment_required."+string(a))
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		return nil, apperr.Field("comment", "err.too_long", MaxComment)
	}
	form, err := s.FormFor(ctx, u, per)
	if err != nil {
		return nil, err
	}
	if a == Submit || a == Approve {
		// What is sent and approved holds the fund's figures as they are now.
		if _, err := s.syncDerived(ctx, u, per, form); err != nil {
			return nil, err
		}
	}
	settings, err := settingsForPath(ctx, s.DB, u.AreaPath)
	if err != nil {
		return nil, err
	}
	var rules []indicator.Rule
	if a == Submit {
		if rules, err = s.Ind.Rules(ctx); err != nil {
			return nil, err
		}
	}
	actor := audit.ActorFrom(ctx)
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, created, err := s.lockReport(ctx, tx, u.ID, per.Code(), &form.ID)
		if err != nil {
			return err
		}
		if created {
			if err := audit.Record(ctx, tx, audit.Create, "report", r.ID, nil, map[string]any{"unit_id": u.ID, "period": per.Code()}); err != nil {
				return err
			}
		}
		from := r.Status
		to, err := Next(from, a, p.Role)
		if err != nil {
			return err
		}
		if a == Submit {
			vals, err := loadValues(ctx, tx, []int64{u.ID}, []string{per.Code()})
			if err != nil {
				return err
			}
			var fe apperr.Fields
			for _, v := range indicator.Check(form, totals(vals[u.ID][per.Code()]), rules) {
				if v.Severity == indicator.Blocking {
					fe.Add(v.RuleCode, "reporting.err.rule_blocks", v.Message)
				}
			}
			if len(fe) > 0 {
				return &apperr.Error{Code: apperr.Invalid, Key: "reporting.err.blocked", Args: []any{len(fe)}, Fields: fe}
			}
		}
		now := s.now()
		old := *r
		switch a {
		case Submit:
			if r.FirstSubmittedAt == nil {
				r.FirstSubmittedAt = &now
				r.Late = lateAt(settings, per, now)
			}
			r.SubmittedAt, r.SubmittedBy, r.ReturnComment = &now, by, ""
		case Approve:
			r.ApprovedAt, r.ApprovedBy = &now, by
		case Return, Reopen:
			r.ReturnComment, r.ApprovedAt, r.ApprovedBy = comment, nil, nil
		}
		r.Status = to
		_, err = tx.ExecContext(ctx, `UPDATE reports SET status = $1, first_submitted_at = $2, submitted_at = $3, submitted_by = $4, late = $5,
			approved_at = $6, approved_by = $7, return_comment = $8, form_id = $9, version = version + 1, updated_at = $10 WHERE id = $11`,
			string(r.Status), r.FirstSubmittedAt, r.SubmittedAt, r.SubmittedBy, r.Late, r.ApprovedAt, r.ApprovedBy, r.ReturnComment,
			form.ID, now, r.ID)
		if err != nil {
			return fmt.Errorf("reporting: %s: %w", a, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_events(report_id, action, from_status, to_status, user_id, username, at, comment)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, string(a), string(from), string(to), by, actor.Username, now, comment); err != nil {
			return fmt.Errorf("reporting: event: %w", err)
		}
		return audit.Record(ctx, tx, string(a), "report", r.ID, auditReport(&old), auditReport(r))
	})
	if err != nil {
		return nil, err
	}
	if a == Reopen {
		// No longer frozen: the fund's figures as they are now.
		if _, err := s.syncDerived(ctx, u, per, form); err != nil {
			return nil, err
		}
	}
	return reportOf(ctx, s.DB, u.ID, per.Code())
}

func auditReport(r *Report) map[string]any {
	return map[string]any{"unit_id": r.UnitID, "period": r.Period, "status": r.Status, "late": r.Late,
		"submitted_at": r.SubmittedAt, "approved_at": r.ApprovedAt, "return_comment": r.ReturnComment}
}
