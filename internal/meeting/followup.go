package meeting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"giaoban/internal/platform/db"
)

// FollowUp is what a planned meeting's agenda carries over from the earlier
// meetings of its bloc, computed live from the task board: the directives
// not yet done, with their progress, so that nothing said at a meeting is
// forgotten.
type FollowUp struct {
	// AsOf is the day lateness is judged on: today, or the meeting's day
	// when that has passed.
	AsOf db.Date `json:"as_of"`
	// Previous is the latest earlier held meeting of the bloc.
	PreviousID    int64      `json:"previous_id,omitempty"`
	PreviousTitle string     `json:"previous_title,omitempty"`
	PreviousAt    *time.Time `json:"previous_at,omitempty"`
	// PreviousDone of PreviousTotal directives of that meeting are done.
	PreviousDone  int `json:"previous_done"`
	PreviousTotal int `json:"previous_total"`
	// Items are the unfinished directives of all earlier held meetings,
	// oldest meeting first, each marked overdue as of AsOf.
	Items []Task `json:"items"`
	// Overdue counts the overdue items.
	Overdue int `json:"overdue"`
}

// FollowUp computes the follow-up of a meeting. It is empty for a meeting
// with no earlier held meeting in its bloc.
func (s *Service) FollowUp(ctx context.Context, m *Meeting) (*FollowUp, error) {
	f := &FollowUp{AsOf: s.Today(), Items: []Task{}}
	if m.StartsAt != nil {
		if d := db.NewDate(m.StartsAt.In(Vietnam)); d.Before(f.AsOf.Time) {
			f.AsOf = d
		}
	}
	var w where
	w.add("m.bloc_id = ?", m.BlocID)
	w.add("m.status = 'held'")
	w.add("m.id <> ?", m.ID)
	if m.StartsAt != nil {
		w.add("m.starts_at < ?", m.StartsAt.UTC())
	}
	var prevAt time.Time
	err := s.DB.QueryRowContext(ctx, "SELECT m.id, m.title, m.starts_at FROM meetings m"+w.String()+
		" ORDER BY m.starts_at DESC, m.id DESC LIMIT 1", w.args...).Scan(&f.PreviousID, &f.PreviousTitle, &prevAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meeting: follow-up: %w", err)
	}
	f.PreviousAt = &prevAt
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0)
		FROM tasks WHERE meeting_id = $1`, f.PreviousID).Scan(&f.PreviousTotal, &f.PreviousDone); err != nil {
		return nil, fmt.Errorf("meeting: follow-up: %w", err)
	}
	list, err := s.queryTasks(ctx, s.DB, "SELECT "+taskCols+taskFrom+" WHERE t.meeting_id IN (SELECT m.id FROM meetings m"+w.String()+
		") AND t.status IN ('open', 'in_progress') ORDER BY m.starts_at, t.meeting_id, t.seq, t.id", w.args...)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		t.Overdue = t.overdueOn(f.AsOf)
		if t.Overdue {
			f.Overdue++
		}
		f.Items = append(f.Items, *t)
	}
	return f, nil
}
