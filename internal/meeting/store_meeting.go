package meeting

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const meetingCols = `m.id, m.bloc_id, b.name, a.path, b.area_id, m.kind, m.title, m.period, m.starts_at, m.place, m.purpose,
	m.chair_name, m.chair_title, m.chair_body_id, m.chair_unit_id, COALESCE(eb.name, cu.name, ''),
	m.minutes, m.conclusions, m.status, m.held_at, m.version, m.created_at, m.updated_at`

const meetingFrom = ` FROM meetings m JOIN blocs b ON b.id = m.bloc_id JOIN areas a ON a.id = b.area_id
	LEFT JOIN external_bodies eb ON eb.id = m.chair_body_id LEFT JOIN units cu ON cu.id = m.chair_unit_id`

type scanner interface{ Scan(...any) error }

func scanMeeting(row scanner) (*Meeting, error) {
	var m Meeting
	err := row.Scan(&m.ID, &m.BlocID, &m.BlocName, &m.blocPath, &m.blocArea, &m.Kind, &m.Title, &m.Period, &m.StartsAt,
		&m.Place, &m.Purpose, &m.Chair.Name, &m.Chair.Title, &m.Chair.BodyID, &m.Chair.UnitID, &m.Chair.BodyName,
		&m.Minutes, &m.Conclusions, &m.Status, &m.HeldAt, &m.Version, &m.CreatedAt, &m.UpdatedAt)
	return &m, err
}

