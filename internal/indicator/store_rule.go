package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

const ruleCols = "id, code, left_expr, operator, right_expr, severity, message_vi, message_en, active, created_at, updated_at"

func scanRule(row scanner) (*Rule, error) {
	var r Rule
	var sev string
	err := row.Scan(&r.ID, &r.Code, &r.Left, &r.Operator, &r.Right, &sev, &r.MessageVI, &r.MessageEN, &r.Active, &r.CreatedAt, &r.UpdatedAt)
	r.Severity = Severity(sev)
	return &r, err
}

func loadRules(ctx context.Context, q db.Q, activeOnly bool) ([]Rule, error) {
	query := "SELECT " + ruleCols + " FROM indicator_rules"
	if activeOnly {
		query += " WHERE active"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("indicator: rules: %w", err)
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("indicator: rules: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Rules lists the active rules, by code: what Check evaluates.
func (s *Store) Rules(ctx context.Context) ([]Rule, error) { return loadRules(ctx, s.DB, true) }

// AllRules lists every rule, active or not, by code (admin pages).
func (s *Store) AllRules(ctx context.Context) ([]Rule, error) { return loadRules(ctx, s.DB, false) }

// RuleByID returns one rule.
func (s *Store) RuleByID(ctx context.Context, id int64) (*Rule, error) {
	return ruleWhere(ctx, s.DB, "id = $1", id)
}

// RuleByCode returns one rule by code (any case).
func (s *Store) RuleByCode(ctx context.Context, code string) (*Rule, error) {
	return ruleWhere(ctx, s.DB, "code = $1", NormalizeCode(code))
}

func ruleWhere(ctx context.Context, q db.Q, where string, args ...any) (*Rule, error) {
	r, err := scanRule(q.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM indicator_rules WHERE "+where, args...))
	if err != nil {
		return nil, notFound(err, "rule")
	}
	return r, nil
}

// ruleNaming returns the code of a rule that names an indicator code, or "".
func ruleNaming(ctx context.Context, q db.Q, code string) (string, error) {
	rules, err := loadRules(ctx, q, false)
	if err != nil {
		return "", err
	}
	for _, r := range rules {
		if slices.Contains(r.Codes(), code) {
			return r.Code, nil
		}
	}
	return "", nil
}

// validateRule checks a rule: both sides parse, every code they name is an
// indicator of the catalogue that takes a number, and at least one side
// names an indicator. The sides are stored in canonical form ("A + B - 2").
func validateRule(ctx context.Context, q db.Q, in *RuleInput) error {
	var fe apperr.Fields
	in.Code = NormalizeCode(in.Code)
	in.MessageVI, in.MessageEN = vn.NFC(in.MessageVI), vn.NFC(in.MessageEN)
	switch {
	case in.Code == "":
		fe.Add("code", "indicator.err.rule_code_required")
	case !validCode(in.Code):
		fe.Add("code", "indicator.err.code_format", in.Code)
	}
	var codes []string
	for _, side := range []struct {
		field string
		expr  *string
	}{{"left", &in.Left}, {"right", &in.Right}} {
		e, err := ParseExpr(*side.expr)
		if err != nil {
			fe.Add(side.field, "indicator.err.rule_"+side.field, err.Error())
			continue
		}
		*side.expr = e.String()
		codes = append(codes, e.Codes()...)
	}
	op := NormalizeOperator(in.Operator)
	if op == "" {
		fe.Add("operator", "indicator.err.rule_operator", in.Operator)
	} else {
		in.Operator = op
	}
	if in.Severity == "" {
		in.Severity = Warning
	}
	if !in.Severity.Valid() {
		fe.Add("severity", "indicator.err.rule_severity", string(in.Severity))
	}
	if in.MessageVI == "" {
		fe.Add("message_vi", "indicator.err.rule_message_required")
	} else if tooLong(in.MessageVI, maxMessage) {
		fe.Add("message_vi", "indicator.err.message_too_long", maxMessage)
	}
	if tooLong(in.MessageEN, maxMessage) {
		fe.Add("message_en", "indicator.err.message_too_long", maxMessage)
	}
	if !fe.Has("left") && !fe.Has("right") && len(codes) == 0 {
		fe.Add("left", "indicator.err.rule_no_indicator")
	}
	var unknown, text []string
	for _, c := range codes {
		ind, err := indicatorWhere(ctx, q, "i.code = $1", c)
		switch {
		case apperr.Is(err, apperr.NotFound):
			if !slices.Contains(unknown, c) {
				unknown = append(unknown, c)
			}
		case err != nil:
			return err
		case !ind.Numeric():
			text = append(text, c)
		}
	}
	if len(unknown) > 0 {
		fe.Add(sideOf(in, unknown[0]), "indicator.err.rule_code_unknown", strings.Join(unknown, ", "))
	}
	if len(text) > 0 {
		fe.Add(sideOf(in, text[0]), "indicator.err.rule_code_text", strings.Join(text, ", "))
	}
	return fe.Err()
}

func sideOf(in *RuleInput, code string) string {
	if e, err := ParseExpr(in.Left); err == nil && slices.Contains(e.Codes(), code) {
		return "left"
	}
	return "right"
}

// CreateRule adds a rule.
func (s *Store) CreateRule(ctx context.Context, in RuleInput) (*Rule, error) {
	var out *Rule
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = createRule(ctx, tx, in)
		return err
	})
	return out, err
}

func createRule(ctx context.Context, q db.Q, in RuleInput) (*Rule, error) {
	if err := validateRule(ctx, q, &in); err != nil {
		return nil, err
	}
	t := now()
	r := Rule{Code: in.Code, Left: in.Left, Operator: in.Operator, Right: in.Right, Severity: in.Severity,
		MessageVI: in.MessageVI, MessageEN: in.MessageEN, Active: boolOr(in.Active, true), CreatedAt: t, UpdatedAt: t}
	err := q.QueryRowContext(ctx, `INSERT INTO indicator_rules(code, left_expr, operator, right_expr, severity, message_vi, message_en, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		r.Code, r.Left, r.Operator, r.Right, string(r.Severity), r.MessageVI, r.MessageEN, r.Active, t).Scan(&r.ID)
	if db.IsUniqueViolation(err) {
		return nil, apperr.Field("code", "indicator.err.rule_code_taken", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("indicator: create rule: %w", err)
	}
	return &r, audit.Record(ctx, q, audit.Create, entityRule, r.ID, nil, r)
}

// UpdateRule changes a rule.
func (s *Store) UpdateRule(ctx context.Context, id int64, in RuleInput) (*Rule, error) {
	var out *Rule
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := ruleWhere(ctx, tx, "id = $1", id)
		if err != nil {
			return err
		}
		if err := validateRule(ctx, tx, &in); err != nil {
			return err
		}
		r := Rule{ID: id, Code: in.Code, Left: in.Left, Operator: in.Operator, Right: in.Right, Severity: in.Severity,
			MessageVI: in.MessageVI, MessageEN: in.MessageEN, Active: boolOr(in.Active, old.Active), CreatedAt: old.CreatedAt, UpdatedAt: now()}
		_, err = tx.ExecContext(ctx, `UPDATE indicator_rules SET code=$1, left_expr=$2, operator=$3, right_expr=$4, severity=$5,
			message_vi=$6, message_en=$7, active=$8, updated_at=$9 WHERE id=$10`,
			r.Code, r.Left, r.Operator, r.Right, string(r.Severity), r.MessageVI, r.MessageEN, r.Active, r.UpdatedAt, id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("code", "indicator.err.rule_code_taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("indicator: update rule: %w", err)
		}
		out = &r
		return audit.Record(ctx, tx, audit.Update, entityRule, id, old, r)
	})
	return out, err
}

// DeleteRule removes a rule.
func (s *Store) DeleteRule(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := ruleWhere(ctx, tx, "id = $1", id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM indicator_rules WHERE id = $1", id); err != nil {
			return fmt.Errorf("indicator: delete rule: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, entityRule, id, old, nil)
	})
}
