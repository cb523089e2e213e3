package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
)

// MaxNarrative bounds one narrative section, in bytes of sanitised HTML.
const MaxNarrative = 100_000

// NarrativeInput is one narrative section a user saves.
type NarrativeInput struct {
	Section string `json:"section"`
	HTML    string `json:"html"`
	// Version the user started from (0: none yet); omitted skips the check.
	Version *int64 `json:"version"`
}

// narratives returns a report's sections by code.
func (s *Service) narratives(ctx context.Context, reportID int64) (map[string]Narrative, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT n.section, n.html, n.version, n.updated_at, COALESCE(u.full_name, '')
		FROM report_narratives n LEFT JOIN users u ON u.id = n.updated_by WHERE n.report_id = $1`, reportID)
	if err != nil {
		return nil, fmt.Errorf("reporting: narratives: %w", err)
	}
	defer rows.Close()
	out := map[string]Narrative{}
	for rows.Next() {
		var n Narrative
		if err := rows.Scan(&n.Section, &n.HTML, &n.Version, &n.UpdatedAt, &n.UpdatedByName); err != nil {
			return nil, fmt.Errorf("reporting: narratives: %w", err)
		}
		out[n.Section] = n
	}
	return out, rows.Err()
}

func narrativeName(code string) string {
	for _, n := range indicator.Narratives {
		if n.Code == code {
			return n.NameVI
		}
	}
	return code
}

// SaveNarratives saves narrative sections of a report, sanitised, all or
// none, with the same lost-update check as values.
func (s *Service) SaveNarratives(ctx context.Context, unitID int64, periodCode string, in []NarrativeInput) ([]Narrative, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !CanTake(p.Role, Save) {
		return nil, apperr.New(apperr.Forbidden, "reporting.err.role.save")
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
	form, err := s.FormFor(ctx, u, per)
	if err != nil {
		return nil, err
	}
	var fe apperr.Fields
	known := map[string]bool{}
	for _, n := range indicator.Narratives {
		known[n.Code] = true
	}
	for i := range in {
		if !known[in[i].Section] {
			fe.Add(in[i].Section, "reporting.err.no_section", in[i].Section)
			continue
		}
		in[i].HTML = Sanitize(in[i].HTML)
		if len(in[i].HTML) > MaxNarrative {
			fe.Add(in[i].Section, "reporting.err.narrative_too_long", MaxNarrative/1000)
		}
	}
	if len(fe) > 0 {
		return nil, fieldsError(fe, false)
	}
	actor := audit.ActorFrom(ctx)
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	var out []Narrative
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, _, err := s.lockReport(ctx, tx, u.ID, per.Code(), &form.ID)
		if err != nil {
			return err
		}
		if _, err := Next(r.Status, Save, p.Role); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "reporting.err.unit_locked_"+string(r.Status), u.Name)
			}
			return err
		}
		now := s.now()
		oldView, newView := map[string]any{}, map[string]any{}
		conflict := false
		for _, n := range in {
			var cur Narrative
			var curBy string
			err := tx.QueryRowContext(ctx, `SELECT n.html, n.version, n.updated_at, COALESCE(u.full_name, '') FROM report_narratives n
				LEFT JOIN users u ON u.id = n.updated_by WHERE n.report_id = $1 AND n.section = $2`, r.ID, n.Section).
				Scan(&cur.HTML, &cur.Version, &cur.UpdatedAt, &curBy)
			exists := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("reporting: narrative: %w", err)
			}
			if cur.HTML == n.HTML {
				continue
			}
			if n.Version != nil && *n.Version != cur.Version {
				conflict = true
				if curBy == "" {
					fe.Add(n.Section, "reporting.err.narrative_conflict_anon", narrativeName(n.Section), clock(cur.UpdatedAt, now))
				} else {
					fe.Add(n.Section, "reporting.err.narrative_conflict", narrativeName(n.Section), curBy, clock(cur.UpdatedAt, now))
				}
				continue
			}
			if exists {
				_, err = tx.ExecContext(ctx, `UPDATE report_narratives SET html = $1, version = version + 1, updated_at = $2, updated_by = $3
					WHERE report_id = $4 AND section = $5`, n.HTML, now, by, r.ID, n.Section)
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO report_narratives(report_id, section, html, version, updated_at, updated_by)
					VALUES ($1, $2, $3, 1, $4, $5)`, r.ID, n.Section, n.HTML, now, by)
			}
			if err != nil {
				return fmt.Errorf("reporting: save narrative: %w", err)
			}
			oldView[n.Section], newView[n.Section] = cur.HTML, n.HTML
			out = append(out, Narrative{Section: n.Section, HTML: n.HTML, Version: cur.Version + 1, UpdatedAt: now, UpdatedByName: p.FullName})
		}
		if len(fe) > 0 {
			return fieldsError(fe, conflict)
		}
		if len(newView) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET version = version + 1, updated_at = $1 WHERE id = $2", now, r.ID); err != nil {
			return fmt.Errorf("reporting: touch report: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "report_narratives", r.ID, oldView, newView)
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Narrative{}
	}
	return out, nil
}