// meetingByID reads a meeting with its agenda and attendees, without any
// scope check.
func (s *Service) meetingByID(ctx context.Context, q db.Q, id int64) (*Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, "SELECT "+meetingCols+meetingFrom+" WHERE m.id = $1", id))
	if err != nil {
		return nil, notFound(err, "meeting")
	}
	if err := s.loadParts(ctx, q, m); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) loadParts(ctx context.Context, q db.Q, m *Meeting) error {
	rows, err := q.QueryContext(ctx, "SELECT text FROM meeting_agenda WHERE meeting_id = $1 ORDER BY position", m.ID)
	if err != nil {
		return fmt.Errorf("meeting: agenda: %w", err)
	}
	m.Agenda = []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("meeting: agenda: %w", err)
		}
		m.Agenda = append(m.Agenda, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("meeting: agenda: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT t.kind, t.name, t.title, t.unit_id, t.body_id, COALESCE(u.name, ''),
		COALESCE(eb.name, ''), COALESCE(eb.short_name, ''), COALESCE(eb.kind, ''), eb.parent_id,
		COALESCE(NULLIF(pb.short_name, ''), pb.name, '')
		FROM meeting_attendees t LEFT JOIN units u ON u.id = t.unit_id
		LEFT JOIN external_bodies eb ON eb.id = t.body_id LEFT JOIN external_bodies pb ON pb.id = eb.parent_id
		WHERE t.meeting_id = $1 ORDER BY t.position`, m.ID)
	if err != nil {
		return fmt.Errorf("meeting: attendees: %w", err)
	}
	defer rows.Close()
	m.Attendees = []Attendee{}
	for rows.Next() {
		var a Attendee
		if err := rows.Scan(&a.Kind, &a.Name, &a.Title, &a.UnitID, &a.BodyID, &a.UnitName, &a.BodyName, &a.BodyShort,
			&a.BodyKind, &a.BodyParentID, &a.BodyParent); err != nil {
			return fmt.Errorf("meeting: attendees: %w", err)
		}
		if a.Kind == AttendeePerson && a.BodyName == "" {
			a.BodyName = a.UnitName
		}
		m.Attendees = append(m.Attendees, a)
	}
	return rows.Err()
}

// Meeting returns a meeting the principal of ctx may read (NotFound
// otherwise: a meeting out of scope is not revealed).
func (s *Service) Meeting(ctx context.Context, id int64) (*Meeting, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.meetingByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !canSee(p, m.blocPath) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return m, nil
}

// managed returns a meeting the principal of ctx runs: NotFound when they
// may not even read it, Forbidden when they may read but not manage it.
func (s *Service) managed(ctx context.Context, q db.Q, id int64) (*Meeting, *auth.Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.meetingByID(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if !canSee(p, m.blocPath) {
		return nil, nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if !canManage(p, m.blocPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "meeting.err.not_manager")
	}
	return m, p, nil
}

// MeetingFilter selects meetings; zero fields do not filter.
type MeetingFilter struct {
	BlocID int64
	Status Status
	Year   int
}

// Meetings lists the meetings the principal of ctx may read, the ones
// without a date first, then the latest first.
func (s *Service) Meetings(ctx context.Context, f MeetingFilter) ([]Meeting, error) {
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
	var w where
	w.in("m.bloc_id", ids)
	if f.Status != "" {
		w.add("m.status = ?", string(f.Status))
	}
	if f.Year > 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, Vietnam).UTC()
		w.add("m.starts_at >= ? AND m.starts_at < ?", from, from.AddDate(1, 0, 0))
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+meetingCols+meetingFrom+w.String()+
		" ORDER BY CASE WHEN m.starts_at IS NULL THEN 0 ELSE 1 END, m.starts_at DESC, m.id DESC LIMIT 500", w.args...)
	if err != nil {
		return nil, fmt.Errorf("meeting: list: %w", err)
	}
	defer rows.Close()
	var out []Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("meeting: list: %w", err)
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

func exists(ctx context.Context, q db.Q, table string, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("meeting: exists %s: %w", table, err)
	}
	return true, nil
}

func clean(s string) string { return strings.TrimSpace(vn.NFC(s)) }

// validate normalises a meeting input and checks it; it returns the bloc.
func (s *Service) validate(ctx context.Context, q db.Q, p *auth.Principal, in *MeetingInput, old *Meeting) (*org.Bloc, error) {
	var fe apperr.Fields
	in.Title, in.Period, in.Place, in.Purpose = clean(in.Title), strings.ToUpper(clean(in.Period)), clean(in.Place), clean(in.Purpose)
	in.Chair.Name, in.Chair.Title = clean(in.Chair.Name), clean(in.Chair.Title)
	var bloc *org.Bloc
	if in.BlocID == 0 {
		fe.Add("bloc_id", "err.required")
	} else if b, err := s.Org.Bloc(ctx, in.BlocID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		fe.Add("bloc_id", "err.bad_choice", fmt.Sprint(in.BlocID))
	} else if !canManage(p, b.AreaPath) {
		fe.Add("bloc_id", "meeting.err.bloc_scope", b.Name)
	} else {
		bloc = b
	}
	if old != nil && old.Held() && in.BlocID != old.BlocID {
		fe.Add("bloc_id", "meeting.err.bloc_fixed")
	}
	if !in.Kind.Valid() {
		fe.Add("kind", "err.bad_choice", string(in.Kind))
	} else if code, key := checkPeriod(in.Kind, in.Period); key != "" {
		fe.Add("period", key, in.Period)
	} else {
		in.Period = code
	}
	if in.Title == "" {
		in.Title = DefaultTitle(in.Kind, in.Period)
	}
	checkText(&fe, "title", in.Title, true, maxTitle)
	checkText(&fe, "place", in.Place, false, maxName)
	checkText(&fe, "purpose", in.Purpose, false, maxText)
	if in.StartsAt != nil {
		if y := in.StartsAt.In(Vietnam).Year(); y < 1990 || y > 2200 {
			fe.Add("starts_at", "meeting.err.year", y)
		}
		t := in.StartsAt.UTC()
		in.StartsAt = &t
	}
	checkText(&fe, "chair_name", in.Chair.Name, false, maxName)
	checkText(&fe, "chair_title", in.Chair.Title, false, maxName)
	if in.Chair.BodyID != nil && *in.Chair.BodyID == 0 {
		in.Chair.BodyID = nil
	}
	if in.Chair.UnitID != nil && *in.Chair.UnitID == 0 {
		in.Chair.UnitID = nil
	}
	if in.Chair.BodyID != nil && in.Chair.UnitID != nil {
		fe.Add("chair_body", "meeting.err.one_body")
	}
	if err := s.checkRef(ctx, q, &fe, "chair_body", in.Chair.BodyID, in.Chair.UnitID); err != nil {
		return nil, err
	}
	if old != nil && old.Held() {
		if in.Chair.Name == "" && !fe.Has("chair_name") {
			fe.Add("chair_name", "meeting.err.held_needs_chair")
		}
		if in.StartsAt == nil {
			fe.Add("starts_at", "meeting.err.held_needs_date")
		}
	}
	if err := s.checkAttendees(ctx, q, &fe, in); err != nil {
		return nil, err
	}
	var agenda []string
	for _, a := range in.Agenda {
		if a = clean(a); a != "" {
			agenda = append(agenda, a)
			checkText(&fe, "agenda", a, false, maxTitle)
		}
	}
	in.Agenda = agenda
	if len(agenda) > maxAgenda {
		fe.Add("agenda", "meeting.err.too_many", maxAgenda)
	}
	in.Minutes, in.Conclusions = richText(in.Minutes), richText(in.Conclusions)
	if len(in.Minutes) > maxRich {
		fe.Add("minutes", "meeting.err.too_big")
	}
	if len(in.Conclusions) > maxRich {
		fe.Add("conclusions", "meeting.err.too_big")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return bloc, nil
}

// checkRef checks that a referenced external body or unit exists.
func (s *Service) checkRef(ctx context.Context, q db.Q, fe *apperr.Fields, field string, bodyID, unitID *int64) error {
	if bodyID != nil {
		ok, err := exists(ctx, q, "external_bodies", *bodyID)
		if err != nil {
			return err
		}
		if !ok {
			fe.Add(field, "err.bad_choice", fmt.Sprint(*bodyID))
		}
	}
	if unitID != nil {
		ok, err := exists(ctx, q, "units", *unitID)
		if err != nil {
			return err
		}
		if !ok {
			fe.Add(field, "err.bad_choice", fmt.Sprint(*unitID))
		}
	}
	return nil
}

func (s *Service) checkAttendees(ctx context.Context, q db.Q, fe *apperr.Fields, in *MeetingInput) error {
	if len(in.Attendees) > maxAttendees {
		fe.Add("attendees", "meeting.err.too_many", maxAttendees)
		return nil
	}
	seen := map[string]bool{}
	var out []Attendee
	for _, a := range in.Attendees {
		a = Attendee{Kind: a.Kind, Name: clean(a.Name), Title: clean(a.Title), UnitID: a.UnitID, BodyID: a.BodyID}
		if a.UnitID != nil && *a.UnitID == 0 {
			a.UnitID = nil
		}
		if a.BodyID != nil && *a.BodyID == 0 {
			a.BodyID = nil
		}
		var key string
		switch a.Kind {
		case AttendeePerson:
			if a.Name == "" {
				fe.Add("attendees", "meeting.err.attendee_name")
				continue
			}
			checkText(fe, "attendees", a.Name, false, maxName)
			checkText(fe, "attendees", a.Title, false, maxName)
			if a.BodyID != nil && a.UnitID != nil {
				a.UnitID = nil
			}
		case AttendeeUnit:
			if a.UnitID == nil {
				fe.Add("attendees", "meeting.err.attendee_unit")
				continue
			}
			a.Name, a.Title, a.BodyID = "", "", nil
			key = fmt.Sprint("u", *a.UnitID)
		case AttendeeBody:
			if a.BodyID == nil {
				fe.Add("attendees", "meeting.err.attendee_body")
				continue
			}
			a.Name, a.Title, a.UnitID = "", "", nil
			key = fmt.Sprint("b", *a.BodyID)
		default:
			fe.Add("attendees", "err.bad_choice", a.Kind)
			continue
		}
		if key != "" {
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		if err := s.checkRef(ctx, q, fe, "attendees", a.BodyID, a.UnitID); err != nil {
			return err
		}
		out = append(out, a)
	}
	in.Attendees = out
	return nil
}

// auditView is what the audit log keeps of a meeting input.
func auditView(in MeetingInput) map[string]any {
	return map[string]any{"bloc_id": in.BlocID, "kind": in.Kind, "title": in.Title, "period": in.Period,
		"starts_at": in.StartsAt, "place": in.Place, "purpose": in.Purpose, "chair": in.Chair,
		"attendees": in.Attendees, "agenda": in.Agenda, "minutes": in.Minutes, "conclusions": in.Conclusions}
}

func (s *Service) saveParts(ctx context.Context, tx *sql.Tx, id int64, in MeetingInput) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_agenda WHERE meeting_id = $1", id); err != nil {
		return fmt.Errorf("meeting: agenda: %w", err)
	}
	for i, a := range in.Agenda {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meeting_agenda(meeting_id, position, text) VALUES ($1, $2, $3)", id, i+1, a); err != nil {
			return fmt.Errorf("meeting: agenda: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_attendees WHERE meeting_id = $1", id); err != nil {
		return fmt.Errorf("meeting: attendees: %w", err)
	}
	for i, a := range in.Attendees {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendees(meeting_id, position, kind, name, title, unit_id, body_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, i+1, a.Kind, a.Name, a.Title, nullID(a.UnitID), nullID(a.BodyID)); err != nil {
			return fmt.Errorf("meeting: attendees: %w", err)
		}
	}
	return nil
}

// CreateMeeting plans a meeting of a bloc the principal of ctx manages.
func (s *Service) CreateMeeting(ctx context.Context, in MeetingInput) (*Meeting, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Has(auth.PermMeetingManage) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if _, err := s.validate(ctx, s.DB, p, &in, nil); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO meetings(bloc_id, kind, title, period, starts_at, place, purpose,
			chair_name, chair_title, chair_body_id, chair_unit_id, minutes, conclusions, status, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'planned', 1, $14, $15, $15) RETURNING id`,
			in.BlocID, string(in.Kind), in.Title, in.Period, in.StartsAt, in.Place, in.Purpose, in.Chair.Name, in.Chair.Title,
			nullID(in.Chair.BodyID), nullID(in.Chair.UnitID), in.Minutes, in.Conclusions, nullID(&p.UserID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("meeting: create: %w", err)
		}
		if err := s.saveParts(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Create, "meeting", id, nil, auditView(in))
	})
	if err != nil {
		return nil, err
	}
	return s.meetingByID(ctx, s.DB, id)
}

