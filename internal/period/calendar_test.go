package period

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// d parses dd/mm/yyyy as a date at midnight UTC.
func d(s string) time.Time {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return t
}

func codes(ps []Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code()
	}
	return out
}

func TestStartEnd(t *testing.T) {
	tests := []struct {
		code       string
		start, end string
	}{
		{"202101", "01/01/2021", "31/01/2021"},
		{"202102", "01/02/2021", "28/02/2021"},
		{"202402", "01/02/2024", "29/02/2024"}, // leap year
		{"202002", "01/02/2020", "29/02/2020"},
		{"210002", "01/02/2100", "28/02/2100"}, // not a leap year
		{"200002", "01/02/2000", "29/02/2000"}, // leap year
		{"202104", "01/04/2021", "30/04/2021"},
		{"202108", "01/08/2021", "31/08/2021"},
		{"202112", "01/12/2021", "31/12/2021"},
		{"2021Q1", "01/01/2021", "31/03/2021"},
		{"2021Q2", "01/04/2021", "30/06/2021"},
		{"2021Q3", "01/07/2021", "30/09/2021"},
		{"2021Q4", "01/10/2021", "31/12/2021"},
		{"2021S1", "01/01/2021", "30/06/2021"},
		{"2021S2", "01/07/2021", "31/12/2021"},
		{"2021N9", "01/01/2021", "30/09/2021"},
		{"2021", "01/01/2021", "31/12/2021"},
		{"2024", "01/01/2024", "31/12/2024"},
	}
	for _, tt := range tests {
		p := MustParse(tt.code)
		if got := p.Start(); !got.Equal(d(tt.start)) || got.Location() != time.UTC {
			t.Errorf("%s.Start() = %v, want %s", tt.code, got, tt.start)
		}
		if got := p.End(); !got.Equal(d(tt.end)) || got.Location() != time.UTC {
			t.Errorf("%s.End() = %v, want %s", tt.code, got, tt.end)
		}
	}
	if !(Period{}).Start().IsZero() || !(Period{}).End().IsZero() {
		t.Error("invalid period has non-zero Start/End")
	}
}

func TestSpanLengths(t *testing.T) {
	// Calendar spans of consecutive periods tile too.
	for _, typ := range TypesAll() {
		if typ == NineMonths {
			continue
		}
		for p := (Period{typ, 2019, 1}); p.Year <= 2026; p = p.Next() {
			if !p.Next().Start().Equal(p.End().AddDate(0, 0, 1)) {
				t.Errorf("%s ends %v but %s starts %v", p, p.End(), p.Next(), p.Next().Start())
			}
		}
	}
}

