package rollup

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/reporting"
)

// What a review meeting takes from the roll-up: the consolidated report
// frozen as a snapshot, and the results paragraph of the news draft. The
// meeting room declares the hooks (meeting.SnapshotSource and
// meeting.ResultsSource); the two methods below have their signatures, so
// the application (and the demo) set them without this package importing
// the meeting room.

// meetingLang is the language of what a meeting keeps: its documents of
// record are Vietnamese, whatever the language of the person who froze them.
const meetingLang = "vi"

//go:embed templates/snapshot/report.html
var snapshotFS embed.FS

var snapshotTmpl = template.Must(template.New("snapshot").ParseFS(snapshotFS, "templates/snapshot/report.html"))

// snapshotView is what the snapshot's template receives.
type snapshotView struct {
	Report      *Report
	PeriodLabel string
	States      []stateCount
	Lang        string
}

type stateCount struct {
	Label string
	N     int
}

// T translates in the snapshot's language.
func (v snapshotView) T(key string, args ...any) string { return i18n.T(v.Lang, key, args...) }

// SnapshotData is the data of a frozen consolidated report: the report as the
// JSON API gives it, with the period's code, the text of its results
// section and whether the secretariat edited it.
type SnapshotData struct {
	*Report
	Period          string `json:"period"`
	PeriodLabel     string `json:"period_label"`
	ApprovedOnly    bool   `json:"approved_only"`
	NarrativeHTML   string `json:"narrative_html"`
	NarrativeEdited bool   `json:"narrative_edited"`
}

// MeetingSnapshot is the meeting room's SnapshotSource: the consolidated
// report of a bloc for a period as it stands now, from approved reports
// (the figures a meeting reviews), in Vietnamese. The HTML is the page's
// content without its controls: completeness, the results section as
// edited by the secretariat (or as drafted), the tables of indicators by
// section × organisations with the bloc total, previous period, same
// period last year, year to date, annual target and % of the plan, and
// the units' narratives. It stands alone: no link to the live report, no
// script, no inline style. data is SnapshotData as JSON.
func (s *Service) MeetingSnapshot(ctx context.Context, blocID int64, periodCode string) (title, html string, data []byte, err error) {
	p, err := period.Parse(periodCode)
	if err != nil {
		return "", "", nil, apperr.Field("period", "rollup.err.period", periodCode)
	}
	rep, err := s.Report(ctx, ReportQuery{BlocID: blocID, Period: p, Lang: meetingLang})
	if err != nil {
		return "", "", nil, err
	}
	v := snapshotView{Report: rep, PeriodLabel: p.Label(meetingLang), Lang: meetingLang}
	for _, st := range reporting.States {
		if n := rep.Completeness.Counts[st]; n > 0 {
			v.States = append(v.States, stateCount{Label: v.T("reporting.state." + string(st)), N: n})
		}
	}
	var b bytes.Buffer
	if err := snapshotTmpl.ExecuteTemplate(&b, "report", v); err != nil {
		return "", "", nil, fmt.Errorf("rollup: snapshot of bloc %d for %s: %w", blocID, periodCode, err)
	}
	data, err = json.Marshal(SnapshotData{Report: rep, Period: p.Code(), PeriodLabel: v.PeriodLabel, ApprovedOnly: true,
		NarrativeHTML: string(rep.SafeNarrative()), NarrativeEdited: rep.Draft != nil})
	if err != nil {
		return "", "", nil, fmt.Errorf("rollup: snapshot of bloc %d for %s: %w", blocID, periodCode, err)
	}
	title = v.T("rollup.snapshot.title", PeriodPhrase(p, meetingLang), rep.Bloc.Name)
	return title, b.String(), data, nil
}

// MeetingResults is the meeting room's ResultsSource: the results section
// of the bloc's consolidated report for the period, as the secretariat
// edited it when it did, otherwise as drafted from the approved figures
// (DraftHTML). It is HTML paragraphs; "" when nothing was reported.
func (s *Service) MeetingResults(ctx context.Context, blocID int64, periodCode string) (string, error) {
	p, err := period.Parse(periodCode)
	if err != nil {
		return "", apperr.Field("period", "rollup.err.period", periodCode)
	}
	b, a, err := s.place(ctx, ReportQuery{BlocID: blocID, Period: p})
	if err != nil {
		return "", err
	}
	dr, err := s.DraftOf(ctx, b.ID, p.Code(), a.ID)
	if err != nil {
		return "", err
	}
	if dr != nil {
		return reporting.Sanitize(dr.HTML), nil
	}
	t, err := s.Table(ctx, TableQuery{AreaID: a.ID, Period: p, Approved: true, Lang: meetingLang})
	if err != nil {
		return "", err
	}
	tmpls, err := s.Templates(ctx)
	if err != nil {
		return "", err
	}
	return DraftHTML(t, tmpls, meetingLang), nil
}
