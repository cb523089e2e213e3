package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

// InstallDefault installs the default catalogue (DefaultCatalogue) in one
// transaction and returns how many sections, disaggregations, indicators,
// forms and rules it created. It is idempotent: anything whose code exists
// is left as it is, so a second run creates nothing.
//
// Organisations are looked up by code (MTTQ, HND, HLHPN, DTN, HCCB, LDLD,
// HCTD in the demo); codes that do not exist are skipped. An indicator
// whose listed organisations all do not exist is not installed (it would
// otherwise apply to every organisation), nor are forms of a missing
// organisation, nor rules naming an indicator that is not installed: a
// later run, once the organisations exist, adds them.
func (s *Store) InstallDefault(ctx context.Context) (created int, err error) {
	c, err := DefaultCatalogue()
	if err != nil {
		return 0, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		created = 0
		n, err := s.installCatalogue(ctx, tx, c)
		created = n
		return err
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

func (s *Store) installCatalogue(ctx context.Context, q db.Q, c *Catalogue) (int, error) {
	created := 0
	for _, in := range c.Sections {
		if _, err := sectionByCode(ctx, q, in.Code); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return created, err
		}
		if _, err := createSection(ctx, q, in); err != nil {
			return created, fmt.Errorf("indicator: default section %s: %w", in.Code, err)
		}
		created++
	}
	for _, in := range c.Disaggregations {
		if _, err := disaggregationByCode(ctx, q, in.Code); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return created, err
		}
		if _, err := createDisaggregation(ctx, q, in); err != nil {
			return created, fmt.Errorf("indicator: default disaggregation %s: %w", in.Code, err)
		}
		created++
	}
	orgs, err := organisations(ctx, q)
	if err != nil {
		return created, err
	}
	hasOrg := func(code string) bool {
		return slices.ContainsFunc(orgs, func(o OrgRef) bool { return equalFoldASCII(o.Code, code) })
	}
	for _, in := range c.Indicators {
		if _, err := indicatorWhere(ctx, q, "i.code = $1", NormalizeCode(in.Code)); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return created, err
		}
		if len(in.Organisations) > 0 {
			var present []string
			for _, o := range in.Organisations {
				if hasOrg(o) {
					present = append(present, o)
				}
			}
			if len(present) == 0 {
				continue
			}
			in.Organisations = present
		}
		if _, err := s.createIndicator(ctx, q, in); err != nil {
			return created, fmt.Errorf("indicator: default indicator %s: %w", in.Code, err)
		}
		created++
	}
	installed, err := loadIndicators(ctx, q, "")
	if err != nil {
		return created, err
	}
	order := make(map[string]int, len(c.Indicators))
	for i, in := range c.Indicators {
		order[NormalizeCode(in.Code)] = i
	}
	for _, spec := range c.Forms {
		n, err := installForm(ctx, q, spec, installed, order, hasOrg)
		if err != nil {
			return created, err
		}
		created += n
	}
	have := map[string]bool{}
	for _, ind := range installed {
		have[ind.Code] = true
	}
	for _, in := range c.Rules {
		if _, err := ruleWhere(ctx, q, "code = $1", NormalizeCode(in.Code)); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return created, err
		}
		r := Rule{Left: in.Left, Right: in.Right}
		if !allHave(r.Codes(), have) {
			continue
		}
		if _, err := createRule(ctx, q, in); err != nil {
			return created, fmt.Errorf("indicator: default rule %s: %w", in.Code, err)
		}
		created++
	}
	return created, nil
}

func allHave(codes []string, have map[string]bool) bool {
	for _, c := range codes {
		if !have[c] {
			return false
		}
	}
	return true
}

// installForm creates one default form unless its code exists or its
// organisation does not. When another form is already active for the same
// organisation and period type, the default form is created inactive.
func installForm(ctx context.Context, q db.Q, spec FormSpec, installed []Indicator, order map[string]int, hasOrg func(string) bool) (int, error) {
	if _, err := formWhere(ctx, q, "f.code = $1", NormalizeCode(spec.Code)); err == nil {
		return 0, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return 0, err
	}
	if spec.Organisation != "" && !hasOrg(spec.Organisation) {
		return 0, nil
	}
	var chosen []Indicator
	switch {
	case spec.AllFor != nil:
		for _, ind := range installed {
			if slices.Contains(spec.Exclude, ind.Code) {
				continue
			}
			if *spec.AllFor == "" && len(ind.Organisations) > 0 || *spec.AllFor != "" && !ind.ReportedBy(*spec.AllFor) {
				continue
			}
			chosen = append(chosen, ind)
		}
	default:
		for _, ind := range installed {
			if slices.Contains(spec.Indicators, ind.Code) {
				chosen = append(chosen, ind)
			}
		}
	}
	slices.SortStableFunc(chosen, func(a, b Indicator) int {
		oa, ok := order[a.Code]
		if !ok {
			oa = len(order)
		}
		ob, ok := order[b.Code]
		if !ok {
			ob = len(order)
		}
		return oa - ob
	})
	if len(chosen) == 0 {
		return 0, nil
	}
	in := FormInput{Code: spec.Code, NameVI: spec.NameVI, NameEN: spec.NameEN, PeriodType: period.Type(spec.PeriodType), Organisation: spec.Organisation}
	for _, ind := range chosen {
		in.Indicators = append(in.Indicators, ind.Code)
	}
	var orgID *int64
	if spec.Organisation != "" {
		o, err := orgByCode(ctx, q, spec.Organisation)
		if err != nil {
			return 0, err
		}
		orgID = &o.ID
	}
	active := true
	if err := activeTaken(ctx, q, orgID, in.PeriodType, 0); err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			return 0, err
		}
		active = false
	}
	in.Active = &active
	if _, err := createForm(ctx, q, in); err != nil {
		return 0, fmt.Errorf("indicator: default form %s: %w", spec.Code, err)
	}
	return 1, nil
}

// IsEmpty tells whether the catalogue has no indicator yet (the catalogue
// page then offers to install the default one).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM indicators").Scan(&n); err != nil {
		return false, fmt.Errorf("indicator: count: %w", err)
	}
	return n == 0, nil
}
