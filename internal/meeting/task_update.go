package meeting

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// nextState returns the status, progress and completion date a task
// moves to: done means 100 %; progress on an open task starts it; leaving
// done clears the completion date.
func nextState(t *Task, status TaskStatus, progress int, today db.Date) (TaskStatus, int, db.Date) {
	if status == Done {
		progress = 100
	}
	if status == Open && progress > 0 {
		status = InProgress
	}
	done := t.DoneOn
	switch {
	case status == Done && t.Status != Done:
		done = today
	case status != Done:
		done = db.Date{}
	}
	return status, progress, done
}

// UpdateTask changes a task (title, description, owners, deadline, status,
// progress): the bloc's secretariat only. A change of status or progress
// is written to the task's history.
func (s *Service) UpdateTask(ctx context.Context, id int64, in TaskInput) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	old, err := s.taskByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !canSee(p, old.blocPath) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if !canManage(p, old.blocPath) {
		return nil, apperr.New(apperr.Forbidden, "meeting.err.not_manager")
	}
	if in.Version != nil && *in.Version != old.Version {
		return nil, apperr.New(apperr.Conflict, "meeting.err.stale")
	}
	bloc, err := s.Org.Bloc(ctx, old.BlocID)
	if err != nil {
		return nil, err
	}
	var fe apperr.Fields
	c := taskCore{title: in.Title, description: in.Description, owners: in.OwnerIDs, deadline: in.Deadline}
	ownerKey, deadlineKey := "meeting.err.task_owner", "meeting.err.task_deadline"
	if old.Source == FromDirective {
		ownerKey, deadlineKey = "meeting.err.directive_owner", "meeting.err.directive_deadline"
	}
	if err := s.checkTaskCore(ctx, s.DB, &fe, bloc, &c, ownerKey, deadlineKey); err != nil {
		return nil, err
	}
	if !in.Status.Valid() {
		fe.Add("status", "err.bad_choice", string(in.Status))
	}
	if in.Progress < 0 || in.Progress > 100 {
		fe.Add("progress", "meeting.err.progress")
	}
	if old.Source == FromPlan && in.PlanYear != nil && (*in.PlanYear < 1990 || *in.PlanYear > 2200) {
		fe.Add("plan_year", "meeting.err.year", *in.PlanYear)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	planYear := old.PlanYear
	if old.Source == FromPlan {
		planYear = in.PlanYear
	}
	today := s.Today()
	status, progress, done := nextState(old, in.Status, in.Progress, today)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET title = $1, description = $2, deadline = $3, status = $4, progress = $5,
			done_on = $6, plan_year = $7, version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10`,
			c.title, c.description, c.deadline, string(status), progress, done, planYear, now, id, old.Version)
		if err != nil {
			return fmt.Errorf("meeting: update task: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "meeting.err.stale")
		}
		if err := s.saveOwners(ctx, tx, id, c.owners); err != nil {
			return err
		}
		if status != old.Status || progress != old.Progress {
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_updates(task_id, at, user_id, user_name, status, progress, note)
				VALUES ($1, $2, $3, $4, $5, $6, '')`, id, now, nullID(&p.UserID), displayName(p), string(status), progress); err != nil {
				return fmt.Errorf("meeting: update task: %w", err)
			}
		}
		return audit.Record(ctx, tx, audit.Update, "task", id,
			map[string]any{"title": old.Title, "description": old.Description, "owner_ids": old.Input().OwnerIDs, "deadline": old.Deadline, "status": old.Status, "progress": old.Progress},
			map[string]any{"title": c.title, "description": c.description, "owner_ids": c.owners, "deadline": c.deadline, "status": status, "progress": progress})
	})
	if err != nil {
		return nil, err
	}
	return s.Task(ctx, id)
}

func displayName(p *auth.Principal) string {
	if p.FullName != "" {
		return p.FullName
	}
	return p.Username
}

