package reporting

import (
	"context"
	"fmt"

	"giaoban/internal/org"
)

// Completeness returns the completeness matrix of a bloc for a period:
// every active unit of the bloc's subtree whose organisation has a form for
// the period's type, its state, the rates by organisation and by area, and
// the units to remind. Units the principal may not see are left out.
func (s *Service) Completeness(ctx context.Context, blocID int64, periodCode string) (*Summary, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	units, err := s.Org.BlocUnits(ctx, blocID)
	if err != nil {
		return nil, err
	}
	settings, err := s.BlocSettings(ctx, blocID)
	if err != nil {
		return nil, err
	}
	reports, err := s.periodReports(ctx, per.Code())
	if err != nil {
		return nil, err
	}
	hasForm := map[int64]bool{}
	var rows []Row
	for _, u := range units {
		if !u.Active || !p.CanSeeUnit(u.ID, u.AreaPath) {
			continue
		}
		ok, seen := hasForm[u.OrganisationID]
		if !seen {
			_, err := s.Ind.FormFor(ctx, u.OrganisationID, per.Type)
			ok = err == nil
			hasForm[u.OrganisationID] = ok
		}
		if !ok {
			continue
		}
		rows = append(rows, rowOf(u, reports[u.ID]))
	}
	sum := Summarize(per, settings, rows, s.now())
	return &sum, nil
}

func rowOf(u org.Unit, r *Report) Row {
	row := Row{UnitID: u.ID, UnitName: u.Name, OrganisationID: u.OrganisationID, OrganisationName: u.OrganisationName,
		AreaID: u.AreaID, AreaName: u.AreaName, State: Classify(r)}
	if r != nil {
		row.Late, row.SubmittedAt, row.ReturnComment = r.Late, r.FirstSubmittedAt, r.ReturnComment
	}
	return row
}

// periodReports returns every report of a period by unit.
func (s *Service) periodReports(ctx context.Context, code string) (map[int64]*Report, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT "+reportCols+reportFrom+" WHERE r.period = $1", code)
	if err != nil {
		return nil, fmt.Errorf("reporting: reports of %s: %w", code, err)
	}
	defer rows.Close()
	out := map[int64]*Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("reporting: reports of %s: %w", code, err)
		}
		out[r.UnitID] = r
	}
	return out, rows.Err()
}
