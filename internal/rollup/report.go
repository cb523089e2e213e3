package rollup

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/reporting"
)

// ReportQuery asks for the consolidated report of a bloc (or an area of
// its subtree, drilled into) for a period.
type ReportQuery struct {
	BlocID int64
	AreaID int64 // 0: the bloc's own area
	Period period.Period
	Drafts bool // include reports not yet approved
	Lang   string
}

// Completeness counts the units of the report's area by state.
type Completeness struct {
	Units  int                     `json:"units"`
	Counts map[reporting.State]int `json:"counts"`
	Link   string                  `json:"link"`
}

// NarrativeItem is one unit's text of a narrative section.
type NarrativeItem struct {
	Unit string        `json:"unit"`
	HTML template.HTML `json:"html"`
}

// NarrativeGroup gathers the units' texts of one narrative section.
type NarrativeGroup struct {
	Code  string          `json:"section"`
	Name  string          `json:"name"`
	Items []NarrativeItem `json:"items"`
}

// AreaLink is an area to drill into or back to.
type AreaLink struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Closed bool   `json:"closed"`
}

// Report is the consolidated report: the table, completeness, the units'
// narratives, the drafted (or edited) results section.
type Report struct {
	Bloc         *org.Bloc        `json:"bloc"`
	Area         *org.Area        `json:"area"`
	Up           *AreaLink        `json:"up,omitempty"`
	Children     []AreaLink       `json:"children"`
	Table        *Table           `json:"table"`
	Completeness *Completeness    `json:"completeness"`
	Narratives   []NarrativeGroup `json:"narratives"`
	// Generated is the narrative drafted from the figures; Draft is the
	// secretariat's edited text, when there is one (exports use it).
	Generated string `json:"generated_html"`
	Draft     *Draft `json:"draft,omitempty"`
	Subject   string `json:"subject"`
}

// NarrativeHTML is what the report says in its results section: the
// edited text, or the drafted one.
func (r *Report) NarrativeHTML() string {
	if r.Draft != nil {
		return r.Draft.HTML
	}
	return r.Generated
}

// SafeNarrative is NarrativeHTML for templates (sanitised when saved or
// escaped when drafted).
func (r *Report) SafeNarrative() template.HTML {
	return template.HTML(reporting.Sanitize(r.NarrativeHTML()))
}

// canSeeBloc tells whether the principal may open a bloc's reports: its
// area is in the principal's scope, or above it (a commune officer opens
// the district bloc, and reads there the figures of their commune).
func canSeeBloc(p *auth.Principal, path string) bool {
	if p == nil {
		return false
	}
	return p.InScope(path) || p.ScopePath != "" && strings.HasPrefix(p.ScopePath, path)
}

// canReadArea tells whether the principal may read an area's totals: only
// areas of its scope (admins and unscoped viewers: all). The totals of an
// area above the scope hold other communes' figures.
func canReadArea(p *auth.Principal, path string) bool {
	return p != nil && p.InScope(path)
}

