package indicator

import (
	"fmt"
	"strings"

	"giaoban/internal/vn"
)

// Operators a rule may use, in the order forms offer them.
var Operators = []string{"<=", "<", ">=", ">", "==", "!="}

// NormalizeOperator accepts the operators people type ("=", "≤", "≥", "≠",
// "=<", "<>") and returns the stored form, or "" when op is not one.
func NormalizeOperator(op string) string {
	switch strings.TrimSpace(op) {
	case "<=", "=<", "≤":
		return "<="
	case "<":
		return "<"
	case ">=", "=>", "≥":
		return ">="
	case ">":
		return ">"
	case "==", "=":
		return "=="
	case "!=", "<>", "≠":
		return "!="
	}
	return ""
}

// compare applies a stored operator.
func compare(l int64, op string, r int64) bool {
	switch op {
	case "<=":
		return l <= r
	case "<":
		return l < r
	case ">=":
		return l >= r
	case ">":
		return l > r
	case "==":
		return l == r
	case "!=":
		return l != r
	}
	return true
}

// operatorVI reads an operator in Vietnamese, for default messages.
func operatorVI(op string) string {
	switch op {
	case "<=":
		return "không được lớn hơn"
	case "<":
		return "phải nhỏ hơn"
	case ">=":
		return "không được nhỏ hơn"
	case ">":
		return "phải lớn hơn"
	case "==":
		return "phải bằng"
	case "!=":
		return "phải khác"
	}
	return op
}

func operatorEN(op string) string {
	switch op {
	case "<=":
		return "must not exceed"
	case "<":
		return "must be less than"
	case ">=":
		return "must not be less than"
	case ">":
		return "must be greater than"
	case "==":
		return "must equal"
	case "!=":
		return "must differ from"
	}
	return op
}

// Check evaluates rules over the totals of one unit and period, keyed by
// indicator code, and returns the violations with the rules' Vietnamese
// messages. See CheckLang.
func Check(form *Form, nums map[string]int64, rules []Rule) []Violation {
	return CheckLang(form, nums, rules, "vi")
}

// CheckLang is Check with messages in lang ("vi" or "en"; English falls
// back to Vietnamese when a rule has no English message).
//
//   - Inactive rules and rules whose expressions do not parse are skipped.
//   - When form is not nil, a rule applies only if the form has every
//     indicator the rule names (a rule about houses does not fire on a form
//     without houses).
//   - A rule none of whose indicators has a value is skipped; within a rule
//     that has some values, a missing indicator counts as 0.
//   - A message may contain {left} and {right}: the values of the two sides,
//     formatted like the indicators (money with "đ").
func CheckLang(form *Form, nums map[string]int64, rules []Rule, lang string) []Violation {
	var inForm map[string]*Indicator
	if form != nil {
		inForm = make(map[string]*Indicator, len(form.Indicators))
		for i := range form.Indicators {
			inForm[form.Indicators[i].Code] = &form.Indicators[i]
		}
	}
	var out []Violation
	for _, r := range rules {
		if !r.Active {
			continue
		}
		op := NormalizeOperator(r.Operator)
		left, err1 := ParseExpr(r.Left)
		right, err2 := ParseExpr(r.Right)
		if err1 != nil || err2 != nil || op == "" {
			continue
		}
		codes := append(left.Codes(), right.Codes()...)
		if len(codes) == 0 {
			continue
		}
		if inForm != nil && !allIn(codes, inForm) {
			continue
		}
		lv, lp := left.Eval(nums)
		rv, rp := right.Eval(nums)
		if lp+rp == 0 || compare(lv, op, rv) {
			continue
		}
		out = append(out, Violation{
			RuleCode: r.Code,
			Severity: r.Severity,
			Message:  ruleMessage(r, op, left, right, lv, rv, inForm, lang),
		})
	}
	return out
}

func allIn(codes []string, m map[string]*Indicator) bool {
	for _, c := range codes {
		if m[c] == nil {
			return false
		}
	}
	return true
}

// Blocks tells whether any violation blocks submission.
func Blocks(vs []Violation) bool {
	for _, v := range vs {
		if v.Severity == Blocking {
			return true
		}
	}
	return false
}

func ruleMessage(r Rule, op string, left, right Expr, lv, rv int64, inds map[string]*Indicator, lang string) string {
	ls, rs := formatSide(left, lv, inds), formatSide(right, rv, inds)
	msg := r.MessageVI
	if lang == "en" && r.MessageEN != "" {
		msg = r.MessageEN
	}
	if strings.TrimSpace(msg) == "" {
		if lang == "en" {
			return fmt.Sprintf("%s (%s) %s %s (%s)", left, ls, operatorEN(op), right, rs)
		}
		return fmt.Sprintf("%s (%s) %s %s (%s)", left, ls, operatorVI(op), right, rs)
	}
	return strings.NewReplacer("{left}", ls, "{right}", rs).Replace(msg)
}

// formatSide formats a side's value like its indicators when they agree on
// a type (money, decimal), as a plain number otherwise.
func formatSide(e Expr, v int64, inds map[string]*Indicator) string {
	var kind *Indicator
	for _, c := range e.Codes() {
		ind := inds[c]
		if ind == nil {
			return vn.FormatInt(v)
		}
		if kind == nil {
			kind = ind
		} else if kind.ValueType != ind.ValueType || kind.Scale != ind.Scale {
			return vn.FormatInt(v)
		}
	}
	if kind == nil {
		return vn.FormatInt(v)
	}
	return formatNum(*kind, v)
}
