package rollup

import (
	"html"
	"sort"
	"strconv"
	"strings"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
	"giaoban/internal/vn"
)

// Figure is a number a sentence may quote.
type Figure struct {
	V     int64
	Type  indicator.ValueType
	Scale int
}

// say writes a figure the way report prose does: money rounded to the
// unit a reader uses ("348 triệu đồng", "hơn 14 triệu đồng"), counts with
// thousand dots.
func (f Figure) say(lang string, asMoney bool) string {
	switch {
	case asMoney || f.Type == indicator.Money:
		if lang == "en" {
			return moneyProseEN(f.V)
		}
		return vn.MoneyProse(f.V)
	case f.Type == indicator.Decimal:
		return localNum(vn.FormatDecimal(f.V, f.Scale), lang)
	}
	return localNum(vn.FormatInt(f.V), lang)
}

// moneyProseEN is vn.MoneyProse in English: "348 million đồng", "more than
// 14 million đồng", "1.2 billion đồng".
func moneyProseEN(v int64) string {
	r := strings.NewReplacer("hơn ", "more than ", "âm ", "minus ", " nghìn", " thousand", " triệu", " million", " tỷ", " billion")
	return localNum(r.Replace(vn.MoneyProse(v)), "en")
}

// localNum writes the numbers of a text formatted the Vietnamese way
// (vn: "22.524", "1.234,5", "62,5%") as the language does: in English
// thousands take commas and decimals a point ("22,524", "1,234.5",
// "62.5%"); Vietnamese, the default, keeps them. Only a separator that
// follows a digit is swapped.
func localNum(s, lang string) string {
	if lang != "en" {
		return s
	}
	b := []byte(s)
	for i := 1; i < len(b); i++ {
		if b[i-1] < '0' || b[i-1] > '9' {
			continue
		}
		switch b[i] {
		case ',':
			b[i] = '.'
		case '.':
			b[i] = ','
		}
	}
	return string(b)
}

// segment is a piece of a template: text, a placeholder, or an optional
// group.
type segment struct {
	text     string
	name     string // placeholder without braces
	optional []segment
}

// parseTemplate splits a template into segments. Unbalanced brackets and
// braces are kept as text.
func parseTemplate(t string) []segment {
	var out []segment
	for len(t) > 0 {
		switch {
		case t[0] == '[':
			end := strings.IndexByte(t, ']')
			if end < 0 {
				out = append(out, segment{text: t})
				return out
			}
			out = append(out, segment{optional: parseTemplate(t[1:end])})
			t = t[end+1:]
		case t[0] == '{':
			end := strings.IndexByte(t, '}')
			if end < 0 {
				out = append(out, segment{text: t})
				return out
			}
			out = append(out, segment{name: strings.TrimSpace(t[1:end])})
			t = t[end+1:]
		default:
			end := strings.IndexAny(t, "[{")
			if end < 0 {
				end = len(t)
			}
			out = append(out, segment{text: t[:end]})
			t = t[end:]
		}
	}
	return out
}

// placeholders lists the indicator codes a template quotes (self for
// {money} and {value}).
func placeholders(tmpl, self string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func([]segment)
	walk = func(segs []segment) {
		for _, s := range segs {
			if s.optional != nil {
				walk(s.optional)
				continue
			}
			if s.name == "" {
				continue
			}
			code := s.name
			if code == "money" || code == "value" {
				code = self
			}
			if !seen[code] {
				seen[code] = true
				out = append(out, code)
			}
		}
	}
	walk(parseTemplate(tmpl))
	return out
}

// Render fills a sentence template with figures (by indicator code; self
// is the template's own indicator, {money} and {value} quote it). A figure
// that is missing or zero drops the optional [ … ] group it is in, or the
// whole sentence when it is outside any group (ok is false then). used
// lists the codes the sentence quotes.
func Render(tmpl, self string, figs map[string]Figure, lang string) (text string, used []string, ok bool) {
	var b strings.Builder
	var walk func(segs []segment, out *strings.Builder, used *[]string) bool
	walk = func(segs []segment, out *strings.Builder, used *[]string) bool {
		for _, s := range segs {
			switch {
			case s.optional != nil:
				var sub strings.Builder
				var u []string
				if walk(s.optional, &sub, &u) {
					out.WriteString(sub.String())
					*used = append(*used, u...)
				}
			case s.name != "":
				code := s.name
				if code == "money" || code == "value" {
					code = self
				}
				f, ok := figs[code]
				if !ok || f.V == 0 {
					return false
				}
				out.WriteString(f.say(lang, s.name == "money"))
				*used = append(*used, code)
			default:
				out.WriteString(s.text)
			}
		}
		return true
	}
	if !walk(parseTemplate(tmpl), &b, &used) {
		return "", nil, false
	}
	return strings.TrimSpace(b.String()), used, true
}

