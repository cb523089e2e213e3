package meeting

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
)

// CanSnapshot tells whether the consolidated report can be frozen (the
// application has a snapshot source).
func (s *Service) CanSnapshot() bool { return s.Snapshot != nil }

// TakeSnapshot freezes the consolidated report of the meeting's bloc and
// period as it stands now, as the meeting's next snapshot version. Earlier
// versions stay as they were: the database refuses any change to them.
func (s *Service) TakeSnapshot(ctx context.Context, meetingID int64) (*Snapshot, error) {
	m, p, err := s.managed(ctx, s.DB, meetingID)
	if err != nil {
		return nil, err
	}
	if s.Snapshot == nil {
		return nil, apperr.New(apperr.Conflict, "meeting.err.no_snapshot_source")
	}
	if m.Period == "" {
		return nil, apperr.Field("period", "meeting.err.snapshot_period")
	}
	title, html, data, err := s.Snapshot(ctx, m.BlocID, m.Period)
	if err != nil {
		return nil, err
	}
	var js any
	if len(data) > 0 {
		if !json.Valid(data) {
			return nil, fmt.Errorf("meeting: snapshot data of bloc %d for %s is not JSON", m.BlocID, m.Period)
		}
		js = string(data)
	}
	if title == "" {
		title = m.Title
	}
	snap := &Snapshot{MeetingID: m.ID, TakenAt: s.now(), TakenByName: displayName(p), BlocID: m.BlocID, Period: m.Period, Title: title}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM meeting_snapshots WHERE meeting_id = $1", m.ID).Scan(&snap.Version); err != nil {
			return fmt.Errorf("meeting: snapshot: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_snapshots(meeting_id, version, taken_at, taken_by, taken_by_name, bloc_id,
			period, title, content_html, content_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			m.ID, snap.Version, snap.TakenAt, nullID(&p.UserID), snap.TakenByName, m.BlocID, m.Period, title, html, js)
		if err != nil {
			return fmt.Errorf("meeting: snapshot: %w", err)
		}
		return audit.Record(ctx, tx, audit.Create, "meeting_snapshot", fmt.Sprintf("%d/%d", m.ID, snap.Version), nil,
			map[string]any{"meeting_id": m.ID, "version": snap.Version, "period": m.Period, "title": title, "bytes": len(html) + len(data)})
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Snapshots lists a meeting's snapshots, newest first, without contents.
func (s *Service) Snapshots(ctx context.Context, meetingID int64) ([]Snapshot, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT meeting_id, version, taken_at, taken_by_name, bloc_id, period, title
		FROM meeting_snapshots WHERE meeting_id = $1 ORDER BY version DESC`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting: snapshots: %w", err)
	}
	defer rows.Close()
	out := []Snapshot{}
	for rows.Next() {
		var x Snapshot
		if err := rows.Scan(&x.MeetingID, &x.Version, &x.TakenAt, &x.TakenByName, &x.BlocID, &x.Period, &x.Title); err != nil {
			return nil, fmt.Errorf("meeting: snapshots: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SnapshotVersion returns one snapshot with its contents.
func (s *Service) SnapshotVersion(ctx context.Context, meetingID, version int64) (*Snapshot, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	var x Snapshot
	var js sql.NullString
	err := s.DB.QueryRowContext(ctx, `SELECT meeting_id, version, taken_at, taken_by_name, bloc_id, period, title, content_html, content_json
		FROM meeting_snapshots WHERE meeting_id = $1 AND version = $2`, meetingID, version).
		Scan(&x.MeetingID, &x.Version, &x.TakenAt, &x.TakenByName, &x.BlocID, &x.Period, &x.Title, &x.HTML, &js)
	if err != nil {
		return nil, notFound(err, "snapshot")
	}
	x.JSON = js.String
	return &x, nil
}
