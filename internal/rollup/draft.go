package rollup

import (
	"context"
	"time"

	"giaoban/internal/org"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

// DraftView is the results section of a consolidated report as the API
// gives it: what the report says (the secretariat's edited text, else the
// text drafted from the figures), the drafted text beside it, and the
// version to send back when saving (0 while nobody has edited it).
type DraftView struct {
	BlocID        int64      `json:"bloc_id"`
	Period        string     `json:"period"`
	AreaID        int64      `json:"area_id"`
	HTML          string     `json:"html"`
	Edited        bool       `json:"edited"`
	Number        string     `json:"number"`
	Date          db.Date    `json:"date"`
	Version       int64      `json:"version"`
	UpdatedAt     *time.Time `json:"updated_at,omitempty"`
	UpdatedBy     string     `json:"updated_by,omitempty"`
	GeneratedHTML string     `json:"generated_html"`
	CanEdit       bool       `json:"can_edit"`
}

// canEditDraft tells whether the principal may edit the results section
// of a bloc's reports: the bloc's secretariat (who runs its meetings).
func canEditDraft(p *auth.Principal, b *org.Bloc) bool {
	return p.Has(auth.PermMeetingManage) && p.CanManageArea(b.AreaPath)
}

// DraftView returns the results section of the report q asks for (q.Drafts
// chooses the figures the text is drafted from, as on the page).
func (s *Service) DraftView(ctx context.Context, q ReportQuery) (*DraftView, error) {
	if !q.Period.Valid() {
		return nil, apperr.Field("period", "rollup.err.period", q.Period.Code())
	}
	b, a, err := s.place(ctx, q)
	if err != nil {
		return nil, err
	}
	t, err := s.Table(ctx, TableQuery{AreaID: a.ID, Period: q.Period, Approved: !q.Drafts, Lang: q.Lang})
	if err != nil {
		return nil, err
	}
	tmpls, err := s.Templates(ctx)
	if err != nil {
		return nil, err
	}
	dr, err := s.DraftOf(ctx, b.ID, q.Period.Code(), a.ID)
	if err != nil {
		return nil, err
	}
	v := &DraftView{BlocID: b.ID, Period: q.Period.Code(), AreaID: a.ID, GeneratedHTML: DraftHTML(t, tmpls, q.Lang),
		CanEdit: canEditDraft(auth.FromContext(ctx), b)}
	v.HTML = v.GeneratedHTML
	if dr != nil {
		updated := dr.UpdatedAt
		v.HTML, v.Edited, v.Number, v.Date, v.Version, v.UpdatedAt, v.UpdatedBy = dr.HTML, true, dr.Number, dr.Date, dr.Version, &updated, dr.UpdatedBy
	}
	return v, nil
}

// SaveDraftOf saves the secretariat's text of the results section of the
// report q asks for, refusing anyone who does not run the bloc, and an
// edit started from an older version (SaveDraft).
func (s *Service) SaveDraftOf(ctx context.Context, q ReportQuery, in DraftInput) (*Draft, error) {
	if !q.Period.Valid() {
		return nil, apperr.Field("period", "rollup.err.period", q.Period.Code())
	}
	b, a, err := s.place(ctx, q)
	if err != nil {
		return nil, err
	}
	if !canEditDraft(auth.FromContext(ctx), b) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.SaveDraft(ctx, b.ID, q.Period.Code(), a.ID, in)
}
