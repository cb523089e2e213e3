package meeting

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

const taskCols = `t.id, t.bloc_id, b.name, a.path, t.source, t.meeting_id, COALESCE(m.title, ''), m.starts_at, t.seq,
	t.plan_year, t.title, t.description, t.deadline, t.status, t.progress, t.done_on, t.version, t.created_at, t.updated_at`

const taskFrom = ` FROM tasks t JOIN blocs b ON b.id = t.bloc_id JOIN areas a ON a.id = b.area_id
	LEFT JOIN meetings m ON m.id = t.meeting_id`

func scanTask(row scanner) (*Task, error) {
	var t Task
	err := row.Scan(&t.ID, &t.BlocID, &t.BlocName, &t.blocPath, &t.Source, &t.MeetingID, &t.MeetingTitle, &t.MeetingAt,
		&t.Seq, &t.PlanYear, &t.Title, &t.Description, &t.Deadline, &t.Status, &t.Progress, &t.DoneOn, &t.Version,
		&t.CreatedAt, &t.UpdatedAt)
	return &t, err
}

func (s *Service) queryTasks(ctx context.Context, q db.Q, query string, args ...any) ([]*Task, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("meeting: tasks: %w", err)
	}
	var out []*Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("meeting: tasks: %w", err)
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("meeting: tasks: %w", err)
	}
	return out, s.loadOwners(ctx, q, out)
}

// loadOwners fills the owners of tasks, in the organisations' order.
func (s *Service) loadOwners(ctx context.Context, q db.Q, tasks []*Task) error {
	if len(tasks) == 0 {
		return nil
	}
	byID := map[int64]*Task{}
	var ids []int64
	for _, t := range tasks {
		byID[t.ID] = t
		t.Owners = []Owner{}
		ids = append(ids, t.ID)
	}
	// Chunks keep the parameter count well under both engines' limits.
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		rows, err := q.QueryContext(ctx, `SELECT o.task_id, u.id, u.name, a.path FROM task_owners o
			JOIN units u ON u.id = o.unit_id JOIN areas a ON a.id = u.area_id JOIN organisations g ON g.id = u.organisation_id
			WHERE o.task_id IN (`+placeholders(1, len(chunk))+`) ORDER BY a.path, g.sort_order, u.name`, idsOf(chunk)...)
		if err != nil {
			return fmt.Errorf("meeting: owners: %w", err)
		}
		for rows.Next() {
			var tid int64
			var o Owner
			if err := rows.Scan(&tid, &o.UnitID, &o.Name, &o.path); err != nil {
				rows.Close()
				return fmt.Errorf("meeting: owners: %w", err)
			}
			byID[tid].Owners = append(byID[tid].Owners, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("meeting: owners: %w", err)
		}
	}
	return nil
}

