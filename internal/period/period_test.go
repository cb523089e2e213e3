package period

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		code string
	}{
		{"202108", NewMonth(2021, 8), "202108"},
		{"202101", NewMonth(2021, 1), "202101"},
		{"202112", NewMonth(2021, 12), "202112"},
		{"202402", NewMonth(2024, 2), "202402"},
		{"2021Q1", NewQuarter(2021, 1), "2021Q1"},
		{"2021Q3", NewQuarter(2021, 3), "2021Q3"},
		{"2021Q4", NewQuarter(2021, 4), "2021Q4"},
		{"2021S1", NewHalf(2021, 1), "2021S1"},
		{"2021S2", NewHalf(2021, 2), "2021S2"},
		{"2021N9", NewNineMonths(2021), "2021N9"},
		{"2021", NewYear(2021), "2021"},
		{"1000", NewYear(1000), "1000"},
		{"9999Q4", NewQuarter(9999, 4), "9999Q4"},
		// Lower case and surrounding white space are accepted and normalised.
		{"2021q3", NewQuarter(2021, 3), "2021Q3"},
		{"2021s2", NewHalf(2021, 2), "2021S2"},
		{"2021n9", NewNineMonths(2021), "2021N9"},
		{" 2021Q3\n", NewQuarter(2021, 3), "2021Q3"},
		{"\t202108 ", NewMonth(2021, 8), "202108"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if !got.Valid() {
				t.Fatalf("Parse(%q) gave an invalid period", tt.in)
			}
			if c := got.Code(); c != tt.code {
				t.Fatalf("Code() = %q, want %q", c, tt.code)
			}
			if s := got.String(); s != tt.code {
				t.Fatalf("String() = %q, want %q", s, tt.code)
			}
			again, err := Parse(got.Code())
			if err != nil || again != got {
				t.Fatalf("Parse(Code()) = %v, %v; want %v", again, err, got)
			}
		})
	}
}

func TestParseEveryPeriod(t *testing.T) {
	for _, typ := range TypesAll() {
		for y := 2019; y <= 2026; y++ {
			for i := 1; i <= typ.perYear(); i++ {
				p := Period{typ, y, i}
				got, err := Parse(p.Code())
				if err != nil || got != p {
					t.Errorf("Parse(%q) = %#v, %v; want %#v", p.Code(), got, err, p)
				}
				if got, err := Parse(strings.ToLower(p.Code())); err != nil || got != p {
					t.Errorf("Parse(lower %q) = %#v, %v", p.Code(), got, err)
				}
			}
		}
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []string{
		"",
		"   ",
		"2021Q5",
		"2021Q0",
		"2021Q",
		"2021Q03",
		"2021Q10",
		"202113",
		"202100",
		"20218",
		"2021008",
		"2021S3",
		"2021S0",
		"2021S",
		"2021N8",
		"2021N",
		"2021N10",
		"21Q1",
		"21",
		"202",
		"0999",
		"0000",
		"0221Q3",
		"2021-08",
		"2021/08",
		"08/2021",
		"2021W31",
		"2021H1",
		"2021Q3x",
		"2021 Q3",
		"２０２１",
		"2021Ｑ3",
		"+2021",
		"-2021",
		"20210",
		"2021AprilS1",
		"Q32021",
		"năm 2021",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			p, err := Parse(in)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want error", in, p)
			}
			if !errors.Is(err, ErrInvalidCode) {
				t.Errorf("error %v does not wrap ErrInvalidCode", err)
			}
			if !strings.HasPrefix(err.Error(), "mã kỳ báo cáo không hợp lệ: ") {
				t.Errorf("error %q lacks the Vietnamese prefix", err)
			}
			if !strings.Contains(err.Error(), in) {
				t.Errorf("error %q does not quote the input", err)
			}
			if p != (Period{}) {
				t.Errorf("Parse(%q) returned non-zero period %#v with error", in, p)
			}
		})
	}
}

func TestParseErrorMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021Q5", `mã kỳ báo cáo không hợp lệ: "2021Q5" (quý phải từ 1 đến 4)`},
		{"202113", `mã kỳ báo cáo không hợp lệ: "202113" (tháng phải từ 01 đến 12)`},
		{"2021S3", `mã kỳ báo cáo không hợp lệ: "2021S3" (6 tháng phải là S1 (đầu năm) hoặc S2 (cuối năm))`},
		{"21Q1", `mã kỳ báo cáo không hợp lệ: "21Q1" (phải bắt đầu bằng năm gồm 4 chữ số)`},
		{"", `mã kỳ báo cáo không hợp lệ: "" (mã trống)`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func TestMustParse(t *testing.T) {
	if got := MustParse("2021Q3"); got != NewQuarter(2021, 3) {
		t.Errorf("MustParse = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"2021Q5\") did not panic")
		}
	}()
	MustParse("2021Q5")
}