// Sentence is one drafted sentence and the section it belongs to.
type Sentence struct {
	Section string
	Code    string
	Text    string
}

// DraftSentences drafts the results from a table's totals with the
// templates (by indicator code). Templates that quote more indicators go
// first, and an indicator already quoted by one sentence gets no sentence
// of its own ("7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết" says both);
// sentences come out in catalogue order.
func DraftSentences(t *Table, tmpls map[string]Template, lang string) []Sentence {
	figs := map[string]Figure{}
	pos := map[string]int{}
	section := map[string]string{}
	for i, r := range t.Rows() {
		pos[r.Code] = i
		if r.Ind != nil {
			section[r.Code] = r.Ind.Section
		}
		if r.Total.OK {
			f := Figure{V: r.Total.V}
			if r.Ind != nil {
				f.Type, f.Scale = r.Ind.ValueType, r.Ind.Scale
			}
			figs[r.Code] = f
		}
	}
	type cand struct {
		code, text string
		n          int
	}
	var cands []cand
	for code, tm := range tmpls {
		if _, ok := pos[code]; !ok {
			continue
		}
		text := tm.VI
		if lang == "en" && tm.EN != "" {
			text = tm.EN
		}
		cands = append(cands, cand{code: code, text: text, n: len(placeholders(text, code))})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].n != cands[j].n {
			return cands[i].n > cands[j].n
		}
		return pos[cands[i].code] < pos[cands[j].code]
	})
	claimed := map[string]bool{}
	var out []Sentence
	for _, c := range cands {
		if claimed[c.code] {
			continue
		}
		text, used, ok := Render(c.text, c.code, figs, lang)
		if !ok {
			continue
		}
		for _, u := range used {
			claimed[u] = true
		}
		out = append(out, Sentence{Section: section[c.code], Code: c.code, Text: text})
	}
	sort.SliceStable(out, func(i, j int) bool { return pos[out[i].Code] < pos[out[j].Code] })
	return out
}

// PeriodPhrase names a period the way a report's subject does: "Quý III
// năm 2021", "tháng 8 năm 2021", "6 tháng đầu năm 2021", "năm 2021".
func PeriodPhrase(p period.Period, lang string) string {
	if lang == "en" {
		return p.LabelEN()
	}
	roman := []string{"", "I", "II", "III", "IV"}
	switch p.Type {
	case period.Month:
		return "tháng " + itoa(p.Index) + " năm " + itoa(p.Year)
	case period.Quarter:
		return "Quý " + roman[p.Index] + " năm " + itoa(p.Year)
	case period.SixMonths:
		if p.Index == 1 {
			return "6 tháng đầu năm " + itoa(p.Year)
		}
		return "6 tháng cuối năm " + itoa(p.Year)
	case period.NineMonths:
		return "9 tháng đầu năm " + itoa(p.Year)
	}
	return "năm " + itoa(p.Year)
}

func itoa(n int) string { return strconv.Itoa(n) }

// DraftHTML is the drafted results section as HTML paragraphs: a lead
// sentence, then one paragraph per catalogue section.
func DraftHTML(t *Table, tmpls map[string]Template, lang string) string {
	sents := DraftSentences(t, tmpls, lang)
	if len(sents) == 0 {
		return ""
	}
	var b strings.Builder
	if lang == "en" {
		b.WriteString("<p>In " + html.EscapeString(PeriodPhrase(t.Period, lang)) + ", the Front and its member organisations at every level achieved the following:</p>")
	} else {
		b.WriteString("<p>Trong " + html.EscapeString(lowerFirst(PeriodPhrase(t.Period, lang))) +
			", Mặt trận và các tổ chức thành viên các cấp đã tập trung thực hiện các nhiệm vụ trọng tâm, đạt được những kết quả sau:</p>")
	}
	cur := "\x00"
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + html.EscapeString(strings.Join(para, ". ")) + ".</p>")
		}
		para = nil
	}
	for _, s := range sents {
		if s.Section != cur {
			flush()
			cur = s.Section
		}
		para = append(para, strings.TrimSuffix(s.Text, "."))
	}
	flush()
	return b.String()
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