// Tasks lists the tasks of the blocs the principal of ctx may read:
// unfinished first, by deadline.
func (s *Service) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	blocs, err := s.VisibleBlocs(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, b := range blocs {
		if f.BlocID == 0 || f.BlocID == b.ID {
			ids = append(ids, b.ID)
		}
	}
	today := s.Today()
	var w where
	w.in("t.bloc_id", ids)
	if f.Status != "" {
		w.add("t.status = ?", string(f.Status))
	}
	if f.Source != "" {
		w.add("t.source = ?", string(f.Source))
	}
	if f.MeetingID != 0 {
		w.add("t.meeting_id = ?", f.MeetingID)
	}
	if f.UnitID != 0 {
		w.add("EXISTS (SELECT 1 FROM task_owners o WHERE o.task_id = t.id AND o.unit_id = ?)", f.UnitID)
	}
	if f.Open || f.Overdue {
		w.add("t.status IN ('open', 'in_progress')")
	}
	if f.Overdue {
		w.add("t.deadline < ?", today)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	list, err := s.queryTasks(ctx, s.DB, "SELECT "+taskCols+taskFrom+w.String()+
		fmt.Sprintf(" ORDER BY CASE WHEN t.status IN ('done', 'cancelled') THEN 1 ELSE 0 END, t.deadline, t.meeting_id, t.seq, t.id LIMIT %d", limit), w.args...)
	if err != nil {
		return nil, err
	}
	out := make([]Task, len(list))
	for i, t := range list {
		t.Overdue = t.overdueOn(today)
		out[i] = *t
	}
	return out, nil
}

// taskByID reads a task and its owners, without scope checks.
func (s *Service) taskByID(ctx context.Context, q db.Q, id int64) (*Task, error) {
	list, err := s.queryTasks(ctx, q, "SELECT "+taskCols+taskFrom+" WHERE t.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	list[0].Overdue = list[0].overdueOn(s.Today())
	return list[0], nil
}

// Task returns a task the principal of ctx may read, with its history and
// evidence (without file contents).
func (s *Service) Task(ctx context.Context, id int64) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.taskByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !canSee(p, t.blocPath) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if err := s.loadHistory(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Service) loadHistory(ctx context.Context, t *Task) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT x.id, x.at, x.user_name, COALESCE(u.name, ''), x.status, x.progress, x.note
		FROM task_updates x LEFT JOIN units u ON u.id = x.unit_id WHERE x.task_id = $1 ORDER BY x.id DESC`, t.ID)
	if err != nil {
		return fmt.Errorf("meeting: updates: %w", err)
	}
	t.Updates = []Update{}
	for rows.Next() {
		var u Update
		if err := rows.Scan(&u.ID, &u.At, &u.UserName, &u.UnitName, &u.Status, &u.Progress, &u.Note); err != nil {
			rows.Close()
			return fmt.Errorf("meeting: updates: %w", err)
		}
		t.Updates = append(t.Updates, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.DB.QueryContext(ctx, `SELECT e.id, e.task_id, e.update_id, e.kind, e.note, e.file_name, e.content_type, e.size,
		e.report_unit_id, COALESCE(u.name, ''), e.report_period, e.at, e.user_name
		FROM task_evidence e LEFT JOIN units u ON u.id = e.report_unit_id WHERE e.task_id = $1 ORDER BY e.id DESC`, t.ID)
	if err != nil {
		return fmt.Errorf("meeting: evidence: %w", err)
	}
	defer rows.Close()
	t.Evidence = []Evidence{}
	for rows.Next() {
		var e Evidence
		if err := rows.Scan(&e.ID, &e.TaskID, &e.UpdateID, &e.Kind, &e.Note, &e.FileName, &e.ContentType, &e.Size,
			&e.ReportUnitID, &e.ReportUnit, &e.ReportPeriod, &e.At, &e.UserName); err != nil {
			return fmt.Errorf("meeting: evidence: %w", err)
		}
		t.Evidence = append(t.Evidence, e)
	}
	return rows.Err()
}

// EvidenceFile returns an evidence file with its contents.
func (s *Service) EvidenceFile(ctx context.Context, taskID, id int64) (*Evidence, error) {
	if _, err := s.Task(ctx, taskID); err != nil {
		return nil, err
	}
	var e Evidence
	err := s.DB.QueryRowContext(ctx, `SELECT id, task_id, kind, file_name, content_type, size, data, at, user_name
		FROM task_evidence WHERE id = $1 AND task_id = $2 AND kind = 'file'`, id, taskID).
		Scan(&e.ID, &e.TaskID, &e.Kind, &e.FileName, &e.ContentType, &e.Size, &e.Data, &e.At, &e.UserName)
	if err != nil {
		return nil, notFound(err, "evidence")
	}
	return &e, nil
}

// taskCore is what directives and plan tasks share.
type taskCore struct {
	title, description string
	owners             []int64
	deadline           db.Date
}

// checkTaskCore validates a task's title, owners and deadline; owners must
// be units in the bloc's area subtree. ownerKey and deadlineKey are the
// messages for a missing owner and a missing deadline.
func (s *Service) checkTaskCore(ctx context.Context, q db.Q, fe *apperr.Fields, bloc *org.Bloc, c *taskCore, ownerKey, deadlineKey string) error {
	c.title, c.description = clean(c.title), strings.TrimSpace(c.description)
	checkText(fe, "title", c.title, true, maxTitle)
	checkText(fe, "description", c.description, false, maxText)
	seen := map[int64]bool{}
	var owners []int64
	for _, id := range c.owners {
		if id > 0 && !seen[id] {
			seen[id] = true
			owners = append(owners, id)
		}
	}
	c.owners = owners
	switch {
	case len(owners) == 0:
		fe.Add("owner_ids", ownerKey)
	case len(owners) > maxOwners:
		fe.Add("owner_ids", "meeting.err.too_many", maxOwners)
	default:
		for _, id := range owners {
			var name, path string
			err := q.QueryRowContext(ctx, "SELECT u.name, a.path FROM units u JOIN areas a ON a.id = u.area_id WHERE u.id = $1", id).Scan(&name, &path)
			if err == sql.ErrNoRows {
				fe.Add("owner_ids", "err.bad_choice", fmt.Sprint(id))
				continue
			}
			if err != nil {
				return fmt.Errorf("meeting: owner: %w", err)
			}
			if bloc != nil && !strings.HasPrefix(path, bloc.AreaPath) {
				fe.Add("owner_ids", "meeting.err.owner_outside", name, bloc.Name)
			}
		}
	}
	if !c.deadline.Valid() {
		fe.Add("deadline", deadlineKey)
	} else if y := c.deadline.Year(); y < 1990 || y > 2200 {
		fe.Add("deadline", "meeting.err.year", y)
	}
	return nil
}

func (s *Service) saveOwners(ctx context.Context, tx *sql.Tx, taskID int64, owners []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM task_owners WHERE task_id = $1", taskID); err != nil {
		return fmt.Errorf("meeting: owners: %w", err)
	}
	for _, u := range owners {
		if _, err := tx.ExecContext(ctx, "INSERT INTO task_owners(task_id, unit_id) VALUES ($1, $2)", taskID, u); err != nil {
			return fmt.Errorf("meeting: owners: %w", err)
		}
	}
	return nil
}

// AddDirective records a directive of a held meeting as a task of the
// meeting's bloc. A directive needs at least one owner unit and a deadline.
func (s *Service) AddDirective(ctx context.Context, meetingID int64, in DirectiveInput) (*Task, error) {
	m, p, err := s.managed(ctx, s.DB, meetingID)
	if err != nil {
		return nil, err
	}
	if !m.Held() {
		return nil, apperr.New(apperr.Conflict, "meeting.err.directive_not_held")
	}
	bloc, err := s.Org.Bloc(ctx, m.BlocID)
	if err != nil {
		return nil, err
	}
	var fe apperr.Fields
	c := taskCore{title: in.Title, description: in.Description, owners: in.OwnerIDs, deadline: in.Deadline}
	if err := s.checkTaskCore(ctx, s.DB, &fe, bloc, &c, "meeting.err.directive_owner", "meeting.err.directive_deadline"); err != nil {
		return nil, err
	}
	if c.deadline.Valid() && m.StartsAt != nil && c.deadline.Before(db.NewDate(m.StartsAt.In(Vietnam)).Time) {
		fe.Add("deadline", "meeting.err.deadline_before_meeting")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var seq int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks WHERE meeting_id = $1", m.ID).Scan(&seq); err != nil {
			return fmt.Errorf("meeting: directive: %w", err)
		}
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO tasks(bloc_id, source, meeting_id, seq, title, description, deadline, status,
			progress, version, created_by, created_at, updated_at) VALUES ($1, 'directive', $2, $3, $4, $5, $6, 'open', 0, 1, $7, $8, $8) RETURNING id`,
			m.BlocID, m.ID, seq, c.title, c.description, c.deadline, nullID(&p.UserID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("meeting: directive: %w", err)
		}
		if err := s.saveOwners(ctx, tx, id, c.owners); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Create, "task", id, nil, map[string]any{"source": FromDirective, "meeting_id": m.ID,
			"seq": seq, "title": c.title, "description": c.description, "owner_ids": c.owners, "deadline": c.deadline})
	})
	if err != nil {
		return nil, err
	}
	return s.taskByID(ctx, s.DB, id)
}

