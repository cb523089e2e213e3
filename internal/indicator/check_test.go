package indicator

import (
	"strings"
	"testing"
)

func rule(code, left, op, right string, sev Severity, msg string) Rule {
	return Rule{Code: code, Left: left, Operator: op, Right: right, Severity: sev, MessageVI: msg, Active: true}
}

func TestCheckOperators(t *testing.T) {
	nums := map[string]int64{"A": 5, "B": 7, "C": 5}
	tests := []struct {
		left, op, right string
		fails           bool
	}{
		{"A", "<=", "B", false}, {"B", "<=", "A", true}, {"A", "<=", "C", false},
		{"A", "<", "B", false}, {"A", "<", "C", true},
		{"B", ">=", "A", false}, {"A", ">=", "B", true}, {"A", ">=", "C", false},
		{"B", ">", "A", false}, {"A", ">", "C", true},
		{"A", "==", "C", false}, {"A", "==", "B", true}, {"A", "=", "B", true},
		{"A", "!=", "B", false}, {"A", "!=", "C", true}, {"A", "≠", "C", true},
		{"A + C", "<=", "B", true}, {"A + C - 3", "<=", "B", false}, {"A", "<=", "10", false}, {"A", ">", "10", true},
	}
	for _, tc := range tests {
		vs := Check(nil, nums, []Rule{rule("R", tc.left, tc.op, tc.right, Warning, "sai")})
		if got := len(vs) == 1; got != tc.fails {
			t.Errorf("%s %s %s: violated = %v, want %v", tc.left, tc.op, tc.right, got, tc.fails)
		}
	}
}

func TestCheckSeverityMissingAndForm(t *testing.T) {
	rules := []Rule{
		rule("NHA_LUY_KE", "NHA_TINH_NGHIA_BAN_GIAO", "<=", "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE", Blocking,
			"Số nhà bàn giao trong kỳ ({left}) không thể lớn hơn lũy kế ({right})"),
		rule("QUY_CHI", "QUY_COVID_CHI_HO_TRO", "<=", "QUY_COVID_TIEP_NHAN", Warning,
			"Tiền chi ({left}) nhiều hơn tiền tiếp nhận ({right})"),
		rule("HIEN_MAU", "HIEN_MAU_DON_VI", ">=", "HIEN_MAU_LUOT", Warning, ""),
	}
	form := &Form{Indicators: []Indicator{
		{Code: "NHA_TINH_NGHIA_BAN_GIAO", ValueType: Integer},
		{Code: "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE", ValueType: Integer},
		{Code: "QUY_COVID_CHI_HO_TRO", ValueType: Money},
		{Code: "QUY_COVID_TIEP_NHAN", ValueType: Money},
		{Code: "HIEN_MAU_LUOT", ValueType: Integer},
		{Code: "HIEN_MAU_DON_VI", ValueType: Integer},
	}}

	// Everything missing: nothing to say.
	if vs := Check(form, map[string]int64{}, rules); len(vs) != 0 {
		t.Fatalf("empty values: %v", vs)
	}
	// The article's quarter: all consistent.
	ok := map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 7, "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE": 9,
		"QUY_COVID_TIEP_NHAN": 348_000_000, "QUY_COVID_CHI_HO_TRO": 14_200_000, "HIEN_MAU_LUOT": 40, "HIEN_MAU_DON_VI": 40}
	if vs := Check(form, ok, rules); len(vs) != 0 {
		t.Fatalf("consistent values: %v", vs)
	}
	// A missing indicator in a rule that has values counts as 0.
	vs := Check(form, map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 7}, rules)
	if len(vs) != 1 || vs[0].RuleCode != "NHA_LUY_KE" || vs[0].Severity != Blocking || !Blocks(vs) {
		t.Fatalf("missing cumulative: %+v", vs)
	}
	if want := "Số nhà bàn giao trong kỳ (7) không thể lớn hơn lũy kế (0)"; vs[0].Message != want {
		t.Errorf("message %q, want %q", vs[0].Message, want)
	}
	// Warnings do not block; money is formatted as money.
	vs = Check(form, map[string]int64{"QUY_COVID_CHI_HO_TRO": 20_000_000, "QUY_COVID_TIEP_NHAN": 15_000_000}, rules)
	if len(vs) != 1 || vs[0].Severity != Warning || Blocks(vs) {
		t.Fatalf("money warning: %+v", vs)
	}
	if want := "Tiền chi (20.000.000 đ) nhiều hơn tiền tiếp nhận (15.000.000 đ)"; vs[0].Message != want {
		t.Errorf("message %q, want %q", vs[0].Message, want)
	}
	// A rule without a message gets one naming the sides.
	vs = Check(form, map[string]int64{"HIEN_MAU_LUOT": 12}, rules)
	if len(vs) != 1 || vs[0].Message != "HIEN_MAU_DON_VI (0) không được nhỏ hơn HIEN_MAU_LUOT (12)" {
		t.Fatalf("default message: %+v", vs)
	}
	vs = CheckLang(form, map[string]int64{"HIEN_MAU_LUOT": 12}, rules, "en")
	if len(vs) != 1 || vs[0].Message != "HIEN_MAU_DON_VI (0) must not be less than HIEN_MAU_LUOT (12)" {
		t.Fatalf("default English message: %+v", vs)
	}
	// A form without the cumulative indicator: the rule does not apply.
	monthly := &Form{Indicators: form.Indicators[:1]}
	if vs := Check(monthly, map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 7}, rules); len(vs) != 0 {
		t.Fatalf("rule applied to a form without its indicators: %+v", vs)
	}
	// Without a form every rule applies.
	if vs := Check(nil, map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 7}, rules); len(vs) != 1 {
		t.Fatalf("no form: %+v", vs)
	}
}

func TestCheckSkipsInactiveBrokenAndConstantRules(t *testing.T) {
	inactive := rule("OFF", "A", "<", "B", Blocking, "x")
	inactive.Active = false
	rules := []Rule{
		inactive,
		rule("BROKEN", "A +", "<", "B", Blocking, "x"),
		rule("BADOP", "A", "=>>", "B", Blocking, "x"),
		rule("CONST", "1", ">", "2", Blocking, "x"),
	}
	if vs := Check(nil, map[string]int64{"A": 5, "B": 1}, rules); len(vs) != 0 {
		t.Fatalf("got %+v", vs)
	}
}

func TestCheckEnglishMessageFallsBack(t *testing.T) {
	r := rule("R", "A", "<=", "B", Warning, "Vượt ({left} > {right})")
	vs := CheckLang(nil, map[string]int64{"A": 2, "B": 1}, []Rule{r}, "en")
	if len(vs) != 1 || vs[0].Message != "Vượt (2 > 1)" {
		t.Fatalf("%+v", vs)
	}
	r.MessageEN = "Over ({left} > {right})"
	vs = CheckLang(nil, map[string]int64{"A": 2, "B": 1}, []Rule{r}, "en")
	if len(vs) != 1 || !strings.HasPrefix(vs[0].Message, "Over (2") {
		t.Fatalf("%+v", vs)
	}
}

func TestNormalizeOperator(t *testing.T) {
	for in, want := range map[string]string{"<=": "<=", "=<": "<=", "≤": "<=", " < ": "<", ">=": ">=", "≥": ">=", ">": ">",
		"=": "==", "==": "==", "!=": "!=", "<>": "!=", "≠": "!=", "": "", "=>>": "", "lt": ""} {
		if got := NormalizeOperator(in); got != want {
			t.Errorf("NormalizeOperator(%q) = %q, want %q", in, got, want)
		}
	}
}
