package meeting

import (
	"fmt"
	"strings"

	"giaoban/internal/period"
)

var roman = []string{"", "I", "II", "III", "IV"}

// periodShort names a period the way an article does inside a sentence,
// without the year: "Quý III", "tháng 8", "6 tháng đầu năm", "năm".
func periodShort(p period.Period) string {
	switch p.Type {
	case period.Month:
		return fmt.Sprintf("tháng %d", p.Index)
	case period.Quarter:
		return "Quý " + roman[p.Index]
	case period.SixMonths:
		if p.Index == 1 {
			return "6 tháng đầu năm"
		}
		return "6 tháng cuối năm"
	case period.NineMonths:
		return "9 tháng đầu năm"
	}
	return "năm"
}

// periodPhrase names a period with its year: "Quý III năm 2021", "tháng 8
// năm 2021", "6 tháng đầu năm 2021", "năm 2021".
func periodPhrase(p period.Period) string {
	s := periodShort(p)
	if strings.HasSuffix(s, "năm") {
		return fmt.Sprintf("%s %d", s, p.Year)
	}
	return fmt.Sprintf("%s năm %d", s, p.Year)
}

// DefaultTitle is the usual title of a meeting of the kind about the
// period: "Hội nghị giao ban Quý III năm 2021"; "" when there is none.
func DefaultTitle(k Kind, periodCode string) string {
	p, err := period.Parse(periodCode)
	if err != nil || k == Thematic {
		return ""
	}
	return "Hội nghị giao ban " + periodPhrase(p)
}

// defaultPurpose is the "nhằm …" of the lead for a review of the period:
// the results of the period and the programme of the next one.
func defaultPurpose(k Kind, periodCode string) string {
	p, err := period.Parse(periodCode)
	if err != nil || k == Thematic {
		return ""
	}
	return "đánh giá kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội " + periodShort(p) +
		" và Chương trình công tác " + periodPhrase(p.Next())
}

// checkPeriod tells whether a period code suits the kind: a month for a
// monthly meeting, a quarter for a quarterly one, anything (or nothing)
// for a thematic one. It returns the message key of the problem.
func checkPeriod(k Kind, code string) (string, string) {
	if code == "" {
		if k == Thematic {
			return "", ""
		}
		return "", "meeting.err.period_required"
	}
	p, err := period.Parse(code)
	if err != nil {
		return "", "meeting.err.period"
	}
	switch {
	case k == Monthly && p.Type != period.Month:
		return "", "meeting.err.period_month"
	case k == Quarterly && p.Type != period.Quarter:
		return "", "meeting.err.period_quarter"
	}
	return p.Code(), ""
}

// periodChoice is a period offered as a suggestion in a form's period field.
type periodChoice struct{ P period.Period }

// Code is what the field receives.
func (c periodChoice) Code() string { return c.P.Code() }

// Label names the period in lang.
func (c periodChoice) Label(lang string) string { return c.P.Label(lang) }

// periodChoices are the periods people pick for a meeting or a report: for
// year, then the year before and the year after, its quarters, halves, nine
// months, the year and its months.
func periodChoices(year int) []periodChoice {
	var out []periodChoice
	add := func(p period.Period) { out = append(out, periodChoice{p}) }
	for _, y := range []int{year, year - 1, year + 1} {
		for q := 1; q <= 4; q++ {
			add(period.NewQuarter(y, q))
		}
		add(period.NewHalf(y, 1))
		add(period.NewNineMonths(y))
		add(period.NewHalf(y, 2))
		add(period.NewYear(y))
		for m := 1; m <= 12; m++ {
			add(period.NewMonth(y, m))
		}
	}
	return out
}

// choiceYear is the year whose periods a form suggests: the year of the
// period already typed, or the current one.
func (s *Service) choiceYear(typed string) int {
	if p, err := period.Parse(typed); err == nil {
		return p.Year
	}
	return s.now().In(Vietnam).Year()
}