// PostUpdate records progress on a task, with evidence: a note, a file, a
// link to a unit's report. Officers and leaders may update only their own
// unit's tasks; the bloc's secretariat may update any of its tasks.
func (s *Service) PostUpdate(ctx context.Context, id int64, in UpdateInput) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.taskByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !canSee(p, t.blocPath) && !t.HasOwner(p.UnitID) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if !CanUpdate(ctx, t) {
		return nil, apperr.New(apperr.Forbidden, "meeting.err.not_owner")
	}
	if in.Version != nil && *in.Version != t.Version {
		return nil, apperr.New(apperr.Conflict, "meeting.err.stale")
	}
	manager := canManage(p, t.blocPath)
	var fe apperr.Fields
	in.Note = strings.TrimSpace(in.Note)
	in.EvidenceNote = strings.TrimSpace(in.EvidenceNote)
	in.ReportPeriod = strings.TrimSpace(in.ReportPeriod)
	checkText(&fe, "note", in.Note, false, maxText)
	checkText(&fe, "evidence_note", in.EvidenceNote, false, maxText)
	status, progress := t.Status, t.Progress
	if in.Status != "" {
		switch {
		case !in.Status.Valid():
			fe.Add("status", "err.bad_choice", string(in.Status))
		case in.Status == Cancelled && !manager && t.Status != Cancelled:
			fe.Add("status", "meeting.err.cancel_manager")
		default:
			status = in.Status
		}
	}
	if in.Progress != nil {
		if *in.Progress < 0 || *in.Progress > 100 {
			fe.Add("progress", "meeting.err.progress")
		} else {
			progress = *in.Progress
		}
	}
	var reportUnit *int64
	if in.ReportUnitID != nil && *in.ReportUnitID != 0 || in.ReportPeriod != "" {
		if err := s.checkReportLink(ctx, &fe, t, in.ReportUnitID, &in.ReportPeriod); err != nil {
			return nil, err
		}
		reportUnit = in.ReportUnitID
	}
	var file *FileInput
	var ctype string
	if in.File != nil && len(in.File.Data) > 0 {
		file = in.File
		file.Name = cleanFileName(file.Name)
		if len(file.Data) > MaxEvidenceBytes {
			fe.Add("file", "meeting.err.file_size", MaxEvidenceBytes>>20)
		}
		ctype = http.DetectContentType(file.Data)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	today := s.Today()
	status, progress, done := nextState(t, status, progress, today)
	changed := status != t.Status || progress != t.Progress
	if !changed && in.Note == "" && in.EvidenceNote == "" && file == nil && reportUnit == nil {
		return nil, apperr.New(apperr.Invalid, "meeting.err.update_empty")
	}
	var unitID *int64
	if p.UnitID != 0 && t.HasOwner(p.UnitID) {
		unitID = &p.UnitID
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET status = $1, progress = $2, done_on = $3, version = version + 1, updated_at = $4
			WHERE id = $5 AND version = $6`, string(status), progress, done, now, id, t.Version)
		if err != nil {
			return fmt.Errorf("meeting: task update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "meeting.err.stale")
		}
		var uid int64
		err = tx.QueryRowContext(ctx, `INSERT INTO task_updates(task_id, at, user_id, user_name, unit_id, status, progress, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, id, now, nullID(&p.UserID), displayName(p), nullID(unitID),
			string(status), progress, in.Note).Scan(&uid)
		if err != nil {
			return fmt.Errorf("meeting: task update: %w", err)
		}
		add := func(kind, note, name, ctype string, size int, data []byte, unit *int64, per string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO task_evidence(task_id, update_id, kind, note, file_name, content_type, size, data,
				report_unit_id, report_period, at, user_id, user_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				id, uid, kind, note, name, ctype, size, data, nullID(unit), per, now, nullID(&p.UserID), displayName(p))
			if err != nil {
				return fmt.Errorf("meeting: evidence: %w", err)
			}
			return nil
		}
		if in.EvidenceNote != "" {
			if err := add(EvidenceNote, in.EvidenceNote, "", "", 0, nil, nil, ""); err != nil {
				return err
			}
		}
		if file != nil {
			if err := add(EvidenceFile, "", file.Name, ctype, len(file.Data), file.Data, nil, ""); err != nil {
				return err
			}
		}
		if reportUnit != nil {
			if err := add(EvidenceLink, "", "", "", 0, nil, reportUnit, in.ReportPeriod); err != nil {
				return err
			}
		}
		newView := map[string]any{"status": status, "progress": progress, "update_id": uid, "note": in.Note}
		if file != nil {
			newView["file"] = file.Name
		}
		if reportUnit != nil {
			newView["report"] = ReportPath(*reportUnit, in.ReportPeriod)
		}
		if in.EvidenceNote != "" {
			newView["evidence_note"] = in.EvidenceNote
		}
		return audit.Record(ctx, tx, audit.Update, "task", id, map[string]any{"status": t.Status, "progress": t.Progress}, newView)
	})
	if err != nil {
		return nil, err
	}
	return s.Task(ctx, id)
}

// checkReportLink checks a link to a unit's report: a unit in the task's
// bloc and a period code.
func (s *Service) checkReportLink(ctx context.Context, fe *apperr.Fields, t *Task, unitID *int64, per *string) error {
	if unitID == nil || *unitID == 0 {
		fe.Add("report_unit_id", "meeting.err.report_unit")
	} else {
		u, err := s.Org.Unit(ctx, *unitID)
		switch {
		case apperr.Is(err, apperr.NotFound):
			fe.Add("report_unit_id", "err.bad_choice", fmt.Sprint(*unitID))
		case err != nil:
			return err
		case !strings.HasPrefix(u.AreaPath, t.blocPath):
			fe.Add("report_unit_id", "meeting.err.owner_outside", u.Name, t.BlocName)
		}
	}
	if p, err := period.Parse(*per); err != nil {
		fe.Add("report_period", "meeting.err.period", *per)
	} else {
		*per = p.Code()
	}
	return nil
}

// cleanFileName keeps the base name of an upload, without control
// characters, at most 200 characters.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		name = "minh-chung"
	}
	for utf8.RuneCountInString(name) > 200 {
		r := []rune(name)
		name = string(r[len(r)-200:])
	}
	return name
}