func TestValid(t *testing.T) {
	tests := []struct {
		p    Period
		want bool
	}{
		{Period{}, false},
		{NewMonth(2021, 0), false},
		{NewMonth(2021, 13), false},
		{NewQuarter(2021, 5), false},
		{NewHalf(2021, 3), false},
		{NewHalf(2021, 0), false},
		{Period{NineMonths, 2021, 2}, false},
		{Period{NineMonths, 2021, 9}, false},
		{Period{Year, 2021, 0}, false},
		{Period{Year, 2021, 2}, false},
		{Period{"week", 2021, 1}, false},
		{NewYear(999), false},
		{NewYear(10000), false},
		{NewMonth(2021, 12), true},
		{NewHalf(2021, 2), true},
		{NewNineMonths(2021), true},
		{NewYear(1000), true},
		{NewYear(9999), true},
	}
	for _, tt := range tests {
		if got := tt.p.Valid(); got != tt.want {
			t.Errorf("%#v.Valid() = %v, want %v", tt.p, got, tt.want)
		}
		if !tt.want {
			if c := tt.p.Code(); c != "" {
				t.Errorf("%#v.Code() = %q, want \"\"", tt.p, c)
			}
			if l := tt.p.LabelVI() + tt.p.LabelEN(); l != "" {
				t.Errorf("%#v labels = %q, want \"\"", tt.p, l)
			}
		}
	}
}

func TestTypes(t *testing.T) {
	want := []Type{"month", "quarter", "6months", "9months", "year"}
	if got := TypesAll(); !slices.Equal(got, want) {
		t.Fatalf("TypesAll() = %v, want %v", got, want)
	}
	labels := []struct {
		t      Type
		vi, en string
		months int
	}{
		{Month, "Tháng", "Month", 1},
		{Quarter, "Quý", "Quarter", 3},
		{SixMonths, "6 tháng", "Six months", 6},
		{NineMonths, "9 tháng", "Nine months", 9},
		{Year, "Năm", "Year", 12},
		{"week", "", "", 0},
		{"", "", "", 0},
	}
	for _, tt := range labels {
		if got := tt.t.LabelVI(); got != tt.vi {
			t.Errorf("%q.LabelVI() = %q, want %q", tt.t, got, tt.vi)
		}
		if got := tt.t.LabelEN(); got != tt.en {
			t.Errorf("%q.LabelEN() = %q, want %q", tt.t, got, tt.en)
		}
		if got := tt.t.Valid(); got != (tt.months > 0) {
			t.Errorf("%q.Valid() = %v", tt.t, got)
		}
		if got := (Period{Type: tt.t}).Months(); got != tt.months {
			t.Errorf("%q months = %d, want %d", tt.t, got, tt.months)
		}
	}
}

func TestParseType(t *testing.T) {
	for _, typ := range TypesAll() {
		got, err := ParseType(strings.ToUpper(string(typ)) + " ")
		if err != nil || got != typ {
			t.Errorf("ParseType(%q) = %q, %v", typ, got, err)
		}
	}
	for _, in := range []string{"", "week", "6 months", "quý"} {
		if _, err := ParseType(in); err == nil {
			t.Errorf("ParseType(%q) succeeded", in)
		}
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		code, vi, en string
	}{
		{"202108", "Tháng 8/2021", "August 2021"},
		{"202101", "Tháng 1/2021", "January 2021"},
		{"202112", "Tháng 12/2021", "December 2021"},
		{"2021Q1", "Quý I/2021", "Q1 2021"},
		{"2021Q2", "Quý II/2021", "Q2 2021"},
		{"2021Q3", "Quý III/2021", "Q3 2021"},
		{"2021Q4", "Quý IV/2021", "Q4 2021"},
		{"2021S1", "6 tháng đầu năm 2021", "First half 2021"},
		{"2021S2", "6 tháng cuối năm 2021", "Second half 2021"},
		{"2021N9", "9 tháng đầu năm 2021", "First nine months 2021"},
		{"2021", "Năm 2021", "Year 2021"},
	}
	for _, tt := range tests {
		p := MustParse(tt.code)
		if got := p.LabelVI(); got != tt.vi {
			t.Errorf("%s.LabelVI() = %q, want %q", tt.code, got, tt.vi)
		}
		if got := p.LabelEN(); got != tt.en {
			t.Errorf("%s.LabelEN() = %q, want %q", tt.code, got, tt.en)
		}
	}
}

func TestText(t *testing.T) {
	type row struct {
		P Period  `json:"p"`
		Q *Period `json:"q,omitempty"`
	}
	q := NewHalf(2021, 2)
	b, err := json.Marshal(row{P: NewQuarter(2021, 3), Q: &q})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"p":"2021Q3","q":"2021S2"}` {
		t.Fatalf("json = %s", b)
	}
	var r row
	if err := json.Unmarshal([]byte(`{"p":"2021q3","q":"2021N9"}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.P != NewQuarter(2021, 3) || *r.Q != NewNineMonths(2021) {
		t.Fatalf("unmarshal = %#v %#v", r.P, *r.Q)
	}
	// The zero period round-trips as "".
	b, err = json.Marshal(row{})
	if err != nil || string(b) != `{"p":""}` {
		t.Fatalf("zero json = %s, %v", b, err)
	}
	r = row{P: NewYear(2020)}
	if err := json.Unmarshal([]byte(`{"p":""}`), &r); err != nil || r.P != (Period{}) {
		t.Fatalf("unmarshal empty = %#v, %v", r.P, err)
	}
	if err := json.Unmarshal([]byte(`{"p":"2021Q5"}`), &r); err == nil {
		t.Fatal("unmarshal of 2021Q5 succeeded")
	}
	if _, err := json.Marshal(row{P: NewQuarter(2021, 5)}); err == nil {
		t.Fatal("marshal of an invalid period succeeded")
	}
}