// CreateTask adds a task of the annual plan to a bloc the principal of ctx
// manages.
func (s *Service) CreateTask(ctx context.Context, in TaskInput) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Has(auth.PermMeetingManage) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	var fe apperr.Fields
	bloc, err := s.taskBloc(ctx, p, &fe, in.BlocID)
	if err != nil {
		return nil, err
	}
	c := taskCore{title: in.Title, description: in.Description, owners: in.OwnerIDs, deadline: in.Deadline}
	if err := s.checkTaskCore(ctx, s.DB, &fe, bloc, &c, "meeting.err.task_owner", "meeting.err.task_deadline"); err != nil {
		return nil, err
	}
	if in.PlanYear != nil && (*in.PlanYear < 1990 || *in.PlanYear > 2200) {
		fe.Add("plan_year", "meeting.err.year", *in.PlanYear)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO tasks(bloc_id, source, plan_year, title, description, deadline, status,
			progress, version, created_by, created_at, updated_at) VALUES ($1, 'plan', $2, $3, $4, $5, 'open', 0, 1, $6, $7, $7) RETURNING id`,
			in.BlocID, in.PlanYear, c.title, c.description, c.deadline, nullID(&p.UserID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("meeting: task: %w", err)
		}
		if err := s.saveOwners(ctx, tx, id, c.owners); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Create, "task", id, nil, map[string]any{"source": FromPlan, "plan_year": in.PlanYear,
			"title": c.title, "description": c.description, "owner_ids": c.owners, "deadline": c.deadline})
	})
	if err != nil {
		return nil, err
	}
	return s.taskByID(ctx, s.DB, id)
}

// taskBloc checks the bloc of a new task.
func (s *Service) taskBloc(ctx context.Context, p *auth.Principal, fe *apperr.Fields, id int64) (*org.Bloc, error) {
	if id == 0 {
		fe.Add("bloc_id", "err.required")
		return nil, nil
	}
	b, err := s.Org.Bloc(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			fe.Add("bloc_id", "err.bad_choice", fmt.Sprint(id))
			return nil, nil
		}
		return nil, err
	}
	if !canManage(p, b.AreaPath) {
		fe.Add("bloc_id", "meeting.err.bloc_scope", b.Name)
		return nil, nil
	}
	return b, nil
}