// scopeAreaID is the area the principal's scope starts at, the last id of
// its path ("/1/2/15/" → 15); 0 for an unscoped principal.
func scopeAreaID(p *auth.Principal) int64 {
	if p == nil || p.ScopePath == "" {
		return 0
	}
	path := strings.TrimSuffix(p.ScopePath, "/")
	id, err := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// VisibleBlocs lists the blocs the principal may read.
func (s *Service) VisibleBlocs(ctx context.Context, p *auth.Principal) ([]org.Bloc, error) {
	all, err := s.Org.Blocs(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Bloc
	for _, b := range all {
		if canSeeBloc(p, b.AreaPath) {
			out = append(out, b)
		}
	}
	return out, nil
}

// place resolves the bloc and the area of a query, checking the
// principal's scope. Without an area, the report is the bloc's area or,
// for a principal whose scope lies below it (a commune officer in the
// district bloc), the area of their scope: what they may read.
func (s *Service) place(ctx context.Context, q ReportQuery) (*org.Bloc, *org.Area, error) {
	p := auth.FromContext(ctx)
	b, err := s.Org.Bloc(ctx, q.BlocID)
	if err != nil {
		return nil, nil, err
	}
	if !canSeeBloc(p, b.AreaPath) {
		return nil, nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	areaID := q.AreaID
	if areaID == 0 {
		areaID = b.AreaID
		if !canReadArea(p, b.AreaPath) {
			areaID = scopeAreaID(p)
		}
	}
	a, err := s.Org.Area(ctx, areaID)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasPrefix(a.Path, b.AreaPath) || !canReadArea(p, a.Path) {
		return nil, nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	return b, a, nil
}

// Report assembles the consolidated report.
func (s *Service) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	if !q.Period.Valid() {
		return nil, apperr.Field("period", "rollup.err.period", q.Period.Code())
	}
	b, a, err := s.place(ctx, q)
	if err != nil {
		return nil, err
	}
	r := &Report{Bloc: b, Area: a, Subject: Subject(q.Period, q.Lang)}
	// Up leads to the parent while it is in the bloc and readable: not
	// above the commune of a commune officer.
	if a.ID != b.AreaID && a.ParentID != nil {
		if up, err := s.Org.Area(ctx, *a.ParentID); err == nil && canReadArea(auth.FromContext(ctx), up.Path) {
			r.Up = &AreaLink{ID: up.ID, Name: up.Name}
		}
	}
	kids, err := s.Org.Children(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	// The areas of the period: those created later are left out (their
	// figures of the time belong to the areas merged into them), those
	// closed before the period ended are marked.
	end := q.Period.End()
	for _, k := range kids {
		if k.ValidFrom.Valid() && k.ValidFrom.After(end) {
			continue
		}
		r.Children = append(r.Children, AreaLink{ID: k.ID, Name: k.Name, Closed: k.ValidTo.Valid() && k.ValidTo.Before(end)})
	}
	if r.Table, err = s.Table(ctx, TableQuery{AreaID: a.ID, Period: q.Period, Approved: !q.Drafts, Lang: q.Lang}); err != nil {
		return nil, err
	}
	if err := s.markWindow(ctx, b, q.Period, r.Table); err != nil {
		return nil, err
	}
	if r.Completeness, err = s.completeness(ctx, b, a, q.Period); err != nil {
		return nil, err
	}
	if r.Narratives, err = s.narratives(ctx, a, q.Period, !q.Drafts, q.Lang); err != nil {
		return nil, err
	}
	tmpls, err := s.Templates(ctx)
	if err != nil {
		return nil, err
	}
	r.Generated = DraftHTML(r.Table, tmpls, q.Lang)
	if r.Draft, err = s.DraftOf(ctx, b.ID, q.Period.Code(), a.ID); err != nil {
		return nil, err
	}
	return r, nil
}

// Subject is the report's subject line: "Kết quả hoạt động công tác Mặt
// trận và các tổ chức chính trị - xã hội Quý III năm 2021".
func Subject(p period.Period, lang string) string {
	if lang == "en" {
		return "Results of the work of the Front and the political-social organisations, " + p.LabelEN()
	}
	return "Kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội " + PeriodPhrase(p, "vi")
}

func (s *Service) completeness(ctx context.Context, b *org.Bloc, a *org.Area, p period.Period) (*Completeness, error) {
	sum, err := s.Rep.Completeness(ctx, b.ID, p.Code())
	if err != nil {
		return nil, err
	}
	c := &Completeness{Counts: map[reporting.State]int{}, Link: fmt.Sprintf("/reports/completeness?bloc=%d&period=%s", b.ID, p.Code())}
	in := map[int64]bool{}
	if a.ID != b.AreaID {
		sub, err := s.Org.Subtree(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, x := range sub {
			in[x.ID] = true
		}
	}
	for _, row := range sum.Rows {
		if a.ID != b.AreaID && !in[row.AreaID] {
			continue
		}
		c.Units++
		c.Counts[row.State]++
	}
	return c, nil
}

// narratives gathers the units' narrative sections of the area's subtree,
// section by section, district units first.
func (s *Service) narratives(ctx context.Context, a *org.Area, p period.Period, approved bool, lang string) ([]NarrativeGroup, error) {
	query := `SELECT n.section, n.html, u.name FROM report_narratives n JOIN reports r ON r.id = n.report_id
		JOIN units u ON u.id = r.unit_id JOIN areas a ON a.id = u.area_id JOIN organisations o ON o.id = u.organisation_id
		WHERE r.period = $1 AND a.path LIKE $2 AND n.html <> ''`
	if approved {
		query += " AND r.status = 'approved'"
	}
	query += " ORDER BY length(a.path), a.path, o.sort_order, u.id"
	rows, err := s.DB.QueryContext(ctx, query, p.Code(), a.Path+"%")
	if err != nil {
		return nil, fmt.Errorf("rollup: narratives: %w", err)
	}
	defer rows.Close()
	by := map[string][]NarrativeItem{}
	for rows.Next() {
		var sec, h, unit string
		if err := rows.Scan(&sec, &h, &unit); err != nil {
			return nil, fmt.Errorf("rollup: narratives: %w", err)
		}
		by[sec] = append(by[sec], NarrativeItem{Unit: unit, HTML: template.HTML(reporting.Sanitize(h))})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []NarrativeGroup
	for _, n := range indicator.Narratives {
		if items := by[n.Code]; len(items) > 0 {
			out = append(out, NarrativeGroup{Code: n.Code, Name: n.Name(lang), Items: items})
		}
	}
	return out, nil
}

// LatestPeriod is the newest quarter that has reports (or the current
// quarter when there are none).
func (s *Service) LatestPeriod(ctx context.Context) (period.Period, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT DISTINCT period FROM reports")
	if err != nil {
		return period.Period{}, fmt.Errorf("rollup: periods: %w", err)
	}
	defer rows.Close()
	var all []period.Period
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return period.Period{}, err
		}
		if p, err := period.Parse(c); err == nil && p.Type == period.Quarter {
			all = append(all, p)
		}
	}
	if len(all) == 0 {
		now := s.now()
		return period.NewQuarter(now.Year(), (int(now.Month())-1)/3+1), rows.Err()
	}
	return slices.MaxFunc(all, period.Compare), rows.Err()
}