// UpdateMeeting changes a meeting; a stale Version is refused (Conflict).
func (s *Service) UpdateMeeting(ctx context.Context, id int64, in MeetingInput) (*Meeting, error) {
	old, p, err := s.managed(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if in.Version != nil && *in.Version != old.Version {
		return nil, apperr.New(apperr.Conflict, "meeting.err.stale")
	}
	if _, err := s.validate(ctx, s.DB, p, &in, old); err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET bloc_id = $1, kind = $2, title = $3, period = $4, starts_at = $5,
			place = $6, purpose = $7, chair_name = $8, chair_title = $9, chair_body_id = $10, chair_unit_id = $11,
			minutes = $12, conclusions = $13, version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16`,
			in.BlocID, string(in.Kind), in.Title, in.Period, in.StartsAt, in.Place, in.Purpose, in.Chair.Name, in.Chair.Title,
			nullID(in.Chair.BodyID), nullID(in.Chair.UnitID), in.Minutes, in.Conclusions, s.now(), id, old.Version)
		if err != nil {
			return fmt.Errorf("meeting: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "meeting.err.stale")
		}
		if err := s.saveParts(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, "meeting", id, auditView(old.Input()), auditView(in))
	})
	if err != nil {
		return nil, err
	}
	return s.meetingByID(ctx, s.DB, id)
}

// Hold records that a planned meeting took place. It needs a chair and a
// date: without them it is refused, naming what is missing.
func (s *Service) Hold(ctx context.Context, id int64, version *int64) (*Meeting, error) {
	m, _, err := s.managed(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if m.Held() {
		return nil, apperr.New(apperr.Conflict, "meeting.err.already_held")
	}
	if version != nil && *version != m.Version {
		return nil, apperr.New(apperr.Conflict, "meeting.err.stale")
	}
	var fe apperr.Fields
	if !m.Chair.Set() {
		fe.Add("chair_name", "meeting.err.hold_needs_chair")
	}
	if m.StartsAt == nil {
		fe.Add("starts_at", "meeting.err.hold_needs_date")
	} else if m.StartsAt.After(s.now().Add(12 * time.Hour)) {
		fe.Add("starts_at", "meeting.err.hold_future", vn.FormatDateTime(m.StartsAt.In(Vietnam)))
	}
	if len(fe) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "meeting.err.cannot_hold", Fields: fe}
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET status = 'held', held_at = $1, version = version + 1, updated_at = $1
			WHERE id = $2 AND version = $3 AND status = 'planned'`, now, id, m.Version)
		if err != nil {
			return fmt.Errorf("meeting: hold: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "meeting.err.stale")
		}
		return audit.Record(ctx, tx, audit.Update, "meeting", id, map[string]any{"status": Planned}, map[string]any{"status": Held})
	})
	if err != nil {
		return nil, err
	}
	return s.meetingByID(ctx, s.DB, id)
}
