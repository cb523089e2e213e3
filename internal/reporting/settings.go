package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// Vietnam is the time zone deadlines are judged in (no daylight saving).
var Vietnam = time.FixedZone("ICT", 7*3600)

// lateAt tells whether a report of p first sent at t is late under s,
// judged on Vietnam's calendar date.
func lateAt(s period.Settings, p period.Period, t time.Time) bool {
	return s.Late(p, t.In(Vietnam))
}

// BlocSettings returns a bloc's period settings, the defaults of Nghị định
// 09/2019 when the bloc has set none.
func (s *Service) BlocSettings(ctx context.Context, blocID int64) (period.Settings, error) {
	return blocSettings(ctx, s.DB, blocID)
}

func blocSettings(ctx context.Context, q db.Q, blocID int64) (period.Settings, error) {
	st := period.DefaultSettings()
	err := q.QueryRowContext(ctx, "SELECT cutoff_day, months_early, deadline_days FROM bloc_period_settings WHERE bloc_id = $1", blocID).
		Scan(&st.Cutoff.Day, &st.Cutoff.MonthsEarly, &st.Deadline.DaysAfterCutoff)
	if errors.Is(err, sql.ErrNoRows) {
		return period.DefaultSettings(), nil
	}
	if err != nil {
		return st, fmt.Errorf("reporting: bloc settings: %w", err)
	}
	return st, nil
}

// SetBlocSettings changes a bloc's settings: admins, or the secretariat of
// the bloc's area.
func (s *Service) SetBlocSettings(ctx context.Context, blocID int64, st period.Settings) error {
	p := auth.FromContext(ctx)
	b, err := s.Org.Bloc(ctx, blocID)
	if err != nil {
		return err
	}
	if !p.CanManageArea(b.AreaPath) {
		return apperr.New(apperr.Forbidden, "reporting.err.out_of_scope")
	}
	var fe apperr.Fields
	if st.Cutoff.Day < 1 || st.Cutoff.Day > 28 {
		fe.Add("cutoff_day", "reporting.err.cutoff_day")
	}
	if st.Cutoff.MonthsEarly < 0 || st.Cutoff.MonthsEarly > period.MaxMonthsEarly {
		fe.Add("months_early", "reporting.err.months_early", period.MaxMonthsEarly)
	}
	if st.Deadline.DaysAfterCutoff < 0 || st.Deadline.DaysAfterCutoff > period.MaxDaysAfterCutoff {
		fe.Add("deadline_days", "reporting.err.deadline_days", period.MaxDaysAfterCutoff)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := blocSettings(ctx, tx, blocID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bloc_period_settings(bloc_id, cutoff_day, months_early, deadline_days, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (bloc_id) DO UPDATE SET cutoff_day = excluded.cutoff_day, months_early = excluded.months_early,
				deadline_days = excluded.deadline_days, updated_at = excluded.updated_at`,
			blocID, st.Cutoff.Day, st.Cutoff.MonthsEarly, st.Deadline.DaysAfterCutoff, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("reporting: set bloc settings: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "bloc_period_settings", blocID, old, st)
	})
}

// blocOfPath returns the nearest bloc whose area holds the given area path
// (a commune branch belongs to the district's bloc), or nil.
func blocOfPath(ctx context.Context, q db.Q, areaPath string) (*org.Bloc, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.id, b.area_id, b.name, a.path FROM blocs b JOIN areas a ON a.id = b.area_id`)
	if err != nil {
		return nil, fmt.Errorf("reporting: blocs: %w", err)
	}
	defer rows.Close()
	var best *org.Bloc
	for rows.Next() {
		var b org.Bloc
		if err := rows.Scan(&b.ID, &b.AreaID, &b.Name, &b.AreaPath); err != nil {
			return nil, fmt.Errorf("reporting: blocs: %w", err)
		}
		if strings.HasPrefix(areaPath, b.AreaPath) && (best == nil || len(b.AreaPath) > len(best.AreaPath)) {
			bb := b
			best = &bb
		}
	}
	return best, rows.Err()
}

// settingsForPath returns the settings of the bloc a unit (by its area
// path) reports to.
func settingsForPath(ctx context.Context, q db.Q, areaPath string) (period.Settings, error) {
	b, err := blocOfPath(ctx, q, areaPath)
	if err != nil || b == nil {
		return period.DefaultSettings(), err
	}
	return blocSettings(ctx, q, b.ID)
}
