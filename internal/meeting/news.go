package meeting

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
)

// News is the news article about a held meeting, in the style of the
// district's information centre: title, lead, results, directives, author.
type News struct {
	MeetingID int64 `json:"meeting_id"`
	// Version is the saved version; 0 for a fresh draft not saved yet.
	Version     int64      `json:"version"`
	Title       string     `json:"title"`
	PublishedOn db.Date    `json:"published_on"`
	Body        string     `json:"body"` // sanitised HTML, one <p> per paragraph
	Author      string     `json:"author"`
	AuthorUnit  string     `json:"author_unit"`
	SavedAt     *time.Time `json:"saved_at,omitempty"`
	SavedByName string     `json:"saved_by,omitempty"`
}

// Byline is "Văn Chi - Trung tâm VH - TT&TT huyện".
func (n *News) Byline() string {
	switch {
	case n.Author != "" && n.AuthorUnit != "":
		return n.Author + " - " + n.AuthorUnit
	case n.Author != "":
		return n.Author
	}
	return n.AuthorUnit
}

// NewsInput saves a version of the article. BaseVersion is the version the
// editor started from (0 for the draft); a newer saved version refuses the
// save, so that no one's edit is lost.
type NewsInput struct {
	Title       string  `json:"title"`
	PublishedOn db.Date `json:"published_on"`
	Body        string  `json:"body"`
	Author      string  `json:"author"`
	AuthorUnit  string  `json:"author_unit"`
	BaseVersion int64   `json:"base_version"`
}

// timeOfDay is how an article opens: "Sáng", "Chiều", "Tối".
func timeOfDay(t time.Time) string {
	switch h := t.Hour(); {
	case h < 12:
		return "Sáng"
	case h < 18:
		return "Chiều"
	}
	return "Tối"
}

// newsTitle is "Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể
// huyện …".
func newsTitle(m *Meeting) string {
	p, err := period.Parse(m.Period)
	if err != nil || m.Kind == Thematic {
		return m.Title
	}
	return "Hội nghị giao ban " + periodShort(p) + " " + m.BlocName
}

// lowerFirst lower-cases the first letter of a sentence joined into
// another, unless its first word is an acronym ("UBND", "MTTQ").
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	upper := 0
	for _, r := range word {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	if upper > 1 {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ".;, ")
	return s + "."
}

// attendeePhrase lists who attended with the chair: people by name and
// title, bodies by their leaders; the Party committee's boards are named
// together ("các ban Đảng Huyện ủy") when there are several.
func attendeePhrase(as []Attendee) string {
	var people, bodies []string
	boards := map[string][]Attendee{}
	var order []string
	for _, a := range as {
		switch a.Kind {
		case AttendeePerson:
			people = append(people, "đồng chí "+Person{Name: a.Name, Title: a.Title}.Label())
		case AttendeeBody:
			if a.BodyKind == org.KindPartyBoard && a.BodyParent != "" {
				if _, ok := boards[a.BodyParent]; !ok {
					order = append(order, "board:"+a.BodyParent)
				}
				boards[a.BodyParent] = append(boards[a.BodyParent], a)
				continue
			}
			order = append(order, "body:"+bodyName(a))
		}
	}
	for _, o := range order {
		if parent, ok := strings.CutPrefix(o, "board:"); ok {
			if list := boards[parent]; len(list) > 1 {
				bodies = append(bodies, "các ban Đảng "+parent)
			} else {
				bodies = append(bodies, list[0].BodyName)
			}
			continue
		}
		bodies = append(bodies, strings.TrimPrefix(o, "body:"))
	}
	var parts []string
	parts = append(parts, people...)
	if len(bodies) > 0 {
		parts = append(parts, "lãnh đạo "+strings.Join(bodies, ", "))
	}
	return strings.Join(parts, "; ")
}

func bodyName(a Attendee) string {
	if a.BodyShort != "" {
		return a.BodyShort
	}
	return a.BodyName
}

// Draft drafts the news article of a held meeting from what is recorded:
// the lead (time of day and date, bloc, meeting, purpose, chair and
// attendees), the results (from Results, or the meeting's conclusions) and
// the directives.
func (s *Service) Draft(ctx context.Context, meetingID int64) (*News, error) {
	m, err := s.Meeting(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	if !m.Held() {
		return nil, apperr.New(apperr.Conflict, "meeting.err.news_not_held")
	}
	var paras []string
	// The lead.
	var lead strings.Builder
	if t := m.Local(); t != nil {
		fmt.Fprintf(&lead, "%s ngày %d/%d, ", timeOfDay(*t), t.Day(), int(t.Month()))
	}
	lead.WriteString(m.BlocName + " đã tổ chức " + m.Title)
	purpose := strings.TrimPrefix(strings.TrimSpace(m.Purpose), "nhằm ")
	if purpose == "" {
		purpose = defaultPurpose(m.Kind, m.Period)
	}
	if purpose != "" {
		lead.WriteString(" nhằm " + purpose)
	}
	text := sentence(lead.String())
	with := attendeePhrase(m.Attendees)
	switch {
	case m.Chair.Set():
		text += " Dự và chỉ đạo Hội nghị có đồng chí " + sentence(m.Chair.Label())
		if with != "" {
			text += " Cùng dự với đồng chí còn có " + sentence(with)
		}
	case with != "":
		text += " Dự Hội nghị có " + sentence(with)
	}
	paras = append(paras, text)
	// The results.
	results := ""
	if s.Results != nil && m.Period != "" {
		r, err := s.Results(ctx, m.BlocID, m.Period)
		if err != nil {
			slog.Warn("meeting: results narrative unavailable; using the conclusions", "meeting", m.ID, "err", err)
		}
		results = r
	}
	if strings.TrimSpace(results) == "" {
		results = m.Conclusions
	}
	for _, line := range strings.Split(reporting.PlainText(reporting.Sanitize(results)), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			paras = append(paras, line)
		}
	}
	// The directives.
	directives, err := s.queryTasks(ctx, s.DB, "SELECT "+taskCols+taskFrom+" WHERE t.meeting_id = $1 ORDER BY t.seq, t.id", m.ID)
	if err != nil {
		return nil, err
	}
	var items []string
	for _, d := range directives {
		if d.Status != Cancelled {
			items = append(items, lowerFirst(strings.TrimRight(d.Title, ".;, ")))
		}
	}
	if m.Chair.Set() {
		text := "Phát biểu chỉ đạo Hội nghị, đồng chí " + m.Chair.Label() + " ghi nhận sự nỗ lực của tập thể và các cá nhân " + m.BlocName + "."
		if len(items) > 0 {
			text += " Đồng thời, đồng chí yêu cầu trong thời gian tới Khối cần " + sentence(strings.Join(items, "; "))
		}
		paras = append(paras, text)
	} else if len(items) > 0 {
		paras = append(paras, "Hội nghị thống nhất trong thời gian tới Khối cần "+sentence(strings.Join(items, "; ")))
	}
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<p>" + html.EscapeString(p) + "</p>")
	}
	return &News{MeetingID: m.ID, Title: newsTitle(m), PublishedOn: s.Today(), Body: reporting.Sanitize(body.String())}, nil
}
