package indicator

import (
	"context"
	"database/sql"
	"fmt"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const sectionCols = "id, code, name_vi, name_en, sort_order"

func scanSection(row scanner) (*Section, error) {
	var s Section
	err := row.Scan(&s.ID, &s.Code, &s.NameVI, &s.NameEN, &s.SortOrder)
	return &s, err
}

// Sections lists the catalogue's sections in order.
func (s *Store) Sections(ctx context.Context) ([]Section, error) {
	return sections(ctx, s.DB)
}

func sections(ctx context.Context, q db.Q) ([]Section, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+sectionCols+" FROM indicator_sections ORDER BY sort_order, code")
	if err != nil {
		return nil, fmt.Errorf("indicator: sections: %w", err)
	}
	defer rows.Close()
	var out []Section
	for rows.Next() {
		sec, err := scanSection(rows)
		if err != nil {
			return nil, fmt.Errorf("indicator: sections: %w", err)
		}
		out = append(out, *sec)
	}
	return out, rows.Err()
}

// SectionByCode returns one section.
func (s *Store) SectionByCode(ctx context.Context, code string) (*Section, error) {
	return sectionByCode(ctx, s.DB, code)
}

func sectionByCode(ctx context.Context, q db.Q, code string) (*Section, error) {
	sec, err := scanSection(q.QueryRowContext(ctx, "SELECT "+sectionCols+" FROM indicator_sections WHERE code = $1", normLowerCode(code)))
	if err != nil {
		return nil, notFound(err, "section")
	}
	return sec, nil
}

func validateSection(in *SectionInput) error {
	var fe apperr.Fields
	in.Code = normLowerCode(in.Code)
	in.NameVI, in.NameEN = vn.NFC(in.NameVI), vn.NFC(in.NameEN)
	switch {
	case in.Code == "":
		fe.Add("code", "indicator.err.section_code_required")
	case !validLowerCode(in.Code):
		fe.Add("code", "indicator.err.section_code_format", in.Code)
	}
	if in.NameVI == "" {
		fe.Add("name_vi", "indicator.err.section_name_required")
	} else if tooLong(in.NameVI, maxName) {
		fe.Add("name_vi", "indicator.err.name_too_long", maxName)
	}
	if tooLong(in.NameEN, maxName) {
		fe.Add("name_en", "indicator.err.name_too_long", maxName)
	}
	return fe.Err()
}

// CreateSection adds a section.
func (s *Store) CreateSection(ctx context.Context, in SectionInput) (*Section, error) {
	var out *Section
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = createSection(ctx, tx, in)
		return err
	})
	return out, err
}

func createSection(ctx context.Context, q db.Q, in SectionInput) (*Section, error) {
	if err := validateSection(&in); err != nil {
		return nil, err
	}
	sec := Section{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, SortOrder: in.SortOrder}
	err := q.QueryRowContext(ctx, "INSERT INTO indicator_sections(code, name_vi, name_en, sort_order) VALUES ($1, $2, $3, $4) RETURNING id",
		sec.Code, sec.NameVI, sec.NameEN, sec.SortOrder).Scan(&sec.ID)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "indicator.err.section_code_taken", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("indicator: create section: %w", err)
	}
	return &sec, audit.Record(ctx, q, audit.Create, entitySection, sec.ID, nil, sec)
}

// UpdateSection changes a section (its code too: indicators refer to it by id).
func (s *Store) UpdateSection(ctx context.Context, code string, in SectionInput) (*Section, error) {
	var out *Section
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := sectionByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := validateSection(&in); err != nil {
			return err
		}
		sec := Section{ID: old.ID, Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, SortOrder: in.SortOrder}
		_, err = tx.ExecContext(ctx, "UPDATE indicator_sections SET code=$1, name_vi=$2, name_en=$3, sort_order=$4 WHERE id=$5",
			sec.Code, sec.NameVI, sec.NameEN, sec.SortOrder, sec.ID)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "indicator.err.section_code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("indicator: update section: %w", err)
		}
		out = &sec
		return audit.Record(ctx, tx, audit.Update, entitySection, sec.ID, old, sec)
	})
	return out, err
}

// DeleteSection removes a section that has no indicators.
func (s *Store) DeleteSection(ctx context.Context, code string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := sectionByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM indicators WHERE section_id = $1", old.ID).Scan(&n); err != nil {
			return fmt.Errorf("indicator: delete section: %w", err)
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "indicator.err.section_in_use", old.NameVI, n)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM indicator_sections WHERE id = $1", old.ID); err != nil {
			return fmt.Errorf("indicator: delete section: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, entitySection, old.ID, old, nil)
	})
}