func TestDateOf(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2021, 9, 14, 23, 30, 0, 0, ict), "14/09/2021"},
		{time.Date(2021, 9, 15, 6, 0, 0, 0, ict), "15/09/2021"},
		{time.Date(2021, 9, 15, 6, 0, 0, 0, ict).UTC(), "14/09/2021"},
		{time.Date(2021, 12, 31, 23, 59, 59, 999, time.UTC), "31/12/2021"},
	}
	for _, tt := range tests {
		got := DateOf(tt.in)
		if !got.Equal(d(tt.want)) || got.Location() != time.UTC {
			t.Errorf("DateOf(%v) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPrevNext(t *testing.T) {
	tests := []struct{ prev, p, next string }{
		{"202107", "202108", "202109"},
		{"202112", "202201", "202202"},
		{"202111", "202112", "202201"},
		{"2021Q4", "2022Q1", "2022Q2"},
		{"2021Q3", "2021Q4", "2022Q1"},
		{"2021Q1", "2021Q2", "2021Q3"},
		{"2020S2", "2021S1", "2021S2"},
		{"2021S1", "2021S2", "2022S1"},
		{"2020N9", "2021N9", "2022N9"},
		{"2020", "2021", "2022"},
		{"199912", "200001", "200002"},
	}
	for _, tt := range tests {
		p := MustParse(tt.p)
		if got := p.Prev().Code(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.p, got, tt.prev)
		}
		if got := p.Next().Code(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", tt.p, got, tt.next)
		}
		if p.Next().Prev() != p || p.Prev().Next() != p {
			t.Errorf("%s: Prev/Next do not invert", tt.p)
		}
	}
	// Beyond the year range the result is not valid.
	if p := NewMonth(MaxYear, 12).Next(); p.Valid() || p != NewMonth(MaxYear+1, 1) {
		t.Errorf("9999-12 Next = %#v", p)
	}
	if p := NewQuarter(MinYear, 1).Prev(); p.Valid() || p != NewQuarter(MinYear-1, 4) {
		t.Errorf("1000Q1 Prev = %#v", p)
	}
	if (Period{}).Next() != (Period{}) || (Period{}).Prev() != (Period{}) {
		t.Error("Next/Prev of an invalid period not zero")
	}
}

func TestSameLastYear(t *testing.T) {
	tests := []struct{ p, want string }{
		{"202108", "202008"},
		{"202101", "202001"},
		{"2021Q3", "2020Q3"},
		{"2021S2", "2020S2"},
		{"2021N9", "2020N9"},
		{"2021", "2020"},
		{"2024Q1", "2023Q1"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.p).SameLastYear().Code(); got != tt.want {
			t.Errorf("%s.SameLastYear() = %s, want %s", tt.p, got, tt.want)
		}
	}
	if (Period{}).SameLastYear() != (Period{}) {
		t.Error("SameLastYear of an invalid period not zero")
	}
}

func TestYearToDate(t *testing.T) {
	tests := []struct {
		p    string
		want []string
	}{
		{"202101", []string{"202101"}},
		{"202103", []string{"202101", "202102", "202103"}},
		{"202112", []string{"202101", "202102", "202103", "202104", "202105", "202106", "202107", "202108", "202109", "202110", "202111", "202112"}},
		{"2021Q1", []string{"2021Q1"}},
		{"2021Q3", []string{"2021Q1", "2021Q2", "2021Q3"}},
		{"2021Q4", []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4"}},
		{"2021S1", []string{"2021S1"}},
		{"2021S2", []string{"2021S1", "2021S2"}},
		{"2021N9", []string{"2021N9"}},
		{"2021", []string{"2021"}},
	}
	for _, tt := range tests {
		if got := codes(MustParse(tt.p).YearToDate()); !slices.Equal(got, tt.want) {
			t.Errorf("%s.YearToDate() = %v, want %v", tt.p, got, tt.want)
		}
	}
	if (Period{}).YearToDate() != nil {
		t.Error("YearToDate of an invalid period not nil")
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		p, q string
		want bool
	}{
		{"2021", "2021Q3", true},
		{"2021", "202108", true},
		{"2021", "2021S2", true},
		{"2021", "2021N9", true},
		{"2021", "2021", true},
		{"2021", "2022Q1", false},
		{"2021", "202012", false},
		{"2021N9", "2021Q1", true},
		{"2021N9", "2021Q2", true},
		{"2021N9", "2021Q3", true},
		{"2021N9", "2021Q4", false},
		{"2021N9", "202101", true},
		{"2021N9", "202109", true},
		{"2021N9", "202110", false},
		{"2021N9", "2021S1", true},
		{"2021N9", "2021S2", false},
		{"2021N9", "2021", false},
		{"2021N9", "2020N9", false},
		{"2021S1", "2021Q1", true},
		{"2021S1", "2021Q2", true},
		{"2021S1", "2021Q3", false},
		{"2021S1", "202106", true},
		{"2021S1", "202107", false},
		{"2021S2", "2021Q3", true},
		{"2021S2", "2021Q4", true},
		{"2021S2", "2021Q2", false},
		{"2021S2", "202107", true},
		{"2021Q3", "202107", true},
		{"2021Q3", "202109", true},
		{"2021Q3", "202106", false},
		{"2021Q3", "202110", false},
		{"2021Q3", "2021Q3", true},
		{"2021Q3", "2020Q3", false},
		{"2021Q3", "2021S2", false},
		{"2021Q3", "2021", false},
		{"202108", "202108", true},
		{"202108", "2021Q3", false},
		{"202108", "202208", false},
	}
	for _, tt := range tests {
		if got := MustParse(tt.p).Contains(MustParse(tt.q)); got != tt.want {
			t.Errorf("%s.Contains(%s) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
	if NewYear(2021).Contains(Period{}) || (Period{}).Contains(Period{}) {
		t.Error("Contains with an invalid period is true")
	}
}

func TestContainsMatchesSpans(t *testing.T) {
	var all []Period
	for y := 2020; y <= 2022; y++ {
		for _, typ := range TypesAll() {
			for i := 1; i <= typ.perYear(); i++ {
				all = append(all, Period{typ, y, i})
			}
		}
	}
	for _, p := range all {
		for _, q := range all {
			want := !q.Start().Before(p.Start()) && !q.End().After(p.End())
			if got := p.Contains(q); got != want {
				t.Errorf("%s.Contains(%s) = %v, spans say %v", p, q, got, want)
			}
		}
	}
}

func TestChildren(t *testing.T) {
	tests := []struct {
		p    string
		t    Type
		want []string
	}{
		{"2021Q3", Month, []string{"202107", "202108", "202109"}},
		{"2021Q1", Month, []string{"202101", "202102", "202103"}},
		{"2021S1", Quarter, []string{"2021Q1", "2021Q2"}},
		{"2021S2", Quarter, []string{"2021Q3", "2021Q4"}},
		{"2021S2", Month, []string{"202107", "202108", "202109", "202110", "202111", "202112"}},
		{"2021N9", Quarter, []string{"2021Q1", "2021Q2", "2021Q3"}},
		{"2021N9", SixMonths, []string{"2021S1"}},
		{"2021N9", Month, []string{"202101", "202102", "202103", "202104", "202105", "202106", "202107", "202108", "202109"}},
		{"2021", Quarter, []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4"}},
		{"2021", SixMonths, []string{"2021S1", "2021S2"}},
		{"2021", NineMonths, []string{"2021N9"}},
		{"2021", Year, []string{"2021"}},
		{"2021", Month, []string{"202101", "202102", "202103", "202104", "202105", "202106", "202107", "202108", "202109", "202110", "202111", "202112"}},
		{"2021Q3", Quarter, []string{"2021Q3"}},
		{"2021Q3", SixMonths, nil},
		{"2021Q3", Year, nil},
		{"202108", Quarter, nil},
		{"2021S1", NineMonths, nil},
	}
	for _, tt := range tests {
		got := MustParse(tt.p).Children(tt.t)
		if !slices.Equal(codes(got), tt.want) {
			t.Errorf("%s.Children(%s) = %v, want %v", tt.p, tt.t, codes(got), tt.want)
		}
		if len(tt.want) == 0 && got != nil {
			t.Errorf("%s.Children(%s) = %#v, want nil", tt.p, tt.t, got)
		}
	}
	if NewYear(2021).Children("week") != nil || (Period{}).Children(Month) != nil {
		t.Error("Children with invalid input not nil")
	}
}

func TestCompare(t *testing.T) {
	want := []string{
		"202012", "2020Q4", "2020S2", "2020",
		"202101", "202102", "202103", "2021Q1",
		"202104", "202105", "202106", "2021Q2", "2021S1",
		"202107", "202108", "202109", "2021Q3", "2021N9",
		"202110", "202111", "202112", "2021Q4", "2021S2", "2021",
		"202201",
	}
	var ps []Period
	for _, c := range want {
		ps = append(ps, MustParse(c))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := slices.Clone(ps)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		slices.SortFunc(shuffled, Compare)
		if got := codes(shuffled); !slices.Equal(got, want) {
			t.Fatalf("sorted = %v\nwant     %v", got, want)
		}
	}
	for i, p := range ps {
		for j, q := range ps {
			c := p.Compare(q)
			switch {
			case i < j && (c != -1 || !p.Less(q)):
				t.Errorf("Compare(%s, %s) = %d, want -1", p, q, c)
			case i == j && (c != 0 || p.Less(q)):
				t.Errorf("Compare(%s, %s) = %d, want 0", p, q, c)
			case i > j && (c != 1 || p.Less(q)):
				t.Errorf("Compare(%s, %s) = %d, want 1", p, q, c)
			}
		}
	}
	// Invalid periods sort first, deterministically.
	bad := []Period{{}, {"month", 2021, 13}, {"quarter", 2021, 5}}
	for _, b := range bad {
		if Compare(b, NewMonth(1000, 1)) != -1 || Compare(NewMonth(1000, 1), b) != 1 {
			t.Errorf("invalid %#v does not sort before valid periods", b)
		}
	}
	if Compare(bad[1], bad[2]) != -1 || Compare(bad[2], bad[1]) != 1 || Compare(bad[1], bad[1]) != 0 {
		t.Error("invalid periods are not ordered by type")
	}
	if Compare(NewMonth(2021, 13), NewMonth(2021, 14)) != -1 || Compare(NewMonth(2021, 13), NewMonth(2022, 13)) != -1 {
		t.Error("invalid periods are not ordered by year and index")
	}
}
