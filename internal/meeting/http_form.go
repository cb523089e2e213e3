package meeting

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"giaoban/internal/org"
	"giaoban/internal/reporting"
)

// meetingForm is the meeting form as shown: what was stored, or what was
// typed when the form comes back with errors.
type meetingForm struct {
	ID, Version                      int64
	BlocID                           int64
	Kind, Title, Period, Date, Time  string
	Place, Purpose                   string
	ChairName, ChairTitle, ChairBody string
	Units, Bodies                    map[int64]bool
	Persons                          []personRow
	Agenda, Minutes, Conclusions     string
	Status                           Status
}

type personRow struct{ Name, Title, Body string }

// extraPersons is how many empty person rows the form offers.
const extraPersons = 3

// ref encodes an external body ("b:12") or a unit ("u:7") in one select.
func ref(bodyID, unitID *int64) string {
	switch {
	case bodyID != nil:
		return "b:" + strconv.FormatInt(*bodyID, 10)
	case unitID != nil:
		return "u:" + strconv.FormatInt(*unitID, 10)
	}
	return ""
}

func parseRef(s string) (bodyID, unitID *int64) {
	kind, num, ok := strings.Cut(strings.TrimSpace(s), ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || id <= 0 {
		return nil, nil
	}
	if kind == "b" {
		return &id, nil
	}
	if kind == "u" {
		return nil, &id
	}
	return nil, nil
}

func formOf(m *Meeting) meetingForm {
	f := meetingForm{ID: m.ID, Version: m.Version, BlocID: m.BlocID, Kind: string(m.Kind), Title: m.Title, Period: m.Period,
		Date: localDate(m.StartsAt), Time: localTime(m.StartsAt), Place: m.Place, Purpose: m.Purpose,
		ChairName: m.Chair.Name, ChairTitle: m.Chair.Title, ChairBody: ref(m.Chair.BodyID, m.Chair.UnitID),
		Units: map[int64]bool{}, Bodies: map[int64]bool{}, Agenda: strings.Join(m.Agenda, "\n"),
		Minutes: reporting.Editable(m.Minutes), Conclusions: reporting.Editable(m.Conclusions), Status: m.Status}
	for _, a := range m.Attendees {
		switch a.Kind {
		case AttendeeUnit:
			f.Units[*a.UnitID] = true
		case AttendeeBody:
			f.Bodies[*a.BodyID] = true
		case AttendeePerson:
			f.Persons = append(f.Persons, personRow{Name: a.Name, Title: a.Title, Body: ref(a.BodyID, a.UnitID)})
		}
	}
	for range extraPersons {
		f.Persons = append(f.Persons, personRow{})
	}
	return f
}

// readMeetingForm reads the posted meeting form into what to show again
// and what to save.
func readMeetingForm(r *http.Request) (meetingForm, MeetingInput, *form) {
	f := &form{r: r}
	mf := meetingForm{BlocID: f.id("bloc_id"), Kind: f.text("kind"), Title: f.text("title"), Period: f.text("period"),
		Date: f.text("date"), Time: f.text("time"), Place: f.text("place"), Purpose: f.text("purpose"),
		ChairName: f.text("chair_name"), ChairTitle: f.text("chair_title"), ChairBody: f.text("chair_body"),
		Units: map[int64]bool{}, Bodies: map[int64]bool{}, Agenda: r.PostFormValue("agenda"),
		Minutes: r.PostFormValue("minutes"), Conclusions: r.PostFormValue("conclusions")}
	if v := f.version("version"); v != nil {
		mf.Version = *v
	}
	in := MeetingInput{BlocID: mf.BlocID, Kind: Kind(mf.Kind), Title: mf.Title, Period: mf.Period, Place: mf.Place,
		Purpose: mf.Purpose, Minutes: mf.Minutes, Conclusions: mf.Conclusions, Version: f.version("version")}
	in.StartsAt = f.dateTime("date", "time")
	in.Chair = Person{Name: mf.ChairName, Title: mf.ChairTitle}
	in.Chair.BodyID, in.Chair.UnitID = parseRef(mf.ChairBody)
	for _, id := range f.ids("att_unit") {
		mf.Units[id] = true
		in.Attendees = append(in.Attendees, Attendee{Kind: AttendeeUnit, UnitID: &id})
	}
	for _, id := range f.ids("att_body") {
		mf.Bodies[id] = true
		in.Attendees = append(in.Attendees, Attendee{Kind: AttendeeBody, BodyID: &id})
	}
	names, titles, bodies := r.PostForm["person_name"], r.PostForm["person_title"], r.PostForm["person_body"]
	for i, name := range names {
		row := personRow{Name: strings.TrimSpace(name)}
		if i < len(titles) {
			row.Title = strings.TrimSpace(titles[i])
		}
		if i < len(bodies) {
			row.Body = bodies[i]
		}
		if row.Name == "" && row.Title == "" {
			continue
		}
		mf.Persons = append(mf.Persons, row)
		a := Attendee{Kind: AttendeePerson, Name: row.Name, Title: row.Title}
		a.BodyID, a.UnitID = parseRef(row.Body)
		in.Attendees = append(in.Attendees, a)
	}
	for range extraPersons {
		mf.Persons = append(mf.Persons, personRow{})
	}
	for _, line := range strings.Split(mf.Agenda, "\n") {
		if line = strings.TrimSpace(listMark.ReplaceAllString(line, "")); line != "" {
			in.Agenda = append(in.Agenda, line)
		}
	}
	return mf, in, f
}

// listMark is the numbering or bullet a pasted agenda line may start with.
var listMark = regexp.MustCompile(`^\s*(?:\d{1,2}[.)]|[-–•+*])\s+`)

// option is a choice of a select.
type option struct {
	Value, Label, Group string
}

// formData is what the meeting form shows besides the form.
type formData struct {
	F       meetingForm
	Blocs   []org.Bloc
	Members []org.Unit
	Bodies  []org.ExternalBody
	Refs    []option // chair and person bodies: external bodies and units
	Kinds   []Kind
	Periods []periodChoice
}

// formChoices gathers the choices of the meeting form for a bloc: its
// member units and the external bodies of its area.
func (h *Handler) formChoices(ctx context.Context, mf meetingForm) (*formData, error) {
	blocs, err := h.Service.ManagedBlocs(ctx)
	if err != nil {
		return nil, err
	}
	d := &formData{F: mf, Blocs: blocs, Kinds: Kinds, Periods: periodChoices(h.Service.choiceYear(mf.Period))}
	var bloc *org.Bloc
	for i := range blocs {
		if blocs[i].ID == mf.BlocID {
			bloc = &blocs[i]
		}
	}
	if bloc == nil && len(blocs) > 0 {
		bloc = &blocs[0]
		if d.F.BlocID == 0 {
			d.F.BlocID = bloc.ID
		}
	}
	if bloc == nil {
		return d, nil
	}
	if d.Members, err = h.Service.Org.BlocMembers(ctx, bloc.ID); err != nil {
		return nil, err
	}
	if d.Bodies, err = h.Service.Org.ExternalBodies(ctx, bloc.AreaID); err != nil {
		return nil, err
	}
	for _, b := range d.Bodies {
		d.Refs = append(d.Refs, option{Value: ref(&b.ID, nil), Label: b.Name, Group: "bodies"})
	}
	for _, u := range d.Members {
		d.Refs = append(d.Refs, option{Value: ref(nil, &u.ID), Label: u.Name, Group: "units"})
	}
	return d, nil
}
