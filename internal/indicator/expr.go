package indicator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxExprLen bounds the text of a rule expression.
const MaxExprLen = 1000

// Term is one signed operand of an expression: an indicator code or an
// integer constant.
type Term struct {
	Neg   bool   // subtracted
	Code  string // indicator code, upper case; "" for a constant
	Const int64  // the constant when Code is ""
}

// Expr is a parsed rule side: terms added or subtracted,
// "NHA_TINH_NGHIA_KHOI_CONG + NHA_DDK_KHOI_CONG - 2".
type Expr struct {
	Terms []Term
}

// ExprError says what is wrong with an expression and where (Pos is the
// 1-based character position, 0 for the whole expression).
type ExprError struct {
	Pos int
	Msg string
}

func (e *ExprError) Error() string {
	if e.Pos > 0 {
		return fmt.Sprintf("Biểu thức sai ở vị trí %d: %s", e.Pos, e.Msg)
	}
	return "Biểu thức sai: " + e.Msg
}

// ParseExpr reads a rule expression: indicator codes (letters, digits and
// underscores, starting with a letter; case does not matter) and
// non-negative integer literals, joined by + and -, with optional
// white space. A leading + or - applies to the first term. Errors are
// *ExprError with a Vietnamese message.
func ParseExpr(s string) (Expr, error) {
	if len(s) > MaxExprLen {
		return Expr{}, &ExprError{Msg: fmt.Sprintf("quá dài (tối đa %d ký tự)", MaxExprLen)}
	}
	var e Expr
	rs := []rune(s)
	i := 0
	skip := func() {
		for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t' || rs[i] == '\n' || rs[i] == '\r' || rs[i] == '\u00a0') {
			i++
		}
	}
	skip()
	if i == len(rs) {
		return Expr{}, &ExprError{Msg: "chưa nhập biểu thức"}
	}
	neg := false
	if rs[i] == '+' || rs[i] == '-' || rs[i] == '\u2212' {
		neg = rs[i] != '+'
		i++
		skip()
	}
	for {
		if i == len(rs) {
			return Expr{}, &ExprError{Pos: i + 1, Msg: "thiếu mã chỉ tiêu hoặc số sau dấu + hay -"}
		}
		start := i
		c := rs[i]
		switch {
		case isCodeStart(c):
			for i < len(rs) && isCodeChar(rs[i]) {
				i++
			}
			e.Terms = append(e.Terms, Term{Neg: neg, Code: strings.ToUpper(string(rs[start:i]))})
		case c >= '0' && c <= '9':
			for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
				i++
			}
			if i < len(rs) && isCodeChar(rs[i]) {
				return Expr{}, &ExprError{Pos: i + 1, Msg: fmt.Sprintf("'%s' không phải là mã chỉ tiêu (mã phải bắt đầu bằng chữ cái)", string(rs[start:codeEnd(rs, i)]))}
			}
			v, err := strconv.ParseInt(string(rs[start:i]), 10, 64)
			if err != nil {
				return Expr{}, &ExprError{Pos: start + 1, Msg: fmt.Sprintf("số '%s' quá lớn", string(rs[start:i]))}
			}
			e.Terms = append(e.Terms, Term{Neg: neg, Const: v})
		case c == '+' || c == '-' || c == '\u2212':
			return Expr{}, &ExprError{Pos: i + 1, Msg: "hai dấu + hoặc - liền nhau"}
		default:
			return Expr{}, &ExprError{Pos: i + 1, Msg: fmt.Sprintf("ký tự '%c' không được dùng (chỉ dùng mã chỉ tiêu, số nguyên, + và -)", c)}
		}
		skip()
		if i == len(rs) {
			return e, nil
		}
		switch rs[i] {
		case '+':
			neg = false
		case '-', '\u2212':
			neg = true
		default:
			if isCodeChar(rs[i]) {
				return Expr{}, &ExprError{Pos: i + 1, Msg: "thiếu dấu + hoặc - giữa hai mã"}
			}
			return Expr{}, &ExprError{Pos: i + 1, Msg: fmt.Sprintf("ký tự '%c' không được dùng (chỉ dùng mã chỉ tiêu, số nguyên, + và -)", rs[i])}
		}
		i++
		skip()
	}
}

func codeEnd(rs []rune, i int) int {
	for i < len(rs) && isCodeChar(rs[i]) {
		i++
	}
	return i
}

func isCodeStart(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }

func isCodeChar(r rune) bool { return isCodeStart(r) || r >= '0' && r <= '9' || r == '_' }

// Codes lists the indicator codes of the expression, each once, in order.
func (e Expr) Codes() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range e.Terms {
		if t.Code != "" && !seen[t.Code] {
			seen[t.Code] = true
			out = append(out, t.Code)
		}
	}
	return out
}

// String writes the expression in its canonical form: "A + B - 2".
func (e Expr) String() string {
	var b strings.Builder
	for i, t := range e.Terms {
		switch {
		case i == 0 && t.Neg:
			b.WriteString("-")
		case i > 0 && t.Neg:
			b.WriteString(" - ")
		case i > 0:
			b.WriteString(" + ")
		}
		if t.Code != "" {
			b.WriteString(t.Code)
		} else {
			b.WriteString(strconv.FormatInt(t.Const, 10))
		}
	}
	return b.String()
}

// Eval computes the expression over values keyed by indicator code; a
// missing code counts as 0. present tells how many of its codes had a
// value. Sums saturate at the int64 bounds instead of wrapping.
func (e Expr) Eval(nums map[string]int64) (value int64, present int) {
	for _, t := range e.Terms {
		v := t.Const
		if t.Code != "" {
			x, ok := nums[t.Code]
			if ok {
				present++
			}
			v = x
		}
		if t.Neg {
			value = subSat(value, v)
		} else {
			value = addSat(value, v)
		}
	}
	return value, present
}

func addSat(a, b int64) int64 {
	s := a + b
	if a > 0 && b > 0 && s < 0 {
		return math.MaxInt64
	}
	if a < 0 && b < 0 && s >= 0 {
		return math.MinInt64
	}
	return s
}

func subSat(a, b int64) int64 {
	if b == math.MinInt64 {
		if a >= 0 {
			return math.MaxInt64
		}
		return a - b
	}
	return addSat(a, -b)
}
