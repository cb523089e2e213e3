package rollup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"giaoban/internal/indicator"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

// Template is the sentence template of one indicator in the drafted
// narrative.
type Template struct {
	Code      string    `json:"indicator"`
	VI        string    `json:"template_vi"`
	EN        string    `json:"template_en"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// maxTemplate bounds a template, in characters.
const maxTemplate = 1000

// Templates returns every template by indicator code.
func (s *Service) Templates(ctx context.Context) (map[string]Template, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT indicator_code, template_vi, template_en, version, updated_at FROM rollup_templates")
	if err != nil {
		return nil, fmt.Errorf("rollup: templates: %w", err)
	}
	defer rows.Close()
	out := map[string]Template{}
	for rows.Next() {
		var t Template
		if err := rows.Scan(&t.Code, &t.VI, &t.EN, &t.Version, &t.UpdatedAt); err != nil {
			return nil, fmt.Errorf("rollup: templates: %w", err)
		}
		out[t.Code] = t
	}
	return out, rows.Err()
}

// TemplateInput changes a template; Version is the one the editor started
// from (0 for a new template). An empty VI removes the template.
type TemplateInput struct {
	Code    string `json:"indicator"`
	VI      string `json:"template_vi"`
	EN      string `json:"template_en"`
	Version int64  `json:"version"`
}

// checkTemplate refuses templates that quote unknown indicators or have
// unbalanced brackets.
func (s *Service) checkTemplate(ctx context.Context, in *TemplateInput) error {
	var fe apperr.Fields
	in.Code = indicator.NormalizeCode(in.Code)
	in.VI, in.EN = vn.NFC(in.VI), vn.NFC(in.EN)
	if _, err := s.Ind.IndicatorByCode(ctx, in.Code); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		fe.Add("indicator", "rollup.err.no_indicator", in.Code)
		return fe.Err()
	}
	for field, t := range map[string]string{"template_vi": in.VI, "template_en": in.EN} {
		if utf8.RuneCountInString(t) > maxTemplate {
			fe.Add(field, "err.too_long", maxTemplate)
			continue
		}
		if strings.Count(t, "[") != strings.Count(t, "]") || strings.Count(t, "{") != strings.Count(t, "}") {
			fe.Add(field, "rollup.err.template_brackets")
			continue
		}
		for _, code := range placeholders(t, in.Code) {
			if code == in.Code {
				continue
			}
			if _, err := s.Ind.IndicatorByCode(ctx, code); err != nil {
				fe.Add(field, "rollup.err.template_code", code)
			}
		}
	}
	return fe.Err()
}

// SaveTemplate creates, changes or (empty VI) removes a template, refusing
// a change made meanwhile by someone else.
func (s *Service) SaveTemplate(ctx context.Context, in TemplateInput) error {
	if err := s.checkTemplate(ctx, &in); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var old Template
		err := tx.QueryRowContext(ctx, "SELECT indicator_code, template_vi, template_en, version FROM rollup_templates WHERE indicator_code = $1", in.Code).
			Scan(&old.Code, &old.VI, &old.EN, &old.Version)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("rollup: template: %w", err)
		}
		if exists && old.Version != in.Version || !exists && in.Version != 0 {
			return apperr.New(apperr.Conflict, "rollup.err.template_conflict", in.Code)
		}
		by := actorID(ctx)
		switch {
		case in.VI == "" && exists:
			_, err = tx.ExecContext(ctx, "DELETE FROM rollup_templates WHERE indicator_code = $1", in.Code)
		case in.VI == "":
			return nil
		case exists:
			_, err = tx.ExecContext(ctx, "UPDATE rollup_templates SET template_vi = $1, template_en = $2, version = version + 1, updated_at = $3, updated_by = $4 WHERE indicator_code = $5",
				in.VI, in.EN, s.now(), by, in.Code)
		default:
			_, err = tx.ExecContext(ctx, "INSERT INTO rollup_templates(indicator_code, template_vi, template_en, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)",
				in.Code, in.VI, in.EN, s.now(), by)
		}
		if err != nil {
			return fmt.Errorf("rollup: save template: %w", err)
		}
		var oldView any
		if exists {
			oldView = map[string]any{"vi": old.VI, "en": old.EN}
		}
		var newView any
		if in.VI != "" {
			newView = map[string]any{"vi": in.VI, "en": in.EN}
		}
		return audit.Record(ctx, tx, audit.Update, "rollup_template", in.Code, oldView, newView)
	})
}

func actorID(ctx context.Context) *int64 {
	if a := audit.ActorFrom(ctx); a.UserID != 0 {
		return &a.UserID
	}
	return nil
}

// Draft is the secretariat's edited narrative of a consolidated report.
type Draft struct {
	ID        int64     `json:"id"`
	BlocID    int64     `json:"bloc_id"`
	Period    string    `json:"period"`
	AreaID    int64     `json:"area_id"`
	HTML      string    `json:"html"`
	Number    string    `json:"number"`
	Date      db.Date   `json:"date"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// DraftOf returns the edited draft, nil when the secretariat has not
// edited one.
func (s *Service) DraftOf(ctx context.Context, blocID int64, periodCode string, areaID int64) (*Draft, error) {
	var d Draft
	err := s.DB.QueryRowContext(ctx, `SELECT c.id, c.bloc_id, c.period, c.area_id, c.html, c.number, c.doc_date, c.version, c.updated_at, COALESCE(u.full_name, '')
		FROM consolidated_drafts c LEFT JOIN users u ON u.id = c.updated_by WHERE c.bloc_id = $1 AND c.period = $2 AND c.area_id = $3`, blocID, periodCode, areaID).
		Scan(&d.ID, &d.BlocID, &d.Period, &d.AreaID, &d.HTML, &d.Number, &d.Date, &d.Version, &d.UpdatedAt, &d.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rollup: draft: %w", err)
	}
	return &d, nil
}

// DraftInput saves the edited narrative; Version is the one the editor
// started from (0: none yet).
type DraftInput struct {
	HTML    string  `json:"html"`
	Number  string  `json:"number"`
	Date    db.Date `json:"date"`
	Version int64   `json:"version"`
}

// maxDraft bounds a draft, in bytes of sanitised HTML.
const maxDraft = 200_000

// SaveDraft keeps the edited narrative with the report (sanitised), and
// refuses to overwrite a newer version: no lost update.
func (s *Service) SaveDraft(ctx context.Context, blocID int64, periodCode string, areaID int64, in DraftInput) (*Draft, error) {
	in.HTML = reporting.Sanitize(in.HTML)
	in.Number = strings.TrimSpace(vn.NFC(in.Number))
	var fe apperr.Fields
	if strings.TrimSpace(reporting.PlainText(in.HTML)) == "" {
		fe.Add("html", "err.required")
	}
	if len(in.HTML) > maxDraft {
		fe.Add("html", "err.too_long", maxDraft)
	}
	if utf8.RuneCountInString(in.Number) > 60 {
		fe.Add("number", "err.too_long", 60)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id, ver int64
		var oldHTML string
		err := tx.QueryRowContext(ctx, "SELECT id, version, html FROM consolidated_drafts WHERE bloc_id = $1 AND period = $2 AND area_id = $3",
			blocID, periodCode, areaID).Scan(&id, &ver, &oldHTML)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("rollup: draft: %w", err)
		}
		if exists && ver != in.Version || !exists && in.Version != 0 {
			return &apperr.Error{Code: apperr.Conflict, Key: "rollup.err.draft_conflict",
				Fields: []apperr.FieldError{{Field: "html", Key: "rollup.err.draft_conflict"}}}
		}
		by := actorID(ctx)
		if exists {
			_, err = tx.ExecContext(ctx, "UPDATE consolidated_drafts SET html = $1, number = $2, doc_date = $3, version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6",
				in.HTML, in.Number, in.Date, s.now(), by, id)
		} else {
			err = tx.QueryRowContext(ctx, `INSERT INTO consolidated_drafts(bloc_id, period, area_id, html, number, doc_date, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, blocID, periodCode, areaID, in.HTML, in.Number, in.Date, s.now(), by).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("rollup: save draft: %w", err)
		}
		var oldView any
		if exists {
			oldView = map[string]any{"html": oldHTML}
		}
		return audit.Record(ctx, tx, audit.Update, "consolidated_draft", id, oldView,
			map[string]any{"bloc_id": blocID, "period": periodCode, "area_id": areaID, "html": in.HTML, "number": in.Number, "date": in.Date})
	})
	if err != nil {
		return nil, err
	}
	return s.DraftOf(ctx, blocID, periodCode, areaID)
}

// DocSettings head and sign a bloc's documents.
type DocSettings struct {
	BlocID      int64  `json:"bloc_id"`
	ParentBody  string `json:"parent_body"`
	IssuingBody string `json:"issuing_body"`
	Symbol      string `json:"symbol"`
	Place       string `json:"place"`
	OnBehalf    string `json:"on_behalf"`
	SignerTitle string `json:"signer_title"`
	SignerName  string `json:"signer_name"`
	Recipients  string `json:"recipients"` // one a line
	Version     int64  `json:"version"`
	Saved       bool   `json:"saved"`
}

// DocSettingsOf returns a bloc's settings, or defaults built from its area
// ("ỦY BAN MTTQ VIỆT NAM TỈNH GIA LAI" over "BAN THƯỜNG TRỰC ỦY BAN MTTQ
// HUYỆN …") when none were saved.
func (s *Service) DocSettingsOf(ctx context.Context, blocID int64) (*DocSettings, error) {
	var d DocSettings
	err := s.DB.QueryRowContext(ctx, `SELECT bloc_id, parent_body, issuing_body, symbol, place, on_behalf, signer_title, signer_name, recipients, version
		FROM bloc_documents WHERE bloc_id = $1`, blocID).Scan(&d.BlocID, &d.ParentBody, &d.IssuingBody, &d.Symbol, &d.Place, &d.OnBehalf,
		&d.SignerTitle, &d.SignerName, &d.Recipients, &d.Version)
	if err == nil {
		d.Saved = true
		return &d, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("rollup: document settings: %w", err)
	}
	b, err := s.Org.Bloc(ctx, blocID)
	if err != nil {
		return nil, err
	}
	a, err := s.Org.Area(ctx, b.AreaID)
	if err != nil {
		return nil, err
	}
	d = DocSettings{BlocID: blocID, Symbol: "BC-MTTQ", OnBehalf: "TM. BAN THƯỜNG TRỰC", SignerTitle: "CHỦ TỊCH",
		IssuingBody: "BAN THƯỜNG TRỰC ỦY BAN MTTQ " + strings.ToUpper(a.Name), Place: placeName(a.Name),
		Recipients: "Thường trực " + partyCommittee(a.Name) + " (b/c);\nCác tổ chức thành viên;\nLưu: VT."}
	if a.ParentID != nil {
		if p, err := s.Org.Area(ctx, *a.ParentID); err == nil {
			d.ParentBody = "ỦY BAN MTTQ VIỆT NAM " + strings.ToUpper(p.Name)
		}
	}
	return &d, nil
}

// placeName drops the level word: "Huyện Ia Grai" → "Ia Grai".
func placeName(area string) string {
	for _, w := range []string{"Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Thị trấn ", "Xã ", "Phường "} {
		if strings.HasPrefix(area, w) {
			return strings.TrimPrefix(area, w)
		}
	}
	return area
}

// partyCommittee names the Party committee of an area: "Huyện ủy Ia Grai".
func partyCommittee(area string) string {
	for _, w := range []string{"Tỉnh", "Huyện", "Thị xã", "Thành phố", "Quận"} {
		if strings.HasPrefix(area, w+" ") {
			return w + " ủy " + strings.TrimPrefix(area, w+" ")
		}
	}
	return "Đảng ủy " + area
}

// SaveDocSettings changes a bloc's settings with the same version check.
func (s *Service) SaveDocSettings(ctx context.Context, in DocSettings) error {
	var fe apperr.Fields
	for f, v := range map[string]*string{"parent_body": &in.ParentBody, "issuing_body": &in.IssuingBody, "symbol": &in.Symbol, "place": &in.Place,
		"on_behalf": &in.OnBehalf, "signer_title": &in.SignerTitle, "signer_name": &in.SignerName} {
		*v = strings.TrimSpace(vn.NFC(*v))
		if utf8.RuneCountInString(*v) > 200 {
			fe.Add(f, "err.too_long", 200)
		}
	}
	in.Recipients = strings.TrimSpace(vn.NFC(in.Recipients))
	if utf8.RuneCountInString(in.Recipients) > 2000 {
		fe.Add("recipients", "err.too_long", 2000)
	}
	if in.IssuingBody == "" {
		fe.Add("issuing_body", "err.required")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var ver int64
		err := tx.QueryRowContext(ctx, "SELECT version FROM bloc_documents WHERE bloc_id = $1", in.BlocID).Scan(&ver)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("rollup: document settings: %w", err)
		}
		if exists && ver != in.Version || !exists && in.Version != 0 {
			return apperr.New(apperr.Conflict, "err.conflict")
		}
		if exists {
			_, err = tx.ExecContext(ctx, `UPDATE bloc_documents SET parent_body = $1, issuing_body = $2, symbol = $3, place = $4, on_behalf = $5,
				signer_title = $6, signer_name = $7, recipients = $8, version = version + 1, updated_at = $9 WHERE bloc_id = $10`,
				in.ParentBody, in.IssuingBody, in.Symbol, in.Place, in.OnBehalf, in.SignerTitle, in.SignerName, in.Recipients, s.now(), in.BlocID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO bloc_documents(bloc_id, parent_body, issuing_body, symbol, place, on_behalf, signer_title, signer_name, recipients, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				in.BlocID, in.ParentBody, in.IssuingBody, in.Symbol, in.Place, in.OnBehalf, in.SignerTitle, in.SignerName, in.Recipients, s.now())
		}
		if err != nil {
			return fmt.Errorf("rollup: save document settings: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "bloc_documents", in.BlocID, nil, in)
	})
}
